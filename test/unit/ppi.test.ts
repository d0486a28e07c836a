import assert from 'node:assert/strict';
import { readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/gat/data/checksums';
import type { GraphDataset } from '../../src/gat/data/graph';
import { datasetFormatIn, loadDataset } from '../../src/gat/data/loadDataset';
import { loadPpiFormat } from '../../src/gat/data/ppi';
import { ensurePpi } from '../../src/gat/data/ppiDownload';
import { PPI_FILES, PPI_SPLITS, PPI_ZIP_SHA256 } from '../../src/gat/data/ppiFiles';
import { isDatasetError } from '../helpers/datasetError';
import { startFileServer, type FileServer } from '../helpers/fileServer';
import { encodeNpy } from '../helpers/npyWrite';
import { fixturePlanetoidDir } from '../helpers/paths';
import { makePpi, ppiZip, writePpiFolder, zipFiles, type PpiFixture } from '../helpers/ppiFixture';
import { tempDir } from '../helpers/tempDir';

/** What the loader must build, computed directly from the generated data. */
function expectedLayout(f: PpiFixture): { order: Array<{ split: number; node: number }>; starts: number[] } {
  const order: Array<{ split: number; node: number }> = [];
  const starts: number[] = [];
  PPI_SPLITS.forEach((s, si) => {
    starts.push(order.length);
    const ids = f.splits[s].graphIds;
    const nodes = ids.map((_, i) => i).sort((a, b) => ids[a] - ids[b] || a - b);
    for (const node of nodes) order.push({ split: si, node });
  });
  return { order, starts };
}

function assertMatchesFixture(g: GraphDataset, f: PpiFixture): void {
  const { order, starts } = expectedLayout(f);
  const splitData = PPI_SPLITS.map((s) => f.splits[s]);
  const n = order.length;
  assert.equal(g.format, 'ppi');
  assert.equal(g.numNodes, n);
  assert.equal(g.numFeatures, f.numFeatures);
  assert.equal(g.numClasses, f.numLabels);
  assert.equal(g.classNames.length, f.numLabels);
  assert.equal(g.classNames[3], 'label 3');

  // Graphs: contiguous ranges in split order, ascending graph ids within each split.
  const graphs: Array<{ id: number; split: string; nodeStart: number; numNodes: number }> = [];
  order.forEach(({ split, node }, global) => {
    const id = splitData[split].graphIds[node];
    const last = graphs[graphs.length - 1];
    if (last && last.id === id && last.split === ['train', 'val', 'test'][split]) last.numNodes++;
    else graphs.push({ id, split: ['train', 'val', 'test'][split], nodeStart: global, numNodes: 1 });
  });
  assert.deepEqual(g.graphs?.map((p) => ({ ...p })), graphs);
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  assert.deepEqual([...g.split.train], range(0, starts[1]));
  assert.deepEqual([...g.split.val], range(starts[1], starts[2]));
  assert.deepEqual([...g.split.test], range(starts[2], n));

  // Features (raw, zeros skipped), multi-labels and first-positive labels, row by row.
  let nonZeros = 0;
  order.forEach(({ split, node }, global) => {
    const d = splitData[split];
    const dense = new Float32Array(f.numFeatures);
    for (let k = g.features.indptr[global]; k < g.features.indptr[global + 1]; k++) {
      assert.notEqual(g.features.values[k], 0);
      dense[g.features.indices[k]] = g.features.values[k];
    }
    assert.deepEqual(dense, d.features.subarray(node * f.numFeatures, (node + 1) * f.numFeatures), `features of node ${global}`);
    nonZeros += d.features.subarray(node * f.numFeatures, (node + 1) * f.numFeatures).filter((v) => v !== 0).length;
    const row = d.labels.subarray(node * f.numLabels, (node + 1) * f.numLabels);
    assert.deepEqual(g.multiLabels!.subarray(global * f.numLabels, (global + 1) * f.numLabels), row, `labels of node ${global}`);
    assert.equal(g.labels[global], Math.max(0, row.indexOf(1)));
  });
  assert.equal(g.featureNonZeros, nonZeros);

  // Edges: both directions of every non-self link, once, sorted by (target, source); self-loops in the mask.
  const globalOf = new Map(order.map(({ split, node }, global) => [`${split}:${node}`, global]));
  const keys = new Set<number>();
  const selfLoops = new Uint8Array(n);
  splitData.forEach((d, si) => {
    for (const [a, b] of d.links) {
      const u = globalOf.get(`${si}:${a}`)!;
      const v = globalOf.get(`${si}:${b}`)!;
      if (u === v) selfLoops[u] = 1;
      else keys.add(v * n + u).add(u * n + v);
    }
  });
  const sorted = [...keys].sort((x, y) => x - y);
  assert.deepEqual([...g.edgeTarget], sorted.map((k) => Math.floor(k / n)));
  assert.deepEqual([...g.edgeSource], sorted.map((k) => k % n));
  assert.deepEqual(g.selfLoops, selfLoops);
  for (let e = 0; e < g.edgeSource.length; e++) {
    const part = g.graphs!.find((p) => g.edgeTarget[e] >= p.nodeStart && g.edgeTarget[e] < p.nodeStart + p.numNodes)!;
    assert.ok(g.edgeSource[e] >= part.nodeStart && g.edgeSource[e] < part.nodeStart + part.numNodes, 'edges stay inside their graph');
  }
}

describe('loading a generated PPI-format folder', () => {
  it('stacks train, valid and test graphs as contiguous node ranges, sorted by graph id, exactly as written', async () => {
    const dir = tempDir();
    const f = writePpiFolder(dir, { seed: 3, selfLoopChance: 0.5 });
    const g = await loadPpiFormat('MyPPI', dir);
    assert.equal(g.name, 'myppi');
    assert.equal(g.graphs?.length, 8);
    assert.deepEqual(g.graphs?.map((p) => p.id), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(g.graphs?.map((p) => p.split), ['train', 'train', 'train', 'train', 'val', 'val', 'test', 'test']);
    assertMatchesFixture(g, f);
    assert.ok(g.selfLoops!.some((v) => v === 0) && g.selfLoops!.some((v) => v === 1), 'some nodes with and some without a self-loop');
  });

  it('reads float64 labels, graphs already grouped in file order, self-loops on every node', async () => {
    const dir = tempDir();
    const f = writePpiFolder(dir, { seed: 11, labelDtype: 'f8', interleave: false, graphs: { train: 3, valid: 1, test: 1 }, features: 7, labels: 5 });
    const g = await loadPpiFormat('other', dir);
    assertMatchesFixture(g, f);
    assert.ok(g.selfLoops!.every((v) => v === 1));
  });

  it('records the SHA-256 of all twelve files and where they came from', async () => {
    const dir = tempDir();
    writePpiFolder(dir);
    const g = await loadPpiFormat('mine', dir);
    assert.deepEqual(Object.keys(g.checksums).sort(), [...PPI_FILES].sort());
    for (const file of PPI_FILES) assert.equal(g.checksums[file], sha256Hex(readFileSync(path.join(dir, file))));
    assert.equal(g.sourceDir, dir);
  });

  it('loadDataset finds PPI-format files in the data folder under any name; datasetFormatIn tells the formats apart', async () => {
    const dir = tempDir();
    const f = writePpiFolder(dir, { seed: 5 });
    const g = await loadDataset('mygraphs', { dataDir: dir });
    assertMatchesFixture(g, f);
    assert.equal(await datasetFormatIn(dir), 'ppi');
    assert.equal(await datasetFormatIn(fixturePlanetoidDir), 'planetoid');
    assert.equal(await datasetFormatIn(tempDir()), undefined);
    assert.equal(await datasetFormatIn(path.join(dir, 'nope')), undefined);
    const citeseer = await loadDataset('citeseer', { dataDir: fixturePlanetoidDir, download: false });
    assert.equal(citeseer.numNodes, 3327, 'Planetoid folders load as before');
  });
});

describe('bad PPI-format files give clear errors', () => {
  function folder(): { dir: string; f: PpiFixture } {
    const dir = tempDir();
    return { dir, f: writePpiFolder(dir, { seed: 9 }) };
  }

  it('row counts that disagree between feats and labels name both files and counts', async () => {
    const { dir, f } = folder();
    const n = f.splits.train.numNodes;
    writeFileSync(path.join(dir, 'train_labels.npy'), encodeNpy({ descr: '|u1', shape: [n - 1, 121], data: f.splits.train.labels.subarray(0, (n - 1) * 121) }));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', `train_graph.json has ${n} nodes but train_labels.npy has ${n - 1} rows`));
    writePpiFolder(dir, { seed: 9 });
    writeFileSync(path.join(dir, 'test_feats.npy'), encodeNpy({ descr: '<f4', shape: [n + 2, 50], data: new Float32Array((n + 2) * 50) }));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', `test_graph.json has ${f.splits.test.numNodes} nodes but test_feats.npy has ${n + 2} rows`));
  });

  it('a label value of 2 names the file, row and column', async () => {
    const { dir, f } = folder();
    const labels = Uint8Array.from(f.splits.valid.labels);
    labels[5 * 121 + 7] = 2;
    writeFileSync(path.join(dir, 'valid_labels.npy'), encodeNpy({ descr: '|u1', shape: [f.splits.valid.numNodes, 121], data: labels }));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', 'valid_labels.npy row 5 column 7 is 2', 'must be 0 or 1'));
  });

  it('a link between two graphs names the link', async () => {
    const { dir, f } = folder();
    const ids = f.splits.train.graphIds;
    const a = ids.indexOf(1);
    const b = ids.indexOf(2);
    const doc = JSON.parse(readFileSync(path.join(dir, 'train_graph.json'), 'utf8')) as { links: Array<{ source: number; target: number }> };
    doc.links.splice(3, 0, { source: a, target: b });
    writeFileSync(path.join(dir, 'train_graph.json'), JSON.stringify(doc));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', 'train_graph.json links[3]', `node ${a} (graph 1) and node ${b} (graph 2)`));
  });

  it('a duplicate node id names the node entry', async () => {
    const { dir } = folder();
    const doc = JSON.parse(readFileSync(path.join(dir, 'test_graph.json'), 'utf8')) as { nodes: Array<{ id: number }> };
    doc.nodes[4].id = doc.nodes[2].id;
    writeFileSync(path.join(dir, 'test_graph.json'), JSON.stringify(doc));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', 'test_graph.json', `nodes[4].id ${doc.nodes[2].id} is a duplicate`));
  });

  it('other node-link problems name the field', async () => {
    const cases: Array<[(doc: Record<string, unknown>) => void, string]> = [
      [(d) => { d.multigraph = true; }, "'multigraph' is true"],
      [(d) => { delete d.links; }, "missing 'links' list"],
      [(d) => { (d.links as Array<Record<string, unknown>>)[2].target = 1.5; }, 'links[2].target is 1.5'],
      [(d) => { (d.links as Array<Record<string, unknown>>)[0].source = 100000; }, 'links[0].source is 100000'],
      [(d) => { (d.nodes as Array<Record<string, unknown>>)[1].id = 'a'; }, 'nodes[1].id is "a"'],
    ];
    for (const [damage, fragment] of cases) {
      const { dir } = folder();
      const doc = JSON.parse(readFileSync(path.join(dir, 'valid_graph.json'), 'utf8')) as Record<string, unknown>;
      damage(doc);
      writeFileSync(path.join(dir, 'valid_graph.json'), JSON.stringify(doc));
      await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', 'valid_graph.json', fragment));
    }
  });

  it('an object-dtype .npy (a pickle) is refused as unsafe', async () => {
    const { dir, f } = folder();
    const n = f.splits.train.numNodes;
    const pickle = encodeNpy({ descr: '|u1', shape: [n], data: new Uint8Array(n) }, { header: `{'descr': '|O', 'fortran_order': False, 'shape': (${n},), }` });
    writeFileSync(path.join(dir, 'train_graph_id.npy'), pickle);
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('unsafe', 'train_graph_id.npy', 'object array'));
  });

  it('a Fortran-order feature matrix is refused', async () => {
    const { dir, f } = folder();
    const n = f.splits.test.numNodes;
    writeFileSync(path.join(dir, 'test_feats.npy'), encodeNpy({ descr: '<f4', shape: [n, 50], data: f.splits.test.features }, { fortranOrder: true }));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', 'test_feats.npy', "'fortran_order' is True"));
  });

  it('feature widths that differ between splits', async () => {
    const { dir, f } = folder();
    const n = f.splits.valid.numNodes;
    writeFileSync(path.join(dir, 'valid_feats.npy'), encodeNpy({ descr: '<f4', shape: [n, 49], data: new Float32Array(n * 49) }));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', 'valid_feats.npy has 49 columns but train_feats.npy has 50'));
  });

  it('a missing file', async () => {
    const { dir } = folder();
    unlinkSync(path.join(dir, 'valid_graph_id.npy'));
    await assert.rejects(loadDataset('mine', { dataDir: dir }), isDatasetError('missing', 'missing dataset file valid_graph_id.npy'));
  });
});

describe('your own PPI-format folder with SHA256SUMS', () => {
  function withSums(): string {
    const dir = tempDir();
    writePpiFolder(dir, { seed: 21 });
    const sums = PPI_FILES.map((f) => `${sha256Hex(readFileSync(path.join(dir, f)))}  ${f}`);
    writeFileSync(path.join(dir, 'SHA256SUMS'), sums.join('\n') + '\n');
    return dir;
  }

  it('loads when every file matches', async () => {
    const g = await loadPpiFormat('mine', withSums());
    assert.equal(g.graphs?.length, 8);
  });

  it('refuses a tampered file before parsing it, naming both checksums', async () => {
    const dir = withSums();
    const file = path.join(dir, 'test_feats.npy');
    const bytes = readFileSync(file);
    const expected = sha256Hex(bytes);
    bytes[bytes.length - 1] ^= 0x40;
    writeFileSync(file, bytes);
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('checksum', 'test_feats.npy', 'corrupt or truncated', expected, sha256Hex(bytes)));
  });

  it('refuses a file SHA256SUMS does not list', async () => {
    const dir = withSums();
    const lines = readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').split('\n').filter((l) => !l.endsWith('train_graph.json'));
    writeFileSync(path.join(dir, 'SHA256SUMS'), lines.join('\n'));
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('checksum', 'has no entry for train_graph.json'));
  });
});

describe('downloading PPI from a real HTTP server', () => {
  let server: FileServer;
  const served = tempDir();
  const savedUrl = process.env.GAT_PPI_URL;
  const good = ppiZip({ seed: 4, topFolder: 'ppi' });
  const goodSha = sha256Hex(good);
  before(async () => {
    writeFileSync(path.join(served, 'ppi.zip'), good);
    const evil = makePpi({ seed: 4 }).files;
    evil.set('../evil.json', Buffer.from('{}'));
    writeFileSync(path.join(served, 'evil.zip'), zipFiles(evil));
    server = await startFileServer(served);
    process.env.GAT_PPI_URL = `${server.baseUrl}/ppi.zip`;
  });
  after(async () => {
    if (savedUrl === undefined) delete process.env.GAT_PPI_URL;
    else process.env.GAT_PPI_URL = savedUrl;
    await server.close();
  });

  it('downloads, verifies and extracts into <dataDir>/ppi/, keeps no zip, and loads it', async () => {
    server.setMode('ok');
    const dataDir = tempDir();
    const progress: string[] = [];
    const dir = await ensurePpi(dataDir, { expectedSha256: goodSha, onProgress: (e) => progress.push(`${e.file} ${e.bytes}`) });
    assert.equal(dir, path.join(dataDir, 'ppi'));
    assert.deepEqual(progress, [`ppi.zip ${good.length}`]);
    assert.deepEqual(readdirSync(dataDir), ['ppi']);
    assert.deepEqual(readdirSync(dir).sort(), [...PPI_FILES, 'SHA256SUMS'].sort());
    assertMatchesFixture(await loadPpiFormat('mine', dir), makePpi({ seed: 4 }));

    const requests = server.requests.length;
    assert.equal(await ensurePpi(dataDir, { expectedSha256: goodSha }), dir);
    assert.equal(server.requests.length, requests, 'nothing is fetched when the files are there');

    // The SHA256SUMS written at extraction guards the cached files from then on.
    writeFileSync(path.join(dir, 'valid_labels.npy'), 'damaged');
    await assert.rejects(loadDataset('mine', { dataDir: dir }), isDatasetError('checksum', 'valid_labels.npy'));
  });

  it('follows a redirect', async () => {
    server.setMode('redirect');
    const dataDir = tempDir();
    await ensurePpi(dataDir, { expectedSha256: goodSha });
    assert.deepEqual(readdirSync(dataDir), ['ppi']);
  });

  it("checks the dataset named 'ppi' against PPI's real sizes, naming the file and count", async () => {
    server.setMode('ok');
    await assert.rejects(loadDataset('PPI', { dataDir: tempDir(), ppi: { expectedSha256: goodSha } }), isDatasetError('corrupt', 'train_graph_id.npy lists 4 graphs', "PPI's train split has 20", 'not the PPI dataset'));
    // The right number of graphs, but tiny ones: the node count is what differs.
    writeFileSync(path.join(served, 'ppi24.zip'), ppiZip({ graphs: { train: 20, valid: 2, test: 2 }, minNodes: 2, maxNodes: 3, features: 50, labels: 121 }));
    const sha24 = sha256Hex(readFileSync(path.join(served, 'ppi24.zip')));
    await assert.rejects(loadDataset('ppi', { dataDir: tempDir(), ppi: { url: `${server.baseUrl}/ppi24.zip`, expectedSha256: sha24 } }), isDatasetError('corrupt', 'train_graph.json has', "nodes, but PPI's train split has 44906"));
  });

  it('refuses an archive that does not match the pinned checksum and leaves nothing in the cache', async () => {
    server.setMode('ok');
    const dataDir = tempDir();
    await assert.rejects(loadDataset('ppi', { dataDir }), isDatasetError('checksum', 'ppi.zip', 'does not match its pinned checksum', `expected SHA-256 ${PPI_ZIP_SHA256}`, goodSha));
    assert.deepEqual(readdirSync(dataDir), []);
  });

  for (const mode of ['corrupt', 'truncated'] as const) {
    it(`a ${mode} transfer is refused by the checksum and leaves nothing in the cache`, async () => {
      server.setMode(mode);
      const dataDir = tempDir();
      await assert.rejects(ensurePpi(dataDir, { expectedSha256: goodSha }), isDatasetError('checksum', 'ppi.zip', `expected SHA-256 ${goodSha}`));
      assert.deepEqual(readdirSync(dataDir), []);
    });
  }

  it('an archive with a zip-slip entry is refused even when its checksum matches, and nothing is left', async () => {
    server.setMode('ok');
    const dataDir = tempDir();
    const sha = sha256Hex(readFileSync(path.join(served, 'evil.zip')));
    await assert.rejects(ensurePpi(dataDir, { url: `${server.baseUrl}/evil.zip`, expectedSha256: sha }), isDatasetError('unsafe', "entry '../evil.json'"));
    assert.deepEqual(readdirSync(dataDir), []);
    assert.ok(!readdirSync(path.dirname(dataDir)).includes('evil.json'));
  });

  it('a missing archive (HTTP 404) names GAT_PPI_URL as the way to a mirror', async () => {
    server.setMode('not-found');
    const dataDir = tempDir();
    await assert.rejects(ensurePpi(dataDir), isDatasetError('download', 'HTTP 404', 'GAT_PPI_URL'));
    assert.deepEqual(readdirSync(dataDir), []);
  });

  it('does not download when downloading is off', async () => {
    const dataDir = tempDir();
    await assert.rejects(loadDataset('ppi', { dataDir, download: false }), isDatasetError('missing', 'downloading is off', 'npx gat download --dataset-name ppi'));
    assert.deepEqual(readdirSync(dataDir), []);
  });

  it('uses a data folder that itself holds the extracted files', async () => {
    const dir = tempDir();
    writePpiFolder(dir, { seed: 4 });
    await assert.rejects(loadDataset('ppi', { dataDir: dir, download: false }), isDatasetError('corrupt', 'train_graph_id.npy lists 4 graphs'));
  });
});
