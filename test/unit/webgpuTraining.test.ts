/**
 * Training on the GPU end to end: 50 epochs on a tiny Cora-like graph, WebGPU engine + GPU Adam
 * against FusedEngine + CPU Adam with the same seed; the per-epoch training loss and accuracy agree
 * to 1e-3. Prints the time per step on this adapter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphDataset } from '../../src/gat/data/graph';
import { createWebGpuEngine } from '../../src/gat/gpu/webgpuEngine';
import type { WebGpuDevice } from '../../src/gat/gpu/webgpuDevice';
import { Adam } from '../../src/gat/model/adam';
import { FusedEngine } from '../../src/gat/model/fusedEngine';
import { allocateParameters } from '../../src/gat/model/parameters';
import { mix32 } from '../../src/gat/kernels/random';
import { assertClose } from '../helpers/webgpuArrays';
import { engineInput } from '../helpers/engineCases';
import { testGpu } from '../helpers/webgpuTestGpu';
import { tinyGraph } from '../helpers/tinyGraph';

let gpu: WebGpuDevice;

before(async () => {
  gpu = await testGpu();
});

after(() => gpu.destroy());

/**
 * Cora in miniature: 7 classes, bag-of-words rows normalised to sum 1 whose words lean towards the
 * node's class, mostly same-class edges, 20 training nodes per class.
 */
function coraLike(nodes: number, features: number, classes: number, seed: number): GraphDataset {
  const base = tinyGraph({ nodes, features, classes, seed, edges: 2 });
  let s = seed;
  const rand = (k: number): number => (s = mix32(s + 0x6d2b79f5)) % k;
  const labels = Int32Array.from({ length: nodes }, (_, i) => i % classes);
  const block = Math.floor(features / classes);
  const indptr = new Int32Array(nodes + 1);
  const indices: number[] = [];
  for (let i = 0; i < nodes; i++) {
    const words = new Set<number>();
    for (let k = 0; k < 6; k++) words.add(rand(4) === 0 ? rand(features) : labels[i] * block + rand(block));
    indices.push(...[...words].sort((a, b) => a - b));
    indptr[i + 1] = indices.length;
  }
  const values = Float32Array.from(indices, (_, p) => {
    const i = indptr.findIndex((v) => v > p) - 1;
    return 1 / (indptr[i + 1] - indptr[i]);
  });
  const pairs = new Set<string>();
  for (let k = 0; k < 2 * nodes; k++) {
    const a = rand(nodes);
    const b = rand(5) === 0 ? rand(nodes) : (a + classes * (1 + rand(4))) % nodes; // same class mostly
    if (a !== b) pairs.add(`${a},${b}`).add(`${b},${a}`);
  }
  const edges = [...pairs].map((p) => p.split(',').map(Number)).sort((x, y) => x[1] - y[1] || x[0] - y[0]);
  const train = Int32Array.from({ length: 20 * classes }, (_, i) => i);
  const val = Int32Array.from({ length: nodes - train.length }, (_, i) => train.length + i);
  return {
    ...base,
    labels,
    features: { rows: nodes, cols: features, indptr, indices: Int32Array.from(indices), values },
    featureNonZeros: indices.length,
    edgeSource: Int32Array.from(edges, (e) => e[0]),
    edgeTarget: Int32Array.from(edges, (e) => e[1]),
    split: { train, val, test: val },
  };
}

describe('50 epochs on a tiny Cora-like graph', () => {
  it('WebGPU engine + GPU Adam track FusedEngine + CPU Adam epoch by epoch', async () => {
    const g = coraLike(400, 140, 7, 17);
    const input = engineInput(g, [8, 1], [8], 0.6, false, 42);
    const opts = { lr: 5e-3, weightDecay: 5e-4 };
    const cpuParams = allocateParameters(input.shapes, input.params.flat.slice());
    const fused = new FusedEngine({ ...input, params: cpuParams });
    const adam = new Adam(cpuParams.flat.length, opts);
    const grad = new Float32Array(cpuParams.flat.length);
    const engine = await createWebGpuEngine(input, gpu);
    const none = new Float32Array(0);
    try {
      let gpuMs = 0;
      let cpuMs = 0;
      const losses: number[] = [];
      for (let epoch = 0; epoch < 50; epoch++) {
        let t = performance.now();
        const rg = await engine.trainStep(epoch, none);
        engine.adamStep(opts);
        gpuMs += performance.now() - t;
        t = performance.now();
        const rf = fused.trainStep(epoch, grad);
        adam.update(cpuParams.flat, grad);
        cpuMs += performance.now() - t;
        assert.ok(Math.abs(rg.loss - rf.loss) <= 1e-3, `epoch ${epoch}: loss ${rg.loss} vs ${rf.loss}`);
        assert.ok(Math.abs(rg.acc - rf.acc) <= 1e-3, `epoch ${epoch}: accuracy ${rg.acc} vs ${rf.acc}`);
        losses.push(rg.loss);
      }
      await gpu.device.queue.onSubmittedWorkDone();
      assert.ok(losses[49] < 0.7 * losses[0], `training learns: loss ${losses[0]} → ${losses[49]}`);
      assertClose(await engine.predict(g.split.val), fused.predict(g.split.val), 1e-3, 'validation logits after 50 epochs');
      console.log(`${g.numNodes} nodes, ${input.graph.numEdges} edges, ${g.features.values.length} non-zeros, heads [8, 1]: ` +
        `${(gpuMs / 50).toFixed(2)} ms per step on ${gpu.adapter.description} (${engine.dispatchesPerStep} dispatches + Adam), ` +
        `${(cpuMs / 50).toFixed(2)} ms with the fused TypeScript kernels; loss ${losses[0].toFixed(4)} → ${losses[49].toFixed(4)}`);
    } finally {
      engine.dispose();
    }
  });
});
