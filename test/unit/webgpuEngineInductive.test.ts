/**
 * The WebGPU engine against FusedEngine on PPI's architecture in miniature: three layers, skip
 * connections (projected and identity), multi-label BCE with micro-F1 counts, the mean over 6
 * output heads of 121 labels; dropout 0 and 0.3; Adam; binding batch after batch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphDataset } from '../../src/gat/data/graph';
import { createWebGpuEngine } from '../../src/gat/gpu/webgpuEngine';
import type { WebGpuDevice } from '../../src/gat/gpu/webgpuDevice';
import { FusedEngine } from '../../src/gat/model/fusedEngine';
import { assertClose, assertCloseToScale } from '../helpers/webgpuArrays';
import { batchOf, engineInput, everyNode, multiLabelGraph } from '../helpers/engineCases';
import { trainAdamTwins } from '../helpers/gpuAdamTwins';
import { testGpu } from '../helpers/webgpuTestGpu';

let gpu: WebGpuDevice;

before(async () => {
  gpu = await testGpu();
});

after(() => gpu.destroy());

const CASES: Array<{ name: string; graph: () => GraphDataset; heads: number[]; hidden: number[] }> = [
  { name: 'PPI-like, projected skips, widths off multiples of 4', graph: () => multiLabelGraph({ nodes: 14, features: 6, labels: 5, seed: 4 }), heads: [3, 2, 3], hidden: [5, 7] },
  { name: 'identity skip where FOUT equals FIN', graph: () => multiLabelGraph({ nodes: 11, features: 4, labels: 3, seed: 8 }), heads: [2, 2], hidden: [4] },
  { name: 'PPI\'s last layer: mean over 6 heads × 121 labels', graph: () => multiLabelGraph({ nodes: 14, features: 6, labels: 121, seed: 6 }), heads: [2, 2, 6], hidden: [5, 7] },
  { name: 'wide layers on GEMMs (FIN·NH·FOUT ≥ 16384)', graph: () => multiLabelGraph({ nodes: 12, features: 8, labels: 9, seed: 21, edges: 30 }), heads: [4, 4, 2], hidden: [64, 32] },
];

describe('inductive GAT: WebGPU engine against the fused engine', () => {
  for (const c of CASES) {
    for (const dropout of [0, 0.3]) {
      it(`${c.name}, dropout ${dropout}: logits, attention, BCE loss, micro-F1 counts and gradients`, async () => {
        const input = engineInput(c.graph(), c.heads, c.hidden, dropout, true);
        const fused = new FusedEngine(input);
        const engine = await createWebGpuEngine(input, gpu);
        try {
          const nodes = everyNode(input.graph.numNodes);
          assertClose(await engine.predict(nodes), fused.predict(nodes), 2e-5, 'logits');
          const a = await engine.analyze();
          const b = fused.analyze();
          a.attention.forEach((att, l) => assertClose(att, b.attention[l], 2e-5, `attention layer ${l}`));
          const gg = new Float32Array(input.params.flat.length);
          const gf = new Float32Array(input.params.flat.length);
          const rg = await engine.trainStep(3, gg);
          const rf = fused.trainStep(3, gf);
          assert.ok(Math.abs(rg.loss - rf.loss) <= 1e-5 * (1 + rf.loss), `loss ${rg.loss} vs ${rf.loss}`);
          assert.deepEqual(rg.counts, rf.counts, 'micro-F1 counts');
          assert.equal(rg.acc, rf.acc);
          assert.ok(gf.some((v) => v !== 0));
          assertCloseToScale(gg, gf, 1e-4, 'gradient');
          assertClose(gg, gf, 2e-4, 'gradient, element-wise');
        } finally {
          engine.dispose();
        }
      });
    }
  }

  it('Adam on the GPU matches CPU Adam over several steps (PPI-like, dropout 0.3)', async () => {
    const input = engineInput(CASES[2].graph(), CASES[2].heads, CASES[2].hidden, 0.3, true);
    const { engine, cpuParams } = await trainAdamTwins(gpu, input, { lr: 5e-3, weightDecay: 0 }, 5);
    try {
      assertClose(await engine.readParameters(), cpuParams.flat, 1e-5, 'parameters after 5 Adam steps');
    } finally {
      engine.dispose();
    }
  });
});

describe('inductive GAT on the GPU: batches of graphs', () => {
  it('an engine bound to graph after graph gives what a fused engine per graph gives', async () => {
    const graphs = [multiLabelGraph({ nodes: 9, features: 6, labels: 5, seed: 1 }), multiLabelGraph({ nodes: 15, features: 6, labels: 5, seed: 2, edges: 40 }), multiLabelGraph({ nodes: 6, features: 6, labels: 5, seed: 3 })];
    const batches = graphs.map(batchOf);
    const input = engineInput(graphs[0], [3, 2, 3], [5, 7], 0.2, true);
    const capacity = { nodes: 15, edges: Math.max(...batches.map((b) => b.graph.numEdges)), nonZeros: 15 * 6 };
    const shared = await createWebGpuEngine({ ...input, capacity }, gpu);
    try {
      for (const round of [0, 1]) {
        for (const [i, b] of batches.entries()) {
          shared.bind(b);
          const fresh = new FusedEngine({ ...input, ...b });
          const nodes = everyNode(b.graph.numNodes);
          assertClose(await shared.predict(nodes), fresh.predict(nodes), 2e-5, `graph ${i}, round ${round}: logits`);
          const g1 = new Float32Array(input.params.flat.length);
          const g2 = new Float32Array(input.params.flat.length);
          const r1 = await shared.trainStep(7, g1);
          const r2 = fresh.trainStep(7, g2);
          assert.ok(Math.abs(r1.loss - r2.loss) <= 1e-5 * (1 + r2.loss), `graph ${i}: loss`);
          assert.deepEqual(r1.counts, r2.counts);
          assertCloseToScale(g1, g2, 1e-4, `graph ${i}: gradient`);
          assert.equal((await shared.analyze()).attention[0].length, b.graph.numEdges * 3);
        }
      }
      assert.throws(() => shared.bind(batchOf(multiLabelGraph({ nodes: 16, features: 6, labels: 5, seed: 9 }))), /exceeds the engine's capacity/);
    } finally {
      shared.dispose();
    }
  });

  it('a transductive graph with skip connections trains on a subset of nodes', async () => {
    const g = multiLabelGraph({ nodes: 30, features: 8, labels: 9, seed: 5, edges: 40 });
    const input = { ...engineInput(g, [4, 4, 2], [64, 32], 0.3, true), trainNodes: Int32Array.of(1, 4, 9, 20) };
    const fused = new FusedEngine(input);
    const engine = await createWebGpuEngine(input, gpu);
    try {
      const gg = new Float32Array(input.params.flat.length);
      const gf = new Float32Array(input.params.flat.length);
      const rg = await engine.trainStep(1, gg);
      const rf = fused.trainStep(1, gf);
      assert.ok(Math.abs(rg.loss - rf.loss) <= 1e-5 * (1 + rf.loss));
      assert.deepEqual(rg.counts, rf.counts);
      assertCloseToScale(gg, gf, 1e-4, 'gradient');
      assertClose(await engine.predict(Int32Array.of(20, 3)), fused.predict(Int32Array.of(20, 3)), 2e-5, 'logits of two nodes');
    } finally {
      engine.dispose();
    }
  });
});
