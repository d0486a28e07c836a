/**
 * `--attention uniform`, the GAT paper's Const-GAT control: the same network with every attention
 * coefficient fixed to 1/(in-degree + 1) and no scoring parameters. Checked in the parameter
 * layout, in both CPU engines against finite differences, and through the real CLI (artifacts,
 * exact resume, `gat analyze`, and a learned checkpoint refused).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readCheckpoint, readModelBinary } from '../../src/gat/artifacts/checkpoint';
import { readMetrics, readRun } from '../../src/gat/artifacts/runRecord';
import { selectBackend } from '../../src/gat/backend/backends';
import type { EngineInput } from '../../src/gat/model/engine';
import { FusedEngine } from '../../src/gat/model/fusedEngine';
import { GenericEngine } from '../../src/gat/model/genericEngine';
import { allocateParameters, frozenRanges, initParameters, layerShapes, parameterNames } from '../../src/gat/model/parameters';
import { batchOf } from '../helpers/engineCases';
import { runGat } from '../helpers/cli';
import { assertCoordinateGradients, engineProbe, largestGradients } from '../helpers/gradientCheck';
import { tinyGraph } from '../helpers/tinyGraph';
import { runDirs, trainCora } from '../helpers/trainedCora';

/** A uniform-attention model on a small graph, biases made non-zero so their gradients show. */
function uniformInput(seed = 3): EngineInput {
  const g = tinyGraph({ nodes: 14, features: 9, classes: 4, seed, edges: 30 });
  const shapes = layerShapes(g.numFeatures, g.numClasses, [3, 2], [5], false, 'uniform');
  const params = allocateParameters(shapes);
  initParameters(params, seed);
  for (const l of params.layers) l.bias.forEach((_, i) => (l.bias[i] = 0.05 * Math.sin(i + 1)));
  return { ...batchOf(g), shapes, params, dropout: 0.3, seed };
}

describe('uniform attention (Const-GAT)', () => {
  before(async () => {
    await selectBackend('cpu'); // the generic engine's TensorFlow.js ops
  });

  it('has no scoring parameters, starts from the learned model\'s weights, and freezes exactly the scoring vectors', () => {
    const learned = layerShapes(1433, 7, [8, 1], [8]);
    const uniform = layerShapes(1433, 7, [8, 1], [8], false, 'uniform');
    const names = parameterNames(uniform).map((t) => t.name);
    assert.deepEqual(names, ['gat_net.0.linear_proj.weight', 'gat_net.0.bias', 'gat_net.1.linear_proj.weight', 'gat_net.1.bias']);
    const a = allocateParameters(learned);
    const b = allocateParameters(uniform);
    initParameters(a, 7);
    initParameters(b, 7);
    for (const [la, lb] of a.layers.map((l, i) => [l, b.layers[i]] as const)) {
      assert.deepEqual(lb.weightT, la.weightT, 'same initial weights as the learned twin');
      assert.ok(lb.attSource.every((v) => v === 0) && lb.attTarget.every((v) => v === 0));
    }
    const frozen = frozenRanges(uniform);
    const offsetOf = (v: Float32Array): number => (v.byteOffset - b.flat.byteOffset) / 4;
    assert.deepEqual(frozen, b.layers.map((l) => [offsetOf(l.attSource), l.attSource.length + l.attTarget.length]));
    assert.equal(offsetOf(b.layers[0].attTarget), offsetOf(b.layers[0].attSource) + b.layers[0].attSource.length, 'a_src and a_trg are one range');
    assert.deepEqual(frozenRanges(learned), []);
  });

  for (const [name, make] of [['fused', (i: EngineInput) => new FusedEngine(i)], ['generic (TensorFlow.js autodiff)', (i: EngineInput) => new GenericEngine(i)]] as const) {
    it(`${name} engine: every coefficient is 1/(in-degree + 1), and the weights' gradients match finite differences`, () => {
      const input = uniformInput();
      const engine = make(input);
      try {
        const { attention } = engine.analyze();
        const g = input.graph;
        const incoming = new Int32Array(g.numNodes);
        for (let e = 0; e < g.numEdges; e++) incoming[g.target[e]]++;
        for (const [l, alpha] of attention.entries()) {
          const heads = input.shapes[l].heads;
          for (let k = 0; k < alpha.length; k++) {
            const expected = 1 / incoming[g.target[Math.floor(k / heads)]];
            assert.ok(Math.abs(alpha[k] - expected) <= 1e-7, `layer ${l + 1}, entry ${k}: ${alpha[k]} vs ${expected}`);
          }
        }
        const probe = engineProbe(engine, input.params.flat, 4);
        const frozen = new Set(frozenRanges(input.shapes).flatMap(([o, n]) => Array.from({ length: n }, (_, i) => o + i)));
        assertCoordinateGradients(probe, largestGradients(probe.grad, 12, (i) => !frozen.has(i)));
      } finally {
        engine.dispose();
      }
    });
  }

  it('gat train --attention uniform: a model without scoring tensors, uniform attention in the analysis, exact resume, gat analyze agrees', async () => {
    const flags = ['--attention', 'uniform', '--seed', '3', '--checkpoint_freq', '20'];
    const { out, runDir } = await trainCora(40, 'wasm', { args: [...flags, '--should_test'] });
    const run = await readRun(runDir);
    assert.equal((run.config as { attention?: string }).attention, 'uniform');
    assert.ok(run.testAcc !== null && run.testAcc > 0.5, `test accuracy ${run.testAcc}`);
    const binary = await readModelBinary(path.join(out, run.artifacts.binary!));
    assert.deepEqual(binary.params.map((p) => p.name).filter((n) => n.includes('scoring')), [], 'no scoring parameters');
    const ckpt = await readCheckpoint(path.join(out, run.artifacts.checkpoints[0]));
    assert.deepEqual([...ckpt.params, ...ckpt.optimizer.tensors].map((p) => p.name).filter((n) => n.includes('scoring')), []);

    // Attention in the analysis: exactly uniform over each neighbourhood (self-loop included).
    const a = await readAnalysis(path.join(out, run.artifacts.analysis!));
    const incoming = new Int32Array(a.numNodes);
    for (const t of a.edgeTarget) incoming[t]++;
    for (const [l, alpha] of a.attention.entries()) {
      const heads = a.heads[l];
      for (let k = 0; k < alpha.length; k++) assert.ok(Math.abs(alpha[k] - 1 / incoming[a.edgeTarget[Math.floor(k / heads)]]) <= 1e-7, `layer ${l + 1}, entry ${k}`);
    }
    for (let i = 0; i < a.numNodes; i++) assert.ok(Math.abs(a.entropy[0][i * a.heads[0]] - a.uniformEntropy[i]) < 1e-5, `node ${i}: entropy equals the uniform one`);

    // Resume: 20 + 20 epochs give the metrics of the straight 40.
    const { out: split, runDir: firstDir } = await trainCora(20, 'wasm', { args: flags });
    const first = await readRun(firstDir);
    const resumed = await runGat(['train', '--backend', 'wasm', '--num_of_epochs', '40', '--resume', path.join(split, first.artifacts.lastCheckpoint!), '--out', split]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const strip = (m: Awaited<ReturnType<typeof readMetrics>>): unknown[] => m.map(({ ms: _ms, ...rest }) => rest);
    assert.deepEqual([...strip(await readMetrics(runDirs(split)[0])), ...strip(await readMetrics(runDirs(split)[1]))], strip(await readMetrics(runDir)));

    // gat analyze on the binary: the same outputs.
    const again = path.join(out, 'again.safetensors');
    assert.equal((await runGat(['analyze', '--model', path.join(out, run.artifacts.binary!), '--output', again, '--backend', 'wasm'])).code, 0);
    const b = await readAnalysis(again);
    for (let i = 0; i < a.outputs.length; i++) assert.ok(Math.abs(a.outputs[i] - b.outputs[i]) < 1e-5, `output ${i}`);
  });

  it('refuses to resume a learned-attention checkpoint as uniform', async () => {
    const { out, runDir } = await trainCora(5, 'wasm', { args: ['--checkpoint_freq', '5'] });
    const run = await readRun(runDir);
    const r = await runGat(['train', '--attention', 'uniform', '--backend', 'wasm', '--num_of_epochs', '10', '--resume', path.join(out, run.artifacts.lastCheckpoint!), '--out', out]);
    assert.equal(r.code, 2, r.stderr + r.stdout);
    assert.match(r.stderr, /was trained with learned attention: a run cannot switch to --attention uniform/);
  });
});
