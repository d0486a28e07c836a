/**
 * WGSL kernels against the TypeScript kernels, on SwiftShader: dropout (bit-identical masks), the
 * sparse projection and its weight gradient, the GEMM variants, the losses and Adam.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { typescriptProducts } from '../../src/gat/kernels/denseProducts';
import { dropDense, dropSparseInput, sparseProject as tsSparseProject, sparseProjectGradW } from '../../src/gat/kernels/projection';
import { adamUpdate } from '../../src/gat/kernels/adamUpdate';
import { adamStepScalars } from '../../src/gat/model/adam';
import { binaryCrossEntropy, crossEntropy } from '../../src/gat/model/loss';
import { dropoutSpec, maskAt, mix32 } from '../../src/gat/kernels/random';
import { adam } from '../../src/gat/gpu/adamKernels';
import { gemm } from '../../src/gat/gpu/gemmKernels';
import { cscOf, packedTargets } from '../../src/gat/gpu/gpuBatch';
import { binaryCrossEntropyLoss, crossEntropyLoss, lossFinish, lossPartials } from '../../src/gat/gpu/lossKernels';
import { dropout, dropoutInPlace, sparseGradW, sparseProject } from '../../src/gat/gpu/projectionKernels';
import { assertClose, randomArray } from '../helpers/webgpuArrays';
import { KernelBench, testGpu } from '../helpers/webgpuTestGpu';
import { tinyGraph } from '../helpers/tinyGraph';

let bench: KernelBench;

before(async () => {
  bench = new KernelBench(await testGpu());
});

after(() => bench.dispose());

const everyRow = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('WGSL dropout', () => {
  it('masks are bit-identical to maskAt (all-ones input), for several rates and keys', async () => {
    const count = 5000; // several workgroups, not a multiple of 256
    const ones = await bench.upload(new Float32Array(count).fill(1));
    const out = await bench.zeros(count);
    for (const [p, seed] of [[0.6, 1], [0.3, 2], [0.05, 3], [0, 4]] as const) {
      const spec = dropoutSpec(p);
      const key = mix32(seed * 7919);
      await bench.run(dropout, { x: ones, y: out }, { count, key, threshold: spec.threshold, scale: spec.scale });
      const gpu = await bench.readF32(out, count);
      const cpu = Float32Array.from({ length: count }, (_, k) => maskAt(key, k, spec));
      assert.deepEqual(Array.from(gpu), Array.from(cpu), `rate ${p}`);
      if (p > 0) assert.ok(gpu.some((v) => v === 0) && gpu.some((v) => v !== 0));
    }
  });

  it('sparse and dense dropout give the TypeScript kernels\' values; in place as well', async () => {
    const g = tinyGraph({ nodes: 300, features: 40, seed: 3 });
    const x = g.features;
    const spec = dropoutSpec(0.6);
    const key = mix32(99);
    const xv = await bench.upload(x.values);
    const xd = await bench.zeros(x.values.length);
    await bench.run(dropout, { x: xv, y: xd }, { count: x.values.length, key, ...spec });
    const cpuSparse = new Float32Array(x.values.length);
    dropSparseInput(x, everyRow(x.rows), key, spec.threshold, spec.scale, cpuSparse);
    assertClose(await bench.readF32(xd, x.values.length), cpuSparse, 1e-7, 'sparse');
    const fin = 37;
    const dense = randomArray(300 * fin, 5);
    const cpuDense = new Float32Array(dense.length);
    dropDense(dense, everyRow(300), fin, key, spec.threshold, spec.scale, cpuDense);
    const buf = await bench.upload(dense);
    await bench.run(dropoutInPlace, { y: buf }, { count: dense.length, key, ...spec });
    const gpuDense = await bench.readF32(buf, dense.length);
    assertClose(gpuDense, cpuDense, 1e-7, 'dense, in place');
    assert.deepEqual(gpuDense.map((v) => (v === 0 ? 0 : 1)), cpuDense.map((v) => (v === 0 ? 0 : 1)), 'same elements dropped');
  });
});

describe('WGSL sparse projection', () => {
  for (const hf of [64, 7, 1, 726, 300]) {
    it(`x (N, FIN) CSR · Wᵀ (FIN, ${hf}) and dWᵀ = xdᵀ · dP through the CSC copy`, async () => {
      const g = tinyGraph({ nodes: 90, features: 33, seed: hf });
      const x = g.features;
      const n = x.rows;
      const nnz = x.values.length;
      const spec = dropoutSpec(0.4);
      const xd = new Float32Array(nnz);
      dropSparseInput(x, everyRow(n), mix32(hf), spec.threshold, spec.scale, xd);
      const wT = randomArray(x.cols * hf, 11);
      const dOut = randomArray(n * hf, 12);
      const csc = cscOf(x);
      const [indptr, indices, xdB, wB, outB, colPtr, cscRow, cscPos, dOutB, dwB] = await Promise.all([
        bench.upload(x.indptr), bench.upload(x.indices), bench.upload(xd), bench.upload(wT), bench.zeros(n * hf),
        bench.upload(csc.colPtr), bench.upload(csc.row), bench.upload(csc.pos), bench.upload(dOut), bench.upload(randomArray(x.cols * hf, 13)),
      ]);
      await bench.run(sparseProject, { indptr, indices, xd: xdB, wT: wB, out: outB }, { n, hf });
      const cpu = new Float32Array(n * hf);
      tsSparseProject(x, xd, everyRow(n), wT, hf, cpu);
      assertClose(await bench.readF32(outB, n * hf), cpu, 1e-6, 'out');
      // overwrite, then accumulate on top of it
      const dw = new Float32Array(x.cols * hf);
      sparseProjectGradW(x, xd, everyRow(n), dOut, hf, dw);
      await bench.run(sparseGradW, { colPtr, cscRow, cscPos, xd: xdB, dOut: dOutB, dwT: dwB }, { fin: x.cols, hf });
      assertClose(await bench.readF32(dwB, dw.length), dw, 1e-6, 'dWᵀ');
      await bench.run(sparseGradW, { colPtr, cscRow, cscPos, xd: xdB, dOut: dOutB, dwT: dwB }, { fin: x.cols, hf, accumulate: true });
      assertClose(await bench.readF32(dwB, dw.length), dw.map((v) => 2 * v), 1e-6, 'dWᵀ accumulated');
    });
  }
});

describe('WGSL tiled GEMM', () => {
  const SHAPES: Array<[number, number, number]> = [
    [70, 37, 21], // crosses the 64-row tile, K not a multiple of 16
    [5, 130, 66], // a thin M, N just past a tile
    [129, 16, 1], // one output column
    [1, 1, 1],
  ];
  for (const [m, k, n] of SHAPES) {
    it(`${m} × ${k} · ${k} × ${n}: every transpose and accumulate variant`, async () => {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const a = randomArray(m * k, m + k);
          const b = randomArray(k * n, k + n + 1);
          const c0 = randomArray(m * n, 3);
          const [aB, bB] = await Promise.all([bench.upload(a), bench.upload(b)]);
          for (const accumulate of [false, true]) {
            const cB = await bench.upload(c0);
            await bench.run(gemm(transposeA, transposeB), { a: aB, b: bB, c: cB }, { m, n, k, accumulate });
            const cpu = c0.slice();
            typescriptProducts.matmul(a, b, m, k, n, { transposeA, transposeB, accumulate }, cpu);
            assertClose(await bench.readF32(cB, m * n), cpu, 1e-5, `A${transposeA ? 'ᵀ' : ''}·B${transposeB ? 'ᵀ' : ''}${accumulate ? ' +=' : ''}`);
          }
        }
      }
    });
  }
});

describe('WGSL losses', () => {
  const n = 600; // three workgroups of nodes
  const nodes = Int32Array.from({ length: 250 }, (_, r) => (r * 7) % n).sort();
  const mask = new Uint32Array(n);
  for (const i of nodes) mask[i] = 1;

  async function runLoss(single: boolean, classes: number, logits: Float32Array, targets: Uint8Array | Int32Array): Promise<{ results: Uint32Array; dLogits: Float32Array }> {
    const groups = lossPartials(n);
    const [lB, tB, mB, dB, pB, rB] = await Promise.all([bench.upload(logits), bench.upload(targets), bench.upload(mask), bench.upload(randomArray(n * classes, 8)), bench.zeros(4 * groups), bench.zeros(4)]);
    const inv = single ? 1 / nodes.length : 1 / (nodes.length * classes);
    await bench.run(single ? crossEntropyLoss : binaryCrossEntropyLoss, { logits: lB, targets: tB, mask: mB, dLogits: dB, partial: pB }, { n, classes, inv });
    await bench.run(lossFinish, { partial: pB, results: rB }, { groups });
    return { results: await bench.readU32(rB, 4), dLogits: await bench.readF32(dB, n * classes) };
  }

  it('softmax cross-entropy: loss, correct count and dLoss/dlogits (zero outside the mask)', async () => {
    const classes = 7;
    const logits = randomArray(n * classes, 21, 4);
    const labels = Int32Array.from({ length: n }, (_, i) => mix32(i) % classes);
    const { results, dLogits } = await runLoss(true, classes, logits, labels);
    const cpuGrad = new Float32Array(n * classes);
    const cpu = crossEntropy(logits, classes, nodes, labels, true, cpuGrad);
    const loss = new Float32Array(results.buffer)[0] / nodes.length;
    assert.ok(Math.abs(loss - cpu.loss) < 1e-5 * (1 + cpu.loss), `loss ${loss} vs ${cpu.loss}`);
    assert.equal(results[1] / nodes.length, cpu.acc);
    assertClose(dLogits, cpuGrad, 1e-6, 'dLogits');
  });

  it('BCE with logits: loss, TP/FP/FN and dLoss/dlogits, 121 labels', async () => {
    const classes = 121; // PPI's
    const logits = randomArray(n * classes, 22, 6);
    const targets = Uint8Array.from({ length: n * classes }, (_, k) => (mix32(k + 5) % 3 === 0 ? 1 : 0));
    const { results, dLogits } = await runLoss(false, classes, logits, packedTargets(targets, n * classes));
    const cpuGrad = new Float32Array(n * classes);
    const cpu = binaryCrossEntropy(logits, classes, nodes, targets, true, cpuGrad);
    const loss = new Float32Array(results.buffer)[0] / (nodes.length * classes);
    assert.ok(Math.abs(loss - cpu.loss) < 1e-5 * (1 + cpu.loss), `loss ${loss} vs ${cpu.loss}`);
    assert.deepEqual({ tp: results[1], fp: results[2], fn: results[3] }, cpu.counts);
    assertClose(dLogits, cpuGrad, 1e-6, 'dLogits');
  });
});

describe('WGSL Adam', () => {
  it('five steps agree with the double-precision CPU loop (weight decay, bias correction)', async () => {
    const size = 1003;
    const params = randomArray(size, 31);
    const opts = { lr: 5e-3, weightDecay: 5e-4 };
    const cpu = { p: params.slice(), m: new Float32Array(size), v: new Float32Array(size) };
    const [pB, gB, mB, vB] = await Promise.all([bench.upload(params), bench.zeros(size), bench.zeros(size), bench.zeros(size)]);
    for (let t = 1; t <= 5; t++) {
      const grad = randomArray(size, 40 + t, t % 2 ? 0.3 : 1e-5);
      bench.gpu.device.queue.writeBuffer(gB, 0, grad);
      const s = adamStepScalars(opts, t);
      await bench.run(adam, { grad: gB, param: pB, m: mB, v: vB }, { count: size, ...s });
      adamUpdate(cpu.p, grad, cpu.m, cpu.v, s);
    }
    assertClose(await bench.readF32(pB, size), cpu.p, 1e-6, 'params');
    assertClose(await bench.readF32(mB, size), cpu.m, 1e-6, 'm');
    assertClose(await bench.readF32(vB, size), cpu.v, 1e-6, 'v');
  });
});
