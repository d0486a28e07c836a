import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attentionSnapshotData, entropySnapshotData } from '../../src/gat/analysis/panelData';
import { computeAnalysis } from '../../src/gat/artifacts/analysis';
import { collectProvenance } from '../../src/gat/artifacts/provenance';
import type { AttentionNeighbour } from '../../src/protocol/analysisSnapshots';
import { attentionDistanceLayout, attentionTooltip, edgeWidth, radialLayout, uniformWeight } from '../../src/figures/attentionModel';
import { entropyHistogram, entropySummary, summaryText } from '../../src/figures/entropyModel';

const neighbours: AttentionNeighbour[] = [
  { node: 7, label: 2, isSelf: true, weights: [0.2, 0.25] },
  { node: 3, label: 1, isSelf: false, weights: [0.1, 0.25] },
  { node: 9, label: 0, isSelf: false, weights: [0.3, 0.25] },
  { node: 4, label: 1, isSelf: false, weights: [0.4, 0.25] },
];

describe('attention view-model', () => {
  it('puts the focus node in the centre and neighbours on the unit circle, grouped by class then weight', () => {
    const placed = radialLayout(neighbours, 0);
    assert.deepEqual(placed.map((p) => p.node), [7, 9, 4, 3]);
    assert.deepEqual([placed[0].x, placed[0].y], [0, 0]);
    for (const p of placed.slice(1)) assert.ok(Math.abs(Math.hypot(p.x, p.y) - 1) < 1e-12);
    const angles = placed.slice(1).map((p) => Math.atan2(p.y, p.x));
    assert.equal(new Set(angles.map((a) => a.toFixed(6))).size, 3, 'distinct angles');
  });

  it('pulls strongly attended neighbours closer in the distance layout', () => {
    const placed = attentionDistanceLayout(neighbours, 0);
    const r = (node: number): number => {
      const p = placed.find((q) => q.node === node)!;
      return Math.hypot(p.x, p.y);
    };
    assert.ok(r(4) < r(9) && r(9) < r(3));
    assert.ok(Math.abs(r(4) - 0.35) < 1e-12);
  });

  it('uses 1/(degree+1) as the uniform baseline and maps relative weights so uniform edges are equal', () => {
    assert.equal(uniformWeight({ neighbours }), 0.25);
    const widths = neighbours.map((n) => edgeWidth(n.weights[1], 0.25, 'relative'));
    assert.equal(new Set(widths).size, 1, 'uniform attention draws equal widths');
    assert.ok(edgeWidth(0.5, 0.25, 'relative') > edgeWidth(0.25, 0.25, 'relative'));
    assert.ok(edgeWidth(0.4, 0.25, 'absolute') > edgeWidth(0.1, 0.25, 'absolute'));
  });

  it('writes the exact weight and the uniform baseline in the tooltip', () => {
    assert.equal(attentionTooltip(neighbours[3], 0, 0.25, ['A', 'B', 'C']), 'node 4 · B\nattention 0.4000 · uniform 0.2500 · 1.60× uniform');
    assert.match(attentionTooltip(neighbours[0], 0, 0.25, ['A', 'B', 'C']), /node 7 \(self-loop\) · C/);
  });
});

describe('entropy view-model', () => {
  it('bins learned and uniform entropies over one shared range and keeps each bin\'s nodes', () => {
    const learned = [0, 0.5, 1, 1, 2];
    const uniform = [0.1, 0.6, 1.1, 1.1, 2];
    const h = entropyHistogram(learned, uniform, 4);
    assert.deepEqual(h.edges, [0, 0.5, 1, 1.5, 2]);
    assert.deepEqual(h.learned, [1, 1, 2, 1]);
    assert.deepEqual(h.uniform, [1, 1, 2, 1]);
    assert.deepEqual(h.learnedNodes, [[0], [1], [2, 3], [4]]);
    assert.equal(h.learned.reduce((a, b) => a + b, 0), learned.length);
  });

  it('rejects series of different lengths', () => {
    assert.throws(() => entropyHistogram([1], [1, 2]), /learned has 1 nodes but uniform has 2/);
  });

  it('summarises identical distributions as coinciding, and peaked attention as more peaked', () => {
    const uniform = [Math.log(2), Math.log(3), Math.log(5), Math.log(169)];
    const same = entropySummary(uniform, uniform);
    assert.equal(same.earthMovers, 0);
    assert.equal(same.withinTolerance, 1);
    assert.match(summaryText(same), /nearly coincide/);
    const peaked = entropySummary(uniform.map((u) => u / 2), uniform);
    assert.ok(peaked.meanGap > 0);
    assert.match(summaryText(peaked), /more peaked than uniform/);
  });
});

describe('panel data from an analysis artifact', () => {
  // A 3-node path 0–1–2 with self-loops; layer 1 has 2 heads, layer 2 one.
  const src = Int32Array.of(0, 1, 1, 0, 2, 1, 2);
  const trg = Int32Array.of(0, 0, 1, 1, 1, 2, 2);
  // Attention per edge (head-minor); softmax groups by target: node 1 has edges 2, 3, 4.
  const att1 = Float32Array.of(0.5, 0.5, 0.5, 0.5, 0.2, 0.5, 0.3, 0.25, 0.5, 0.25, 0.7, 0.4, 0.3, 0.6);
  const att2 = Float32Array.of(0.5, 0.5, 0.4, 0.3, 0.3, 0.5, 0.5);
  const analysis = computeAnalysis({
    logits: Float32Array.of(1, 0, 0, 1, 0, 1),
    edgeSource: src,
    edgeTarget: trg,
    attention: [att1, att2],
    heads: [2, 1],
    labels: Int32Array.of(0, 1, 1),
    split: { train: Int32Array.of(0), val: Int32Array.of(1), test: Int32Array.of(2) },
    classNames: ['A', 'B'],
    provenance: collectProvenance({ dataset: 'tiny', datasetChecksums: {}, config: {}, seed: 1, backend: 'cpu' }),
  });

  it('gives the attention node 1 pays each neighbour, per head, with its self-loop', () => {
    const s = attentionSnapshotData('tiny', 'r', analysis, 1, 1);
    assert.equal(s.heads, 2);
    const byNode = new Map(s.neighbours.map((n) => [n.node, n]));
    assert.deepEqual([...byNode.keys()].sort(), [0, 1, 2]);
    assert.ok(byNode.get(1)!.isSelf);
    assert.deepEqual(byNode.get(0)!.weights.map((w) => +w.toFixed(4)), [0.3, 0.25]);
    assert.deepEqual(byNode.get(1)!.weights.map((w) => +w.toFixed(4)), [0.2, 0.5]);
    for (let h = 0; h < 2; h++) assert.ok(Math.abs(s.neighbours.reduce((a, n) => a + n.weights[h], 0) - 1) < 1e-6, 'sums to 1 per head');
  });

  it('gives each head\'s per-node entropy next to log(degree + 1)', () => {
    const e = entropySnapshotData('tiny', 'r', analysis, 1);
    assert.equal(e.learned.length, 2);
    assert.ok(Math.abs(e.uniform[1] - Math.log(3)) < 1e-6);
    assert.ok(e.learned[1][1] < Math.log(3), 'head 1 of node 1 (0.5/0.3/0.25…) is less spread than uniform');
    const expected = -(0.2 * Math.log(0.2) + 0.5 * Math.log(0.5) + 0.3 * Math.log(0.3));
    assert.ok(Math.abs(e.learned[0][1] - expected) < 1e-5);
  });

  it('names the valid range for an unknown node or layer', () => {
    assert.throws(() => attentionSnapshotData('tiny', 'r', analysis, 3, 1), /node ids are 0 to 2/);
    assert.throws(() => entropySnapshotData('tiny', 'r', analysis, 3), /layers 1 to 2/);
  });
});
