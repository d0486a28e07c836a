import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatStaticAttention, staticAttention, TAU_BINS } from '../../src/gat/analysis/staticAttention';
import type { StaticAttentionOfModel } from '../../src/gat/analysis/staticAttentionOfModel';
import { readModelBinary } from '../../src/gat/artifacts/checkpoint';
import { loadDataset } from '../../src/gat/data/loadDataset';
import { neighbourOffsets } from '../../src/gat/data/graph';
import { runGat } from '../helpers/cli';
import { trainCora } from '../helpers/trainedCora';

/**
 * Four nodes, edges grouped by target (self-loops in place): 0 ← {0, 1, 2, 3}, 1 ← {1, 2},
 * 2 ← {2} (one edge: not ranked), 3 ← {0, 3}.
 */
const EDGES = { source: Int32Array.of(0, 1, 2, 3, 1, 2, 2, 0, 3), target: Int32Array.of(0, 0, 0, 0, 1, 1, 2, 3, 3) };
/** Node 0 ranks as the global score (τ = 1); node 1 against it (τ = −1); node 3 ties its two logits (no τ). */
const LOGITS = Float64Array.of(0, 3, 2, 1, 1, 5, 0, 7, 7);
const GLOBAL = Float64Array.of(0, 3, 2, 1);
const UNIFORM = Float32Array.from([4, 2, 1, 2], (c) => Math.log(c));

describe('static attention: query-dependence, hubs and collapse of one head', () => {
  it('τ per node against the global ranking, its histogram, the top neighbour and the hubs', () => {
    const entropy = Float32Array.of(0.05 * Math.log(4), Math.log(2), 0, 0.5 * Math.log(2));
    const r = staticAttention('gat', EDGES, 4, UNIFORM, [{ heads: 1, logits: LOGITS, sourceScores: GLOBAL, entropy }]);
    assert.equal(r.heads.length, 1);
    const h = r.heads[0];
    assert.equal(h.nodes, 3, 'node 2 has one incoming edge: nothing to rank');
    const histogram = new Array<number>(TAU_BINS).fill(0);
    histogram[0] = 1; // τ = −1 (node 1)
    histogram[TAU_BINS - 1] = 1; // τ = 1 (node 0), in the last, closed bin
    assert.deepEqual(h.tau, { histogram, undefined: 1, exactlyOne: 1, mean: 0, min: -1 });
    // Node 0's top (1) is its best; node 1's top (2) is not (1 is); node 3's first of two tied logits (0) is not (3 is).
    assert.equal(h.topIsGlobalBest, 1 / 3);
    assert.deepEqual(h.hubs, [{ node: 0, count: 1 }, { node: 1, count: 1 }, { node: 2, count: 1 }]);
    assert.deepEqual(h.collapse, { nearOneHot: 1 / 3, nearUniform: 1 / 3, flag: null });
  });

  it('a head is flagged when more than 90 % of its nodes are near uniform, or near one-hot', () => {
    const uniform = staticAttention('gat', EDGES, 4, UNIFORM, [{ heads: 1, logits: LOGITS, sourceScores: GLOBAL, entropy: UNIFORM }]);
    assert.deepEqual(uniform.heads[0].collapse, { nearOneHot: 0, nearUniform: 1, flag: 'uniform' });
    const oneHot = staticAttention('gat', EDGES, 4, UNIFORM, [{ heads: 1, logits: LOGITS, sourceScores: GLOBAL, entropy: new Float32Array(4) }]);
    assert.deepEqual(oneHot.heads[0].collapse, { nearOneHot: 1, nearUniform: 0, flag: 'one-hot' });
    assert.match(formatStaticAttention(oneHot), /layer 0 head 0: 3 nodes, τ mean 0\.000, min -1\.000, τ = 1 for 50\.0%; top = global best 33\.3%; hubs 0 \(×1\), 1 \(×1\), 2 \(×1\); COLLAPSED: one-hot \(100\.0% of nodes\)/);
  });

  it("GATv2's global key score is the mean logit a key receives; heads of a layer are read head-minor", () => {
    // Two heads: head 0 the logits above, head 1 their negation.
    const logits = new Float64Array(2 * LOGITS.length);
    LOGITS.forEach((v, e) => {
      logits[2 * e] = v;
      logits[2 * e + 1] = -v;
    });
    const r = staticAttention('gatv2', EDGES, 4, UNIFORM, [{ heads: 2, logits, sourceScores: null, entropy: new Float32Array(8) }]);
    assert.deepEqual(r.heads.map((h) => [h.layer, h.head]), [[0, 0], [0, 1]]);
    // Keys' mean received logit (head 0): 0 → (0 + 7) / 2, 1 → (3 + 1) / 2, 2 → (2 + 5 + 0) / 3, 3 → (1 + 7) / 2.
    // Node 0 ranks [0, 3, 2, 1] against [3.5, 2, 2.33, 4]: concordant 1 of 6 pairs, so τ = (1 − 5) / 6.
    // Node 1 ranks [1, 5] against [2, 2.33]: τ = 1. Node 3 ties: no τ.
    const h0 = r.heads[0];
    assert.equal(h0.tau.undefined, 1);
    assert.equal(h0.tau.exactlyOne, 1);
    assert.ok(Math.abs(h0.tau.min! - -4 / 6) < 1e-12, String(h0.tau.min));
    assert.equal(h0.topIsGlobalBest, 1 / 3);
    assert.match(r.globalScore, /mean logit/);
  });
});

describe('static attention of a trained GAT through the real CLI (gat analyze)', () => {
  it('every head of a Cora run ranks by one global score: τ = 1 wherever defined, the top is the best, and the hubs are the argmax of a_src·W h', async () => {
    const t = await trainCora(20, 'wasm', { args: ['--threads', '1'] });
    const binaries = path.join(t.out, 'models', 'binaries');
    const binary = path.join(binaries, readdirSync(binaries)[0]);
    const r = await runGat(['analyze', '--model', binary, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = (JSON.parse(r.stdout) as { staticAttention: StaticAttentionOfModel }).staticAttention;
    assert.equal(s.model, 'gat');
    assert.equal(s.heads.length, 9, '8 hidden heads and 1 output head');
    for (const worst of s.attentionCheck) assert.ok(worst < 1e-5, `recomputed attention differs by ${worst}`);
    for (const h of s.heads) {
      assert.equal(h.nodes, 2708, 'every Cora node has a neighbour besides itself');
      assert.equal(h.tau.exactlyOne, h.nodes - h.tau.undefined, `layer ${h.layer} head ${h.head}: τ = 1 wherever defined`);
      assert.equal(h.tau.histogram[TAU_BINS - 1], h.tau.exactlyOne);
      assert.equal(h.topIsGlobalBest, 1);
    }

    // The hubs of layer 0, independently: s_j = Σ_c a_src[h, c] Σ_f W[h·FOUT + c, f] x_j[f] in float64
    // from the saved tensors and Cora's features, then each node's argmax over its neighbours and itself.
    const { params } = await readModelBinary(binary);
    const tensor = (name: string): Float32Array => params.find((p) => p.name === name)!.data as Float32Array;
    const w = tensor('gat_net.0.linear_proj.weight'); // (NH·FOUT, FIN)
    const a = tensor('gat_net.0.scoring_fn_source'); // (1, NH, FOUT)
    const g = await loadDataset('cora');
    const [heads, fout, fin] = [8, 8, g.numFeatures];
    const offsets = neighbourOffsets(g);
    for (let h = 0; h < heads; h++) {
      const score = new Float64Array(g.numNodes);
      for (let j = 0; j < g.numNodes; j++) {
        for (let p = g.features.indptr[j]; p < g.features.indptr[j + 1]; p++) {
          const f = g.features.indices[p];
          for (let c = 0; c < fout; c++) score[j] += a[h * fout + c] * w[(h * fout + c) * fin + f] * g.features.values[p];
        }
      }
      const counts = new Map<number, number>();
      for (let i = 0; i < g.numNodes; i++) {
        const around = [i, ...g.edgeSource.subarray(offsets[i], offsets[i + 1])].sort((x, y) => x - y);
        let top = around[0];
        for (const j of around) if (score[j] > score[top]) top = j;
        counts.set(top, (counts.get(top) ?? 0) + 1);
      }
      const expected = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, 10).map(([node, count]) => ({ node, count }));
      assert.deepEqual(s.heads[h].hubs, expected, `layer 0 head ${h}`);
    }

    const text = await runGat(['analyze', '--model', binary]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /static attention \(GAT; global key score: s_j = a_src·W h_j \(every node ranks its neighbours by it: τ = 1 by construction\)\):\n {2}layer 0 head 0: 2708 nodes, τ mean 1\.000, min 1\.000, τ = 1 for 100\.0%; top = global best 100\.0%; hubs \d+ \(×\d+\)/);
  });
});
