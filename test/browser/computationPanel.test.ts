/**
 * The Computation panel in Chromium, drawn from a real `gat explain` of a trained Cora run: the
 * numbers on screen are the explanation's, every step links to its code (post openSource, by mouse
 * and keyboard), layers and heads switch with the keyboard keeping focus, a neighbour expands into
 * its own computation one layer down, and screenshots in the three theme kinds are kept.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import type { ComputationSnapshot, ExplainSources, NodeExplanation } from '../../src/protocol/explanation';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, type BrowserHandle, type PanelPage } from './harness';
import { trainedCora } from './trainedCora';

const SCREENSHOTS = path.join(repoRoot, 'out', 'test', 'browser', 'screenshots');

describe('Computation panel in Chromium (a trained Cora run)', () => {
  let chromium: BrowserHandle;
  let snapshot: ComputationSnapshot;
  let neighbour: NodeExplanation;
  let p: PanelPage;

  before(async () => {
    const { runDir, provenance } = await trainedCora('wasm');
    const explanation = await explainRunNode(runDir, 1358);
    const sources = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'explainSources.json'), 'utf8')) as ExplainSources;
    snapshot = { type: 'computationSnapshot', provenance, explanation, sources };
    neighbour = await explainRunNode(runDir, explanation.layers[1].perHead[0].neighbours[1].node);
    chromium = await launchChromium();
    p = await openPanel(chromium, repoRoot, 'computation');
    await p.post(snapshot);
    await p.page.waitForSelector('body[data-computation-ready="true"]');
  });
  after(async () => {
    await chromium?.close();
  });

  it("shows layer 1, head 1 of node 1358 with the explanation's numbers and every step linked to its code", async () => {
    const x = snapshot.explanation;
    assert.match((await p.page.textContent('.computation-summary')) ?? '', /^node 1358 · not in a split · degree 168 · truth Genetic_Algorithms · predicted \S+ [✓✗]$/);
    const steps = await p.page.$$eval('.step', (els) => els.map((e) => e.getAttribute('data-step')));
    assert.deepEqual(steps, ['input', 'projection', 'scores', 'attention', 'aggregate', 'combine']);
    const rows = await p.page.$$eval('.neighbour-row', (els) => els.map((e) => [Number(e.getAttribute('data-node')), Number(e.getAttribute('data-weight'))] as [number, number]));
    assert.equal(rows.length, 169);
    const weights = new Map(x.layers[0].perHead[0].neighbours.map((n) => [n.node, n.weight]));
    for (const [node, w] of rows) assert.equal(w, weights.get(node), `node ${node}`);
    assert.equal(rows[0][0], 1358, 'the self-loop first');
    const links = await p.page.$$eval('.step .source-link', (els) => els.map((e) => e.textContent));
    assert.deepEqual(links, steps.map((s) => `code: ${snapshot.sources[s as keyof ExplainSources]!.file}:${snapshot.sources[s as keyof ExplainSources]!.line}`));
  });

  it('a source link posts openSource, by click and by Enter', async () => {
    await p.page.click('.step[data-step="attention"] .source-link');
    await p.page.focus('.step[data-step="projection"] .source-link');
    await p.page.keyboard.press('Enter');
    const opened = (await p.posted()).filter((m) => m.type === 'openSource');
    assert.deepEqual(opened.slice(-2), [{ type: 'openSource', step: 'attention' }, { type: 'openSource', step: 'projection' }]);
  });

  it('a neighbour opens its record; layer 2 is one Enter away and keeps the focus; the output shows the prediction', async () => {
    await p.page.click('.neighbour-row[data-node="1358"] .node-link');
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'openRecord').at(-1), { type: 'openRecord', dataset: 'cora', node: 1358, runId: snapshot.explanation.runId });
    await p.page.focus('.layer-button[data-focus-key="layer-2"]');
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('.steps[data-layer="2"]');
    assert.equal(await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.focusKey), 'layer-2');
    assert.equal(await p.page.getAttribute('.layer-button[data-focus-key="layer-2"]', 'aria-pressed'), 'true');
    const bars = await p.page.$$eval('.class-bar', (els) => els.map((e) => Number(e.getAttribute('data-probability'))));
    const probs = [...snapshot.explanation.result.probabilities].sort((a, b) => b - a);
    assert.deepEqual(bars, probs);
    assert.match((await p.page.textContent('.verdict')) ?? '', /^(Correct|Wrong): predicted \S+, truth Genetic_Algorithms/);
  });

  it('a neighbour expands into its own layer-1 computation, asked of the host once', async () => {
    const node = neighbour.node;
    await p.page.click(`.expand-button[data-node="${node}"]`);
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'explainNeighbour').at(-1), { type: 'explainNeighbour', node });
    await p.page.waitForSelector('.nested-row');
    assert.equal((await p.page.textContent('.nested-row')) ?? '', 'computing…');
    await p.post({ type: 'computationNeighbour', explanation: neighbour });
    await p.page.waitForSelector('.nested-row .nested-title');
    assert.match((await p.page.textContent('.nested-row .nested-title')) ?? '', new RegExp(`^node ${node}, layer 1: output h_j \\(64 values\\)`));
    assert.equal(await p.page.getAttribute(`.expand-button[data-node="${node}"]`, 'aria-expanded'), 'true');
  });

  it('reads in dark, light and high-contrast themes (screenshots kept)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const theme of ['vscode-dark', 'vscode-light', 'vscode-high-contrast'] as const) {
      await p.setTheme(theme);
      const fill = await p.page.$eval('.weight-fill', (e) => getComputedStyle(e).backgroundColor);
      const mark = await p.page.$eval('.uniform-mark', (e) => getComputedStyle(e).backgroundColor);
      assert.notEqual(fill, mark, `${theme}: the bar and the uniform mark differ`);
      await p.page.screenshot({ path: path.join(SCREENSHOTS, `computation-${theme}.png`), fullPage: false });
    }
  });
});
