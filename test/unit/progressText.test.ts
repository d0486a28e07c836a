import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressPosition } from '../../src/extension/training/progressText';
import { formatMetric, type EpochMetrics, type TrainingBatchEvent } from '../../src/protocol/trainingEvents';

const epoch = (i: number, valAcc: number): EpochMetrics => ({ epoch: i, trainLoss: 0.5, trainAcc: 0.9, valLoss: 0.6, valAcc, ms: 20_000 });
const batch = (e: number, b: number): TrainingBatchEvent => ({ type: 'batch', epoch: e, batch: b, batches: 10, loss: 0.4321, acc: 0.7 });

describe('training progress text', () => {
  it('writes accuracy as a percentage and micro-F1 as a fraction', () => {
    assert.equal(formatMetric(0.8125, 'accuracy'), '81.3%');
    assert.equal(formatMetric(0.8125, undefined), '81.3%');
    assert.equal(formatMetric(0.97312, 'micro-F1'), 'F1 0.973');
  });

  it('names the metric a run measures in the epoch line', () => {
    assert.equal(progressPosition({ epochs: [epoch(0, 0.8)] })?.message, 'epoch 1 · loss 0.500 / 0.600 · acc 90.0% / 80.0% (train / val)');
    assert.equal(progressPosition({ epochs: [epoch(0, 0.8)], metric: 'micro-F1' })?.message, 'epoch 1 · loss 0.500 / 0.600 · micro-F1 0.900 / 0.800 (train / val)');
  });

  it('moves inside an inductive epoch, batch by batch', () => {
    assert.equal(progressPosition({ epochs: [] }), undefined);
    const first = progressPosition({ epochs: [], batch: batch(0, 2), metric: 'micro-F1' });
    assert.deepEqual(first, { epochs: 0.3, message: 'epoch 1 · batch 3/10 · loss 0.432' });
    const later = progressPosition({ epochs: [epoch(0, 0.61)], batch: batch(1, 4), metric: 'micro-F1' });
    assert.equal(later?.epochs, 1.5);
    assert.equal(later?.message, 'epoch 2 · batch 5/10 · loss 0.432 · last val F1 0.610');
  });

  it('prefers the finished epoch over its own last batch', () => {
    const done = progressPosition({ epochs: [epoch(0, 0.61), epoch(1, 0.65)], batch: batch(1, 9), metric: 'micro-F1' });
    assert.equal(done?.epochs, 2);
    assert.match(done?.message ?? '', /^epoch 2 · loss/);
  });
});
