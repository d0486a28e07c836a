import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/gat/backend/backends';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src/gat/train/trainConfig';
import { createTrainer } from '../../src/gat/train/trainer';
import type { Trainer } from '../../src/gat/train/trainerTypes';
import { runTrainingLoop } from '../../src/gat/train/trainingLoop';
import { tinyGraph } from '../helpers/tinyGraph';

const TINY: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, heads: [4, 1], hidden: [4], seed: 5 };

async function epochs(t: Trainer, k: number): Promise<Array<{ trainLoss: number; trainAcc: number; valLoss: number; valAcc: number }>> {
  const out: Array<{ trainLoss: number; trainAcc: number; valLoss: number; valAcc: number }> = [];
  for (let i = 0; i < k; i++) {
    const tr = await t.trainEpoch();
    const val = await t.evaluate('val');
    out.push({ ...tr, valLoss: val.loss, valAcc: val.acc });
  }
  return out;
}

describe('Trainer', () => {
  before(async () => {
    await selectBackend('cpu');
  });

  for (const engine of ['fused', 'generic'] as const) {
    it(`${engine}: the same seed gives the same metrics, another seed different ones`, async () => {
      const g = tinyGraph({ nodes: 20, seed: 3 });
      const a = await epochs(await createTrainer(g, { ...TINY, engine }, { name: 'cpu' }), 4);
      const b = await epochs(await createTrainer(g, { ...TINY, engine }, { name: 'cpu' }), 4);
      const c = await epochs(await createTrainer(g, { ...TINY, engine, seed: 6 }, { name: 'cpu' }), 4);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
    });
  }

  it('wasm back end: 2 kernel threads give the same metrics and parameters as 1, and end with dispose()', async () => {
    const g = tinyGraph({ nodes: 24, seed: 4 });
    const config: TrainConfig = { ...TINY, heads: [8, 1], hidden: [8], engine: 'fused' };
    const one = await createTrainer(g, { ...config, threads: 1 }, { name: 'wasm' });
    const two = await createTrainer(g, { ...config, threads: 2 }, { name: 'wasm' });
    try {
      assert.equal(one.hotKernels, 'wasm-simd');
      assert.equal(one.threads, 1);
      assert.equal(two.threads, 2);
      assert.deepEqual(await epochs(two, 5), await epochs(one, 5));
      assert.deepEqual(await two.exportParameters(), await one.exportParameters());
    } finally {
      one.dispose();
      two.dispose();
    }
    assert.equal(two.threads, 1, 'the worker thread was stopped');
  });

  it('generic engine: no tensors leak per epoch', async () => {
    const t = await createTrainer(tinyGraph({ nodes: 16 }), { ...TINY, engine: 'generic' }, { name: 'cpu' });
    await epochs(t, 1);
    await t.analyze();
    const before = tf.memory().numTensors;
    await epochs(t, 3);
    await t.evaluate('test');
    await t.analyze();
    assert.equal(tf.memory().numTensors, before);
    t.dispose();
  });

  it('exports pytorch-GAT state_dict names and layouts', async () => {
    const g = tinyGraph({ nodes: 12, features: 10, classes: 3 });
    const t = await createTrainer(g, { ...DEFAULT_TRAIN_CONFIG, engine: 'fused' }, { name: 'cpu' });
    const shapes = Object.fromEntries((await t.exportParameters()).map((p) => [p.name, p.shape]));
    assert.deepEqual(shapes, {
      'gat_net.0.linear_proj.weight': [64, 10],
      'gat_net.0.scoring_fn_source': [1, 8, 8],
      'gat_net.0.scoring_fn_target': [1, 8, 8],
      'gat_net.0.bias': [64],
      'gat_net.1.linear_proj.weight': [3, 64],
      'gat_net.1.scoring_fn_source': [1, 1, 3],
      'gat_net.1.scoring_fn_target': [1, 1, 3],
      'gat_net.1.bias': [3],
    });
    const opt = await t.exportOptimizerState();
    assert.ok(opt.tensors.some((x) => x.name === 'adam.m.gat_net.0.bias'));
    assert.ok(opt.tensors.some((x) => x.name === 'adam.v.gat_net.1.linear_proj.weight'));
    assert.deepEqual(Array.from(opt.tensors.find((x) => x.name === 'rng.state')!.data), [DEFAULT_TRAIN_CONFIG.seed, 0]);
  });

  it('resumes exactly from exported parameters, Adam state and RNG state', async () => {
    const g = tinyGraph({ nodes: 20, seed: 9 });
    const straight = await createTrainer(g, { ...TINY, engine: 'fused' }, { name: 'cpu' });
    const first = await epochs(straight, 3);
    const params = await straight.exportParameters();
    const opt = await straight.exportOptimizerState();
    const rest = await epochs(straight, 3);
    const resumed = await createTrainer(g, { ...TINY, engine: 'fused', seed: 99 }, { name: 'cpu' }); // seed comes back from rng.state
    await resumed.importState(params, opt);
    assert.equal(resumed.step, 3);
    assert.deepEqual(await epochs(resumed, 3), rest);
    assert.equal(first.length, 3);
  });

  it('importState names the tensor that is missing or misshapen', async () => {
    const t = await createTrainer(tinyGraph(), { ...TINY, engine: 'fused' }, { name: 'cpu' });
    const params = await t.exportParameters();
    await assert.rejects(t.importState(params.slice(1)), /missing tensor 'gat_net\.0\.linear_proj\.weight'/);
    const wrong = params.map((p) => (p.name === 'gat_net.0.bias' ? { ...p, shape: [3] } : p));
    await assert.rejects(t.importState(wrong), /'gat_net\.0\.bias' has shape \[3\]; this model needs \[16\]/);
  });

  it('rejects an invalid config and a dataset whose labels are out of range', async () => {
    const g = tinyGraph();
    await assert.rejects(createTrainer(g, { ...TINY, dropout: 1 }, { name: 'cpu' }), /dropout must be in \[0, 1\)/);
    await assert.rejects(createTrainer(g, { ...TINY, heads: [8] }, { name: 'cpu' }), /heads needs 2 entries/);
    await assert.rejects(createTrainer({ ...g, labels: g.labels.map(() => 7) }, TINY, { name: 'cpu' }), /node 0 has label 7, outside 0\.\.2/);
  });
});

describe('runTrainingLoop', () => {
  it('stops on patience and leaves the lowest-validation-loss model in the trainer', async () => {
    const t = await createTrainer(tinyGraph({ nodes: 24, seed: 4 }), { ...TINY, engine: 'fused' }, { name: 'cpu' });
    const seen: number[] = [];
    const r = await runTrainingLoop(t, { maxEpochs: 500, patience: 5, onEpoch: (m) => void seen.push(m.epoch) });
    assert.equal(r.stoppedBy, 'patience');
    assert.equal(r.epochs, seen.length);
    assert.deepEqual(seen, Array.from({ length: r.epochs }, (_, i) => i));
    assert.ok(r.bestEpoch >= 0 && r.bestEpoch < r.epochs);
    const val = await t.evaluate('val');
    assert.ok(Math.abs(val.loss - r.bestValLoss) < 1e-9, `kept model has the lowest validation loss: ${val.loss} vs ${r.bestValLoss}`);
    assert.ok(val.acc <= r.bestValAcc);
  });

  it('stops when cancelled and counts from startEpoch', async () => {
    const t = await createTrainer(tinyGraph(), { ...TINY, engine: 'fused' }, { name: 'cpu' });
    let calls = 0;
    const r = await runTrainingLoop(t, { maxEpochs: 100, patience: 50, startEpoch: 10, shouldStop: () => ++calls > 3, onEpoch: (m) => assert.ok(m.epoch >= 10) });
    assert.equal(r.stoppedBy, 'cancelled');
    assert.equal(r.epochs, 3);
  });

  it('trains on real Cora: 20 fused epochs lower the loss and beat chance', async () => {
    const cora = await loadPlanetoid('cora');
    const t = await createTrainer(cora, { ...DEFAULT_TRAIN_CONFIG, engine: 'fused' }, { name: 'cpu' });
    const losses: number[] = [];
    const r = await runTrainingLoop(t, { maxEpochs: 20, patience: 100, onEpoch: (m) => void losses.push(m.trainLoss) });
    assert.equal(r.stoppedBy, 'maxEpochs');
    assert.ok(losses[19] < losses[0], `train loss ${losses[0]} → ${losses[19]}`);
    assert.ok((await t.evaluate('val')).acc > 0.3);
    const a = await t.analyze();
    assert.equal(a.logits.length, 2708 * 7);
    assert.equal(a.edgeSource.length, 13264);
    assert.deepEqual(a.heads, [8, 1]);
    assert.equal(a.attention[0].length, 13264 * 8);
  });
});
