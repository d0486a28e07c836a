/**
 * The pieces PPI adds to the engines: skip connections (projected and identity), mean over heads,
 * multi-label binary cross-entropy, wide layers on dense GEMMs, and batches bound one after another.
 * Each is checked engine against engine (fused vs generic TensorFlow.js ops with autodiff), kernels
 * against kernels (TypeScript vs WebAssembly SIMD, TypeScript vs TensorFlow.js products), and
 * against finite differences.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { selectBackend } from '../../src/gat/backend/backends';
import type { GraphDataset } from '../../src/gat/data/graph';
import { tfjsProducts, typescriptProducts } from '../../src/gat/kernels/denseProducts';
import { FusedEngine } from '../../src/gat/model/fusedEngine';
import { GenericEngine } from '../../src/gat/model/genericEngine';
import { binaryCrossEntropy, microF1 } from '../../src/gat/model/loss';
import { parameterNames, toNamedTensors } from '../../src/gat/model/parameters';
import { mix32 } from '../../src/gat/kernels/random';
import { batchOf, engineInput, everyNode, multiLabelGraph } from '../helpers/engineCases';
import { assertCoordinateGradients, engineProbe, largestGradients } from '../helpers/gradientCheck';
import { assertClose } from '../helpers/webgpuArrays';

/** PPI's architecture in miniature: 3 layers, heads [4, 4, 6]-like, skip everywhere, mean over the last heads. */
const CASES: Array<{ name: string; graph: () => GraphDataset; heads: number[]; hidden: number[]; gemm: boolean }> = [
  { name: 'PPI-like, projected skips, widths off multiples of 4', graph: () => multiLabelGraph({ nodes: 14, features: 6, labels: 5, seed: 4 }), heads: [3, 2, 3], hidden: [5, 7], gemm: false },
  { name: 'identity skip where FOUT equals FIN', graph: () => multiLabelGraph({ nodes: 11, features: 4, labels: 3, seed: 8 }), heads: [2, 2], hidden: [4], gemm: false },
  { name: 'wide layers on GEMMs (FIN·NH·FOUT ≥ 16384)', graph: () => multiLabelGraph({ nodes: 12, features: 8, labels: 9, seed: 21, edges: 30 }), heads: [4, 4, 2], hidden: [64, 32], gemm: true },
];

describe('inductive GAT: fused kernels and generic TensorFlow.js ops agree', () => {
  before(async () => {
    await selectBackend('cpu');
  });

  for (const c of CASES) {
    for (const dropout of [0, 0.4]) {
      it(`${c.name}, dropout ${dropout}: same logits, attention, BCE loss, micro-F1 and gradients`, () => {
        const input = engineInput(c.graph(), c.heads, c.hidden, dropout, true);
        const fused = new FusedEngine(input);
        const generic = new GenericEngine(input);
        const nodes = everyNode(input.graph.numNodes);
        assertClose(fused.predict(nodes), generic.predict(nodes), 2e-5, 'logits');
        const a = fused.analyze();
        const b = generic.analyze();
        a.attention.forEach((att, l) => assertClose(att, b.attention[l], 2e-5, `attention layer ${l}`));
        const gf = new Float32Array(input.params.flat.length);
        const gg = new Float32Array(input.params.flat.length);
        const rf = fused.trainStep(3, gf);
        const rg = generic.trainStep(3, gg);
        assert.ok(Math.abs(rf.loss - rg.loss) < 1e-5, `loss ${rf.loss} vs ${rg.loss}`);
        assert.deepEqual(rf.counts, rg.counts, 'micro-F1 counts');
        assert.equal(rf.acc, rg.acc);
        assert.ok(gf.some((v) => v !== 0));
        assertClose(gf, gg, 3e-4, 'gradient');
        generic.dispose();
      });
    }
  }

  it('the skip projections are real parameters with the original\'s names, and they matter', () => {
    const input = engineInput(CASES[0].graph(), CASES[0].heads, CASES[0].hidden, 0, true);
    const names = parameterNames(input.shapes).map((t) => t.name);
    for (let l = 0; l < 3; l++) assert.ok(names.includes(`gat_net.${l}.skip_proj.weight`), `layer ${l} has skip_proj`);
    const skip = toNamedTensors(input.shapes, input.params.flat).find((t) => t.name === 'gat_net.1.skip_proj.weight');
    assert.deepEqual(skip?.shape, [14, 15], 'NH·FOUT × FIN, as nn.Linear stores it');
    const engine = new FusedEngine(input);
    const nodes = everyNode(input.graph.numNodes);
    const before = engine.predict(nodes);
    input.params.layers[1].skipT?.fill(0);
    const after = engine.predict(nodes);
    assert.ok(before.some((v, i) => Math.abs(v - after[i]) > 1e-4), 'zeroing a skip projection changes the outputs');
  });
});

describe('inductive GAT: kernels against kernels', () => {
  for (const c of CASES) {
    it(`${c.name}: WebAssembly SIMD hot kernels give the TypeScript kernels' numbers`, () => {
      const input = engineInput(c.graph(), c.heads, c.hidden, 0.3, true);
      const ts = new FusedEngine(input);
      const simd = new FusedEngine({ ...input, hotKernels: 'wasm-simd' });
      const nodes = everyNode(input.graph.numNodes);
      assertClose(simd.predict(nodes), ts.predict(nodes), 1e-5, 'logits');
      const gt = new Float32Array(input.params.flat.length);
      const gs = new Float32Array(input.params.flat.length);
      assert.ok(Math.abs(ts.trainStep(2, gt).loss - simd.trainStep(2, gs).loss) < 1e-5);
      assertClose(gs, gt, 1e-4, 'gradient');
      simd.dispose();
    });
  }

  it('GEMMs through TensorFlow.js give the TypeScript products (all transpose and accumulate cases)', async () => {
    await selectBackend('cpu');
    const [m, k, n] = [13, 37, 21];
    const rand = (len: number, seed: number): Float32Array => Float32Array.from({ length: len }, (_, i) => mix32(seed + i) / 4294967296 - 0.5);
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        for (const accumulate of [false, true]) {
          const a = rand(m * k, 1);
          const b = rand(k * n, 2);
          const x = rand(m * n, 3);
          const y = x.slice();
          tfjsProducts.matmul(a, b, m, k, n, { transposeA, transposeB, accumulate }, x);
          typescriptProducts.matmul(a, b, m, k, n, { transposeA, transposeB, accumulate }, y);
          assertClose(x, y, 1e-5, `A${transposeA ? 'ᵀ' : ''}·B${transposeB ? 'ᵀ' : ''}${accumulate ? ' +=' : ''}`);
        }
      }
    }
  });

  it('the wide case runs its products through the GEMM provider it is given', () => {
    const input = engineInput(CASES[2].graph(), CASES[2].heads, CASES[2].hidden, 0, true);
    let calls = 0;
    const counting = { name: 'typescript' as const, matmul: (...args: Parameters<typeof typescriptProducts.matmul>) => { calls++; typescriptProducts.matmul(...args); } };
    const viaTs = new FusedEngine(input).predict(everyNode(input.graph.numNodes));
    const viaCounter = new FusedEngine(input, counting).predict(everyNode(input.graph.numNodes));
    assert.ok(calls >= 4, `two wide layers × (projection + skip): ${calls} products`);
    assert.deepEqual(Array.from(viaCounter), Array.from(viaTs));
  });
});

describe('inductive GAT: fused gradients match finite differences', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const input = engineInput(c.graph(), c.heads, c.hidden, 0.3, true);
      const flat = input.params.flat;
      const probe = engineProbe(new FusedEngine(input), flat, 2);
      // The largest gradients, plus the largest of every skip projection (which the others may not reach).
      const skips = input.params.layers.flatMap(({ skipT }) => {
        if (!skipT) return [];
        const base = (skipT.byteOffset - flat.byteOffset) / 4;
        return largestGradients(probe.grad, 1, (i) => i >= base && i < base + skipT.length);
      });
      assertCoordinateGradients(probe, [...largestGradients(probe.grad, 10), ...skips]);
    });
  }
});

describe('batches of graphs', () => {
  it('an engine bound to graph after graph gives what a fresh engine per graph gives', () => {
    const graphs = [multiLabelGraph({ nodes: 9, features: 6, labels: 5, seed: 1 }), multiLabelGraph({ nodes: 15, features: 6, labels: 5, seed: 2, edges: 40 }), multiLabelGraph({ nodes: 6, features: 6, labels: 5, seed: 3 })];
    const batches = graphs.map(batchOf);
    const input = engineInput(graphs[0], [3, 2, 3], [5, 7], 0.2, true);
    const capacity = { nodes: 15, edges: Math.max(...batches.map((b) => b.graph.numEdges)), nonZeros: 15 * 6 };
    for (const hotKernels of ['typescript', 'wasm-simd'] as const) {
      const shared = new FusedEngine({ ...input, capacity, hotKernels });
      for (const round of [0, 1]) {
        for (const [i, b] of batches.entries()) {
          shared.bind(b);
          const fresh = new FusedEngine({ ...input, ...b, hotKernels });
          const nodes = everyNode(b.graph.numNodes);
          assert.deepEqual(Array.from(shared.predict(nodes)), Array.from(fresh.predict(nodes)), `${hotKernels}: graph ${i}, round ${round}: logits`);
          const g1 = new Float32Array(input.params.flat.length);
          const g2 = new Float32Array(input.params.flat.length);
          assert.equal(shared.trainStep(7, g1).loss, fresh.trainStep(7, g2).loss);
          assert.deepEqual(Array.from(g1), Array.from(g2), `${hotKernels}: graph ${i}: gradient`);
          assert.equal(shared.analyze().attention[0].length, b.graph.numEdges * 3);
          fresh.dispose();
        }
      }
      assert.throws(() => shared.bind(batchOf(multiLabelGraph({ nodes: 16, features: 6, labels: 5, seed: 9 }))), /exceeds the engine's capacity/);
      shared.dispose();
    }
  });

  it('the generic engine rebinds too', async () => {
    await selectBackend('cpu');
    const graphs = [multiLabelGraph({ nodes: 9, features: 6, labels: 5, seed: 1 }), multiLabelGraph({ nodes: 12, features: 6, labels: 5, seed: 2 })];
    const input = engineInput(graphs[0], [2, 3], [4], 0, true);
    const shared = new GenericEngine(input);
    shared.bind(batchOf(graphs[1]));
    const fresh = new FusedEngine({ ...input, ...batchOf(graphs[1]) });
    assertClose(shared.predict(everyNode(12)), fresh.predict(everyNode(12)), 2e-5, 'logits after rebinding');
    shared.dispose();
  });

  it('a transductive graph with skip connections trains on a subset of nodes (rows gathered for the GEMMs)', async () => {
    await selectBackend('cpu');
    const g = multiLabelGraph({ nodes: 30, features: 8, labels: 9, seed: 5, edges: 40 });
    const input = { ...engineInput(g, [4, 4, 2], [64, 32], 0.3, true), trainNodes: Int32Array.of(1, 4, 9, 20) };
    const fused = new FusedEngine(input);
    const generic = new GenericEngine(input);
    const gf = new Float32Array(input.params.flat.length);
    const gg = new Float32Array(input.params.flat.length);
    assert.ok(Math.abs(fused.trainStep(1, gf).loss - generic.trainStep(1, gg).loss) < 1e-5);
    assertClose(gf, gg, 3e-4, 'gradient');
    assertClose(fused.predict(Int32Array.of(20, 3)), generic.predict(Int32Array.of(20, 3)), 2e-5, 'logits of two nodes');
    generic.dispose();
  });
});

describe('multi-label loss and micro-F1', () => {
  it('match PyTorch BCEWithLogitsLoss and scikit-learn micro-F1 on a worked example', () => {
    const logits = Float32Array.of(2, -1, 0.5, -3, 40, -40);
    const targets = Uint8Array.of(1, 0, 0, 1, 1, 0);
    const { loss, counts } = binaryCrossEntropy(logits, 3, Int32Array.of(0, 1), targets, true);
    const softplus = (x: number): number => Math.log1p(Math.exp(x));
    const expected = (softplus(-2) + softplus(-1) + softplus(0.5) + softplus(3) + softplus(-40) + softplus(-40)) / 6;
    assert.ok(Math.abs(loss - expected) < 1e-12, `${loss} vs ${expected}`);
    assert.deepEqual(counts, { tp: 2, fp: 1, fn: 1 });
    assert.equal(microF1(counts), 4 / 6);
    assert.equal(microF1({ tp: 0, fp: 0, fn: 0 }), 0);
  });
});
