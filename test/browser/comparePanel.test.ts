/**
 * The Compare Runs app in Chromium: the results table with differing rows marked, the
 * configuration differences, the agreement bar in proportion, both runs' curves overlaid in
 * theme colours, and Swap asking the host to exchange A and B.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompareSnapshot } from '../../src/protocol/compareSnapshot';
import type { EpochMetrics } from '../../src/protocol/trainingEvents';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, withPanel, type BrowserHandle } from './harness';

const curve = (n: number, shift: number): EpochMetrics[] => Array.from({ length: n }, (_, e) => ({ epoch: e, trainLoss: 2 - e / n + shift, trainAcc: 0.3 + (0.5 * e) / n, valLoss: 2.1 - e / n + shift, valAcc: 0.25 + (0.55 * e) / n - shift, ms: 2 }));

const SNAPSHOT: CompareSnapshot = {
  type: 'compareSnapshot',
  a: { runId: 'run-learned', dataset: 'cora', epochs: curve(120, 0), runJson: '/w/runs/run-learned/run.json' },
  b: { runId: 'run-uniform', dataset: 'cora', epochs: curve(90, 0.05), runJson: '/w/runs/run-uniform/run.json' },
  metric: 'accuracy',
  rows: [
    { label: 'dataset', a: 'cora', b: 'cora', differs: false },
    { label: 'test accuracy', a: '83.40 %', b: '82.70 %', differs: true },
    { label: 'epochs', a: '120', b: '90', differs: true },
  ],
  config: [{ key: 'attention', a: '"learned"', b: '"uniform"' }],
  agreement: { unit: 'nodes', counts: [800, 34, 27, 139] },
};

describe('Compare Runs panel in Chromium', () => {
  let chromium: BrowserHandle;
  before(async () => {
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  it('shows the results side by side, marks what differs, and lists the configuration differences', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'compare'), async (p) => {
      await p.post(SNAPSHOT);
      await p.page.waitForSelector('body[data-compare-ready="true"]');
      const rows = await p.page.$$eval('.compare-table tbody tr', (trs) => trs.map((tr) => [tr.className, ...Array.from(tr.children, (c) => c.textContent)]));
      assert.deepEqual(rows, [
        ['', 'dataset', 'cora', 'cora'],
        ['differs', 'test accuracy', '83.40 %', '82.70 %'],
        ['differs', 'epochs', '120', '90'],
      ]);
      assert.deepEqual(await p.page.$$eval('.config-item', (els) => els.map((e) => e.textContent)), ['attention: "learned" → "uniform"']);
      assert.equal(await p.page.textContent('.run-label.run-a a'), 'run-learned');
      await p.page.click('.run-label.run-b a');
      assert.deepEqual((await p.posted()).filter((m) => m.type === 'openFile'), [{ type: 'openFile', path: '/w/runs/run-uniform/run.json' }]);
      assert.deepEqual(await p.state(), { runIds: ['run-learned', 'run-uniform'] });
    });
  });

  it('draws the agreement bar in proportion to the counts, with a legend', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'compare'), async (p) => {
      await p.post(SNAPSHOT);
      await p.page.waitForSelector('body[data-compare-ready="true"]');
      assert.equal(await p.page.textContent('.agreement-title'), 'Agreement on the test split (1,000 nodes)');
      const widths = await p.page.$$eval('.agreement-segment', (els) => els.map((e) => e.getBoundingClientRect().width));
      const bar = await p.page.$eval('.agreement-bar', (e) => e.clientWidth);
      [800, 34, 27, 139].forEach((count, i) => assert.ok(Math.abs(widths[i] - (bar * count) / 1000) <= 1.5, `segment ${i}: ${widths[i]} px of ${bar}`));
      assert.deepEqual(await p.page.$$eval('.agreement-item', (els) => els.map((e) => e.textContent)), ['both right: 800 (80.0 %)', 'only A right: 34 (3.4 %)', 'only B right: 27 (2.7 %)', 'both wrong: 139 (13.9 %)']);
      await p.post({ ...SNAPSHOT, agreement: { unavailable: 'run run-uniform has no analysis (it did not complete)' } });
      await p.page.waitForSelector('.agreement-unavailable');
      assert.equal(await p.page.$('.agreement-bar'), null);
    });
  });

  it('overlays both runs\' curves in distinct theme colours, training curves dashed, in light and dark', async () => {
    for (const theme of ['vscode-dark', 'vscode-light'] as const) {
      await withPanel(openPanel(chromium, repoRoot, 'compare', { theme }), async (p) => {
        await p.post(SNAPSHOT);
        await p.page.waitForSelector('body[data-compare-ready="true"]');
        for (const chart of ['.loss-chart', '.acc-chart']) {
          const series = await p.page.$$eval(`${chart} path.series`, (ps) => ps.map((e) => ({ cls: e.getAttribute('class'), stroke: getComputedStyle(e).stroke, dash: getComputedStyle(e).strokeDasharray, length: (e as SVGPathElement).getTotalLength() })));
          assert.equal(series.length, 4, chart);
          const [a, b, aTrain] = series;
          assert.notEqual(a.stroke, b.stroke, `${theme}: A and B differ in colour`);
          assert.equal(aTrain.stroke, a.stroke, `${theme}: A's training curve has A's colour`);
          assert.notEqual(aTrain.dash, 'none', 'training curves are dashed');
          assert.ok(series.every((s) => s.length > 50), `${chart}: every curve is drawn`);
        }
        assert.equal(await p.page.textContent('.acc-chart .chart-title'), 'Accuracy');
      });
    }
  });

  it('Swap asks the host to exchange A and B; "Show agreement in graph" is offered node by node only', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'compare'), async (p) => {
      await p.post(SNAPSHOT);
      await p.page.waitForSelector('body[data-compare-ready="true"]');
      await p.page.click('.swap-button');
      assert.deepEqual((await p.posted()).filter((m) => m.type === 'swapRuns'), [{ type: 'swapRuns' }]);
      await p.page.click('.agreement-graph-button');
      assert.deepEqual((await p.posted()).filter((m) => m.type === 'showAgreementGraph'), [{ type: 'showAgreementGraph' }]);
      await p.post({ ...SNAPSHOT, agreement: { unit: 'node-label pairs', counts: [10, 1, 1, 2] } });
      await p.page.waitForFunction(() => (document.querySelector('.agreement-graph-button') as HTMLElement).hidden);
      await p.post({ ...SNAPSHOT, agreement: { unavailable: 'different datasets' } });
      assert.equal(await p.page.isVisible('.agreement-graph-button'), false);
    });
  });
});
