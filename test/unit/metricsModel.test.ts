import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochMetrics } from '../../src/protocol/trainingEvents';
import { thin } from '../../src/figures/chartModel';
import { accuracyChart, lossChart, summaryLine } from '../../src/webview/metrics/metricsModel';

const epochs: EpochMetrics[] = Array.from({ length: 10 }, (_, i) => ({ epoch: i, trainLoss: 2 - i * 0.1, trainAcc: 0.1 * i, valLoss: 2.1 - i * 0.1, valAcc: i === 6 ? 0.8 : 0.05 * i, ms: 10 }));

describe('metrics view-model', () => {
  it('builds train and val series over the epochs', () => {
    const loss = lossChart(epochs);
    assert.deepEqual(loss.series.map((s) => s.name), ['train loss', 'val loss']);
    assert.deepEqual(loss.series[1].points[0], [0, 2.1]);
    assert.deepEqual(loss.xDomain, [0, 9]);
    assert.ok(loss.yDomain[1] >= 2.1);
    assert.deepEqual(accuracyChart(epochs).yDomain, [0, 1]);
  });

  it('reports the best validation epoch', () => {
    assert.equal(summaryLine(epochs), 'epoch 10 · best val acc 80.0% at epoch 7 · 10.0 ms/epoch');
    assert.equal(summaryLine([]), '');
  });

  it('titles the second chart by what the run measures', () => {
    assert.equal(accuracyChart(epochs).title, 'Accuracy');
    const f1 = accuracyChart(epochs, 'micro-F1');
    assert.equal(f1.title, 'Micro-F1');
    assert.deepEqual(f1.series.map((s) => s.name), ['train micro-F1', 'val micro-F1']);
    assert.equal(summaryLine(epochs, 'micro-F1'), 'epoch 10 · best val micro-F1 0.800 at epoch 7 · 10.0 ms/epoch');
  });

  it('thins long series but keeps the last point', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => i);
    const t = thin(points, 100);
    assert.equal(t.length, 100);
    assert.equal(t[0], 0);
    assert.equal(t[99], 9999);
    assert.deepEqual(thin([1, 2, 3], 100), [1, 2, 3]);
  });
});
