import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompareSnapshot } from '../../src/protocol/compareSnapshot';
import { agreementSegments, overlayCharts } from '../../src/webview/compare/compareModel';

const epochs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ epoch: from + i, trainLoss: 1.5, trainAcc: 0.5, valLoss: 2 + i, valAcc: 0.4, ms: 1 }));
const snapshot = (metric: CompareSnapshot['metric']): CompareSnapshot => ({
  type: 'compareSnapshot',
  a: { runId: 'a', dataset: 'cora', epochs: epochs(10), runJson: '' },
  b: { runId: 'b', dataset: 'cora', epochs: epochs(5, 3), runJson: '' },
  metric,
  rows: [],
  config: [],
  agreement: { unavailable: 'x' },
});

describe('compare view-model', () => {
  it('overlays both runs on one epoch axis: validation solid, training dashed', () => {
    const [loss, acc] = overlayCharts(snapshot('accuracy'));
    assert.deepEqual(loss.series.map((s) => [s.name, s.cssClass]), [
      ['A val loss', 'run-a'],
      ['B val loss', 'run-b'],
      ['A train loss', 'run-a dashed'],
      ['B train loss', 'run-b dashed'],
    ]);
    assert.deepEqual(loss.xDomain, [0, 9]);
    assert.ok(loss.yDomain[1] >= 11, 'the largest loss of either run fits');
    assert.equal(acc.title, 'Accuracy');
    assert.deepEqual(acc.yDomain, [0, 1]);
    assert.deepEqual(acc.series[1].points[0], [3, 0.4], 'B starts at its own first epoch');
    const [, f1] = overlayCharts(snapshot('micro-F1'));
    assert.equal(f1.title, 'Micro-F1');
    assert.equal(f1.series[0].name, 'A val micro-F1');
  });

  it('gives each agreement category its share', () => {
    assert.deepEqual(agreementSegments([6, 2, 1, 1]).map((s) => [s.name, s.count, s.share]), [
      ['both right', 6, 0.6],
      ['only A right', 2, 0.2],
      ['only B right', 1, 0.1],
      ['both wrong', 1, 0.1],
    ]);
    assert.ok(agreementSegments([0, 0, 0, 0]).every((s) => s.share === 0));
  });
});
