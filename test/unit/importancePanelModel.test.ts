/**
 * What the Computation panel draws of edge importance, from EdgeImportance alone: the edges ranked by
 * a chosen method (ties and damaged scores kept in order), the top table with every method's score,
 * each method's τ against attention or the reason it has none (never NaN), and the receptive-field
 * figure (the node in the centre, one ring per hop, edges by score, the top ones numbered and
 * focusable). Hand-made fields pin the geometry; real answers of a learned and a uniform-attention
 * Cora run (gat's own engine) check the same on data the panel gets.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { formatScore, formatSeconds, formatTau, methodsOf, methodSummaries, rankUnits, topEdges } from '../../src/figures/importanceModel';
import { fieldFigure, fieldLayout } from '../../src/figures/receptiveFieldFigure';
import { IMPORTANCE_METHODS, type EdgeImportance, type MethodScores } from '../../src/protocol/explanation';
import { trainCora } from '../helpers/trainedCora';

/**
 * Node 0's field in a 2-layer model: neighbours 1, 2, 3 (hop 1); 4 behind 1, 5 behind 2 and 3, and
 * the pair 1–2 (hop 2). Scores per unit, in this order: 0–1, 0–2, 0–3, 1–4, 2–5, 3–5, 1–2.
 */
function field(scores: Partial<Record<MethodScores['method'], number[]>>, extra: Partial<EdgeImportance> = {}): EdgeImportance {
  const units = [
    { source: 1, target: 0, hop: 1 },
    { source: 2, target: 0, hop: 1 },
    { source: 3, target: 0, hop: 1 },
    { source: 4, target: 1, hop: 2 },
    { source: 5, target: 2, hop: 2 },
    { source: 5, target: 3, hop: 2 },
    { source: 1, target: 2, hop: 2 },
  ];
  const methods = Object.entries(scores).map(([method, s]): MethodScores => ({ method: method as MethodScores['method'], scores: s, seconds: 0.25 }));
  return { format: 'gat-explorer/edge-importance/1', node: 0, objective: { index: 2, name: 'Theory', probability: 0.6, kind: 'softmax' }, directed: false, units, methods, agreement: [], ...extra };
}

const attention = [0.5, 0.3, 0.2, 0.1, 0.05, 0.05, 0.01];
const loo = [0.02, -0.01, 0.04, 0.001, 0.003, 0.003, Number.NaN];

describe('edge importance: ranking and the top table', () => {
  it('ranks units by score, highest first; ties keep the engine order; a score that is not a number goes last', () => {
    const f = field({ attention, 'leave-one-out': loo });
    assert.deepEqual(rankUnits(f, 'attention'), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(rankUnits(f, 'leave-one-out'), [2, 0, 4, 5, 3, 1, 6]);
    assert.deepEqual(rankUnits(f, 'saliency'), [], 'a method not computed ranks nothing');
  });

  it('lists the top k by the chosen method with every method score beside, in the panel order of methods', () => {
    const f = field({ 'leave-one-out': loo, attention });
    const t = topEdges(f, 'leave-one-out', 3);
    assert.deepEqual(t.methods, ['attention', 'leave-one-out'], 'IMPORTANCE_METHODS order, whatever the answer order');
    assert.equal(t.by, 'leave-one-out');
    assert.equal(t.total, 7);
    assert.equal(t.arrow, '—');
    assert.deepEqual(t.rows, [
      { rank: 1, unit: 2, source: 3, target: 0, hop: 1, scores: [0.2, 0.04] },
      { rank: 2, unit: 0, source: 1, target: 0, hop: 1, scores: [0.5, 0.02] },
      { rank: 3, unit: 4, source: 5, target: 2, hop: 2, scores: [0.05, 0.003] },
    ]);
    assert.deepEqual(topEdges(f, 'leave-one-out', 10).rows.at(-1)!.scores, [0.01, null], 'NaN is no score');
    assert.equal(topEdges(f, 'gnnexplainer', 2).by, 'attention', 'a method the answer lacks: its first method');
    assert.equal(topEdges(field({ attention }, { directed: true }), 'attention').arrow, '→');
  });

  it("gives each method's τ against attention, or the engine's reason, and never shows NaN", () => {
    const f = field(
      { attention, 'leave-one-out': loo, saliency: attention, 'integrated-gradients': attention, gnnexplainer: attention },
      {
        agreement: [
          { method: 'leave-one-out', tau: -0.129 },
          { method: 'saliency', tau: null, reason: 'uniform attention: every neighbour of a node weighs the same, so attention ranks them all equally' },
          { method: 'integrated-gradients', tau: Number.NaN },
        ],
      },
    );
    const ig = f.methods.find((m) => m.method === 'integrated-gradients') as { completenessError?: number; settings?: Record<string, number | string> };
    ig.completenessError = 1.2e-7;
    ig.settings = { steps: 50, rule: 'Gauss–Legendre' };
    const rows = methodSummaries(f);
    assert.deepEqual(rows.map((r) => [r.method, r.tau, r.agreement]), [
      ['attention', null, 'reference'],
      ['leave-one-out', -0.129, '−0.129'],
      ['saliency', null, 'uniform attention: every neighbour of a node weighs the same, so attention ranks them all equally'],
      ['integrated-gradients', null, 'not compared'],
      ['gnnexplainer', null, 'not compared'],
    ]);
    assert.deepEqual(rows[3].notes, ['50 steps', 'completeness error 1.20e-7']);
    assert.equal(rows[0].seconds, 0.25);
    assert.ok(!JSON.stringify(rows).includes('NaN'));
  });

  it('formats scores, τ and times for the table', () => {
    assert.deepEqual([0, 0.5, -0.0123456, 1.2e-7, -3e5, null].map(formatScore), ['0', '0.5000', '−0.01235', '1.20e-7', '−3.00e+5', '—']);
    assert.deepEqual([0.7388, -0.1292, 0].map(formatTau), ['+0.739', '−0.129', '+0.000']);
    assert.deepEqual([0.0012, 0.24, 1.5, null].map(formatSeconds), ['1 ms', '0.24 s', '1.50 s', '—']);
  });
});

describe('edge importance: the receptive-field figure', () => {
  const f = field({ attention, 'leave-one-out': loo });
  const size = 400;
  const c = size / 2;
  const polar = (n: { x: number; y: number }): { r: number; a: number } => ({ r: Math.hypot(n.x - c, n.y - c), a: Math.atan2(n.y - c, n.x - c) });

  it('puts the node in the centre, its neighbours on one ring and the nodes two hops out on a ring outside it', () => {
    const l = fieldLayout(f, 'attention', { size });
    assert.equal(l.rings, 2);
    const at = new Map(l.nodes.map((n) => [n.id, n]));
    assert.deepEqual([at.get(0)!.x, at.get(0)!.y, at.get(0)!.ring], [c, c, 0]);
    const r1 = [1, 2, 3].map((id) => polar(at.get(id)!).r);
    const r2 = [4, 5].map((id) => polar(at.get(id)!).r);
    for (const ring of [r1, r2]) for (const r of ring) assert.ok(Math.abs(r - ring[0]) < 0.2, `one radius per ring: ${ring.join(', ')}`);
    assert.ok(r2[0] > r1[0] + 50, `the outer ring (${r2[0]}) lies well outside the inner one (${r1[0]})`);
    assert.ok(r2[0] <= c, 'inside the figure');
    // node 5 hangs between its two inner neighbours 2 and 3; node 4 nearer to 1 than to 3
    const angle = (id: number): number => polar(at.get(id)!).a;
    const gap = (a: number, b: number): number => Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b)));
    assert.ok(gap(angle(5), angle(2)) < gap(angle(2), angle(3)) && gap(angle(5), angle(3)) < gap(angle(2), angle(3)), 'node 5 between 2 and 3');
    assert.ok(gap(angle(4), angle(1)) < gap(angle(4), angle(3)), 'node 4 near node 1');
  });

  it('draws every edge by the chosen method: width and opacity by |score| / the largest, the top k ranked and last', () => {
    const l = fieldLayout(f, 'leave-one-out', { size, top: 3 });
    assert.equal(l.edges.length, 7);
    assert.deepEqual(l.edges.slice(-3).map((e) => [e.unit, e.rank]), [[4, 3], [0, 2], [2, 1]], 'rank 1 drawn last, on top');
    const by = new Map(l.edges.map((e) => [e.unit, e]));
    assert.equal(by.get(2)!.strength, 1);
    assert.equal(by.get(1)!.strength, 0.25, 'a negative score: |−0.01| / 0.04');
    assert.equal(by.get(6)!.strength, 0, 'no score: no strength');
    assert.deepEqual([by.get(0)!.far, by.get(3)!.far, by.get(6)!.far], [1, 4, 1], 'the end away from the centre (the source of a pair on one ring)');
    const same = fieldLayout(f, 'attention', { size, top: 3 });
    assert.deepEqual(same.nodes, l.nodes, 'another method moves no node');
  });

  it('keeps a big field to the strongest edges, the top ones always among them', () => {
    const l = fieldLayout(f, 'leave-one-out', { size, top: 2, maxEdges: 4 });
    assert.deepEqual(l.edges.map((e) => e.unit).sort(), [0, 1, 2, 4].sort(), 'the 4 largest |scores|: 0.04, 0.02, 0.01 and the next');
    assert.equal(l.total, 7);
  });

  it('marks the top edges up as focusable buttons named for a screen reader; plain edges and nodes carry their node', () => {
    const svg = fieldFigure(fieldLayout(f, 'leave-one-out', { size, top: 3 }), false);
    const tops = [...svg.matchAll(/<g class="field-edge top[^"]*" tabindex="0" role="button" data-rank="(\d+)" data-unit="(\d+)" data-node="(\d+)"[^>]*aria-label="([^"]+)"/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3]), m[4]]);
    assert.deepEqual(tops, [
      [3, 4, 5, "3. edge 5 — 2 (2 hops), leave-one-out 0.003000: opens node 5's record"],
      [2, 0, 1, "2. edge 1 — 0 (1 hop), leave-one-out 0.02000: opens node 1's record"],
      [1, 2, 3, "1. edge 3 — 0 (1 hop), leave-one-out 0.04000: opens node 3's record"],
    ]);
    assert.equal((svg.match(/<line class="field-edge edge-line[^"]*" data-unit/g) ?? []).length, 4, 'the other edges, one line each');
    assert.match(svg, /<line class="field-edge edge-line negative" data-unit="1" data-node="2" data-score="-0.01"[^>]*stroke-dasharray="3 2"/, 'against the prediction: dashed');
    assert.match(svg, /data-unit="6" data-node="1" data-score=""/, 'no score: an empty attribute, not NaN');
    assert.deepEqual([...svg.matchAll(/<circle class="field-node ring-(\d)"[^>]*data-node="(\d+)"/g)].map((m) => Number(m[2])).sort(), [0, 1, 2, 3, 4, 5]);
    assert.match(svg, /^<svg class="field-figure" data-method="leave-one-out" data-drawn="7" [^>]*role="group" aria-label="Receptive field of node 0: 7 edges, drawn by leave-one-out/);
    assert.ok(!svg.includes('NaN'));
  });
});

describe('edge importance from a trained Cora run and its uniform-attention twin (the engine the panel asks)', () => {
  let learned: EdgeImportance;
  let uniform: EdgeImportance;

  before(async () => {
    const all = { edits: { edits: [], directed: false }, methods: [...IMPORTANCE_METHODS] };
    learned = (await explainRunNode((await trainCora(30, 'wasm')).runDir, 1358, all)).importance!;
    uniform = (await explainRunNode((await trainCora(30, 'wasm', { args: ['--attention', 'uniform'] })).runDir, 1358, all)).importance!;
  });

  it("node 1358's table: the top 15 by each method follow that method's scores; τ as the engine computed it", () => {
    assert.deepEqual(methodsOf(learned), [...IMPORTANCE_METHODS]);
    for (const m of IMPORTANCE_METHODS) {
      const t = topEdges(learned, m);
      assert.equal(t.rows.length, 15);
      const k = t.methods.indexOf(m);
      const col = t.rows.map((r) => r.scores[k]!);
      assert.deepEqual(col, [...col].sort((a, b) => b - a), `${m}: descending`);
      const max = Math.max(...learned.methods.find((s) => s.method === m)!.scores);
      assert.equal(col[0], max, `${m}: the largest score first`);
    }
    for (const s of methodSummaries(learned).slice(1)) {
      const tau = learned.agreement.find((a) => a.method === s.method)!.tau!;
      assert.equal(s.tau, tau);
      assert.equal(s.agreement, formatTau(tau));
    }
    assert.match(methodSummaries(learned).find((s) => s.method === 'integrated-gradients')!.notes.join(), /completeness error \d\.\d\de-\d+/);
    const l = fieldLayout(learned, 'leave-one-out');
    assert.equal(l.nodes.filter((n) => n.ring === 1).length, 168, "the hub's 168 neighbours on the inner ring");
    assert.equal(l.edges.length, learned.units.length, 'all of them drawn (under the cut)');
  });

  it('a uniform-attention run: every τ is null with the reason, the panel says so, and nothing reads NaN', () => {
    const rows = methodSummaries(uniform);
    assert.deepEqual(rows[0].notes.slice(0, 1), ['uniform attention: every neighbour of a node weighs the same']);
    for (const r of rows.slice(1)) {
      assert.equal(r.tau, null, r.method);
      assert.match(r.agreement, /^uniform attention: every neighbour of a node weighs the same/, r.method);
    }
    const svg = fieldFigure(fieldLayout(uniform, 'attention'), uniform.directed);
    assert.ok(!JSON.stringify(rows).includes('NaN') && !svg.includes('NaN'));
  });
});
