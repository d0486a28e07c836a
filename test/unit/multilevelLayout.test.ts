/**
 * The multilevel layout used from 5,000 nodes: the same picture for the same seed, every node
 * placed, and a picture with structure (edges short next to the distances between random pairs,
 * as a plain force layout gives; a random placement gives about 1).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import type { GraphDataset } from '../../src/gat/data/graph';
import { runLayoutJob } from '../../src/gat/layout/layoutJob';
import { DEFAULT_MULTILEVEL, multilevelLayout, type LayoutProgress } from '../../src/gat/layout/multilevelLayout';
import type { LayoutUpdate } from '../../src/gat/layout/protocol';
import { edgeStats } from '../../src/gat/stats/graphStats';
import { writeSizedPlanetoid } from '../helpers/planetoidSized';
import { edgeToPairRatio } from '../helpers/layoutQuality';
import { tempDir } from '../helpers/tempDir';

describe('multilevel layout (graphs from 5,000 nodes)', () => {
  const dir = tempDir();
  let g: GraphDataset;
  before(async () => {
    writeSizedPlanetoid(dir, { name: 'layoutsized', nodes: 8000, features: 20, classes: 4, undirectedEdges: 18_000, train: 40, test: 500, wordsPerNode: 3, seed: 5 });
    g = await loadPlanetoid('layoutsized', { dataDir: dir });
  });

  it('places every node, the same way for the same seed, with structure (edges short next to random pairs)', () => {
    const { u, v } = edgeStats(g);
    const a = multilevelLayout(g.numNodes, u, v);
    const b = multilevelLayout(g.numNodes, u, v);
    assert.deepEqual(a, b);
    assert.ok(a.x.every(Number.isFinite) && a.y.every(Number.isFinite));
    const ratio = edgeToPairRatio(a.x, a.y, u, v);
    assert.ok(ratio < 0.5, `edge/pair distance ratio ${ratio.toFixed(3)}`);
    const random = Float32Array.from({ length: g.numNodes }, (_, i) => Math.sin(i * 12.9898) * 100);
    assert.ok(edgeToPairRatio(random, Float32Array.from(random).reverse(), u, v) > 0.8, 'a random placement has no structure (the measure can fail)');
  });

  it('reports its progress (every node placed, stages coarse to fine, fractions rising below 1) without changing the result', () => {
    const { u, v } = edgeStats(g);
    const updates: LayoutProgress[] = [];
    const watched = multilevelLayout(g.numNodes, u, v, DEFAULT_MULTILEVEL, (p) => updates.push(p), 0);
    assert.deepEqual(watched, multilevelLayout(g.numNodes, u, v), 'watching a layout does not change it');
    assert.ok(updates.length >= 3, `${updates.length} updates`);
    for (const p of updates) {
      assert.equal(p.x.length, g.numNodes);
      assert.ok(p.x.every(Number.isFinite) && p.y.every(Number.isFinite));
    }
    const fractions = updates.map((p) => p.fraction);
    assert.ok(fractions.every((f, i) => f >= 0 && f < 1 && (i === 0 || f >= fractions[i - 1])), `fractions ${fractions.join(', ')}`);
    assert.match(updates[0].stage, /^coarsest level \(\d[\d,]* nodes\)$/);
    assert.match(updates.at(-1)!.stage, /^level \d+ of \d+ \([\d,]+ nodes\)$/);
    // On a coarse level, nodes that share a coarse node share its place: fewer distinct places than nodes.
    const places = new Set(Array.from(updates[0].x, (x, i) => `${x},${updates[0].y[i]}`));
    assert.ok(places.size < g.numNodes / 2, `${places.size} places for ${g.numNodes} nodes on the coarsest level`);
  });

  it('the worker job streams updates with the edges first, then the same layout and edges as without', () => {
    const updates: LayoutUpdate[] = [];
    const request = { numNodes: g.numNodes, edgeSource: g.edgeSource, edgeTarget: g.edgeTarget, ticks: 300, seed: 42 };
    const watched = runLayoutJob(request, (p) => updates.push(p));
    assert.deepEqual(watched, runLayoutJob(request));
    assert.ok(updates.length >= 1);
    assert.deepEqual(updates[0].u, watched.u, 'the first update carries the result\'s edges, in its order');
    assert.deepEqual(updates[0].v, watched.v);
    assert.equal(updates[1]?.u, undefined, 'later updates carry positions only');
  });
});
