/**
 * What-if edits in the Computation panel, in Chromium, drawn from real explanations of a trained
 * Cora run (the snapshots the host's session posts): removing a neighbour's edge by its button and
 * by Delete on its row (the keyboard moves to the next row once it is gone), adding an edge from a
 * typed node and switching a typed feature on, each typed id checked before anything is posted,
 * switching a feature off from the layer-1 input list, the edit list with Undo and Reset, the
 * probabilities before → after, the attention before beside after (the removed neighbour listed
 * last), scenarios saved and opened by name, and the three theme kinds (screenshots kept).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { attentionOf } from '../../src/extension/webviews/whatIfSession';
import type { ExplainSources, NodeExplanation } from '../../src/protocol/explanation';
import type { WebviewToHost } from '../../src/protocol/webviewToHost';
import type { WhatIfSnapshot, WhatIfView } from '../../src/protocol/whatIf';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, type BrowserHandle, type PanelPage } from './harness';
import { trainedCora, type TrainedCora } from './trainedCora';

const SCREENSHOTS = path.join(repoRoot, 'out', 'test', 'browser', 'screenshots');

describe('Computation panel: what-if edits in Chromium (a trained Cora run)', () => {
  let chromium: BrowserHandle;
  let p: PanelPage;
  let trained: TrainedCora;
  let sources: ExplainSources;
  let base: NodeExplanation;
  let dropped: NodeExplanation;
  /** Node 1358's neighbours in layer 1, head 1, strongest first (the table's order). */
  let byWeight: number[];

  /** The snapshot the host's session posts for these edits. */
  const snapshot = (x: NodeExplanation, view: Partial<WhatIfView> = {}): WhatIfSnapshot => ({
    type: 'computationWhatIf',
    provenance: trained.provenance,
    explanation: x,
    sources,
    whatIf: { edits: [], directed: false, baseline: attentionOf(base), numNodes: 2708, numFeatures: 1433, scenarios: [], scenario: null, ...view },
  });
  const lastPosted = async (): Promise<WebviewToHost | undefined> => (await p.posted()).at(-1);
  const status = async (): Promise<{ text: string | null; kind: string | null }> => ({ text: await p.page.textContent('.what-if-status'), kind: await p.page.getAttribute('.what-if-status', 'data-kind') });

  before(async () => {
    trained = await trainedCora('wasm');
    sources = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'explainSources.json'), 'utf8')) as ExplainSources;
    base = await explainRunNode(trained.runDir, 1358);
    byWeight = base.layers[0].perHead[0].neighbours.filter((n) => !n.isSelf).sort((a, b) => b.weight - a.weight).map((n) => n.node);
    dropped = await explainRunNode(trained.runDir, 1358, { edits: { edits: [{ kind: 'remove-edge', source: byWeight[0], target: 1358 }], directed: false }, methods: [] });
    chromium = await launchChromium();
    p = await openPanel(chromium, repoRoot, 'computation', { width: 1200, height: 900 });
    await p.post(snapshot(base));
    await p.page.waitForSelector('body[data-computation-ready="true"] .what-if:not([hidden])');
  });
  after(async () => {
    await chromium?.close();
  });

  it('offers every edit on the unedited computation: a Remove button on each neighbour, a feature list, nothing to undo', async () => {
    assert.equal(await p.page.getAttribute('.what-if', 'data-edits'), '0');
    assert.deepEqual(await status(), { text: "No edits: the run's own graph and features.", kind: 'info' });
    assert.equal(await p.page.isDisabled('.reset-edits'), true);
    assert.equal(await p.page.locator('.remove-edge').count(), 168, 'every neighbour but the self-loop');
    assert.equal(await p.page.locator('.neighbour-row[data-node="1358"] .remove-edge').count(), 0);
    const features = await p.page.$$eval('.feature-list .feature', (els) => els.map((e) => Number(e.getAttribute('data-feature'))));
    assert.deepEqual(features, base.layers[0].input.nonZero.map((v) => v.index));
    assert.equal(await p.page.locator('.probability-change').isHidden(), true);
    assert.deepEqual(JSON.parse((await p.page.getAttribute(`.neighbour-row[data-node="${byWeight[0]}"]`, 'data-vscode-context'))!), { webviewSection: 'neighbour', node: byWeight[0], preventDefaultContextMenuItems: true });
  });

  it("posts a neighbour's removal from its button and from Delete on its row, and says it is recomputing", async () => {
    await p.page.click(`.neighbour-row[data-node="${byWeight[1]}"] .remove-edge`);
    assert.deepEqual(await lastPosted(), { type: 'whatIfEdit', edit: { kind: 'remove-edge', node: byWeight[1] } });
    assert.equal(await p.page.getAttribute('.what-if', 'aria-busy'), 'true');
    assert.equal((await status()).text, 'Recomputing…');
    await p.page.focus(`.neighbour-row[data-node="${byWeight[0]}"] .node-link`);
    await p.page.keyboard.press('Delete');
    assert.deepEqual(await lastPosted(), { type: 'whatIfEdit', edit: { kind: 'remove-edge', node: byWeight[0] } });
  });

  it('redraws everything from the edited computation; the keyboard lands on the next row', async () => {
    await p.post(snapshot(dropped, { edits: [{ kind: 'remove-edge', source: byWeight[0], target: 1358 }], message: { kind: 'info', text: `remove edge ${byWeight[0]} — 1358: recomputed` } }));
    await p.page.waitForSelector('.what-if[data-edits="1"]:not([aria-busy])');
    assert.match((await p.page.textContent('.computation-summary')) ?? '', / · what if: 1 edit$/);
    assert.deepEqual(await p.page.$$eval('.what-if-edit-text', (els) => els.map((e) => e.textContent)), [`remove edge ${byWeight[0]} — 1358`]);
    assert.equal((await status()).text, `remove edge ${byWeight[0]} — 1358: recomputed`);
    assert.equal(await p.page.isDisabled('.reset-edits'), false);
    // the removed neighbour is gone from the new attention and listed last with its old weight
    const rows = await p.page.$$eval('.neighbour-row', (els) => els.map((e) => ({ node: Number(e.getAttribute('data-node')), weight: e.getAttribute('data-weight'), before: e.getAttribute('data-before'), removed: e.getAttribute('data-removed') })));
    assert.equal(rows.length, 169);
    const removed = rows.at(-1)!;
    assert.deepEqual(removed, { node: byWeight[0], weight: null, before: String(base.layers[0].perHead[0].neighbours.find((n) => n.node === byWeight[0])!.weight), removed: 'true' });
    const now = new Map(dropped.layers[0].perHead[0].neighbours.map((n) => [n.node, n.weight]));
    const was = new Map(base.layers[0].perHead[0].neighbours.map((n) => [n.node, n.weight]));
    for (const r of rows.slice(0, -1)) {
      assert.equal(Number(r.weight), now.get(r.node), `α of ${r.node}`);
      assert.equal(Number(r.before), was.get(r.node), `α before of ${r.node}`);
    }
    assert.equal(await p.page.locator('.attention-table th', { hasText: /^α before$/ }).count(), 1);
    // probabilities before → after, as computed
    const probs = await p.page.$$eval('.probability-row', (els) => els.map((e) => [Number(e.getAttribute('data-class')), Number(e.getAttribute('data-before')), Number(e.getAttribute('data-after'))]));
    assert.equal(probs.length, 7);
    for (const [k, b, a] of probs) assert.deepEqual([b, a], [base.result.probabilities[k], dropped.result.probabilities[k]]);
    assert.match((await p.page.textContent('.prediction-change')) ?? '', /^Prediction (changed: \S+ → \S+|unchanged: \S+)$/);
    // Delete was pressed on the strongest row: the focus is on the Remove button of the row that followed it
    assert.equal(await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.focusKey), `remove-${byWeight[1]}`);
  });

  it('checks a typed node id before posting: out of range, not an id, already a neighbour, the node itself', async () => {
    const before = (await p.posted()).length;
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['99999', 'Node 99999 does not exist: node ids are 0 to 2707.'],
      ['12a', "'12a' is not a node id: node ids are 0 to 2707."],
      ['', 'Type a node id: node ids are 0 to 2707.'],
      [String(byWeight[2]), `Node ${byWeight[2]} is already a neighbour of node 1358: remove its edge instead.`],
      ['1358', 'Node 1358 is the node shown: its self-loop belongs to the model.'],
    ];
    for (const [typed, message] of cases) {
      await p.page.fill('.add-edge-input', typed);
      await p.page.press('.add-edge-input', 'Enter');
      assert.deepEqual(await status(), { text: message, kind: 'error' }, typed);
    }
    assert.equal((await p.posted()).length, before, 'nothing posted');
    // the removed neighbour can be added back
    await p.page.fill('.add-edge-input', String(byWeight[0]));
    await p.page.press('.add-edge-input', 'Enter');
    assert.deepEqual(await lastPosted(), { type: 'whatIfEdit', edit: { kind: 'add-edge', node: byWeight[0] } });
    assert.equal(await p.page.inputValue('.add-edge-input'), '');
  });

  it('switches a typed feature on (checked first) and a listed feature off', async () => {
    const on = base.layers[0].input.nonZero[0].index;
    const off = [...Array(1433).keys()].find((k) => !base.layers[0].input.nonZero.some((v) => v.index === k))!;
    await p.page.fill('.feature-on-input', '1433');
    await p.page.click('.feature-on-form .what-if-submit');
    assert.deepEqual(await status(), { text: 'Feature 1433 does not exist: feature ids are 0 to 1432.', kind: 'error' });
    await p.page.fill('.feature-on-input', String(on));
    await p.page.press('.feature-on-input', 'Enter');
    assert.deepEqual(await status(), { text: `Feature ${on} of node 1358 is already on.`, kind: 'error' });
    await p.page.fill('.feature-on-input', String(off));
    await p.page.press('.feature-on-input', 'Enter');
    assert.deepEqual(await lastPosted(), { type: 'whatIfEdit', edit: { kind: 'feature-on', feature: off } });
    await p.page.click(`.feature-off[data-feature="${on}"]`);
    assert.deepEqual(await lastPosted(), { type: 'whatIfEdit', edit: { kind: 'feature-off', feature: on } });
  });

  it('undoes one edit and resets, by mouse and keyboard', async () => {
    await p.page.click('.undo-edit');
    assert.deepEqual(await lastPosted(), { type: 'whatIfUndo', index: 0 });
    await p.page.focus('.reset-edits');
    await p.page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(), { type: 'whatIfReset' });
  });

  it('shows a refusal from the host as an error line, keeping what was drawn', async () => {
    await p.post(snapshot(dropped, { edits: [{ kind: 'remove-edge', source: byWeight[0], target: 1358 }], message: { kind: 'error', text: `add edge ${byWeight[2]} — 1358: the edge ${byWeight[2]} → 1358 is already there` } }));
    await p.page.waitForSelector('.what-if-status[data-kind="error"]');
    assert.equal(await p.page.getAttribute('.what-if', 'data-edits'), '1');
  });

  it('saves a scenario under a checked name and opens a saved one', async () => {
    const before = (await p.posted()).length;
    for (const bad of ['a/b', '../run', 'two words', '']) {
      await p.page.fill('.scenario-name', bad);
      await p.page.press('.scenario-name', 'Enter');
      assert.equal((await status()).kind, 'error', bad);
    }
    assert.equal((await p.posted()).length, before, 'nothing posted');
    assert.equal(await p.page.locator('.open-scenario-form').isHidden(), true, 'nothing to open yet');
    await p.page.fill('.scenario-name', 'drop-strongest');
    await p.page.click('.save-scenario-form .what-if-submit');
    assert.deepEqual(await lastPosted(), { type: 'saveScenario', name: 'drop-strongest' });
    await p.post(snapshot(dropped, { edits: [{ kind: 'remove-edge', source: byWeight[0], target: 1358 }], scenarios: ['another', 'drop-strongest'], scenario: 'drop-strongest', message: { kind: 'info', text: 'saved' } }));
    await p.page.waitForSelector('.open-scenario-form:not([hidden])');
    assert.equal(await p.page.inputValue('.scenario-select'), 'drop-strongest');
    await p.page.selectOption('.scenario-select', 'another');
    await p.page.click('.open-scenario-form .what-if-submit');
    assert.deepEqual(await lastPosted(), { type: 'openScenario', name: 'another' });
  });

  it('layer 2 compares its own attention before and after', async () => {
    await p.page.click('.layer-button[data-focus-key="layer-2"]');
    await p.page.waitForSelector('.steps[data-layer="2"]');
    const before = await p.page.getAttribute(`.neighbour-row[data-node="${byWeight[3]}"]`, 'data-before');
    assert.equal(Number(before), base.layers[1].perHead[0].neighbours.find((n) => n.node === byWeight[3])!.weight);
    assert.equal(await p.page.locator('.neighbour-row[data-removed="true"]').count(), 1);
  });

  it('reads in dark, light and high-contrast themes (screenshots kept)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await p.page.click('.layer-button[data-focus-key="layer-1"]');
    await p.page.evaluate(() => window.scrollTo(0, 0)); // the what-if section, above the steps
    for (const theme of ['vscode-dark', 'vscode-light', 'vscode-high-contrast'] as const) {
      await p.setTheme(theme);
      const after = await p.page.$eval('.probability-row .after-fill', (e) => getComputedStyle(e).backgroundColor);
      const was = await p.page.$eval('.probability-row .before-fill', (e) => getComputedStyle(e).backgroundColor);
      assert.notEqual(after, was, `${theme}: before and after bars differ`);
      const error = await p.page.$eval('.what-if-status', (e) => getComputedStyle(e).color);
      assert.ok(error.startsWith('rgb'), error);
      await p.page.screenshot({ path: path.join(SCREENSHOTS, `computation-what-if-${theme}.png`), fullPage: false });
    }
  });
});
