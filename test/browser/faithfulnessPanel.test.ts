/**
 * The Faithfulness app in Chromium, on what the real `gat faithfulness` saved for a trained Cora
 * run: fid+, fid− and the characterization score against k for the run and its twin (random
 * dashed, every dot the saved number), theme colours that follow a theme switch, the legend and the
 * table of numbers by keyboard, the probability-drop measure, the empty state's Run button, the
 * progress and Cancel while a measurement runs, the exports and Compare, and a damaged file's line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFaithfulness } from '../../src/gat/artifacts/faithfulnessRecord';
import { verdict } from '../../src/figures/faithfulnessModel';
import type { FaithfulnessResults, FaithfulnessSnapshot } from '../../src/protocol/faithfulnessSnapshot';
import type { WebviewToHost } from '../../src/protocol/webviewMessages';
import { runGat } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, withPanel, type BrowserHandle, type PanelPage } from './harness';
import { trainedCora } from './trainedCora';

const NO_TWIN = 'No uniform-attention twin: train one with Attention: uniform.';

describe('Faithfulness panel in Chromium (gat faithfulness on a trained Cora run)', () => {
  let chromium: BrowserHandle;
  let runId: string;
  let results: FaithfulnessResults;
  let twinResults: FaithfulnessResults;
  let full: FaithfulnessSnapshot;

  before(async () => {
    const trained = await trainedCora('cpu');
    runId = trained.runId;
    const r = await runGat(['faithfulness', '--run', trained.runDir, '--node-ids', '0,5,42,1358,2000', '--k', '5,1,2', '--methods', 'attention,leave-one-out']);
    assert.equal(r.code, 0, r.stderr);
    const f = (await readFaithfulness(trained.runDir))!;
    results = { selection: f.selection, nodes: f.nodes, ks: f.ks, summary: f.summary };
    // The twin's panel side: other numbers (halved), so a side drawn from the wrong results shows.
    twinResults = { ...results, summary: results.summary.map((s) => ({ ...s, fidelityPlus: s.fidelityPlus / 2, probabilityDropPlus: s.probabilityDropPlus / 2 })) };
    full = {
      type: 'faithfulnessSnapshot',
      provenance: trained.provenance,
      dataset: 'cora',
      run: { runId, attention: 'learned', results },
      twin: { runId: 'twin-uniform', attention: 'uniform', results: twinResults },
    };
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  async function open(snapshot: FaithfulnessSnapshot, theme: 'vscode-dark' | 'vscode-light' = 'vscode-dark'): Promise<PanelPage> {
    const p = await openPanel(chromium, repoRoot, 'faithfulness', { theme });
    await p.post(snapshot);
    await p.page.waitForSelector('body[data-faithfulness-ready="true"]');
    return p;
  }

  const seriesOf = (p: PanelPage, side: string, chart: string): Promise<Array<{ method: string; dashed: boolean; stroke: string; values: number[]; ks: number[] }>> =>
    p.page.$$eval(`.${side} svg[data-chart="${chart}"] .fidelity-series`, (gs) =>
      gs.map((g) => ({
        method: g.getAttribute('data-method')!,
        dashed: g.querySelector('path')!.hasAttribute('stroke-dasharray'),
        stroke: g.querySelector('path')!.getAttribute('stroke')!,
        values: Array.from(g.querySelectorAll('circle'), (c) => Number(c.getAttribute('data-value'))),
        ks: Array.from(g.querySelectorAll('circle'), (c) => Number(c.getAttribute('data-k'))),
      })),
    );

  it('draws fid+, fid− and the characterization score for the run above its twin: a line per method, random dashed, every dot the saved number', async () => {
    await withPanel(open(full), async (p) => {
      for (const side of ['side-run', 'side-twin']) assert.deepEqual(await p.page.$$eval(`.${side} .fidelity-grid svg`, (els) => els.map((e) => e.getAttribute('data-chart'))), ['fid-plus', 'fid-minus', 'characterization'], side);
      const plus = await seriesOf(p, 'side-run', 'fid-plus');
      assert.deepEqual(plus.map((s) => [s.method, s.dashed]), [['attention', false], ['leave-one-out', false], ['random', true]]);
      const saved = (method: string, field: 'fidelityPlus' | 'fidelityMinus', k: number): number => results.summary.find((s) => s.method === method && s.k === k)![field];
      assert.deepEqual(plus[0].ks, [1, 2, 5], 'k increases left to right whatever order --k gave');
      assert.deepEqual(plus[0].values, [1, 2, 5].map((k) => saved('attention', 'fidelityPlus', k)));
      assert.deepEqual((await seriesOf(p, 'side-run', 'fid-minus'))[1].values, [1, 2, 5].map((k) => saved('leave-one-out', 'fidelityMinus', k)));
      assert.deepEqual((await seriesOf(p, 'side-twin', 'fid-plus'))[0].values, [1, 2, 5].map((k) => saved('attention', 'fidelityPlus', k) / 2), "the twin's own numbers");
      assert.equal(await p.page.textContent('.side-run .side-heading'), `Run ${runId} (learned attention)`);
      assert.equal(await p.page.textContent('.side-twin .side-heading'), 'Twin twin-uniform (uniform attention)');
      assert.equal(await p.page.textContent('.side-run .side-status'), verdict(results));
      assert.match((await p.page.getAttribute('.side-run svg[data-chart="fid-plus"]', 'aria-label')) ?? '', /^fid\+: top k edges removed, Run \S+ \(learned attention\): predictions changed against k/);
      assert.match((await p.page.textContent('.provenance')) ?? '', new RegExp(`run ${runId}`));
      assert.equal(await p.page.isHidden('.twin-note'), true);
    });
  });

  it("draws each method in its VS Code chart colour, and a theme switch redraws in the new theme's", async () => {
    await withPanel(open(full), async (p) => {
      const strokes = async (): Promise<Record<string, string>> => Object.fromEntries((await seriesOf(p, 'side-run', 'fid-plus')).map((s) => [s.method, s.stroke]));
      assert.deepEqual(await strokes(), { attention: '#d18616', 'leave-one-out': '#3794ff', random: '#9d9d9d' });
      await p.setTheme('vscode-light');
      // attached, not visible: a line of zeros along the axis has an empty box
      await p.page.waitForSelector('.side-run svg[data-chart="fid-plus"] [data-method="leave-one-out"] path[stroke="#1a85ff"]', { state: 'attached' });
      assert.deepEqual(await strokes(), { attention: '#d18616', 'leave-one-out': '#1a85ff', random: '#717171' });
      const swatch = await p.page.$eval('.fidelity-legend [data-method="random"] .line-swatch', (e) => [e.className, getComputedStyle(e).borderTopStyle]);
      assert.deepEqual(swatch, ['line-swatch dashed', 'dashed']);
    });
  });

  it('the legend hides and shows a method from the keyboard, and the page keeps the choice', async () => {
    await withPanel(open(full), async (p) => {
      await p.page.focus('.fidelity-legend [data-method="attention"]');
      await p.page.keyboard.press('Enter');
      assert.equal(await p.page.getAttribute('.fidelity-legend [data-method="attention"]', 'aria-pressed'), 'false');
      assert.deepEqual((await seriesOf(p, 'side-twin', 'fid-minus')).map((s) => s.method), ['leave-one-out', 'random'], 'gone from every chart');
      assert.deepEqual((await p.state<{ hidden: string[] }>())?.hidden, ['attention']);
      await p.page.keyboard.press('Space');
      assert.equal(await p.page.getAttribute('.fidelity-legend [data-method="attention"]', 'aria-pressed'), 'true');
      assert.equal((await seriesOf(p, 'side-run', 'fid-plus')).length, 3);
    });
  });

  it('the probability-drop measure plots Δp+ and Δp− on one y range for both runs', async () => {
    await withPanel(open(full), async (p) => {
      await p.page.selectOption('.measure-select', 'probability');
      assert.deepEqual(await p.page.$$eval('.side-run .fidelity-grid svg', (els) => els.map((e) => e.getAttribute('data-chart'))), ['drop-plus', 'drop-minus', 'characterization']);
      const drop = (await seriesOf(p, 'side-run', 'drop-plus'))[0];
      assert.deepEqual(drop.values, [1, 2, 5].map((k) => results.summary.find((s) => s.method === 'attention' && s.k === k)!.probabilityDropPlus));
      // One y range: the same tick labels on the run's chart and the twin's.
      const ticks = (side: string): Promise<string[]> => p.page.$$eval(`.${side} svg[data-chart="drop-plus"] g.axis:nth-of-type(2) .tick text`, (ts) => ts.map((t) => t.textContent ?? ''));
      assert.deepEqual(await ticks('side-run'), await ticks('side-twin'));
      assert.equal((await p.state<{ measure: string }>())?.measure, 'probability');
    });
  });

  it('the numbers as tables, one per run, opened from the keyboard: every method and k, to 3 decimals', async () => {
    await withPanel(open(full), async (p) => {
      assert.equal(await p.page.getAttribute('.fidelity-numbers', 'open'), null, 'closed at first');
      await p.page.focus('.fidelity-numbers summary');
      await p.page.keyboard.press('Enter');
      await p.page.waitForSelector('.fidelity-numbers[open] .fidelity-table');
      const captions = await p.page.$$eval('.fidelity-table caption', (cs) => cs.map((c) => c.textContent));
      assert.deepEqual(captions, [`Run ${runId} (learned attention): ${results.selection} (5 nodes)`, `Twin twin-uniform (uniform attention): ${results.selection} (5 nodes)`]);
      const rows = await p.page.$$eval('.numbers-body > .table-scroll:first-child tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
      assert.equal(rows.length, 3 * 3, 'attention, leave-one-out and random at k = 1, 2, 5');
      const s = results.summary.find((x) => x.method === 'attention' && x.k === 1)!;
      assert.deepEqual(rows[0].slice(0, 4), ['attention', '1', s.fidelityPlus.toFixed(3), s.fidelityMinus.toFixed(3)]);
      assert.equal((await p.state<{ tableOpen: boolean }>())?.tableOpen, true);
    });
  });

  it('a run without results: the empty state says so, its button asks the host to measure it, no exports; without a twin, what to do', async () => {
    const empty: FaithfulnessSnapshot = { ...full, run: { runId, attention: 'learned', results: null }, twin: null, twinNote: NO_TWIN };
    await withPanel(open(empty), async (p) => {
      assert.equal(await p.page.getAttribute('.side-run', 'data-state'), 'empty');
      assert.match((await p.page.textContent('.side-run .side-status')) ?? '', new RegExp(`^No faithfulness results for run ${runId} yet\\.`));
      assert.equal(await p.page.$$eval('.side-run .fidelity-grid svg', (els) => els.length), 0);
      assert.equal(await p.page.isHidden('.side-run .export-csv'), true);
      assert.equal(await p.page.isHidden('.side-twin'), true);
      assert.equal(await p.page.isHidden('.compare-twin'), true);
      assert.equal(await p.page.isHidden('.fidelity-numbers'), true);
      assert.equal(await p.page.textContent('.twin-note'), NO_TWIN);
      assert.equal(await p.page.textContent('.side-run .run-faithfulness'), 'Run faithfulness…');
      await p.page.click('.side-run .run-faithfulness');
      assert.deepEqual((await p.posted()).filter((m: WebviewToHost) => m.type === 'faithfulnessRun'), [{ type: 'faithfulnessRun', target: 'run' }]);
    });
  });

  it('while a measurement runs: its progress and count, and Cancel asks the host to stop it', async () => {
    const running: FaithfulnessSnapshot = { ...full, run: { runId, attention: 'learned', results: null, running: { done: 3, total: 10, seconds: 2 } } };
    await withPanel(open(running), async (p) => {
      assert.equal(await p.page.getAttribute('.side-run', 'data-state'), 'running');
      assert.equal(await p.page.$eval('.side-run .side-progress', (e) => (e as HTMLProgressElement).value), 0.3);
      assert.equal(await p.page.textContent('.side-run .side-status'), 'Measuring faithfulness: 3/10 nodes (30%), 2 s.');
      assert.equal(await p.page.isHidden('.side-run .run-faithfulness'), true);
      await p.page.click('.side-run .cancel-faithfulness');
      assert.deepEqual((await p.posted()).filter((m: WebviewToHost) => m.type === 'faithfulnessCancel'), [{ type: 'faithfulnessCancel', target: 'run' }]);
      // The next snapshot (the job ended with results) puts the charts back and the progress away.
      await p.post(full);
      await p.page.waitForSelector('.side-run[data-state="results"]');
      assert.equal(await p.page.isHidden('.side-run .side-progress'), true);
    });
  });

  it('the exports and Compare with the twin ask the host, naming the run as run or twin', async () => {
    await withPanel(open(full), async (p) => {
      await p.page.click('.side-run .export-csv');
      await p.page.click('.side-twin .export-json');
      await p.page.click('.compare-twin');
      const asked = (await p.posted()).filter((m: WebviewToHost) => m.type === 'faithfulnessExport' || m.type === 'compareWithTwin');
      assert.deepEqual(asked, [{ type: 'faithfulnessExport', target: 'run', format: 'csv' }, { type: 'faithfulnessExport', target: 'twin', format: 'json' }, { type: 'compareWithTwin' }]);
    });
  });

  it("a damaged file: the reader's line in place of the charts, as an error", async () => {
    const problem = '/w/runs/r/faithfulness.json is not valid JSON (at line 1, column 40: Unexpected end of JSON input): run gat faithfulness again to replace it';
    await withPanel(open({ ...full, run: { runId, attention: 'learned', results: null, problem } }), async (p) => {
      assert.equal(await p.page.textContent('.side-run .side-status.error'), problem);
      assert.equal(await p.page.textContent('.side-run .run-faithfulness'), 'Run faithfulness…');
    });
  });
});
