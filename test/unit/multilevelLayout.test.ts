/**
 * The multilevel layout used from 5,000 nodes: the same picture for the same seed, every node
 * placed, and a picture with structure (edges short next to the distances between random pairs,
 * as a plain force layout gives; a random placement gives about 1).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import type { GraphDataset } from '../../src/gat/data/graph';
import { multilevelLayout } from '../../src/gat/layout/multilevelLayout';
import { edgeStats } from '../../src/gat/stats/graphStats';
import { writeSizedPlanetoid } from '../helpers/planetoidSized';
import { tempDir } from '../helpers/tempDir';

/** Mean edge length over the mean distance between 20,000 seeded random pairs. */
function edgeToPairRatio(x: Float32Array, y: Float32Array, u: Int32Array, v: Int32Array): number {
  let edges = 0;
  for (let k = 0; k < u.length; k++) edges += Math.hypot(x[u[k]] - x[v[k]], y[u[k]] - y[v[k]]);
  let a = 7;
  let pairs = 0;
  const next = (): number => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0) % x.length;
  for (let t = 0; t < 20_000; t++) {
    const i = next();
    const j = next();
    pairs += Math.hypot(x[i] - x[j], y[i] - y[j]);
  }
  return edges / u.length / (pairs / 20_000);
}

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
});
