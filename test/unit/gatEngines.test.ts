import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { selectBackend } from '../../src/gat/backend/backends';
import type { GraphDataset } from '../../src/gat/data/graph';
import { FusedEngine, createFusedKernels } from '../../src/gat/model/fusedEngine';
import { GraphError, buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { GenericEngine } from '../../src/gat/model/genericEngine';
import { typescriptKernels, type HotKernels } from '../../src/gat/kernels/hotKernels';
import { createWasmKernels, kernelPoolOf } from '../../src/gat/kernels/wasmKernels';
import { dropoutSpec, mix32 } from '../../src/gat/kernels/random';
import { Adam } from '../../src/gat/model/adam';
import { engineInput } from '../helpers/engineCases';
import { assertCoordinateGradients, assertDirectionalGradients, engineProbe, largestGradients } from '../helpers/gradientCheck';
import { tinyGraph } from '../helpers/tinyGraph';
import { assertClose } from '../helpers/webgpuArrays';

/** `a` copied into memory of kernels `k` (wasm memory for the SIMD kernels). */
function copyInto(k: HotKernels, a: Float32Array): Float32Array {
  const b = k.allocF32(a.length);
  b.set(a);
  return b;
}

const CASES: Array<{ name: string; graph: () => GraphDataset; heads: number[]; hidden: number[] }> = [
  { name: 'paper shape (8 heads × 8, then 1 head)', graph: () => tinyGraph({ nodes: 12, features: 10, classes: 3 }), heads: [8, 1], hidden: [8] },
  { name: 'odd widths, mean over 2 output heads', graph: () => tinyGraph({ nodes: 9, features: 6, classes: 4, seed: 11 }), heads: [3, 2], hidden: [5] },
  { name: 'three layers, an isolated node', graph: () => tinyGraph({ nodes: 10, features: 7, classes: 2, edges: 4, seed: 5 }), heads: [2, 2, 1], hidden: [4, 3] },
];

describe('fused kernels and generic TensorFlow.js ops agree', () => {
  before(async () => {
    await selectBackend('cpu');
  });

  for (const c of CASES) {
    it(`${c.name}: same eval logits and attention`, () => {
      const input = engineInput(c.graph(), c.heads, c.hidden, 0.6);
      const fused = new FusedEngine(input);
      const generic = new GenericEngine(input);
      const nodes = Int32Array.from({ length: input.graph.numNodes }, (_, i) => i);
      assertClose(fused.predict(nodes), generic.predict(nodes), 1e-5, 'logits');
      const a = fused.analyze();
      const b = generic.analyze();
      a.attention.forEach((att, l) => assertClose(att, b.attention[l], 1e-5, `attention layer ${l}`));
      generic.dispose();
    });

    it(`${c.name}: same training loss and gradients with dropout`, () => {
      const input = engineInput(c.graph(), c.heads, c.hidden, 0.6);
      const size = input.params.flat.length;
      for (const step of [0, 5]) {
        const gf = new Float32Array(size);
        const gg = new Float32Array(size);
        const rf = new FusedEngine(input).trainStep(step, gf);
        const generic = new GenericEngine(input);
        const rg = generic.trainStep(step, gg);
        generic.dispose();
        assert.ok(Math.abs(rf.loss - rg.loss) < 1e-5, `loss ${rf.loss} vs ${rg.loss}`);
        assert.equal(rf.acc, rg.acc);
        assert.ok(gf.some((v) => v !== 0), 'gradient is not all zero');
        assertClose(gf, gg, 2e-4, `gradient at step ${step}`);
      }
    });
  }
});

describe('WebAssembly SIMD hot kernels', () => {
  for (const c of CASES) {
    it(`${c.name}: same logits and gradients as the TypeScript kernels`, () => {
      const input = engineInput(c.graph(), c.heads, c.hidden, 0.6);
      const ts = new FusedEngine(input);
      const simd = new FusedEngine({ ...input, hotKernels: 'wasm-simd' });
      assert.equal(simd.hotKernels, 'wasm-simd');
      const nodes = Int32Array.from({ length: input.graph.numNodes }, (_, i) => i);
      assertClose(simd.predict(nodes), ts.predict(nodes), 1e-5, 'logits');
      const gt = new Float32Array(input.params.flat.length);
      const gs = new Float32Array(input.params.flat.length);
      const rt = ts.trainStep(4, gt);
      const rs = simd.trainStep(4, gs);
      assert.ok(Math.abs(rt.loss - rs.loss) < 1e-5);
      assertClose(gs, gt, 1e-4, 'gradient');
    });
  }
});

describe('WebAssembly SIMD kernels, one by one', () => {
  // Shapes on the vector path (heads and features multiples of 4) and off it; scores up to ±spread
  // so the softmax's exp sees large negative arguments and the ELU both of its sides.
  const SHAPES = [
    { heads: 8, fout: 8, spread: 3 },
    { heads: 4, fout: 4, spread: 60 },
    { heads: 3, fout: 5, spread: 3 },
    { heads: 1, fout: 7, spread: 20 },
  ];
  for (const { heads, fout, spread } of SHAPES) {
    it(`${heads} heads × ${fout}: scores, softmax with dropout, attention backward, heads`, () => {
      const g = buildGatGraph(tinyGraph({ nodes: 40, edges: 120, seed: 9 }));
      const n = g.numNodes;
      const e = g.numEdges;
      const hf = heads * fout;
      let state = 17;
      const fill = (a: Float32Array, scale: number): Float32Array => {
        for (let i = 0; i < a.length; i++) a[i] = scale * (((state = mix32(state + i)) / 4294967296) * 2 - 1);
        return a;
      };
      const wasm = createWasmKernels(4 * 64 * (n * hf + e * heads + 4 * hf), 64 * 1024);
      // Inputs shared by both implementations (copied into wasm memory), outputs allocated per implementation.
      const rand = (len: number, scale: number): Float32Array => fill(new Float32Array(len), scale);
      const p = rand(n * hf, 1);
      const aSrc = rand(hf, spread / Math.sqrt(fout));
      const aTrg = rand(hf, spread / Math.sqrt(fout));
      const dOut = rand(n * hf, 1);
      const agg = rand(n * hf, 2);
      const bias = rand(hf, 0.5);
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const targets = Int32Array.from({ length: n / 2 }, (_, i) => 2 * i + 1);
      const key = mix32(12345);
      const { threshold, scale } = dropoutSpec(0.6);
      const run = (k: HotKernels): Record<string, Float32Array> => {
        const copy = (a: Float32Array): Float32Array => copyInto(k, a);
        const o = {
          p: copy(p), aSrc: copy(aSrc), aTrg: copy(aTrg), dOut: copy(dOut), agg: copy(agg), bias: copy(bias),
          sSrc: k.allocF32(n * heads), sTrg: k.allocF32(n * heads), alpha: k.allocF32(e * heads), alphaD: k.allocF32(e * heads),
          dP: k.allocF32(n * hf), dsSrc: k.allocF32(n * heads), dsTrg: k.allocF32(n * heads), tmp: k.allocF32(e * heads),
          daSrc: k.allocF32(hf), daTrg: k.allocF32(hf), out: k.allocF32(n * hf), dAgg: k.allocF32(n * hf), dBias: k.allocF32(hf),
          alphaEval: k.allocF32(e * heads), alphaDEval: k.allocF32(e * heads),
        };
        k.nodeScores(o.p, rows, heads, fout, o.aSrc, o.aTrg, o.sSrc, o.sTrg);
        k.edgeSoftmax(g, targets, heads, o.sSrc, o.sTrg, key, 0, 1, o.alphaEval, o.alphaDEval);
        k.edgeSoftmax(g, targets, heads, o.sSrc, o.sTrg, key, threshold, scale, o.alpha, o.alphaD);
        k.attentionBackward(g, targets, heads, fout, o.p, o.dOut, o.alpha, o.alphaD, o.sSrc, o.sTrg, key, threshold, scale, o.dP, o.dsSrc, o.dsTrg, o.tmp);
        k.nodeScoresBackward(o.p, rows, heads, fout, o.aSrc, o.aTrg, o.dsSrc, o.dsTrg, o.dP, o.daSrc, o.daTrg);
        k.applyHeadsForward(targets, heads, fout, true, o.agg, o.bias, o.out);
        k.applyHeadsBackward(targets, heads, fout, true, o.out, o.dOut, o.dAgg, o.dBias);
        return o;
      };
      const t = run(typescriptKernels);
      const w = run(wasm);
      assert.ok(t.alphaD.some((v, i) => v === 0 && t.alpha[i] !== 0), 'dropout dropped something');
      assert.ok(t.out.some((v) => v < 0) && t.out.some((v) => v > 0), 'ELU saw both signs');
      for (const name of ['sSrc', 'sTrg', 'alphaEval', 'alphaDEval', 'alpha', 'alphaD', 'tmp', 'dP', 'dsSrc', 'dsTrg', 'daSrc', 'daTrg', 'out', 'dAgg', 'dBias']) {
        assertClose(w[name], t[name], 2e-5, name);
      }
    });
  }
});

describe('WebAssembly SIMD kernels, one by one: dropout, dense projection, aggregation', () => {
  for (const [fin, hf] of [[64, 7], [64, 8], [9, 2], [12, 5]]) {
    it(`FIN ${fin} → ${hf} columns`, () => {
      const g = buildGatGraph(tinyGraph({ nodes: 40, edges: 120, seed: 4 }));
      const features = tinyGraph({ nodes: 40, features: 30, seed: 6 }).features;
      const n = g.numNodes;
      let state = 5;
      const rand = (len: number): Float32Array => Float32Array.from({ length: len }, (_, i) => ((state = mix32(state + i)) / 4294967296) * 2 - 1);
      const x = rand(n * fin);
      const wT = rand(fin * hf);
      const dOut = rand(n * hf);
      const alphaD = rand(g.numEdges);
      const rows = Int32Array.from({ length: n - 3 }, (_, i) => i + 2);
      const key = mix32(777);
      const { threshold, scale } = dropoutSpec(0.6);
      const run = (k: HotKernels): Record<string, Float32Array> => {
        const copy = (a: Float32Array): Float32Array => copyInto(k, a);
        const values = copy(features.values);
        const o = {
          xs: k.allocF32(values.length), xd: k.allocF32(n * fin), p: k.allocF32(n * hf), pEval: k.allocF32(n * hf),
          dwT: copy(wT), dx: k.allocF32(n * fin), agg: k.allocF32(n * hf),
        };
        k.dropSparseInput({ ...features, values }, rows, key, threshold, scale, o.xs);
        const xk = copy(x);
        k.dropDense(xk, rows, fin, key, threshold, scale, o.xd);
        const wk = copy(wT);
        k.denseProject(o.xd, rows, fin, wk, hf, o.p);
        k.denseProject(xk, rows, fin, wk, hf, o.pEval);
        k.denseProjectGrad(o.xd, rows, fin, key, threshold, scale, wk, hf, copy(dOut), o.dwT, o.dx);
        k.aggregate(g, rows, 1, hf, copy(alphaD), o.p, o.agg);
        return o;
      };
      const t = run(typescriptKernels);
      const w = run(createWasmKernels(1 << 20, 64 * 1024));
      assert.ok(t.xd.some((v, i) => v === 0 && x[i] !== 0) && t.xs.some((v) => v === 0), 'dropout dropped something');
      for (const name of ['xs', 'xd', 'p', 'pEval', 'dwT', 'dx', 'agg']) assertClose(w[name], t[name], 2e-5, name);
    });
  }
});

describe('two kernel threads', () => {
  it('give the same bits as one: logits, attention, training loss and gradients', () => {
    const input = engineInput(tinyGraph({ nodes: 30, features: 12, classes: 3, edges: 70, seed: 8 }), [8, 1], [8], 0.6);
    const one = new FusedEngine({ ...input, hotKernels: 'wasm-simd', threads: 1 });
    // grain 1: split every call, small as this graph's are (by default they would run on one thread)
    const kernels = createFusedKernels({ ...input, hotKernels: 'wasm-simd', threads: 2 }, input.params.flat.length, 4, 1);
    const two = new FusedEngine({ ...input, hotKernels: 'wasm-simd', kernels });
    try {
      assert.equal(one.threads, 1);
      assert.equal(two.threads, 2);
      const nodes = Int32Array.from({ length: input.graph.numNodes }, (_, i) => i);
      assert.deepEqual(Array.from(two.predict(nodes)), Array.from(one.predict(nodes)), 'logits');
      const a1 = one.analyze().attention;
      const a2 = two.analyze().attention;
      a1.forEach((att, l) => assert.deepEqual(Array.from(a2[l]), Array.from(att), `attention layer ${l}`));
      for (const step of [0, 3]) {
        const g1 = new Float32Array(input.params.flat.length);
        const g2 = new Float32Array(input.params.flat.length);
        const r1 = one.trainStep(step, g1);
        const r2 = two.trainStep(step, g2);
        assert.equal(r2.loss, r1.loss);
        assert.deepEqual(Array.from(g2), Array.from(g1), `gradient at step ${step}`);
      }
      assert.ok((kernelPoolOf(kernels)?.splitCalls.get('attention_backward_sources') ?? 0) > 0, 'the calls did split');
    } finally {
      one.dispose();
      two.dispose();
      kernels.dispose();
    }
  });

  it('Adam split across them gives the same bits', () => {
    const size = 4099;
    const run = (threads: number): number[] => {
      const k = createWasmKernels(1 << 20, 64 * 1024, threads, 1);
      try {
        assert.equal(k.threads, threads);
        const adam = new Adam(size, { lr: 5e-3, weightDecay: 5e-4 }, k);
        const params = k.allocF32(size);
        const grad = k.allocF32(size);
        for (let i = 0; i < size; i++) params[i] = Math.sin(i);
        for (let step = 0; step < 3; step++) {
          for (let i = 0; i < size; i++) grad[i] = Math.cos(i * (step + 1));
          adam.update(params, grad);
        }
        return [...params, ...adam.m, ...adam.v];
      } finally {
        k.dispose();
      }
    };
    assert.deepEqual(run(2), run(1));
    assert.deepEqual(run(3), run(1));
  });
});

describe('WebAssembly SIMD Adam', () => {
  it('gives the same bits as the TypeScript loop (f64x2, same operation order)', () => {
    const size = 1003; // not a multiple of 4: the scalar tail too
    const wasm = createWasmKernels(1 << 20, 64 * 1024);
    let state = 3;
    const rand = (scale: number): number => scale * (((state = mix32(state + 1)) / 4294967296) * 2 - 1);
    const init = Float32Array.from({ length: size }, () => rand(1));
    const opts = { lr: 5e-3, weightDecay: 5e-4 };
    const ts = { adam: new Adam(size, opts), params: Float32Array.from(init), grad: new Float32Array(size) };
    const simd = { adam: new Adam(size, opts, wasm), params: wasm.allocF32(size), grad: wasm.allocF32(size) };
    simd.params.set(init);
    assert.ok(wasm.owns(simd.adam.m) && wasm.owns(simd.params));
    for (let step = 0; step < 5; step++) {
      for (let i = 0; i < size; i++) ts.grad[i] = simd.grad[i] = rand(i % 7 === 0 ? 1e-6 : 0.3);
      ts.adam.update(ts.params, ts.grad);
      simd.adam.update(simd.params, simd.grad);
      assert.deepEqual(Array.from(simd.params), Array.from(ts.params), `params after step ${step + 1}`);
      assert.deepEqual(Array.from(simd.adam.m), Array.from(ts.adam.m), `m after step ${step + 1}`);
      assert.deepEqual(Array.from(simd.adam.v), Array.from(ts.adam.v), `v after step ${step + 1}`);
    }
  });
});

describe('fused gradients match finite differences', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const input = engineInput(c.graph(), c.heads, c.hidden, 0.6);
      const probe = engineProbe(new FusedEngine(input), input.params.flat, 2);
      // Per coordinate for the largest gradients, and along random directions for all of them.
      assertCoordinateGradients(probe, largestGradients(probe.grad, 12));
      assertDirectionalGradients(probe, 3);
    });
  }
});

describe('attention coefficients', () => {
  it('lie in [0, 1] and sum to 1 over every neighbourhood, self-loop included', () => {
    const input = engineInput(tinyGraph({ nodes: 15, seed: 2 }), [4, 2], [3], 0.6);
    const { attention } = new FusedEngine(input).analyze();
    const g = input.graph;
    attention.forEach((att, l) => {
      const heads = input.shapes[l].heads;
      assert.equal(att.length, g.numEdges * heads);
      for (let i = 0; i < g.numNodes; i++) {
        const own = Array.from(g.source.subarray(g.rowPtr[i], g.rowPtr[i + 1]));
        assert.ok(own.includes(i), `node ${i} has its self-loop`);
        for (let h = 0; h < heads; h++) {
          let sum = 0;
          for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) {
            const a = att[e * heads + h];
            assert.ok(a >= 0 && a <= 1, `alpha ${a}`);
            sum += a;
          }
          assert.ok(Math.abs(sum - 1) < 1e-5, `layer ${l} node ${i} head ${h} sums to ${sum}`);
        }
      }
    });
  });
});

describe('invalid graphs', () => {
  it('an edge index out of range is a GraphError naming the edge', () => {
    const g = tinyGraph();
    const bad = { ...g, edgeSource: Int32Array.from([...g.edgeSource, 0]), edgeTarget: Int32Array.from([...g.edgeTarget, 99]) };
    assert.throws(() => buildGatGraph(bad), (e: unknown) => e instanceof GraphError && /edge \d+ \(0 → 99\) points outside the 12 nodes/.test(e.message));
  });

  it('mismatched edge arrays are a GraphError', () => {
    const g = tinyGraph();
    assert.throws(() => buildGatGraph({ ...g, edgeTarget: g.edgeTarget.subarray(1) }), /edgeSource has \d+ entries but edgeTarget has \d+/);
  });

  it('a node without edges still gets its self-loop and a finite output', () => {
    const g = tinyGraph();
    const keep = Array.from(g.edgeSource.keys()).filter((e) => g.edgeSource[e] !== 0 && g.edgeTarget[e] !== 0);
    const lonely = { ...g, edgeSource: Int32Array.from(keep, (e) => g.edgeSource[e]), edgeTarget: Int32Array.from(keep, (e) => g.edgeTarget[e]) };
    const input = engineInput(lonely, [2, 1], [4], 0);
    assert.deepEqual(Array.from(input.graph.source.subarray(input.graph.rowPtr[0], input.graph.rowPtr[1])), [0]);
    const logits = new FusedEngine(input).predict(Int32Array.of(0));
    assert.ok(logits.every(Number.isFinite));
  });
});
