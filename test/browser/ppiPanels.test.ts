/**
 * The panels on one graph of a PPI-format dataset, in Chromium: the graph picker, the multi-label
 * colourings and label picker, the dataset's node ids in tooltips while messages carry the
 * snapshot's local ids (the host translates), and the entropy panel's "all graphs" choice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { entropySnapshotData } from '../../src/gat/analysis/panelData';
import type { Analysis } from '../../src/gat/artifacts/analysis';
import type { GraphDataset } from '../../src/gat/data/graph';
import { DEFAULT_LAYOUT } from '../../src/gat/layout/forceLayout';
import { runLayoutJob } from '../../src/gat/layout/layoutJob';
import { defaultGraphIndex, multiLabelView, scopeAnalysis, scopeDataset, scopeMessage } from '../../src/gat/panels/graphScope';
import { graphSnapshot } from '../../src/gat/panels/graphSnapshot';
import type { EntropySnapshot } from '../../src/protocol/analysisSnapshots';
import type { GraphSnapshot } from '../../src/protocol/webviewMessages';
import { buildGraphModel } from '../../src/figures/graphModel';
import { repoRoot } from '../helpers/paths';
import { fakePpiAnalysis, syntheticPpiDataset } from '../helpers/ppiPanels';
import { tempDir } from '../helpers/tempDir';
import { launchChromium, openPanel, withPanel, type BrowserHandle } from './harness';
import { nodeScreenPoint, openGraph } from './graphPage';

describe('panels on a PPI-format dataset in Chromium', () => {
  let chromium: BrowserHandle;
  let g: GraphDataset;
  let a: Analysis;
  let snap: GraphSnapshot;
  let index: number;
  before(async () => {
    g = await syntheticPpiDataset(tempDir(), 'small');
    a = fakePpiAnalysis(g);
    index = defaultGraphIndex(g);
    const part = g.graphs![index];
    const s = scopeDataset(g, part);
    const sa = scopeAnalysis(a, part);
    const layout = runLayoutJob({ numNodes: s.numNodes, edgeSource: s.edgeSource, edgeTarget: s.edgeTarget, ...DEFAULT_LAYOUT });
    snap = { ...graphSnapshot(s, layout, { dataset: g.name }, { runId: 'ppi-run', predictions: sa.predictions, confidence: sa.confidence }), scope: scopeMessage(g, index, false)!, multiLabel: multiLabelView(s, sa)! };
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  it('offers every graph grouped by split, shows the chosen one, and asks the host for another', async () => {
    await withPanel(openGraph(chromium, snap), async (p) => {
      const groups = await p.page.$$eval('.graph-picker optgroup', (els) => els.map((e) => [(e as HTMLOptGroupElement).label, e.children.length]));
      assert.deepEqual(groups, [['training graphs', 4], ['validation graphs', 2], ['test graphs', 2]]);
      assert.equal(await p.page.$eval('.graph-picker', (e) => (e as HTMLSelectElement).value), String(index));
      assert.match((await p.page.textContent('.status')) ?? '', new RegExp(`^${snap.labels.length} nodes · \\d+ edges of graph ${g.graphs![index].id}$`));
      await p.page.selectOption('.graph-picker', '1');
      assert.deepEqual((await p.posted()).filter((m) => m.type === 'selectGraph').at(-1), { type: 'selectGraph', index: 1 });
    });
  });

  it('colours by number of labels, then by one chosen label; the legend counts every node', async () => {
    await withPanel(openGraph(chromium, snap), async (p) => {
      const modes = await p.page.$$eval('.colour-mode option', (els) => els.map((e) => (e as HTMLOptionElement).value));
      assert.deepEqual(modes, ['labelCount', 'label', 'predictedLabel', 'labelF1']);
      assert.equal(await p.page.isHidden('.label-choice'), true);
      const total = async (): Promise<number> => (await p.page.$$eval('.legend-toggle', (els) => els.map((e) => Number(/\((\d+)\)$/.exec(e.textContent ?? '')?.[1])))).reduce((x, y) => x + y, 0);
      assert.equal(await total(), snap.labels.length);
      await p.page.selectOption('.colour-mode', 'label');
      assert.equal(await p.page.isVisible('.label-choice'), true);
      await p.page.selectOption('.label-choice', '7');
      const legend = await p.page.$$eval('.legend-toggle', (els) => els.map((e) => e.textContent));
      const has = Array.from({ length: snap.labels.length }, (_, i) => g.multiLabels![(g.graphs![index].nodeStart + i) * 121 + 7]).filter(Boolean).length;
      assert.deepEqual(legend, [`has label 7 (${has})`, `does not (${snap.labels.length - has})`]);
      assert.equal((await p.state<{ label: number; colourMode: string; graphIndex: number }>())?.label, 7);
    });
  });

  it('hovering shows the dataset\'s node id and the node\'s labels; a click sends the local id for the host to translate', async () => {
    await withPanel(openGraph(chromium, snap), async (p) => {
      const node = 5;
      const [x, y] = await nodeScreenPoint(p, snap, node);
      await p.page.mouse.move(x, y);
      await p.page.waitForSelector('.tooltip:not([hidden])');
      const id = g.graphs![index].nodeStart + node;
      assert.match((await p.page.textContent('.tooltip')) ?? '', new RegExp(`^node ${id} · \\d+ labels · test graph ${g.graphs![index].id} · degree \\d+\\npredicted \\d+ labels`));
      await p.page.mouse.click(x, y);
      assert.deepEqual((await p.posted()).filter((m) => m.type === 'openRecord').at(-1), { type: 'openRecord', dataset: g.name, node, runId: 'ppi-run' });
      // Search takes the dataset's id.
      await p.page.fill('.node-search', String(id));
      await p.page.press('.node-search', 'Enter');
      assert.equal(await p.page.textContent('.status'), `node ${id}`);
    });
  });

  it('finding a node in a graph of 24 zooms in without one disc filling the view', async () => {
    const tiny = await syntheticPpiDataset(tempDir(), 'tiny');
    const part = tiny.graphs![0];
    const s = scopeDataset(tiny, part);
    const layout = runLayoutJob({ numNodes: s.numNodes, edgeSource: s.edgeSource, edgeTarget: s.edgeTarget, ...DEFAULT_LAYOUT });
    const small = { ...graphSnapshot(s, layout, { dataset: tiny.name }), scope: scopeMessage(tiny, 0, false)! };
    await withPanel(openGraph(chromium, small), async (p) => {
      const model = buildGraphModel(small);
      const fit = (await p.state<{ transform: { k: number } }>())!.transform.k;
      await p.page.fill('.node-search', String(part.nodeStart + 5));
      await p.page.press('.node-search', 'Enter');
      const k = (await p.state<{ transform: { k: number } }>())!.transform.k;
      const median = Float32Array.from(model.r).sort()[model.r.length >> 1];
      assert.ok(k >= fit, `zoomed in (k ${k} from ${fit})`);
      // Nodes this few are already large at the fit; zooming must not make them larger than that or 12 px.
      assert.ok(k * median <= Math.max(12.5, fit * median * 1.001), `a median node is ${(k * median).toFixed(1)} px (${(fit * median).toFixed(1)} px at the fit)`);
      const viewport = await p.page.$eval('canvas.graph-canvas', (c) => c.clientHeight);
      assert.ok(k * model.r[5] < viewport / 4, `the found node is ${(k * model.r[5]).toFixed(1)} px in a ${viewport} px view`);
    });
  });

  it('the entropy panel offers all graphs at once, and lists a bin\'s nodes by their dataset ids', async () => {
    const part = g.graphs![index];
    const entropy: EntropySnapshot = { type: 'entropySnapshot', provenance: { dataset: g.name }, data: entropySnapshotData(g.name, 'ppi-run', scopeAnalysis(a, part), 1), layers: 2, scope: scopeMessage(g, index, true)! };
    await withPanel(openPanel(chromium, repoRoot, 'entropy'), async (p) => {
      await p.post(entropy);
      await p.page.waitForSelector('.entropy-grid[data-drawn="4"]');
      const options = await p.page.$$eval('.graph-picker option', (els) => els.map((e) => (e as HTMLOptionElement).value));
      assert.equal(options[0], 'all');
      assert.equal(options.length, 1 + g.graphs!.length);
      await p.page.click('.entropy-grid svg[data-head="0"] .learned-bars rect[data-count]:not([data-count="0"])');
      const first = await p.page.textContent('.bin-nodes .bin-node a');
      const id = Number(/node (\d+)/.exec(first ?? '')?.[1]);
      assert.ok(id >= part.nodeStart && id < part.nodeStart + part.numNodes, `node ${id} is one of graph ${part.id}'s`);
      await p.page.selectOption('.graph-picker', 'all');
      assert.deepEqual((await p.posted()).filter((m) => m.type === 'selectGraph').at(-1), { type: 'selectGraph', index: null });
    });
  });
});
