/**
 * One graph of an inductive dataset, cut out for a panel (src/gat/panels/graphScope.ts), and the
 * multi-label colourings the graph and embedding panels draw (src/figures/graphModel.ts).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Analysis } from '../../src/gat/artifacts/analysis';
import type { GraphDataset } from '../../src/gat/data/graph';
import { defaultGraphIndex, graphIndexOf, multiLabelView, scopeAnalysis, scopeDataset, scopeMessage } from '../../src/gat/panels/graphScope';
import { graphSnapshot } from '../../src/gat/panels/graphSnapshot';
import { categories, colourModes, datasetNodeId, nodeCategories, nodeF1, parseNodeQuery, tooltipText } from '../../src/figures/graphModel';
import { hasLabel, labelCount } from '../../src/protocol/graphScope';
import { fakePpiAnalysis, syntheticPpiDataset } from '../helpers/ppiPanels';
import { tempDir } from '../helpers/tempDir';

describe('graph scope: one graph of a PPI-format dataset', () => {
  let g: GraphDataset;
  let a: Analysis;
  before(async () => {
    g = await syntheticPpiDataset(tempDir());
    a = fakePpiAnalysis(g);
  });

  it('picks the first test graph by default and finds the graph of any node', () => {
    const i = defaultGraphIndex(g);
    assert.equal(g.graphs![i].split, 'test');
    for (const [k, p] of g.graphs!.entries()) {
      assert.equal(graphIndexOf(g, p.nodeStart), k);
      assert.equal(graphIndexOf(g, p.nodeStart + p.numNodes - 1), k);
    }
    assert.equal(graphIndexOf(g, g.numNodes), undefined);
    const scope = scopeMessage(g, 1, false)!;
    assert.equal(scope.nodeOffset, g.graphs![1].nodeStart);
    assert.equal(scope.graphs.length, g.graphs!.length);
    assert.equal(scopeMessage(g, null, true)!.nodeOffset, 0);
  });

  it('cuts out exactly the graph\'s nodes, edges, features, labels and analysis, renumbered from 0', () => {
    for (const part of g.graphs!) {
      const s = scopeDataset(g, part);
      const o = part.nodeStart;
      assert.equal(s.name, g.name, 'records keep the dataset name');
      assert.equal(s.numNodes, part.numNodes);
      // Every edge of the whole dataset whose ends lie in this graph, and no other.
      const expected: string[] = [];
      for (let e = 0; e < g.edgeSource.length; e++) if (g.edgeTarget[e] >= o && g.edgeTarget[e] < o + part.numNodes) expected.push(`${g.edgeSource[e] - o}>${g.edgeTarget[e] - o}`);
      assert.deepEqual(Array.from(s.edgeSource, (v, e) => `${v}>${s.edgeTarget[e]}`), expected);
      for (const v of s.edgeSource) assert.ok(v >= 0 && v < part.numNodes);
      for (let i = 0; i < part.numNodes; i++) {
        const row = (x: GraphDataset['features'], r: number): number[] => Array.from(x.values.subarray(x.indptr[r], x.indptr[r + 1]));
        assert.deepEqual(row(s.features, i), row(g.features, o + i), `features of node ${o + i}`);
      }
      assert.deepEqual(Array.from(s.multiLabels!), Array.from(g.multiLabels!.subarray(o * 121, (o + part.numNodes) * 121)));
      const splitNodes = s.split[part.split === 'val' ? 'val' : part.split];
      assert.equal(splitNodes.length, part.numNodes, 'every node in its graph\'s split');

      const sa = scopeAnalysis(a, part);
      assert.equal(sa.numNodes, part.numNodes);
      assert.deepEqual(Array.from(sa.outputs), Array.from(a.outputs.subarray(o * 121, (o + part.numNodes) * 121)));
      // Each local node's attention still sums to 1 per head: its whole neighbourhood came along.
      const sums = new Float64Array(part.numNodes * 6);
      sa.attention[1].forEach((w, k) => (sums[sa.edgeTarget[Math.floor(k / 6)] * 6 + (k % 6)] += w));
      for (const sum of sums) assert.ok(Math.abs(sum - 1) < 1e-5);
      assert.equal(sa.entropy[0].length, part.numNodes * 4);
    }
  });

  it('multi-label colourings: number of labels, one label true or predicted, per-node F1; ids shown as the dataset\'s', () => {
    const part = g.graphs![defaultGraphIndex(g)];
    const s = scopeDataset(g, part);
    const sa = scopeAnalysis(a, part);
    const layout = { x: new Float32Array(s.numNodes), y: new Float32Array(s.numNodes), u: new Int32Array(0), v: new Int32Array(0), thickness: new Float32Array(0) };
    const snap = { ...graphSnapshot(s, layout, { dataset: s.name }, { runId: 'r', predictions: sa.predictions, confidence: sa.confidence }), scope: scopeMessage(g, defaultGraphIndex(g), false), multiLabel: multiLabelView(s, sa) };
    assert.deepEqual(colourModes(snap), ['labelCount', 'label', 'predictedLabel', 'labelF1']);
    const m = snap.multiLabel!;
    for (let i = 0; i < s.numNodes; i++) {
      for (const k of [0, 7, 120]) {
        assert.equal(hasLabel(m.targets, 121, i, k), s.multiLabels![i * 121 + k] === 1);
        assert.equal(hasLabel(m.predicted!, 121, i, k), sa.outputs[i * 121 + k] > 0);
      }
      assert.equal(labelCount(m.targets, 121, i), s.multiLabels!.subarray(i * 121, (i + 1) * 121).reduce((x, y) => x + y, 0));
    }
    const label = 7;
    const has = nodeCategories(snap, 'label', label);
    for (let i = 0; i < s.numNodes; i++) assert.equal(has[i], s.multiLabels![i * 121 + label] ? 0 : 1);
    const legend = categories(snap, 'label', has, ['#a', '#b'], ['#yes', '#no'], label);
    assert.equal(legend[0].count + legend[1].count, s.numNodes);
    assert.deepEqual(legend.map((c) => c.colour), ['#yes', '#no']);
    const f1 = nodeF1(snap, 0);
    assert.equal(f1.tp + f1.fn, labelCount(m.targets, 121, 0));
    assert.ok(f1.f1 >= 0 && f1.f1 <= 1);
    const bins = nodeCategories(snap, 'labelF1');
    assert.equal(categories(snap, 'labelF1', bins, ['1', '2', '3', '4'], ['y', 'n']).reduce((n, c) => n + c.count, 0), s.numNodes);
    // Ids: the snapshot numbers nodes locally; people see (and type) the dataset's ids.
    assert.equal(datasetNodeId(snap, 3), part.nodeStart + 3);
    assert.match(tooltipText(snap, 3), new RegExp(`^node ${part.nodeStart + 3} · \\d+ labels · test graph ${part.id} · degree \\d+\\npredicted \\d+ labels: \\d+ right, \\d+ extra, \\d+ missed \\(F1 [\\d.]+\\)$`));
    assert.equal(parseNodeQuery(String(part.nodeStart + 3), s.numNodes, part.nodeStart), 3);
    assert.equal(parseNodeQuery('0', s.numNodes, part.nodeStart), part.nodeStart > 0 ? undefined : 0);
  });
});
