/**
 * GATv2 (kernels/gatV2Layer.ts, PyG's GATv2Conv) on the generic TensorFlow.js engine: its parameter
 * layout under PyG's names, its eval forward against an independent float64 computation
 * (test/helpers/gatV2Reference.ts), and its gradients against finite differences, with separate and
 * shared weights, dropout, skip connections and mean-over-heads output layers.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { selectBackend } from '../../src/gat/backend/backends';
import type { GraphDataset } from '../../src/gat/data/graph';
import type { EngineInput } from '../../src/gat/model/engine';
import { GenericEngine } from '../../src/gat/model/genericEngine';
import { allocateParameters, frozenRanges, initParameters, layerShapes, parameterCount, parameterNames, toNamedTensors, fromNamedTensors } from '../../src/gat/model/parameters';
import { batchOf } from '../helpers/engineCases';
import { gatV2Reference } from '../helpers/gatV2Reference';
import { assertCoordinateGradients, assertDirectionalGradients, engineProbe, largestGradients } from '../helpers/gradientCheck';
import { tinyGraph } from '../helpers/tinyGraph';

interface Case {
  readonly name: string;
  readonly graph: () => GraphDataset;
  readonly heads: number[];
  readonly hidden: number[];
  readonly share: boolean;
  readonly skip?: boolean;
}

const CASES: Case[] = [
  { name: 'paper shape (8 heads × 8, then 1 head), separate W_l and W_r', graph: () => tinyGraph({ nodes: 12, features: 10, classes: 3 }), heads: [8, 1], hidden: [8], share: false },
  { name: 'shared weights (W_l = W_r), mean over 2 output heads', graph: () => tinyGraph({ nodes: 9, features: 6, classes: 4, seed: 11 }), heads: [3, 2], hidden: [5], share: true },
  { name: 'three layers with skip connections (proj, identity, proj), an isolated node', graph: () => tinyGraph({ nodes: 10, features: 7, classes: 2, edges: 4, seed: 5 }), heads: [2, 2, 1], hidden: [3, 6], share: false, skip: true },
];

/** Glorot parameters, with the zero biases (lin_l, lin_r, bias) made non-zero so their gradients show. */
function v2Input(c: Case, dropout: number, seed = 3): EngineInput {
  const g = c.graph();
  const shapes = layerShapes(g.numFeatures, g.numClasses, c.heads, c.hidden, c.skip ?? false, 'learned', 'gatv2', c.share);
  const params = allocateParameters(shapes);
  initParameters(params, seed);
  for (let i = 0; i < params.flat.length; i++) if (params.flat[i] === 0) params.flat[i] = 0.05 * Math.sin(i);
  return { ...batchOf(g), shapes, params, dropout, seed };
}

describe('GATv2 parameters', () => {
  it("are PyG GATv2Conv's tensors in the flat buffer's order, lin_r stored once when weights are shared", () => {
    const sep = layerShapes(1433, 7, [8, 1], [8], false, 'learned', 'gatv2');
    assert.deepEqual(parameterNames(sep), [
      { name: 'gat_net.0.lin_l.weight', shape: [64, 1433] }, { name: 'gat_net.0.lin_l.bias', shape: [64] },
      { name: 'gat_net.0.lin_r.weight', shape: [64, 1433] }, { name: 'gat_net.0.lin_r.bias', shape: [64] },
      { name: 'gat_net.0.att', shape: [1, 8, 8] }, { name: 'gat_net.0.bias', shape: [64] },
      { name: 'gat_net.1.lin_l.weight', shape: [7, 64] }, { name: 'gat_net.1.lin_l.bias', shape: [7] },
      { name: 'gat_net.1.lin_r.weight', shape: [7, 64] }, { name: 'gat_net.1.lin_r.bias', shape: [7] },
      { name: 'gat_net.1.att', shape: [1, 1, 7] }, { name: 'gat_net.1.bias', shape: [7] },
    ]);
    const shared = layerShapes(1433, 7, [8, 1], [8], false, 'learned', 'gatv2', true);
    assert.deepEqual(parameterNames(shared).map((t) => t.name), ['gat_net.0.lin_l.weight', 'gat_net.0.lin_l.bias', 'gat_net.0.att', 'gat_net.0.bias', 'gat_net.1.lin_l.weight', 'gat_net.1.lin_l.bias', 'gat_net.1.att', 'gat_net.1.bias']);
    for (const shapes of [sep, shared]) {
      const total = parameterNames(shapes).reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
      assert.equal(parameterCount(shapes), total, 'the flat buffer holds exactly the named tensors');
    }
    const p = allocateParameters(shared);
    assert.equal(p.layers[0].v2?.weightRT, p.layers[0].weightT, 'shared: W_r is the same view as W_l');
    assert.equal(p.layers[0].v2?.biasR, p.layers[0].v2?.biasL);
    assert.throws(() => layerShapes(10, 3, [2, 1], [4], false, 'learned', 'gat', true), /shared weights .* GATv2 option/);
  });

  it('initialise as PyG does (Glorot weights and att, zero biases) and round-trip through named tensors', () => {
    const shapes = layerShapes(20, 3, [4, 1], [5], false, 'learned', 'gatv2');
    const p = allocateParameters(shapes);
    initParameters(p, 9);
    const l0 = p.layers[0];
    const v2 = l0.v2!;
    const bound = Math.sqrt(6 / (20 + 20));
    assert.ok(l0.weightT.every((v) => Math.abs(v) <= bound) && l0.weightT.some((v) => v !== 0));
    assert.ok(v2.weightRT.some((v, i) => v !== l0.weightT[i]), 'W_r is drawn apart from W_l');
    assert.ok(v2.att.every((v) => Math.abs(v) <= Math.sqrt(6 / (4 + 5))) && v2.att.some((v) => v !== 0));
    assert.ok([v2.biasL, v2.biasR, l0.bias].every((b) => b.every((v) => v === 0)));
    const back = allocateParameters(shapes);
    fromNamedTensors(shapes, toNamedTensors(shapes, p.flat), back.flat);
    assert.deepEqual(back.flat, p.flat);
    const gat = layerShapes(20, 3, [4, 1], [5]);
    assert.throws(() => fromNamedTensors(gat, toNamedTensors(shapes, p.flat), new Float32Array(parameterCount(gat))), /missing tensor 'gat_net\.0\.linear_proj\.weight'/);
  });

  it('uniform attention holds att at zero: it is the one frozen range', () => {
    const shapes = layerShapes(20, 3, [4, 1], [5], false, 'uniform', 'gatv2');
    const p = allocateParameters(shapes);
    initParameters(p, 9);
    const offsetOf = (v: Float32Array): number => (v.byteOffset - p.flat.byteOffset) / 4;
    assert.deepEqual(frozenRanges(shapes), p.layers.map((l) => [offsetOf(l.v2!.att), l.v2!.att.length]));
    assert.ok(p.layers.every((l) => l.v2!.att.every((v) => v === 0)));
    assert.ok(!parameterNames(shapes).some((t) => t.name.endsWith('.att')));
  });
});

describe('GATv2 on the generic engine', () => {
  before(async () => {
    await selectBackend('cpu');
  });

  for (const c of CASES) {
    it(`${c.name}: eval logits and attention match the float64 reference`, () => {
      const input = v2Input(c, 0.6);
      const engine = new GenericEngine(input);
      try {
        const g = c.graph();
        const ref = gatV2Reference(g, input.shapes, toNamedTensors(input.shapes, input.params.flat));
        const nodes = Int32Array.from({ length: g.numNodes }, (_, i) => i);
        const logits = engine.predict(nodes);
        const scale = Math.max(...Array.from(ref.logits, Math.abs));
        assert.ok(scale > 0.1, 'the logits are not all near zero');
        logits.forEach((v, k) => assert.ok(Math.abs(v - ref.logits[k]) <= 1e-5 * Math.max(1, scale), `logit ${k}: ${v} vs ${ref.logits[k]}`));
        const { attention } = engine.analyze();
        const gg = input.graph;
        attention.forEach((alpha, l) => {
          const heads = input.shapes[l].heads;
          const refOf = new Map(ref.edges[l].map(([i, j], k) => [`${i},${j}`, k]));
          assert.equal(refOf.size, gg.numEdges, `layer ${l + 1}: the same edges, self-loops included`);
          for (let e = 0; e < gg.numEdges; e++) {
            const k = refOf.get(`${gg.target[e]},${gg.source[e]}`);
            assert.ok(k !== undefined, `edge ${gg.source[e]} → ${gg.target[e]} is in the reference`);
            for (let h = 0; h < heads; h++) assert.ok(Math.abs(alpha[e * heads + h] - ref.alpha[l][k * heads + h]) <= 1e-6, `layer ${l + 1}, edge ${e}, head ${h}`);
          }
        });
      } finally {
        engine.dispose();
      }
    });

    it(`${c.name}: gradients with dropout match finite differences`, () => {
      const input = v2Input(c, 0.4);
      const engine = new GenericEngine(input);
      try {
        for (const step of [0, 3]) {
          const probe = engineProbe(engine, input.params.flat, step);
          assertCoordinateGradients(probe, largestGradients(probe.grad, 10));
          assertDirectionalGradients(probe, 3);
        }
      } finally {
        engine.dispose();
      }
    });
  }

  it("every tensor gets a gradient: lin_l, lin_r and their biases, att and bias (the score's LeakyReLU reaches both sides)", () => {
    const input = v2Input(CASES[0], 0);
    const engine = new GenericEngine(input);
    try {
      const grad = new Float32Array(input.params.flat.length);
      engine.trainStep(0, grad);
      const named = toNamedTensors(input.shapes, grad);
      for (const t of named) assert.ok(t.data.some((v) => v !== 0), `${t.name} has a non-zero gradient`);
      // Each tensor's own coordinates, checked one at a time (the largest of each).
      const probe = engineProbe(engine, input.params.flat, 0);
      const offsets = allocateParameters(input.shapes, input.params.flat);
      const l1 = offsets.layers[0];
      const at = (v: Float32Array): number => (v.byteOffset - input.params.flat.byteOffset) / 4;
      const largestIn = (v: Float32Array): number => at(v) + largestGradients(probe.grad.subarray(at(v), at(v) + v.length), 1)[0];
      assertCoordinateGradients(probe, [l1.weightT, l1.v2!.biasL, l1.v2!.weightRT, l1.v2!.biasR, l1.v2!.att, l1.bias].map(largestIn));
    } finally {
      engine.dispose();
    }
  });

  it('attention is dynamic: two targets rank the same two sources in opposite orders (GAT cannot, by construction)', () => {
    // Nodes 0 and 1 are sources into targets 2 and 3; one feature per node, one head of width 2.
    // x_l = W_l h, x_r = W_r h with W_l = [1, -1], W_r = [-1, 1] (as columns of the 2-wide head), att = [1, 1]:
    // e_ij = LeakyReLU(h_j − h_i) + LeakyReLU(h_i − h_j) = 0.8·|h_j − h_i|, so each target prefers the source farthest from it.
    const h = [0, 1, 0.1, 0.9];
    const g: GraphDataset = {
      ...tinyGraph({ nodes: 4, features: 1, classes: 2 }),
      features: { rows: 4, cols: 1, indptr: Int32Array.from([0, 1, 2, 3, 4]), indices: new Int32Array(4), values: Float32Array.from(h) },
      edgeSource: Int32Array.from([0, 1, 0, 1]),
      edgeTarget: Int32Array.from([2, 2, 3, 3]),
    };
    const shapes = layerShapes(1, 2, [1], [], false, 'learned', 'gatv2');
    const params = allocateParameters(shapes);
    const l = params.layers[0];
    l.weightT.set([1, -1]);
    l.v2!.weightRT.set([-1, 1]);
    l.v2!.att.set([1, 1]);
    const engine = new GenericEngine({ ...batchOf(g), shapes, params, dropout: 0, seed: 1 });
    try {
      const [alpha] = engine.analyze().attention;
      const gg = batchOf(g).graph;
      const weight = (j: number, i: number): number => {
        for (let e = 0; e < gg.numEdges; e++) if (gg.source[e] === j && gg.target[e] === i) return alpha[e];
        throw new Error(`no edge ${j} → ${i}`);
      };
      assert.ok(weight(1, 2) > weight(0, 2), `target 2 (h = 0.1) prefers source 1 (h = 1): ${weight(1, 2)} vs ${weight(0, 2)}`);
      assert.ok(weight(0, 3) > weight(1, 3), `target 3 (h = 0.9) prefers source 0 (h = 0): ${weight(0, 3)} vs ${weight(1, 3)}`);
    } finally {
      engine.dispose();
    }
  });

  it('uniform attention (att held at 0): every coefficient is 1/(in-degree + 1)', () => {
    const g = tinyGraph({ nodes: 14, features: 9, classes: 4, seed: 3, edges: 30 });
    const shapes = layerShapes(g.numFeatures, g.numClasses, [3, 2], [5], false, 'uniform', 'gatv2');
    const params = allocateParameters(shapes);
    initParameters(params, 3);
    const engine = new GenericEngine({ ...batchOf(g), shapes, params, dropout: 0, seed: 3 });
    try {
      const gg = batchOf(g).graph;
      const incoming = new Int32Array(gg.numNodes);
      for (let e = 0; e < gg.numEdges; e++) incoming[gg.target[e]]++;
      engine.analyze().attention.forEach((alpha, l) => {
        const heads = shapes[l].heads;
        alpha.forEach((a, k) => assert.ok(Math.abs(a - 1 / incoming[gg.target[Math.floor(k / heads)]]) <= 1e-7, `layer ${l + 1}, entry ${k}`));
      });
    } finally {
      engine.dispose();
    }
  });

  it('shared weights: the gradient of W is the sum of what the left and the right side give it', () => {
    const base = CASES[1];
    const shared = v2Input(base, 0);
    const separate = v2Input({ ...base, share: false }, 0);
    // The separate model with W_r := W_l, b_r := b_l computes the same function at this point.
    const s = allocateParameters(shared.shapes, shared.params.flat);
    const d = allocateParameters(separate.shapes, separate.params.flat);
    s.layers.forEach((l, i) => {
      const o = d.layers[i];
      o.weightT.set(l.weightT);
      o.v2!.weightRT.set(l.weightT);
      o.v2!.biasL.set(l.v2!.biasL);
      o.v2!.biasR.set(l.v2!.biasL);
      o.v2!.att.set(l.v2!.att);
      o.bias.set(l.bias);
    });
    const gs = new Float32Array(shared.params.flat.length);
    const gd = new Float32Array(separate.params.flat.length);
    const es = new GenericEngine(shared);
    const ed = new GenericEngine(separate);
    try {
      const rs = es.trainStep(0, gs);
      const rd = ed.trainStep(0, gd);
      assert.ok(Math.abs(rs.loss - rd.loss) < 1e-6, `same loss: ${rs.loss} vs ${rd.loss}`);
      const vs = allocateParameters(shared.shapes, gs);
      const vd = allocateParameters(separate.shapes, gd);
      vs.layers.forEach((l, i) => {
        const o = vd.layers[i];
        l.weightT.forEach((g, k) => assert.ok(Math.abs(g - (o.weightT[k] + o.v2!.weightRT[k])) <= 1e-6, `layer ${i + 1} W[${k}]`));
        l.v2!.biasL.forEach((g, k) => assert.ok(Math.abs(g - (o.v2!.biasL[k] + o.v2!.biasR[k])) <= 1e-6, `layer ${i + 1} b[${k}]`));
      });
    } finally {
      es.dispose();
      ed.dispose();
    }
  });
});
