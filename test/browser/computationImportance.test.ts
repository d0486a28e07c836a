/**
 * Edge importance in the Computation panel, in Chromium, drawn from real answers of gat's engine for
 * node 1358 of a trained Cora run and of its uniform-attention twin (the snapshots the host's session
 * posts): the button (mouse and keyboard) and its busy state, the top-edges table with every method's
 * score under a method picker, each method's τ against attention with its time and IG's completeness
 * error (a uniform run's reason instead of a τ, never NaN), the receptive field drawn by the chosen
 * method whose numbered edges and nodes open records, a stale answer dropped after an edit, the
 * graph panel's "What If" focus, and the three theme kinds (screenshots kept).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { attentionOf } from '../../src/extension/webviews/whatIfSession';
import { IMPORTANCE_METHODS, type EdgeImportance, type NodeExplanation } from '../../src/protocol/explanation';
import type { WebviewToHost } from '../../src/protocol/webviewToHost';
import type { WhatIfSnapshot, WhatIfView } from '../../src/protocol/whatIf';
import { repoRoot } from '../helpers/paths';
import { trainCora } from '../helpers/trainedCora';
import { launchChromium, openPanel, type BrowserHandle, type PanelPage } from './harness';
import { trainedCora, type TrainedCora } from './trainedCora';

const SCREENSHOTS = path.join(repoRoot, 'out', 'test', 'browser', 'screenshots');
const LABELS = ['attention flow', 'leave-one-out', 'saliency', 'integrated gradients', 'GNNExplainer'];

describe('Computation panel: edge importance in Chromium (a trained Cora run and its uniform twin)', () => {
  let chromium: BrowserHandle;
  let p: PanelPage;
  let trained: TrainedCora;
  let base: NodeExplanation;
  let importance: EdgeImportance;
  let uniform: EdgeImportance;

  const snapshot = (x: NodeExplanation, view: Partial<WhatIfView> = {}): WhatIfSnapshot => ({
    type: 'computationWhatIf',
    provenance: trained.provenance,
    explanation: x,
    sources: {},
    whatIf: { edits: [], directed: false, baseline: attentionOf(base), numNodes: 2708, numFeatures: 1433, scenarios: [], scenario: null, importanceBusy: false, ...view },
  });
  const posted = async (type: WebviewToHost['type']): Promise<WebviewToHost[]> => (await p.posted()).filter((m) => m.type === type);
  const button = async (): Promise<{ text: string | null; disabled: string | null; busy: string | null }> => ({
    text: await p.page.textContent('.importance-compute'),
    disabled: await p.page.getAttribute('.importance-compute', 'aria-disabled'),
    busy: await p.page.getAttribute('.edge-importance', 'aria-busy'),
  });
  const column = (method: string): Promise<number[]> => p.page.$$eval(`.importance-row td[data-method="${method}"]`, (tds) => tds.map((td) => Number(td.getAttribute('data-score'))));
  const scoresOf = (imp: EdgeImportance, method: string): number[] => imp.methods.find((m) => m.method === method)!.scores;

  before(async () => {
    trained = await trainedCora('wasm');
    const all = { edits: { edits: [], directed: false }, methods: [...IMPORTANCE_METHODS] };
    base = await explainRunNode(trained.runDir, 1358);
    importance = (await explainRunNode(trained.runDir, 1358, all)).importance!;
    uniform = (await explainRunNode((await trainCora(30, 'wasm', { args: ['--attention', 'uniform'] })).runDir, 1358, all)).importance!;
    chromium = await launchChromium();
    p = await openPanel(chromium, repoRoot, 'computation', { width: 1300, height: 950 });
    await p.post(snapshot(base));
    await p.page.waitForSelector('body[data-computation-ready="true"] .edge-importance:not([hidden])');
  });
  after(async () => {
    await chromium?.close();
  });

  it('offers the computation before any answer: the button, what it will do, nothing drawn', async () => {
    assert.deepEqual(await button(), { text: 'Compute edge importance', disabled: 'false', busy: null });
    assert.equal(await p.page.textContent('.importance-status'), 'Not computed yet.');
    assert.equal(await p.page.locator('.importance-results').isHidden(), true);
    assert.match((await p.page.textContent('.importance-hint')) ?? '', /^Scores every edge within 2 hops of node 1358 \(its receptive field\) for the prediction, five ways: attention flow, leave-one-out, saliency, integrated gradients, GNNExplainer\./);
  });

  it('asks the host from the keyboard, then shows it is computing (a second press asks nothing more)', async () => {
    await p.page.focus('.importance-compute');
    await p.page.keyboard.press('Enter');
    assert.deepEqual(await posted('whatIfImportance'), [{ type: 'whatIfImportance' }]);
    assert.deepEqual(await button(), { text: 'Computing edge importance…', disabled: 'true', busy: 'true' });
    await p.page.keyboard.press('Enter');
    await p.page.click('.importance-compute', { force: true }); // aria-disabled: focusable and clickable, but it does nothing
    assert.equal((await posted('whatIfImportance')).length, 1);
    // a snapshot of the host while it computes keeps the busy state
    await p.post(snapshot(base, { importanceBusy: true }));
    await p.page.waitForFunction(() => document.querySelector('.importance-status')?.textContent === 'Computing five methods in the explain process…');
    assert.equal((await button()).busy, 'true');
  });

  it("draws the answer: the top 15 by leave-one-out with every method's score, exactly as computed", async () => {
    await p.post(snapshot(base, { importance }));
    await p.page.waitForSelector('.importance-results:not([hidden]) .importance-row');
    assert.deepEqual(await button(), { text: 'Edge importance computed', disabled: 'true', busy: null });
    assert.equal(await p.page.evaluate(() => document.activeElement?.className), 'importance-compute', 'the keyboard stays where it was');
    assert.match((await p.page.textContent('.importance-status')) ?? '', new RegExp(`^Explaining the predicted class ${importance.objective.name} \\(p = 0\\.\\d{3}\\) over ${importance.units.length} edges\\.$`));
    const heads = await p.page.$$eval('.importance-table thead th', (ths) => ths.map((th) => [th.textContent, th.getAttribute('scope'), th.getAttribute('aria-sort')]));
    assert.deepEqual(heads, [['#', 'col', null], ['edge', 'col', null], ['hop', 'col', null], ...LABELS.map((l) => [l, 'col', l === 'leave-one-out' ? 'descending' : null])]);
    assert.match((await p.page.textContent('.importance-table caption')) ?? '', new RegExp(`^The 15 edges that matter most by leave-one-out, of ${importance.units.length}, with every method's score`));
    const rows = await p.page.$$eval('.importance-row', (trs) => trs.map((tr) => [Number(tr.getAttribute('data-source')), Number(tr.getAttribute('data-target')), Number(tr.getAttribute('data-hop')), tr.querySelector('th')?.getAttribute('scope')]));
    assert.equal(rows.length, 15);
    const loo = scoresOf(importance, 'leave-one-out');
    const order = importance.units.map((_, u) => u).sort((a, b) => loo[b] - loo[a] || a - b).slice(0, 15);
    assert.deepEqual(rows, order.map((u) => [importance.units[u].source, importance.units[u].target, importance.units[u].hop, 'row']));
    for (const m of IMPORTANCE_METHODS) assert.deepEqual(await column(m), order.map((u) => scoresOf(importance, m)[u]), m);
    assert.match((await p.page.textContent('.importance-row .edge-cell')) ?? '', /^\d+ — \d+$/);
  });

  it("lists each method's τ against attention as the engine computed it, its time, and IG's completeness error", async () => {
    const rows = await p.page.$$eval('.method-row', (trs) => trs.map((tr) => [tr.getAttribute('data-method'), tr.querySelector('th')!.textContent, tr.getAttribute('data-tau'), tr.children[1].textContent, tr.children[2].textContent, tr.children[3].textContent]));
    assert.deepEqual(rows.map((r) => r[1]), LABELS);
    assert.equal(rows[0][3], 'reference');
    for (const r of rows.slice(1)) {
      const tau = importance.agreement.find((a) => a.method === r[0])!.tau!;
      assert.equal(Number(r[2]), tau, `${r[0]}: τ`);
      assert.equal(r[3], `${tau < 0 ? '−' : '+'}${Math.abs(tau).toFixed(3)}`);
      assert.match(r[4] ?? '', /^(\d+ ms|\d+\.\d\d s)$/);
    }
    assert.match(rows[3][5] ?? '', /^50 steps; completeness error \d\.\d\de-\d+$/);
    assert.match((await p.page.textContent('.importance-methods caption')) ?? '', /^Each method against attention: Kendall's τ-b/);
  });

  it('draws the receptive field by the chosen method: every edge, the 15 top ones numbered and focusable', async () => {
    assert.equal(await p.page.getAttribute('.field-figure', 'data-method'), 'leave-one-out');
    assert.equal(Number(await p.page.getAttribute('.field-figure', 'data-drawn')), importance.units.length);
    const tops = await p.page.$$eval('.field-edge.top', (gs) => gs.map((g) => [Number(g.getAttribute('data-rank')), Number(g.getAttribute('data-unit')), g.getAttribute('tabindex')]));
    assert.deepEqual(tops.sort((a, b) => Number(a[0]) - Number(b[0])), Array.from({ length: 15 }, (_, i) => [i + 1, importance.units.map((_, u) => u).sort((a, b) => scoresOf(importance, 'leave-one-out')[b] - scoresOf(importance, 'leave-one-out')[a] || a - b)[i], '0']));
    assert.equal(await p.page.locator('.field-node[data-node="1358"]').count(), 1);
    assert.equal(await p.page.locator('.field-node.ring-1').count(), 168, 'the hub’s neighbours on the inner ring');
  });

  it('another method re-ranks the table and redraws the figure', async () => {
    await p.page.selectOption('.importance-method', 'attention');
    await p.page.waitForSelector('.field-figure[data-method="attention"]');
    assert.equal(await p.page.getAttribute('.importance-table th[aria-sort="descending"]', 'data-method'), 'attention');
    const att = await column('attention');
    assert.deepEqual(att, [...scoresOf(importance, 'attention')].sort((a, b) => b - a).slice(0, 15));
    // a snapshot with the same answer (another message) keeps the choice, and is not drawn again
    const draws = await p.page.getAttribute('.edge-importance', 'data-draws');
    await p.post(snapshot(base, { importance, message: { kind: 'info', text: 'again' } }));
    await p.page.waitForFunction(() => document.querySelector('.what-if-status')?.textContent === 'again');
    assert.equal(await p.page.inputValue('.importance-method'), 'attention');
    assert.deepEqual(await column('attention'), att);
    assert.equal(await p.page.getAttribute('.edge-importance', 'data-draws'), draws);
    assert.ok(Number(await p.page.getAttribute('.edge-importance', 'data-draw-ms')) < 1000, 'drawn in well under a second');
  });

  it("opens a node's record from the table, a numbered edge (keyboard) and a node of the figure", async () => {
    const [source] = (await p.page.$$eval('.importance-row', (trs) => trs.map((tr) => Number(tr.getAttribute('data-source')))));
    await p.page.click(`.importance-row .node-link[data-node="${source}"]`);
    const first = await p.page.getAttribute('.field-edge.top[data-rank="1"]', 'data-node');
    await p.page.focus('.field-edge.top[data-rank="1"]');
    await p.page.keyboard.press('Enter');
    await p.page.click('.field-node[data-node="1358"]', { force: true });
    const opened = (await posted('openRecord')).slice(-3);
    assert.deepEqual(opened, [source, Number(first), 1358].map((node) => ({ type: 'openRecord', dataset: 'cora', node, runId: trained.runId })));
    assert.notEqual(Number(first), 1358, 'a numbered edge opens its far end');
  });

  it('a uniform-attention run: each τ is replaced by the reason, and nothing reads NaN', async () => {
    await p.post(snapshot(base, { importance: uniform }));
    await p.page.waitForFunction((n) => document.querySelector('.field-figure')?.getAttribute('data-drawn') === String(n), uniform.units.length);
    const cells = await p.page.$$eval('.method-row', (trs) => trs.map((tr) => [tr.getAttribute('data-tau'), tr.children[1].textContent, tr.children[3].textContent]));
    assert.equal(cells[0][1], 'reference');
    assert.match(cells[0][2] ?? '', /^uniform attention: every neighbour of a node weighs the same/);
    for (const [tau, text] of cells.slice(1)) {
      assert.equal(tau, '');
      assert.equal(text, 'uniform attention: every neighbour of a node weighs the same, so attention ranks them all equally');
    }
    assert.ok(!((await p.page.textContent('.edge-importance')) ?? '').includes('NaN'));
  });

  it('an edit drops the answer (it was for the graph before it) and offers it again; a failure says why', async () => {
    const unit = importance.units.find((u) => u.hop === 1)!;
    const edits = [{ kind: 'remove-edge' as const, source: unit.source === 1358 ? unit.target : unit.source, target: 1358 }];
    const dropped = await explainRunNode(trained.runDir, 1358, { edits: { edits, directed: false }, methods: [] });
    await p.post(snapshot(dropped, { edits }));
    await p.page.waitForSelector('.importance-results[hidden]', { state: 'attached' });
    assert.deepEqual(await button(), { text: 'Compute edge importance', disabled: 'false', busy: null });
    assert.equal(await p.page.textContent('.importance-status'), 'Not computed for these edits yet.');
    assert.match((await p.page.textContent('.importance-hint')) ?? '', /, with the 1 what-if edit applied\./);
    await p.post(snapshot(dropped, { edits, importanceError: 'edge importance could not be computed: the explain process for this run stopped 3 times' }));
    await p.page.waitForSelector('.importance-status[data-kind="error"]');
    assert.equal(await p.page.textContent('.importance-status'), 'edge importance could not be computed: the explain process for this run stopped 3 times');
  });

  it("the graph panel's What If puts the keyboard on the what-if section", async () => {
    await p.page.focus('.importance-compute');
    await p.post({ type: 'computationFocus', target: 'what-if' });
    await p.page.waitForFunction(() => document.activeElement?.classList.contains('what-if'));
    await p.page.keyboard.press('Tab');
    assert.equal(await p.page.evaluate(() => document.activeElement?.closest('.what-if') !== null), true, 'Tab goes on into its controls');
  });

  it('reads in dark, light and high-contrast themes (screenshots kept)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await p.post(snapshot(base, { importance }));
    await p.page.waitForSelector('.importance-results:not([hidden]) .field-figure');
    await p.page.locator('.edge-importance').scrollIntoViewIfNeeded();
    for (const theme of ['vscode-dark', 'vscode-light', 'vscode-high-contrast'] as const) {
      await p.setTheme(theme);
      const [top, plain, background] = await p.page.evaluate(() => [
        getComputedStyle(document.querySelector('.field-edge.top .edge-line')!).stroke,
        getComputedStyle(document.querySelector('line.field-edge')!).stroke,
        getComputedStyle(document.body).backgroundColor,
      ]);
      assert.notEqual(top, plain, `${theme}: the top edges stand out`);
      assert.notEqual(plain, background, `${theme}: edges are not drawn in the background colour`);
      await p.page.locator('.edge-importance').screenshot({ path: path.join(SCREENSHOTS, `computation-importance-${theme}.png`) });
    }
  });
});
