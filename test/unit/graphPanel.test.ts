import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { forceLayout } from '../../src/gat/layout/forceLayout';
import { decodeLayout, encodeLayout, layoutCacheFile } from '../../src/gat/layout/layoutCache';
import { runLayoutJob } from '../../src/gat/layout/layoutJob';
import type { LayoutResult } from '../../src/gat/layout/protocol';
import { degreeSnapshot, graphSnapshot } from '../../src/gat/panels/graphSnapshot';
import { panelProvenance } from '../../src/gat/panels/provenance';
import { edgeStats } from '../../src/gat/stats/graphStats';
import { coraLayout, fakeRun } from '../helpers/coraPanels';
import { tempDir } from '../helpers/tempDir';
import { tinyGraph } from '../helpers/tinyGraph';

describe('graph panel data (host side)', () => {
  let cora: GraphDataset;
  let layout: LayoutResult;
  before(async () => {
    cora = await loadPlanetoid('cora');
    layout = await coraLayout(cora);
  });

  it('lays out a graph deterministically for a seed, and differently for another seed', () => {
    const g = tinyGraph({ nodes: 30, edges: 60 });
    const stats = edgeStats(g);
    const a = forceLayout(g.numNodes, stats.u, stats.v, { ticks: 50, seed: 1 });
    const b = forceLayout(g.numNodes, stats.u, stats.v, { ticks: 50, seed: 1 });
    const c = forceLayout(g.numNodes, stats.u, stats.v, { ticks: 50, seed: 2 });
    assert.deepEqual(a.x, b.x);
    assert.notDeepEqual(a.x, c.x);
    assert.ok([...a.x, ...a.y].every(Number.isFinite));
  });

  it('round-trips a layout through the cache format and rejects a truncated file', () => {
    const job = runLayoutJob({ numNodes: 20, edgeSource: tinyGraph({ nodes: 20 }).edgeSource, edgeTarget: tinyGraph({ nodes: 20 }).edgeTarget, ticks: 10, seed: 3 });
    const bytes = encodeLayout(job);
    assert.deepEqual(decodeLayout(bytes), job);
    assert.equal(decodeLayout(bytes.subarray(0, bytes.length - 4)), undefined);
  });

  it('caches the Cora layout on disk under a key made of the dataset checksums', () => {
    const dir = tempDir();
    const file = layoutCacheFile(cora, dir);
    assert.match(file, /layout-cora-[0-9a-f]{16}\.bin$/);
    const changed = layoutCacheFile({ ...cora, checksums: { ...cora.checksums, 'ind.cora.graph': 'other' } }, dir);
    assert.notEqual(file, changed);
    // coraLayout (before) went through the same cache: its file exists and decodes to it.
    const cached = layoutCacheFile(cora, `${process.cwd()}/out/test/layoutCache`);
    assert.ok(existsSync(cached));
    assert.deepEqual(decodeLayout(readFileSync(cached))?.x, layout.x);
  });

  it('builds the Cora snapshot: every node and edge, degrees, thickness in [0, 1], provenance', () => {
    const s = graphSnapshot(cora, layout, panelProvenance(cora));
    assert.equal(s.labels.length, 2708);
    assert.equal(s.x.length, 2708);
    assert.equal(s.edgeU.length, 5278);
    assert.equal(s.degree[1358], 168);
    assert.equal(Math.max(...s.degree), 168);
    assert.ok(s.edgeThickness.every((t) => t >= 0 && t <= 1));
    assert.equal(Math.max(...s.edgeThickness), 1);
    assert.equal(s.split[0], 'train');
    assert.equal(s.split[1708], 'test');
    assert.equal(s.provenance.datasetChecksum, cora.checksums['ind.cora.graph']);
    assert.equal(s.run, undefined);
    assert.ok(JSON.stringify(s).length < 600_000, 'snapshot stays small enough to post');
  });

  it('adds a run’s predictions and the focus node when given', () => {
    const run = fakeRun(cora);
    const s = graphSnapshot(cora, layout, panelProvenance(cora), run, 42);
    assert.equal(s.run?.runId, 'test-run');
    assert.equal(s.run?.predictions.length, 2708);
    assert.equal(s.focusNode, 42);
  });

  it('builds the degree snapshot: in = out for the symmetric graph, node 1358 at 168', () => {
    const s = degreeSnapshot(cora, panelProvenance(cora));
    assert.deepEqual(s.inDegree, s.outDegree);
    assert.equal(s.inDegree[1358], 168);
    assert.equal(s.inDegree.reduce((a, b) => a + b, 0), 10556);
  });
});
