import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/gat/data/checksums';
import { neighbourOffsets, splitOf, type GraphDataset } from '../../src/gat/data/graph';
import { KNOWN_DATASETS } from '../../src/gat/data/knownDatasets';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { degrees } from '../../src/gat/stats/graphStats';
import { isDatasetError } from '../helpers/datasetError';
import { bundledPlanetoidDir, fixturePlanetoidDir } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

describe('Cora, as mission.md states it', () => {
  let cora: GraphDataset;
  before(async () => {
    cora = await loadPlanetoid('cora');
  });

  it('has 2708 nodes, 1433 features, 49 216 non-zeros and 7 classes', () => {
    assert.equal(cora.numNodes, 2708);
    assert.equal(cora.numFeatures, 1433);
    assert.equal(cora.featureNonZeros, 49_216);
    assert.equal(cora.features.indptr[cora.numNodes], 49_216);
    assert.equal(cora.numClasses, 7);
  });

  it('has class sizes 351/217/418/818/426/298/180 with the documented names', () => {
    const sizes = new Array(7).fill(0);
    for (const l of cora.labels) sizes[l]++;
    assert.deepEqual(sizes, [351, 217, 418, 818, 426, 298, 180]);
    assert.deepEqual(cora.classNames, ['Theory', 'Reinforcement_Learning', 'Genetic_Algorithms', 'Neural_Networks', 'Probabilistic_Methods', 'Case_Based', 'Rule_Learning']);
  });

  it('has 5278 undirected edges (10 556 directed), symmetric, no self-loops, no isolated nodes', () => {
    assert.equal(cora.edgeSource.length, 10_556);
    const keys = new Set<number>();
    for (let e = 0; e < cora.edgeSource.length; e++) {
      assert.notEqual(cora.edgeSource[e], cora.edgeTarget[e]);
      keys.add(cora.edgeSource[e] * 4096 + cora.edgeTarget[e]);
    }
    assert.equal(keys.size, 10_556, 'no duplicates');
    for (let e = 0; e < cora.edgeSource.length; e++) assert.ok(keys.has(cora.edgeTarget[e] * 4096 + cora.edgeSource[e]), 'reverse edge exists');
    const { inDegree, outDegree } = degrees(cora);
    assert.deepEqual(inDegree, outDegree);
    assert.ok(inDegree.every((d) => d > 0));
  });

  it('has node 1358 as its largest hub, with degree 168', () => {
    const { inDegree } = degrees(cora);
    const max = Math.max(...inDegree);
    assert.equal(max, 168);
    assert.equal(inDegree.indexOf(max), 1358);
    const offsets = neighbourOffsets(cora);
    assert.equal(offsets[1359] - offsets[1358], 168);
  });

  it('sorts edges by (target, source) so neighbour lists are CSR slices', () => {
    for (let e = 1; e < cora.edgeTarget.length; e++) {
      const prev = cora.edgeTarget[e - 1] * 4096 + cora.edgeSource[e - 1];
      assert.ok(cora.edgeTarget[e] * 4096 + cora.edgeSource[e] > prev);
    }
  });

  it('uses the 140/500/1000 split with test nodes 1708–2707', () => {
    assert.deepEqual([...cora.split.train], Array.from({ length: 140 }, (_, i) => i));
    assert.deepEqual([...cora.split.val], Array.from({ length: 500 }, (_, i) => 140 + i));
    assert.equal(cora.split.test.length, 1000);
    assert.equal(cora.split.test[0], 1708);
    assert.equal(cora.split.test[999], 2707);
    assert.equal(splitOf(cora, 5), 'train');
    assert.equal(splitOf(cora, 200), 'val');
    assert.equal(splitOf(cora, 2000), 'test');
    assert.equal(splitOf(cora, 1000), 'none');
  });

  it('has 20 training nodes per class', () => {
    const perClass = new Array(7).fill(0);
    for (const n of cora.split.train) perClass[cora.labels[n]]++;
    assert.deepEqual(perClass, [20, 20, 20, 20, 20, 20, 20]);
  });

  it('row-normalises every feature row to sum 1', () => {
    for (let r = 0; r < cora.numNodes; r++) {
      let sum = 0;
      for (let k = cora.features.indptr[r]; k < cora.features.indptr[r + 1]; k++) sum += cora.features.values[k];
      assert.ok(Math.abs(sum - 1) < 1e-5, `row ${r} sums to ${sum}`);
    }
  });

  it('places test rows by the test index, as PyG does (checked against numpy/scipy)', async () => {
    // Independent reference: node test_index[i] gets row i of tx. Compare a few nodes' feature
    // columns with a direct reading of the raw files through Python's pickle + scipy.
    const { execFileSync } = await import('node:child_process');
    const { pythonWith } = await import('../helpers/python');
    const script = [
      'import pickle, numpy as np, scipy.sparse as sp, sys, json',
      `d=${JSON.stringify(bundledPlanetoidDir)}`,
      "ld=lambda n: pickle.load(open(f'{d}/ind.cora.{n}','rb'), encoding='latin1')",
      "allx,tx=ld('allx'),ld('tx')",
      "ti=[int(l) for l in open(f'{d}/ind.cora.test.index')]",
      "x=sp.vstack((allx,tx)).tolil(); si=sorted(ti); x[ti,:]=x[si,:]",
      'print(json.dumps({str(n): sorted(int(c) for c in x[n].nonzero()[1]) for n in [0, 1707, 1708, 2000, 2692, 2707]}))',
    ].join('\n');
    const expected = JSON.parse(execFileSync(pythonWith('scipy'), ['-W', 'ignore', '-c', script], { encoding: 'utf8' })) as Record<string, number[]>;
    for (const [node, cols] of Object.entries(expected)) {
      const n = Number(node);
      const ours = [...cora.features.indices.subarray(cora.features.indptr[n], cora.features.indptr[n + 1])].sort((a, b) => a - b);
      assert.deepEqual(ours, cols, `features of node ${n}`);
    }
  });

  it('records the SHA-256 of every file it read', () => {
    assert.equal(Object.keys(cora.checksums).length, 8);
    assert.equal(cora.checksums['ind.cora.graph'], KNOWN_DATASETS.cora.sha256.graph);
  });
});

describe('Citeseer from its committed test copy', () => {
  it('loads 3327 nodes (15 padded test rows), 3703 features, 6 classes', async () => {
    const citeseer = await loadPlanetoid('citeseer', { dataDir: fixturePlanetoidDir, download: false });
    assert.equal(citeseer.numNodes, 3327);
    assert.equal(citeseer.numFeatures, 3703);
    assert.equal(citeseer.numClasses, 6);
    assert.equal(citeseer.split.test.length, 1000);
    let emptyRows = 0;
    for (let r = 0; r < citeseer.numNodes; r++) if (citeseer.features.indptr[r + 1] === citeseer.features.indptr[r]) emptyRows++;
    assert.ok(emptyRows >= 15, `at least the 15 padded rows are empty (got ${emptyRows})`);
  });
});

/** Copies Cora into a temp folder under another name, so tests can damage it. */
function copyCora(dir: string, as = 'cora'): void {
  for (const f of readdirSync(bundledPlanetoidDir)) {
    if (f.startsWith('ind.cora.')) copyFileSync(path.join(bundledPlanetoidDir, f), path.join(dir, f.replace('ind.cora.', `ind.${as}.`)));
  }
}

describe('bad dataset files give clear errors', () => {
  it('names a changed file, the expected and the actual checksum, and what to do', async () => {
    const dir = tempDir();
    copyCora(dir);
    const file = path.join(dir, 'ind.cora.allx');
    const bytes = readFileSync(file);
    bytes[1000] ^= 0xff;
    writeFileSync(file, bytes);
    await assert.rejects(loadPlanetoid('cora', { dataDir: dir }), isDatasetError('checksum', 'ind.cora.allx', KNOWN_DATASETS.cora.sha256.allx, sha256Hex(bytes), 'Replace it'));
  });

  it('reports a truncated file', async () => {
    const dir = tempDir();
    copyCora(dir);
    truncateSync(path.join(dir, 'ind.cora.graph'), 1000);
    await assert.rejects(loadPlanetoid('cora', { dataDir: dir }), isDatasetError('checksum', 'ind.cora.graph', 'corrupt or truncated', '(1000 bytes)'));
  });

  it('reports a missing file', async () => {
    const dir = tempDir();
    copyCora(dir);
    unlinkSync(path.join(dir, 'ind.cora.ty'));
    await assert.rejects(loadPlanetoid('cora', { dataDir: dir }), isDatasetError('missing', 'missing dataset file ind.cora.ty'));
  });

  it('reports a damaged bundled copy with how to restore it', async () => {
    const dir = tempDir();
    copyCora(dir);
    writeFileSync(path.join(dir, 'ind.cora.x'), 'not a pickle');
    process.env.GAT_BUNDLED_DATA_DIR = dir;
    try {
      await assert.rejects(loadPlanetoid('cora'), isDatasetError('checksum', 'ind.cora.x', 'reinstall the extension'));
    } finally {
      delete process.env.GAT_BUNDLED_DATA_DIR;
    }
  });

  it('names the unknown dataset and how to bring your own', async () => {
    const dir = tempDir();
    await assert.rejects(loadPlanetoid('mygraph', { dataDir: dir }), isDatasetError('unknown-dataset', "unknown dataset 'mygraph'", 'ind.mygraph.x', '--data-dir'));
  });

  it('rejects a dataset name that could escape the folder', async () => {
    await assert.rejects(loadPlanetoid('../etc/passwd'), isDatasetError('unknown-dataset', 'invalid dataset name'));
  });

  it('refuses to download when downloading is off', async () => {
    const dir = tempDir();
    await assert.rejects(loadPlanetoid('citeseer', { dataDir: dir, download: false }), isDatasetError('missing', 'npx gat download'));
  });
});

describe('your own Planetoid dataset in a folder', () => {
  it('loads by name and verifies against DIR/SHA256SUMS', async () => {
    const dir = tempDir();
    copyCora(dir, 'mygraph');
    const sums = readdirSync(dir).map((f) => `${sha256Hex(readFileSync(path.join(dir, f)))}  ${f}`);
    writeFileSync(path.join(dir, 'SHA256SUMS'), sums.join('\n') + '\n');
    const g = await loadPlanetoid('mygraph', { dataDir: dir });
    assert.equal(g.numNodes, 2708);
    assert.equal(g.classNames[0], 'class 0', 'unknown datasets get generic class names');
  });

  it('fails when a file no longer matches SHA256SUMS', async () => {
    const dir = tempDir();
    copyCora(dir, 'mygraph');
    const sums = readdirSync(dir).map((f) => `${sha256Hex(readFileSync(path.join(dir, f)))}  ${f}`);
    writeFileSync(path.join(dir, 'SHA256SUMS'), sums.join('\n') + '\n');
    truncateSync(path.join(dir, 'ind.mygraph.tx'), 100);
    await assert.rejects(loadPlanetoid('mygraph', { dataDir: dir }), isDatasetError('checksum', 'ind.mygraph.tx'));
  });

  it('without SHA256SUMS, a truncated pickle is reported as corrupt, naming the file', async () => {
    const dir = tempDir();
    copyCora(dir, 'mygraph');
    truncateSync(path.join(dir, 'ind.mygraph.allx'), 5000);
    await assert.rejects(loadPlanetoid('mygraph', { dataDir: dir }), isDatasetError('corrupt', 'ind.mygraph.allx', 'truncated pickle'));
  });

  it('without SHA256SUMS, a pickle that tries to run code is refused', async () => {
    const dir = tempDir();
    copyCora(dir, 'mygraph');
    writeFileSync(path.join(dir, 'ind.mygraph.graph'), Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cos\nsystem\n'), Buffer.from([0x55, 2]), Buffer.from('id'), Buffer.from([0x85, 0x52, 0x2e])]));
    await assert.rejects(loadPlanetoid('mygraph', { dataDir: dir }), isDatasetError('unsafe', 'ind.mygraph.graph', "refusing to load global 'os.system'"));
  });
});
