/**
 * WGSL attention, heads, skip and reduction kernels against the TypeScript kernels on SwiftShader:
 * node scores, edge softmax (eval and with dropout), aggregation, the atomics-free attention
 * backward, concat + ELU / mean + bias and their backward with the bias gradient, skip adds and
 * their backward. Shapes on and off the workgroup size, 1-head layers, PPI's 6 × 121.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aggregate as tsAggregate, attentionBackward, edgeSoftmax as tsEdgeSoftmax, nodeScores as tsNodeScores, nodeScoresBackward } from '../../src/gat/kernels/attention';
import { applyHeadsBackward, applyHeadsForward } from '../../src/gat/kernels/elementwise';
import { addIdentitySkip as tsAddIdentitySkip, addSkip as tsAddSkip, addSparseIdentitySkip as tsAddSparseIdentitySkip, identitySkipBackward as tsIdentitySkipBackward } from '../../src/gat/kernels/skip';
import { buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { dropoutSpec, mix32 } from '../../src/gat/kernels/random';
import { aggregate, edgeSoftmax, messageGrad, nodeScores, scoreGrad } from '../../src/gat/gpu/attentionKernels';
import { packGraph } from '../../src/gat/gpu/gpuBatch';
import { headsBackward, headsForward } from '../../src/gat/gpu/headsKernels';
import { columnSums, finishSums, partialRows, scoreSums } from '../../src/gat/gpu/reduceKernels';
import { addIdentitySkip, addSkip, addSparseIdentitySkip, identitySkipBackward } from '../../src/gat/gpu/skipKernels';
import { assertClose, assertCloseToScale, randomArray } from '../helpers/webgpuArrays';
import { KernelBench, testGpu } from '../helpers/webgpuTestGpu';
import { tinyGraph } from '../helpers/tinyGraph';

let bench: KernelBench;

before(async () => {
  bench = new KernelBench(await testGpu());
});

after(() => bench.dispose());

const everyRow = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

// Scores up to ±spread so the softmax's exp sees large negative arguments and the ELU both sides;
// 300 nodes span two chunks of the column sums and two workgroups of (node, head) invocations.
const SHAPES = [
  { heads: 8, fout: 8, nodes: 40, spread: 3 },
  { heads: 4, fout: 4, nodes: 300, spread: 60 },
  { heads: 3, fout: 5, nodes: 40, spread: 3 },
  { heads: 1, fout: 7, nodes: 40, spread: 20 },
  { heads: 6, fout: 121, nodes: 30, spread: 3 },
];

describe('WGSL attention kernels', () => {
  for (const { heads, fout, nodes, spread } of SHAPES) {
    it(`${heads} heads × ${fout}, ${nodes} nodes: scores, softmax with dropout, aggregation, attention backward`, async () => {
      const g = buildGatGraph(tinyGraph({ nodes, edges: 3 * nodes, seed: heads * 31 + fout }));
      const n = g.numNodes;
      const e = g.numEdges;
      const hf = heads * fout;
      const rows = everyRow(n);
      const p = randomArray(n * hf, 1);
      const aSrc = randomArray(hf, 2, spread / Math.sqrt(fout));
      const aTrg = randomArray(hf, 3, spread / Math.sqrt(fout));
      const att = new Float32Array(2 * hf);
      att.set(aSrc);
      att.set(aTrg, hf);
      const dAgg = randomArray(n * hf, 4);
      const key = mix32(12345 + hf);
      const spec = dropoutSpec(0.6);
      // TypeScript
      const t = {
        sSrc: new Float32Array(n * heads), sTrg: new Float32Array(n * heads), alphaEval: new Float32Array(e * heads), alphaDEval: new Float32Array(e * heads),
        alpha: new Float32Array(e * heads), alphaD: new Float32Array(e * heads), agg: new Float32Array(n * hf),
        dP: new Float32Array(n * hf), dsSrc: new Float32Array(n * heads), dsTrg: new Float32Array(n * heads), tmp: new Float32Array(e * heads),
        daSrc: new Float32Array(hf), daTrg: new Float32Array(hf),
      };
      tsNodeScores(p, rows, heads, fout, aSrc, aTrg, t.sSrc, t.sTrg);
      tsEdgeSoftmax(g, rows, heads, t.sSrc, t.sTrg, key, 0, 1, t.alphaEval, t.alphaDEval);
      tsEdgeSoftmax(g, rows, heads, t.sSrc, t.sTrg, key, spec.threshold, spec.scale, t.alpha, t.alphaD);
      tsAggregate(g, rows, heads, fout, t.alphaD, p, t.agg);
      attentionBackward(g, rows, heads, fout, p, dAgg, t.alpha, t.alphaD, t.sSrc, t.sTrg, key, spec.threshold, spec.scale, t.dP, t.dsSrc, t.dsTrg, t.tmp);
      nodeScoresBackward(p, rows, heads, fout, aSrc, aTrg, t.dsSrc, t.dsTrg, t.dP, t.daSrc, t.daTrg);
      // WGSL
      const { offsets, data } = packGraph(g);
      const [graph, pB, attB, dAggB, sSrc, sTrg, alphaEval, alphaDEval, alpha, alphaD, agg, dZ, dsTrg, dP, dsSrc, partial, dAtt] = await Promise.all([
        bench.upload(data), bench.upload(p), bench.upload(att), bench.upload(dAgg),
        bench.zeros(n * heads), bench.zeros(n * heads), bench.zeros(e * heads), bench.zeros(e * heads), bench.zeros(e * heads), bench.zeros(e * heads),
        bench.zeros(n * hf), bench.zeros(e * heads), bench.zeros(n * heads), bench.zeros(n * hf), bench.zeros(n * heads),
        bench.zeros(partialRows(n) * 2 * hf), bench.zeros(2 * hf),
      ]);
      const shape = { n, heads, fout };
      await bench.run(nodeScores, { p: pB, att: attB, sSrc, sTrg }, shape);
      await bench.run(edgeSoftmax, { graph, sSrc, sTrg, alpha: alphaEval, alphaD: alphaDEval }, { n, heads, graph: offsets, key, threshold: 0, scale: 1 });
      await bench.run(edgeSoftmax, { graph, sSrc, sTrg, alpha, alphaD }, { n, heads, graph: offsets, key, ...spec });
      await bench.run(aggregate, { graph, alphaD, p: pB, out: agg }, { ...shape, graph: offsets });
      await bench.run(scoreGrad, { graph, p: pB, dAgg: dAggB, alpha, sSrc, sTrg, dZ, dsTrg }, { ...shape, graph: offsets, key, ...spec });
      await bench.run(messageGrad, { graph, alphaD, dAgg: dAggB, dZ, att: attB, dsTrg, dP, dsSrc }, { ...shape, graph: offsets });
      await bench.run(scoreSums, { p: pB, dsSrc, dsTrg, partial }, { rows: n, heads, fout });
      await bench.run(finishSums, { partial, out: dAtt }, { chunks: partialRows(n), width: 2 * hf });

      assertClose(await bench.readF32(sSrc, n * heads), t.sSrc, 2e-5, 'sSrc');
      assertClose(await bench.readF32(sTrg, n * heads), t.sTrg, 2e-5, 'sTrg');
      assertClose(await bench.readF32(alphaEval, e * heads), t.alphaEval, 2e-5, 'alpha (eval)');
      assertClose(await bench.readF32(alphaDEval, e * heads), t.alphaDEval, 2e-5, 'alphaD (eval)');
      assertClose(await bench.readF32(alpha, e * heads), t.alpha, 2e-5, 'alpha');
      const gAlphaD = await bench.readF32(alphaD, e * heads);
      assertClose(gAlphaD, t.alphaD, 2e-5, 'alphaD');
      assert.ok(t.alphaD.some((v, i) => v === 0 && t.alpha[i] !== 0), 'dropout dropped something');
      assert.deepEqual(Array.from(gAlphaD, (v) => v === 0), Array.from(t.alphaD, (v) => v === 0), 'the same attention coefficients dropped');
      assertClose(await bench.readF32(agg, n * hf), t.agg, 2e-5, 'aggregation');
      assertCloseToScale(await bench.readF32(dsTrg, n * heads), t.dsTrg, 2e-5, 'dsTrg');
      assertCloseToScale(await bench.readF32(dsSrc, n * heads), t.dsSrc, 2e-5, 'dsSrc');
      assertCloseToScale(await bench.readF32(dP, n * hf), t.dP, 2e-5, 'dP');
      const da = await bench.readF32(dAtt, 2 * hf);
      assertCloseToScale(da.subarray(0, hf), t.daSrc, 2e-5, 'da_src');
      assertCloseToScale(da.subarray(hf), t.daTrg, 2e-5, 'da_trg');
    });
  }
});

describe('WGSL heads and bias kernels', () => {
  for (const { heads, fout, nodes } of SHAPES) {
    for (const concat of [true, false]) {
      it(`${heads} heads × ${fout}, ${concat ? 'concat + ELU' : 'mean'}: forward, backward, bias gradient`, async () => {
        const n = nodes;
        const hf = heads * fout;
        const width = concat ? hf : fout;
        const agg = randomArray(n * hf, 5, 2);
        const bias = randomArray(width, 6, 0.5);
        const dOut = randomArray(n * width, 7);
        const rows = everyRow(n);
        const out = new Float32Array(n * width);
        const dAgg = new Float32Array(n * hf);
        const dBias = new Float32Array(width);
        applyHeadsForward(rows, heads, fout, concat, agg, bias, out);
        applyHeadsBackward(rows, heads, fout, concat, out, dOut, dAgg, dBias);
        const [aggB, biasB, outB, dOutB, dAggB, partial, dBiasB] = await Promise.all([
          bench.upload(agg), bench.upload(bias), bench.zeros(n * width), bench.upload(dOut), bench.zeros(n * hf), bench.zeros(partialRows(n) * width), bench.zeros(width),
        ]);
        const shape = { n, heads, fout, concat };
        await bench.run(headsForward, { agg: aggB, bias: biasB, out: outB }, shape);
        await bench.run(headsBackward, { out: outB, dOut: dOutB, dAgg: dAggB }, shape);
        await bench.run(columnSums, { x: concat ? dAggB : dOutB, partial }, { rows: n, width });
        await bench.run(finishSums, { partial, out: dBiasB }, { chunks: partialRows(n), width });
        const gOut = await bench.readF32(outB, n * width);
        assertClose(gOut, out, 1e-6, 'out');
        if (concat) assert.ok(out.some((v) => v < 0) && out.some((v) => v > 0), 'ELU saw both signs');
        assertClose(await bench.readF32(dAggB, n * hf), dAgg, 1e-6, 'dAgg');
        assertClose(await bench.readF32(dBiasB, width), dBias, 1e-5, 'dBias');
      });
    }
  }

  it('ELU near zero keeps expm1\'s relative accuracy', async () => {
    const agg = Float32Array.from([-1e-7, -3e-5, -0.001, -0.3, -0.49, -0.51, -2, -30, 1e-6]);
    const [aggB, biasB, outB] = await Promise.all([bench.upload(agg), bench.zeros(1), bench.zeros(agg.length)]);
    await bench.run(headsForward, { agg: aggB, bias: biasB, out: outB }, { n: agg.length, heads: 1, fout: 1, concat: true });
    const out = await bench.readF32(outB, agg.length);
    agg.forEach((x, i) => {
      const expected = x > 0 ? x : Math.expm1(x);
      assert.ok(Math.abs(out[i] - expected) <= 1e-6 * Math.abs(expected), `ELU(${x}) = ${out[i]}, expected ${expected}`);
    });
  });
});

describe('WGSL skip kernels', () => {
  for (const { heads, fout, nodes } of SHAPES) {
    it(`${heads} heads × ${fout}: projected and identity skip adds, dense and sparse, and the identity backward`, async () => {
      const n = nodes;
      const hf = heads * fout;
      const rows = everyRow(n);
      const agg = randomArray(n * hf, 8);
      const skip = randomArray(n * hf, 9);
      const x = randomArray(n * fout, 10);
      const sparse = tinyGraph({ nodes: n, features: fout, seed: fout }).features;
      const dAgg = randomArray(n * hf, 11);
      const dx = randomArray(n * fout, 12);
      const shape = { n, heads, fout };
      const [aggP, skipB, aggI, xB, aggS, indptr, indices, xs, dAggB, dxB] = await Promise.all([
        bench.upload(agg), bench.upload(skip), bench.upload(agg), bench.upload(x), bench.upload(agg),
        bench.upload(sparse.indptr), bench.upload(sparse.indices), bench.upload(sparse.values), bench.upload(dAgg), bench.upload(dx),
      ]);
      await bench.run(addSkip, { skip: skipB, agg: aggP }, shape);
      await bench.run(addIdentitySkip, { x: xB, agg: aggI }, shape);
      await bench.run(addSparseIdentitySkip, { indptr, indices, xd: xs, agg: aggS }, shape);
      await bench.run(identitySkipBackward, { dAgg: dAggB, dx: dxB }, shape);
      const [tp, ti, tsps, tdx] = [agg.slice(), agg.slice(), agg.slice(), dx.slice()];
      tsAddSkip(rows, hf, skip, tp);
      tsAddIdentitySkip(rows, heads, fout, x, ti);
      tsAddSparseIdentitySkip(sparse.indptr, sparse.indices, sparse.values, rows, heads, fout, tsps);
      tsIdentitySkipBackward(rows, heads, fout, dAgg, tdx);
      assertClose(await bench.readF32(aggP, n * hf), tp, 1e-6, 'projected skip');
      assertClose(await bench.readF32(aggI, n * hf), ti, 1e-6, 'identity skip');
      assertClose(await bench.readF32(aggS, n * hf), tsps, 1e-6, 'sparse identity skip');
      assertClose(await bench.readF32(dxB, n * fout), tdx, 1e-6, 'identity skip backward');
    });
  }
});
