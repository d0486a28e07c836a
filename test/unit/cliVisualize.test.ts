import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { runGat } from '../helpers/cli';
import { bundledPlanetoidDir } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

/** The JSON a standalone page bakes in for its stand-in host. */
function bakedData(html: string): { snapshot: { type: string; [k: string]: unknown }; extra: Record<string, unknown> } {
  const m = /<script type="application\/json" id="gat-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the page carries its data');
  return JSON.parse(m[1]);
}

describe('gat visualize (standalone figures of a run)', () => {
  const out = tempDir();
  let runDir: string;
  before(async () => {
    runDir = (await trainCora(10, 'cpu', { out })).runDir;
  });

  it('writes one self-contained HTML page per panel with the panel bundle and the run\'s data', async () => {
    const figures = path.join(out, 'figures');
    const r = await runGat(['visualize', '--run', runDir, '--out', figures, '--iterations', '250']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(figures).sort(), ['attention.html', 'attention.svg', 'degrees.html', 'embedding.html', 'embedding.svg', 'entropy.html', 'entropy.svg', 'graph.html', 'graph.svg', 'metrics.html']);
    // The SVGs: well-formed documents with the drawn elements of each figure.
    const svg = (file: string): string => readFileSync(path.join(figures, file), 'utf8');
    for (const file of ['graph.svg', 'embedding.svg', 'attention.svg', 'entropy.svg']) assert.match(svg(file), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/, file);
    assert.equal((svg('graph.svg').match(/class="node"/g) ?? []).length, 2708);
    assert.equal((svg('embedding.svg').match(/class="node"/g) ?? []).length, 2708);
    assert.equal((svg('attention.svg').match(/class="edge( self)?"/g) ?? []).length, 8 * 169, '8 heads × (168 neighbours + self)');
    const learned = [...svg('entropy.svg').matchAll(/<g class="learned-bars">([\s\S]*?)<\/g>/g)].map((m) => [...m[1].matchAll(/data-count="(\d+)"/g)].reduce((a, c) => a + Number(c[1]), 0));
    assert.deepEqual(learned, new Array(8).fill(2708), 'each head\'s histogram counts every node');
    const expected: Record<string, string> = { 'graph.html': 'graphSnapshot', 'degrees.html': 'degreeSnapshot', 'attention.html': 'attentionSnapshot', 'entropy.html': 'entropySnapshot', 'embedding.html': 'graphSnapshot', 'metrics.html': 'metricsSnapshot' };
    for (const [file, type] of Object.entries(expected)) {
      const html = readFileSync(path.join(figures, file), 'utf8');
      assert.doesNotMatch(html, /<script[^>]+src=/, `${file} loads nothing from outside`);
      assert.equal(bakedData(html).snapshot.type, type, file);
    }
    const graph = bakedData(readFileSync(path.join(figures, 'graph.html'), 'utf8')).snapshot as unknown as { labels: number[]; edgeU: number[]; run: { runId: string } };
    assert.equal(graph.labels.length, 2708);
    assert.equal(graph.edgeU.length, 5278);
    assert.equal(graph.run.runId, path.basename(runDir));
    const attention = bakedData(readFileSync(path.join(figures, 'attention.html'), 'utf8'));
    assert.equal((attention.snapshot.data as { node: number }).node, 1358, 'the largest hub, as the original');
    assert.deepEqual(Object.keys(attention.extra).sort(), ['attention:1358:1', 'attention:1358:2']);
    const embedding = bakedData(readFileSync(path.join(figures, 'embedding.html'), 'utf8')).snapshot as unknown as { embedding: { status: string; settings: { iterations: number } }; edgeU: number[] };
    assert.equal(embedding.embedding.status, 'done');
    assert.equal(embedding.embedding.settings.iterations, 250);
    assert.equal(embedding.edgeU.length, 0);
  });

  it('finds a run by id under ./runs, and names the problem for an unknown run', async () => {
    const byId = await runGat(['visualize', '--run', path.basename(runDir), '--iterations', '250'], { cwd: out });
    assert.equal(byId.code, 0, byId.stderr);
    assert.ok(readdirSync(path.join(runDir, 'figures')).includes('graph.html'));
    const unknown = await runGat(['visualize', '--run', 'no-such-run'], { cwd: out });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no run 'no-such-run'/);
  });

  it('never writes into the data folder: a read-only one, as a user who does not own it', async () => {
    // As root, run as 'nobody' so the folder's permissions really apply (root ignores them).
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65534, gid: 65534 } : {};
    const base = tempDir();
    const data = path.join(base, 'data');
    mkdirSync(data);
    for (const f of readdirSync(bundledPlanetoidDir).filter((f) => f.startsWith('ind.cora.'))) {
      copyFileSync(path.join(bundledPlanetoidDir, f), path.join(data, f));
      chmodSync(path.join(data, f), 0o444);
    }
    chmodSync(data, 0o555);
    const home = path.join(base, 'home');
    const work = path.join(base, 'work');
    for (const d of [home, work]) {
      mkdirSync(d);
      if (asRoot) chownSync(d, 65534, 65534);
    }
    chmodSync(base, 0o755);
    const env = { HOME: home, XDG_CACHE_HOME: path.join(home, '.cache') };
    const before = readdirSync(data).sort();
    const trained = await runGat(['train', '--num-of-epochs', '5', '--backend', 'cpu', '--data-dir', data, '--out', work, '--should-visualize'], { cwd: work, env, ...user });
    assert.equal(trained.code, 0, trained.stderr);
    assert.deepEqual(readdirSync(data).sort(), before, 'training and --should_visualize left the data folder as it was');
    assert.deepEqual(readdirSync(base).sort(), ['data', 'home', 'work'], 'nothing beside the data folder either');
    assert.ok(readdirSync(path.join(home, '.cache', 'gat-explorer', 'layouts')).some((f) => f.startsWith('layout-cora-')), 'the layout is cached in the per-user cache');
  });
});
