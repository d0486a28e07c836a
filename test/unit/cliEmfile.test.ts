/**
 * Too many open files (EMFILE) through the real CLI: one line naming the path and the fix (raise the
 * limit with ulimit -n), the exit code of what failed (3 a dataset, 2 a file named by an option, 4 a
 * write), no stack trace. A folder that could not be listed was taken for an empty one, and said
 * "unknown dataset" or "the bundled cora files are not in …".
 *
 * Node itself needs descriptors to start and to load the CLI, so a low `ulimit -n` fails before the
 * CLI runs, or not at all, depending on the machine. Instead a preload uses up every free descriptor
 * at the moment the CLI's entry is called: its modules are loaded, and every open of its own fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { runGat } from '../helpers/cli';
import { bundledPlanetoidDir, repoRoot } from '../helpers/paths';
import { writePpiFolder } from '../helpers/ppiFixture';
import { preloadEnv } from '../helpers/preload';
import { tempDir } from '../helpers/tempDir';

const FIX = 'too many open files in this process (EMFILE): raise the limit with ulimit -n (e.g. ulimit -n 4096), then try again';

describe('too many open files (EMFILE) in the real CLI', () => {
  let env: NodeJS.ProcessEnv;
  before(() => {
    const bundle = path.join(repoRoot, 'dist', 'cli.js');
    env = preloadEnv(
      'useUpDescriptors',
      `const { isMainThread } = require('node:worker_threads');
if (isMainThread) {
  const fs = require('node:fs');
  const bundle = ${JSON.stringify(bundle)};
  const cli = require(bundle);
  const held = [];
  // bin/gat.js gets this module's exports from the cache: the real entry, called once every descriptor is taken.
  require.cache[bundle].exports = { ...cli, runAsProcess(argv) {
    for (;;) {
      try { held.push(fs.openSync('/dev/null', 'r')); } catch (e) { if (e.code === 'EMFILE') break; throw e; }
    }
    return cli.runAsProcess(argv);
  } };
}
`,
    );
  });

  it('gat inspect of the bundled Cora: the folder it could not list, exit 3', async () => {
    const r = await runGat(['inspect'], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `gat inspect: error: cannot list the folder ${bundledPlanetoidDir}: ${FIX}\n`);
  });

  it('gat inspect of a PPI-format folder: the folder, not "unknown dataset", exit 3', async () => {
    const data = tempDir();
    writePpiFolder(data, { minNodes: 5, maxNodes: 8, features: 4, labels: 3 });
    const r = await runGat(['inspect', '--dataset-name', 'mine', '--data-dir', data], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `gat inspect: error: cannot list the folder ${data}: ${FIX}\n`);
  });

  it('gat inspect --model: the model file it could not open, exit 2', async () => {
    const model = path.join(repoRoot, 'test', 'fixtures', 'pth', 'tiny_state_dict_f32.pth');
    const r = await runGat(['inspect', '--model', model], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `gat inspect: error: ${model} cannot be read: ${FIX}\n`);
  });

  it('gat train: the lock it could not write, exit 4, and no lock file left behind', async () => {
    const out = tempDir();
    const r = await runGat(['train', '--num-of-epochs', '1', '--backend', 'wasm', '--out', out], { env });
    assert.equal(r.code, 4, r.stderr);
    const lock = path.join(out, '.gat-train.lock');
    assert.equal(r.stderr, `gat train: error: could not write ${lock}: EMFILE: too many open files in this process. Files saved earlier are unchanged. Raise the limit with ulimit -n (e.g. ulimit -n 4096) and run the command again.\n`);
    assert.equal(existsSync(lock), false);
    assert.deepEqual(readdirSync(out), []);
  });
});

describe('a SHA256SUMS that is there but cannot be read (the real CLI)', () => {
  // With every descriptor taken, the folder listing fails first; a link that loops fails the same way
  // ('unreadable') and can be made for real. Such a file is not a bad list, and its line said it was.
  it('says why it cannot be read, not that it should list each file\'s SHA-256', async () => {
    const data = tempDir();
    writePpiFolder(data, { minNodes: 5, maxNodes: 8, features: 4, labels: 3 });
    const sums = path.join(data, 'SHA256SUMS');
    symlinkSync('SHA256SUMS', sums);
    const r = await runGat(['inspect', '--dataset-name', 'mine', '--data-dir', data]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `gat inspect: error: ${sums} cannot be read: its symbolic links go round in a loop\n`);
  });
});
