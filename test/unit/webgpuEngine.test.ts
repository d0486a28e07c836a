/**
 * The WebGPU engine against FusedEngine (TypeScript kernels) on transductive, single-label graphs:
 * Cora's architecture on a tiny graph, odd widths, three layers; eval logits and attention,
 * training loss, accuracy and gradients with dropout, and Adam on the GPU against CPU Adam.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphDataset } from '../../src/gat/data/graph';
import { createWebGpuEngine } from '../../src/gat/gpu/webgpuEngine';
import type { WebGpuDevice } from '../../src/gat/gpu/webgpuDevice';
import { FusedEngine } from '../../src/gat/model/fusedEngine';
import { assertClose, assertCloseToScale } from '../helpers/webgpuArrays';
import { engineInput, everyNode } from '../helpers/engineCases';
import { trainAdamTwins } from '../helpers/gpuAdamTwins';
import { testGpu } from '../helpers/webgpuTestGpu';
import { tinyGraph } from '../helpers/tinyGraph';

let gpu: WebGpuDevice;

before(async () => {
  gpu = await testGpu();
});

after(() => gpu.destroy());

const CASES: Array<{ name: string; graph: () => GraphDataset; heads: number[]; hidden: number[] }> = [
  { name: 'Cora\'s shape (8 heads × 8, then 1 head)', graph: () => tinyGraph({ nodes: 12, features: 10, classes: 3 }), heads: [8, 1], hidden: [8] },
  { name: 'odd widths, mean over 2 output heads', graph: () => tinyGraph({ nodes: 9, features: 6, classes: 4, seed: 11 }), heads: [3, 2], hidden: [5] },
  { name: 'three layers, an isolated node', graph: () => tinyGraph({ nodes: 10, features: 7, classes: 2, edges: 4, seed: 5 }), heads: [2, 2, 1], hidden: [4, 3] },
  { name: 'several workgroups of nodes (300 nodes)', graph: () => tinyGraph({ nodes: 300, features: 40, classes: 7, seed: 2 }), heads: [8, 1], hidden: [8] },
];

describe('WebGPU engine against the fused engine', () => {
  for (const c of CASES) {
    it(`${c.name}: eval logits and attention, loss, accuracy and gradients with dropout 0.6`, async () => {
      const input = engineInput(c.graph(), c.heads, c.hidden, 0.6);
      const fused = new FusedEngine(input);
      const engine = await createWebGpuEngine(input, gpu);
      try {
        const n = input.graph.numNodes;
        assertClose(await engine.predict(everyNode(n)), fused.predict(everyNode(n)), 1e-5, 'logits');
        const some = Int32Array.of(n - 1, 0, Math.floor(n / 2));
        assertClose(await engine.predict(some), fused.predict(some), 1e-5, 'logits of three nodes');
        const a = await engine.analyze();
        const b = fused.analyze();
        assertClose(a.logits, b.logits, 1e-5, 'analyze logits');
        a.attention.forEach((att, l) => assertClose(att, b.attention[l], 1e-5, `attention layer ${l}`));
        for (const step of [0, 5]) {
          const gg = new Float32Array(input.params.flat.length);
          const gf = new Float32Array(input.params.flat.length);
          const rg = await engine.trainStep(step, gg);
          const rf = fused.trainStep(step, gf);
          assert.ok(Math.abs(rg.loss - rf.loss) <= 1e-5 * (1 + rf.loss), `loss ${rg.loss} vs ${rf.loss}`);
          assert.equal(rg.acc, rf.acc);
          assert.ok(gf.some((v) => v !== 0));
          assertCloseToScale(gg, gf, 1e-4, `gradient at step ${step}`);
          assertClose(gg, gf, 1e-4, `gradient at step ${step}, element-wise`);
          assertClose(await engine.readGradient(), gg, 0, 'resident gradient');
        }
        // No gradient readback: same result.
        const r0 = await engine.trainStep(5, new Float32Array(0));
        assert.equal(r0.loss, (await engine.trainStep(5, new Float32Array(0))).loss);
      } finally {
        engine.dispose();
      }
    });
  }

  it('Adam on the GPU matches CPU Adam over several steps (Cora\'s shape, dropout 0.6)', async () => {
    const input = engineInput(tinyGraph({ nodes: 40, features: 20, classes: 4, seed: 9 }), [8, 1], [8], 0.6);
    const opts = { lr: 5e-3, weightDecay: 5e-4 };
    const { engine, cpuParams, adam } = await trainAdamTwins(gpu, input, opts, 6);
    try {
      assert.equal(engine.optimizerSteps, 6);
      assertClose(await engine.readParameters(), cpuParams.flat, 1e-5, 'parameters after 6 Adam steps');
      const moments = await engine.readMoments();
      assertCloseToScale(moments.m, adam.m, 1e-4, 'm');
      assertCloseToScale(moments.v, adam.v, 1e-4, 'v');
      // Checkpoint round trip: parameters and moments written back give the same next step.
      const copy = await createWebGpuEngine({ ...input, params: cpuParams }, gpu);
      copy.writeMoments(moments);
      copy.uploadParameters(await engine.readParameters());
      await copy.trainStep(6, new Float32Array(0));
      await engine.trainStep(6, new Float32Array(0));
      copy.adamStep(opts);
      engine.adamStep(opts);
      assert.deepEqual(Array.from(await copy.readParameters()), Array.from(await engine.readParameters()));
      copy.dispose();
    } finally {
      engine.dispose();
    }
  });

  it('rejects a batch over its capacity and calls after dispose', async () => {
    const input = engineInput(tinyGraph({ nodes: 12, features: 10, classes: 3 }), [2, 1], [4], 0);
    const engine = await createWebGpuEngine(input, gpu);
    const bigger = engineInput(tinyGraph({ nodes: 20, features: 10, classes: 3 }), [2, 1], [4], 0);
    assert.throws(() => engine.bind(bigger), /exceeds the engine's capacity/);
    engine.dispose();
    await assert.rejects(engine.trainStep(0, new Float32Array(0)), /disposed/);
  });
});
