/**
 * The wasm kernels on a pool of worker threads (the real module, real workers, shared memory): how
 * calls are cut (partition.ts), that every pooled kernel gives the bits of one thread on 2 and 3
 * threads (3 divides no row count here), on Cora and on a PPI-format folder, and that a worker
 * that dies fails the next call with a KernelThreadError instead of a hang or a wrong result.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { typescriptKernels, type HotKernels } from '../../src/gat/kernels/hotKernels';
import { KernelThreadError } from '../../src/gat/kernels/kernelPool';
import { costPrefix, partsFor, splitByPrefix, splitEven } from '../../src/gat/kernels/partition';
import { SplitGovernor } from '../../src/gat/kernels/splitGovernor';
import { dropoutSpec, mix32 } from '../../src/gat/kernels/random';
import { createWasmKernels, kernelPoolOf } from '../../src/gat/kernels/wasmKernels';
import { FusedEngine, createFusedKernels } from '../../src/gat/model/fusedEngine';
import { engineInput } from '../helpers/engineCases';
import { assertClose } from '../helpers/webgpuArrays';
import { tinyGraph } from '../helpers/tinyGraph';

describe('partition: how a call is cut', () => {
  it('splitByPrefix covers the list in order and balances the cost', () => {
    const ptr = Int32Array.from([0, 50, 51, 52, 53, 100, 101, 102, 103, 104, 105]); // two heavy rows
    const list = Int32Array.from({ length: 10 }, (_, i) => i);
    const prefix = costPrefix(list, ptr);
    assert.equal(prefix[10], 105 + 10);
    for (const parts of [1, 2, 3, 4]) {
      const b = splitByPrefix(prefix, parts);
      assert.equal(b.length, parts + 1);
      assert.equal(b[0], 0);
      assert.equal(b[parts], 10);
      for (let k = 0; k < parts; k++) assert.ok(b[k] <= b[k + 1], `bounds ascend: ${b}`);
    }
    // By cost, not by count: rows 0–3 (cost 57) and 4–9 (cost 58), not 5 and 5 rows (cost 105 and 10).
    assert.deepEqual(splitByPrefix(prefix, 2), [0, 4, 10]);
    assert.deepEqual(splitByPrefix(prefix, 4), [0, 1, 4, 5, 10]);
  });

  it('splitEven aligns inner bounds and partsFor needs a grain of work per part', () => {
    assert.deepEqual(splitEven(64, 3, 16), [0, 16, 48, 64]);
    assert.deepEqual(splitEven(10, 3), [0, 3, 7, 10]);
    assert.deepEqual(splitEven(7, 2, 4), [0, 4, 7]);
    assert.equal(partsFor(10, 8, 100), 1);
    assert.equal(partsFor(250, 8, 100), 2);
    assert.equal(partsFor(1e9, 3, 100), 3);
  });
});

describe('SplitGovernor: splitting where it pays', () => {
  it('raises the least work per part while the other threads do not keep up, and lowers it again a second later', () => {
    let now = 0;
    const g = new SplitGovernor(() => now);
    for (let i = 0; i < 20; i++) g.observe(1, 0.1, 2); // the other part finishes with this one: keep splitting
    assert.equal(g.factor(), 1);
    g.observe(1, 3, 2); // waited 3× its own part: the split cost time
    assert.equal(g.factor(), 2);
    for (let i = 0; i < 30; i++) g.observe(1, 3, 3);
    assert.equal(g.factor(), 256, 'capped');
    now += 1000;
    assert.equal(g.factor(), 128, 'a second later it tries more threads again');
    now += 999;
    assert.equal(g.factor(), 128);
    now += 1;
    assert.equal(g.factor(), 64);
  });
});

/** Every pooled kernel, forward and backward, on one graph; returns each output by name. */
function runKernels(k: HotKernels, heads: number, fout: number, shuffled = false): Record<string, Float32Array> {
  const g = buildGatGraph(tinyGraph({ nodes: 61, edges: 240, seed: 21 }));
  const x = tinyGraph({ nodes: 61, features: 40, seed: 22 }).features;
  const n = g.numNodes;
  const e = g.numEdges;
  const hf = heads * fout;
  let state = 99;
  const rand = (len: number, scale = 1): Float32Array => {
    const a = k.allocF32(len);
    for (let i = 0; i < len; i++) a[i] = scale * (((state = mix32(state + i)) / 4294967296) * 2 - 1);
    return a;
  };
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  // Targets: a subset, so the backward's second pass must skip edges into other nodes, whose edge
  // arrays hold stale values (random here); ascending as the engine's plans are (on one thread the
  // attention backward then takes its one-walk form), or shuffled (always the two passes).
  const subset = rows.filter((i) => i % 3 !== 1);
  const targets = Int32Array.from(shuffled ? subset.map((_, r) => subset[(r * 7) % subset.length]) : subset);
  const key = mix32(4242);
  const { threshold, scale } = dropoutSpec(0.6);
  const values = k.allocF32(x.values.length);
  values.set(x.values);
  const features = { ...x, values };
  const o = {
    xd: k.allocF32(values.length), p: k.allocF32(n * hf), wT: rand(x.cols * hf, 0.3), dwT: rand(x.cols * hf),
    aSrc: rand(hf, 1.5), aTrg: rand(hf, 1.5), sSrc: k.allocF32(n * heads), sTrg: k.allocF32(n * heads),
    alpha: rand(e * heads), alphaD: rand(e * heads), agg: k.allocF32(n * hf), bias: rand(hf, 0.5), out: k.allocF32(n * hf),
    dOut: rand(n * hf), dAgg: k.allocF32(n * hf), dBias: rand(hf), dP: k.allocF32(n * hf), dsSrc: k.allocF32(n * heads),
    dsTrg: k.allocF32(n * heads), tmp: rand(e * heads), daSrc: rand(hf), daTrg: rand(hf), dense: rand(n * 12), denseD: k.allocF32(n * 12),
    params: rand(1003), grad: rand(1003), m: rand(1003, 0.1), v: k.allocF32(1003).fill(0.01),
    aggMean: rand(n * hf), mean: k.allocF32(n * fout), dMean: rand(n * fout), dAggMean: k.allocF32(n * hf), dBiasMean: rand(fout),
  };
  k.dropSparseInput(features, rows, key, threshold, scale, o.xd);
  k.sparseProject(features, o.xd, rows, o.wT, hf, o.p);
  k.nodeScores(o.p, rows, heads, fout, o.aSrc, o.aTrg, o.sSrc, o.sTrg);
  k.edgeSoftmax(g, targets, heads, o.sSrc, o.sTrg, key, threshold, scale, o.alpha, o.alphaD);
  k.aggregate(g, targets, heads, fout, o.alphaD, o.p, o.agg);
  k.applyHeadsForward(targets, heads, fout, true, o.agg, o.bias, o.out);
  k.applyHeadsBackward(targets, heads, fout, true, o.out, o.dOut, o.dAgg, o.dBias);
  k.applyHeadsForward(targets, heads, fout, false, o.aggMean, o.bias, o.mean); // the output layer's mean over heads
  k.applyHeadsBackward(targets, heads, fout, false, o.mean, o.dMean, o.dAggMean, o.dBiasMean);
  k.attentionBackward(g, targets, heads, fout, o.p, o.dAgg, o.alpha, o.alphaD, o.sSrc, o.sTrg, key, threshold, scale, o.dP, o.dsSrc, o.dsTrg, o.tmp);
  k.nodeScoresBackward(o.p, rows, heads, fout, o.aSrc, o.aTrg, o.dsSrc, o.dsTrg, o.dP, o.daSrc, o.daTrg);
  k.sparseProjectGradW(features, o.xd, rows, o.dP, hf, o.dwT);
  k.dropDense(o.dense, rows, 12, key, threshold, scale, o.denseD);
  k.adamUpdate(o.params, o.grad, o.m, o.v, { weightDecay: 5e-4, beta1: 0.9, beta2: 0.999, stepSize: 5e-3, invSqrtBc2: 30, eps: 1e-8 });
  return o;
}

const POOLED = [
  'drop_sparse', 'sparse_project', 'node_scores', 'edge_softmax', 'aggregate', 'heads_concat_elu', 'heads_concat_elu_backward', 'column_sum', 'heads_mean', 'heads_mean_backward',
  'attention_backward_targets', 'attention_backward_sources', 'node_scores_backward', 'sparse_project_grad_w', 'drop_dense', 'adam_update',
];

describe('every pooled kernel on 1, 2 and 3 threads', () => {
  for (const [heads, fout, shuffled] of [[8, 8, false], [4, 12, false], [6, 6, false], [3, 4, false], [8, 8, true], [3, 4, true]] as const) {
    it(`${heads} heads × ${fout}${shuffled ? ', targets out of order' : ''}: the same bits on every thread count, and the TypeScript twins' values`, () => {
      const results = [1, 2, 3].map((threads) => {
        // grain 1: split even these small calls, so every kernel runs on every thread
        const k = createWasmKernels(1 << 22, 1 << 20, threads, 1);
        try {
          assert.equal(k.threads, threads);
          const out = runKernels(k, heads, fout, shuffled);
          const pool = kernelPoolOf(k);
          if (threads > 1) {
            const split = [...(pool?.splitCalls.keys() ?? [])];
            for (const name of POOLED) assert.ok(split.includes(name), `${name} ran on several threads (split: ${split.join(', ')})`);
            assert.equal(pool?.widest, threads);
          }
          return Object.fromEntries(Object.entries(out).map(([name, a]) => [name, Array.from(a)]));
        } finally {
          k.dispose();
        }
      });
      for (const name of Object.keys(results[0])) {
        assert.deepEqual(results[1][name], results[0][name], `${name}: 2 threads`);
        assert.deepEqual(results[2][name], results[0][name], `${name}: 3 threads`);
      }
      const ts = runKernels(typescriptKernels, heads, fout, shuffled);
      for (const name of ['xd', 'p', 'sSrc', 'sTrg', 'alpha', 'alphaD', 'agg', 'out', 'dAgg', 'dBias', 'dP', 'dsSrc', 'dsTrg', 'tmp', 'daSrc', 'daTrg', 'dwT', 'denseD', 'params', 'm', 'v']) {
        assertClose(Float32Array.from(results[0][name]), ts[name], 2e-5, `${name}: wasm vs TypeScript`);
      }
      // The mean step computes in double precision as the TypeScript loop does: the same bits from the same input.
      for (const name of ['mean', 'dAggMean', 'dBiasMean']) assert.deepEqual(results[0][name], Array.from(ts[name]), `${name}: wasm vs TypeScript`);
    });
  }
});

describe('a kernel thread that fails or dies', () => {
  /** Kernels on 3 threads with a Cora engine on them, one training step done. */
  async function coraOnThreeThreads(): Promise<{ kernels: HotKernels; engine: FusedEngine; grad: Float32Array }> {
    const input = engineInput(await loadPlanetoid('cora'), [8, 1], [8], 0.6);
    // Parts as small as 2^16: Cora's calls are below the default grain and would stay on one thread.
    const kernels = createFusedKernels({ ...input, hotKernels: 'wasm-simd', threads: 3 }, input.params.flat.length, undefined, 1 << 16);
    const engine = new FusedEngine({ ...input, hotKernels: 'wasm-simd', kernels });
    const grad = new Float32Array(input.params.flat.length);
    engine.trainStep(0, grad);
    assert.equal(kernels.threads, 3);
    assert.ok((kernelPoolOf(kernels)?.splitCalls.size ?? 0) > 0, 'the step ran on several threads');
    return { kernels, engine, grad };
  }

  it('a worker terminated mid-run: the next kernel call throws a KernelThreadError naming it, at once, and so does every call after', async () => {
    const { kernels, engine, grad } = await coraOnThreeThreads();
    try {
      await kernelPoolOf(kernels)?.workerOf(2).terminate();
      const t0 = performance.now();
      let first: unknown;
      assert.throws(() => engine.trainStep(1, grad), (e: unknown) => {
        first = e;
        return e instanceof KernelThreadError && e.thread === 2 && /^GAT kernel thread 2 exited \(code 1\), during \w+: training cannot go on without it$/.test(e.message);
      });
      assert.ok(performance.now() - t0 < 1000, `thrown after ${performance.now() - t0} ms`);
      assert.throws(() => engine.predict(Int32Array.of(0, 1, 2)), (e: unknown) => e === first, 'a prediction (even a single-thread call) throws the same error');
    } finally {
      kernels.dispose();
    }
  });

  it('a call that traps on a worker throws a KernelThreadError with the trap, after the other parts have finished', () => {
    const k = createWasmKernels(1 << 20, 1 << 16, 2, 1);
    try {
      const pool = kernelPoolOf(k);
      assert.ok(pool);
      const x = k.allocF32(8);
      const rows = new Int32Array(x.buffer, k.allocF32(1).byteOffset, 1);
      // drop_dense(x, rows, nrows, fin, key, threshold, scale, xd): part 2 reads its rows far outside the memory.
      const part = (rowsAt: number): number[] => [x.byteOffset, rowsAt, 1, 8, 7, 0, 1, x.byteOffset];
      assert.throws(
        () => pool.run('drop_dense', [part(rows.byteOffset), part(0x7ffffff0)]),
        (e: unknown) => e instanceof KernelThreadError && e.thread === 1 && e.kernel === 'drop_dense' && /failed: memory access out of bounds/.test(e.message),
      );
      assert.throws(() => k.dropDense(x, Int32Array.of(0), 8, 7, 0, 1, x), KernelThreadError, 'the pool stays failed');
    } finally {
      k.dispose();
    }
  });

  it('idle workers sleep: a pool of 3 threads waiting between calls uses almost no CPU', async () => {
    const k = createWasmKernels(1 << 22, 1 << 20, 3, 1);
    try {
      runKernels(k, 8, 8);
      await new Promise((r) => setTimeout(r, 50)); // past the workers' brief spin
      const before = process.cpuUsage();
      await new Promise((r) => setTimeout(r, 500));
      const used = process.cpuUsage(before);
      const ms = (used.user + used.system) / 1000;
      // Two spinning workers would use about 1000 ms of CPU in these 500 ms.
      assert.ok(ms < 150, `${ms.toFixed(1)} ms of CPU in 500 ms idle`);
    } finally {
      k.dispose();
    }
  });
});
