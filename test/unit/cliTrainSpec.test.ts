/**
 * `gat train --spec`: run.json records the spec's path and the SHA-256 of the very bytes whose
 * options the run used. The spec was read twice (parsed, then read again to hash once the dataset
 * was loaded), so a spec saved again while the training started was recorded in place of the one
 * the run was trained with.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runGat } from '../helpers/cli';
import { preloadEnv } from '../helpers/preload';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';

const sha256 = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function runRecord(out: string): { spec: { path: string; sha256: string } | null; config: { lr: number } } {
  const [runDir] = runDirs(out);
  return JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
}

describe('gat train --spec (the real CLI)', () => {
  it("records the spec's path and a SHA-256 equal to the file's", async () => {
    const dir = tempDir();
    const spec = path.join(dir, 'cora.gat.json');
    writeFileSync(spec, JSON.stringify({ num_of_epochs: 1, lr: 0.01, backend: 'wasm' }, null, 2) + '\n');
    const out = tempDir();
    const r = await runGat(['train', '--spec', spec, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const run = runRecord(out);
    assert.deepEqual(run.spec, { path: spec, sha256: sha256(readFileSync(spec)) });
    assert.equal(run.config.lr, 0.01);
  });

  it('records the spec it was trained with when the file is saved again while the training starts', async () => {
    const dir = tempDir();
    const spec = path.join(dir, 'cora.gat.json');
    const trained = JSON.stringify({ num_of_epochs: 1, lr: 0.01, backend: 'wasm' });
    const edited = JSON.stringify({ num_of_epochs: 1, lr: 0.02, backend: 'wasm' });
    writeFileSync(spec, trained);
    const out = tempDir();
    // The user saves the spec again once the training holds its output folder's lock (its options
    // were read by then), while the dataset loads.
    const env = preloadEnv(
      'editSpecOnLock',
      `const fs = require('node:fs');
if (require('node:worker_threads').isMainThread) {
  const watcher = fs.watch(${JSON.stringify(out)}, (event, name) => {
    if (name !== '.gat-train.lock') return;
    watcher.close();
    fs.writeFileSync(${JSON.stringify(spec)}, ${JSON.stringify(edited)});
  });
  watcher.unref();
}
`,
    );
    const r = await runGat(['train', '--spec', spec, '--out', out], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(spec, 'utf8'), edited, 'the spec was saved again during the run');
    const run = runRecord(out);
    assert.equal(run.config.lr, 0.01, 'the run trained with the options it read first');
    assert.deepEqual(run.spec, { path: spec, sha256: sha256(trained) });
  });
});
