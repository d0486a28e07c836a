import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, truncateSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runGat } from '../helpers/cli';
import { bundledPlanetoidDir, fixturePlanetoidDir } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

describe('gat inspect (the real CLI)', () => {
  it('prints Cora facts as one JSON object', async () => {
    const r = await runGat(['inspect', '--dataset-name', 'cora', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const s = JSON.parse(lines[0]);
    assert.equal(s.nodes, 2708);
    assert.equal(s.features, 1433);
    assert.equal(s.nonZeros, 49_216);
    assert.equal(s.classes, 7);
    assert.deepEqual(s.classSizes, [351, 217, 418, 818, 426, 298, 180]);
    assert.equal(s.undirectedEdges, 5278);
    assert.equal(s.maxDegree, 168);
    assert.equal(s.maxDegreeNode, 1358);
    assert.deepEqual(s.split, { train: 140, val: 500, test: 1000 });
    assert.ok(s.edgeBetweenness.max > 0);
  });

  it('prints a readable summary by default (snake_case flag spelling works too)', async () => {
    const r = await runGat(['inspect', '--dataset_name', 'cora']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nodes\s+2708/);
    assert.match(r.stdout, /Neural_Networks\s+818/);
    assert.match(r.stdout, /max 168 \(node 1358\)/);
  });

  it('reads Citeseer from a folder with --data-dir', async () => {
    const r = await runGat(['inspect', '--dataset-name', 'citeseer', '--data-dir', fixturePlanetoidDir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).nodes, 3327);
  });

  it('exits non-zero with a one-line message (no stack) for a truncated file', async () => {
    const dir = tempDir();
    for (const f of readdirSync(bundledPlanetoidDir)) copyFileSync(path.join(bundledPlanetoidDir, f), path.join(dir, f));
    truncateSync(path.join(dir, 'ind.cora.tx'), 10);
    const r = await runGat(['inspect', '--data-dir', dir]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^gat inspect: error: .*ind\.cora\.tx is corrupt or truncated: expected SHA-256 b9afbaa4/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  });

  it('rejects an unknown option with exit code 2', async () => {
    const r = await runGat(['inspect', '--datasetname', 'cora']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option --datasetname/);
  });

  it('rejects an unknown command and shows the commands', async () => {
    const r = await runGat(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
    assert.match(r.stderr, /inspect/);
  });

  it('documents its options with --help', async () => {
    const r = await runGat(['inspect', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--dataset-name, --dataset_name <name>/);
    assert.match(r.stdout, /--data-dir, --data_dir <dir>/);
  });

  it('downloads into the cache named by GAT_DATA_DIR (gat download)', async () => {
    const { startFileServer } = await import('../helpers/fileServer');
    const server = await startFileServer(fixturePlanetoidDir);
    try {
      const cache = tempDir();
      const r = await runGat(['download', '--dataset-name', 'citeseer'], { env: { GAT_DATA_DIR: cache, GAT_DATASET_BASE_URL: server.baseUrl } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /citeseer: 3327 nodes, 3703 features, 6 classes/);
      assert.equal(readdirSync(cache).length, 8);
    } finally {
      await server.close();
    }
  });
});
