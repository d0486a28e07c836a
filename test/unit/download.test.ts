import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DatasetError } from '../../src/gat/data/datasetError';
import { downloadDataset } from '../../src/gat/data/download';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { startFileServer, type FileServer, type ServeMode } from '../helpers/fileServer';
import { PUBMED_SIZES, writeSizedPlanetoid } from '../helpers/planetoidSized';
import { fixturePlanetoidDir } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

describe('downloading Citeseer from a real HTTP server', () => {
  let server: FileServer;
  before(async () => {
    server = await startFileServer(fixturePlanetoidDir);
  });
  after(() => server.close());

  it('downloads, verifies and loads Citeseer: 3327 nodes, 3703 features, 6 classes', async () => {
    server.setMode('ok');
    const dir = tempDir();
    const progress: string[] = [];
    const g = await loadPlanetoid('citeseer', { dataDir: dir, downloadOptions: { baseUrl: server.baseUrl, onProgress: (e) => progress.push(e.file) } });
    assert.equal(g.numNodes, 3327);
    assert.equal(g.numFeatures, 3703);
    assert.equal(g.numClasses, 6);
    assert.equal(progress.length, 8);
    assert.deepEqual(readdirSync(dir).sort(), progress.slice().sort(), 'exactly the eight verified files, no temp files');
  });

  it('follows redirects (the public home answers with one)', async () => {
    server.setMode('redirect');
    const dir = tempDir();
    const fetched = await downloadDataset('citeseer', dir, { baseUrl: server.baseUrl });
    assert.equal(fetched.length, 8);
  });

  it('fetches only the files that are missing from the cache', async () => {
    server.setMode('ok');
    const dir = tempDir();
    await downloadDataset('citeseer', dir, { baseUrl: server.baseUrl });
    const before = server.requests.length;
    const again = await downloadDataset('citeseer', dir, { baseUrl: server.baseUrl });
    assert.deepEqual(again, []);
    assert.equal(server.requests.length, before);
  });

  const failures: Array<[ServeMode, string, string[]]> = [
    ['corrupt', 'checksum', ['ind.citeseer.graph', 'does not match its pinned checksum', 'expected SHA-256 d79a4ef9']],
    ['truncated', 'checksum', ['ind.citeseer.graph', 'does not match its pinned checksum']],
    ['not-found', 'download', ['ind.citeseer.graph', 'HTTP 404']],
    ['drop', 'download', ['ind.citeseer.graph', 'broke off']],
  ];
  for (const [mode, code, fragments] of failures) {
    it(`a ${mode} response ends in a clear error and a clean cache`, async () => {
      server.setMode(mode, 'ind.citeseer.graph');
      const dir = tempDir();
      await assert.rejects(loadPlanetoid('citeseer', { dataDir: dir, downloadOptions: { baseUrl: server.baseUrl, timeoutMs: 10_000 } }), (e: unknown) => {
        assert.ok(e instanceof DatasetError, String(e));
        assert.equal(e.code, code, e.message);
        for (const f of fragments) assert.ok(e.message.includes(f), `'${f}' in: ${e.message}`);
        return true;
      });
      const left = readdirSync(dir);
      assert.ok(!left.includes('ind.citeseer.graph'), 'the bad file was not saved');
      assert.ok(left.every((f) => !f.endsWith('.tmp')), `no temp files left: ${left.join(', ')}`);
      // The files that did verify stay, so a retry fetches only what is missing.
      server.setMode('ok');
      const fetched = await downloadDataset('citeseer', dir, { baseUrl: server.baseUrl });
      assert.ok(fetched.includes('ind.citeseer.graph'));
      assert.ok(fetched.length < 8);
    });
  }

  it('an unreachable server is a clear error', async () => {
    const dir = tempDir();
    await assert.rejects(downloadDataset('citeseer', dir, { baseUrl: 'http://127.0.0.1:9/data', timeoutMs: 5000 }), (e: unknown) => e instanceof DatasetError && e.code === 'download' && /could not download ind\.citeseer\.x/.test(e.message));
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses to download a dataset it has no checksums for', async () => {
    await assert.rejects(downloadDataset('mygraph', tempDir(), { baseUrl: server.baseUrl }), /only cora, citeseer, pubmed have a known home/);
  });
});

describe('downloading PubMed verifies every file against its pinned SHA-256', () => {
  it('refuses files that are not the real ones (generated at PubMed\'s sizes) and keeps none of them', async () => {
    const served = tempDir();
    writeSizedPlanetoid(served, { ...PUBMED_SIZES, name: 'pubmed' });
    const pubmedServer = await startFileServer(served);
    try {
      const dir = tempDir();
      await assert.rejects(loadPlanetoid('pubmed', { dataDir: dir, downloadOptions: { baseUrl: pubmedServer.baseUrl } }), (e: unknown) => e instanceof DatasetError && /ind\.pubmed\.\S+.*SHA-256/.test(e.message));
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('ind.pubmed.')), [], 'no unverified file is kept');
    } finally {
      pubmedServer.close();
    }
  });
});
