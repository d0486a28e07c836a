import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { degreeSnapshot } from '../../src/gat/panels/graphSnapshot';
import { panelProvenance } from '../../src/gat/panels/provenance';
import { degreeDistribution, degrees } from '../../src/gat/stats/graphStats';
import type { DegreeSnapshot } from '../../src/protocol/webviewMessages';
import { barTooltip, distributionBars, idRangeAt, peakDegree, peakIn, pointTooltip, selectedNodes, selectionTitle } from '../../src/webview/degrees/degreeModel';

describe('degree plots view-model', () => {
  let s: DegreeSnapshot;
  before(async () => {
    const cora = await loadPlanetoid('cora');
    s = degreeSnapshot(cora, panelProvenance(cora));
    // The bars agree with the training core's own distribution.
    const counts = degreeDistribution(degrees(cora).inDegree);
    for (const b of distributionBars(s.inDegree)) assert.equal(b.count, counts[b.degree]);
  });

  it('bins the degree distribution: peak in 2–4, one node at 168, counts sum to N', () => {
    const bars = distributionBars(s.inDegree);
    assert.ok(peakDegree(bars) >= 2 && peakDegree(bars) <= 4, `peak ${peakDegree(bars)}`);
    assert.deepEqual(bars.at(-1), { degree: 168, count: 1 });
    assert.equal(bars.reduce((a, b) => a + b.count, 0), 2708);
    assert.ok(bars.every((b, i) => i === 0 || b.degree > bars[i - 1].degree));
  });

  it('maps pixel columns to node-id ranges covering every id exactly', () => {
    const width = 1000;
    let next = 0;
    for (let px = 0; px < width; px++) {
      const { from, to } = idRangeAt(px, width, 2708);
      assert.ok(from <= next && to >= from, `px ${px}`);
      next = Math.max(next, to + 1);
    }
    assert.equal(next, 2708);
    assert.deepEqual(idRangeAt(5, 10, 3), { from: 1, to: 1 });
    assert.deepEqual(idRangeAt(-4, 100, 50), { from: 0, to: 0 });
    assert.deepEqual(idRangeAt(500, 100, 50), { from: 49, to: 49 });
  });

  it('finds the peak in a range and words tooltips', () => {
    assert.equal(peakIn(s.inDegree, 1300, 1400), 1358);
    assert.equal(pointTooltip(s, 'in', 1358, 1358), 'node 1358: in-degree 168');
    assert.equal(pointTooltip(s, 'out', 1357, 1359), 'nodes 1357–1359: max out-degree 168 (node 1358)');
    assert.equal(barTooltip({ degree: 168, count: 1 }, 2708), 'degree 168: 1 node (0.0%)');
  });

  it('lists the nodes behind a bar or a point', () => {
    const hub = selectedNodes(s, 'dist', 168, 168);
    assert.deepEqual(hub, [{ node: 1358, degree: 168, className: s.classNames[s.labels[1358]] }]);
    const ones = selectedNodes(s, 'dist', 1, 1);
    assert.equal(ones.length, distributionBars(s.inDegree).find((b) => b.degree === 1)!.count);
    const range = selectedNodes(s, 'in', 1356, 1360);
    assert.equal(range.length, 5);
    assert.equal(range[0].node, 1358, 'largest degree first');
    assert.equal(selectionTitle('dist', 4, 4, 3), '3 nodes with degree 4');
    assert.equal(selectionTitle('in', 7, 7, 1), 'node 7 (in-degree)');
  });
});
