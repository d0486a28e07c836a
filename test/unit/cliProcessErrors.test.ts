/**
 * Errors no `await` of main() reaches, through the real CLI: an exception thrown from a timer, a
 * rejection nobody handles, a worker thread that crashes, and stdout closed by the program reading
 * it (`gat train | head`). Each ends in one line and a documented exit code, or (a closed stdout)
 * in the command finishing its work, never in Node's dump of a stack trace.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { assertNoStackTrace, runGat, spawnGat, STACK_LINE } from '../helpers/cli';
import { writePpiFolder } from '../helpers/ppiFixture';
import { preloadEnv } from '../helpers/preload';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';

const BUG = '(this is a bug: run again with GAT_DEBUG=1 for the stack trace, and report it)';

describe('errors outside main() (the real CLI)', () => {
  it('an exception thrown from a timer: one line, exit 1; its stack only with GAT_DEBUG=1', async () => {
    const env = preloadEnv('throwFromTimer', "setTimeout(() => { throw new Error('a bug outside main'); }, 0);\n");
    const r = await runGat(['inspect'], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, `gat inspect: unexpected error: a bug outside main ${BUG}\n`);

    const debug = await runGat(['inspect'], { env: { ...env, GAT_DEBUG: '1' }, expectStackTrace: true });
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, /^gat inspect: unexpected error: Error: a bug outside main\n/);
    assert.match(debug.stderr, STACK_LINE);
  });

  it('a rejection nobody handles: one line, exit 1, whatever was rejected', async () => {
    const error = await runGat(['inspect'], { env: preloadEnv('rejectError', "setTimeout(() => { Promise.reject(new Error('a rejection nobody handles')); }, 0);\n") });
    assert.equal(error.code, 1, error.stderr);
    assert.equal(error.stderr, `gat inspect: unexpected error: a rejection nobody handles ${BUG}\n`);
    const value = await runGat(['inspect'], { env: preloadEnv('rejectValue', 'setTimeout(() => { Promise.reject(42); }, 0);\n') });
    assert.equal(value.code, 1, value.stderr);
    assert.equal(value.stderr, `gat inspect: unexpected error: 42 ${BUG}\n`);
  });

  it("a file-system error at a known path, thrown outside main: main's one line and exit code (4)", async () => {
    const env = preloadEnv(
      'throwEnospc',
      "setTimeout(() => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: '/data/out/metrics.jsonl' }); }, 0);\n",
    );
    const r = await runGat(['inspect'], { env });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stderr, 'gat inspect: error: cannot write /data/out/metrics.jsonl: the disk is full (ENOSPC): free some disk space, then try again\n');
  });

  it('a GEMM worker thread that crashes mid-training fails the run at once: one line with the way on, exit 5, the run marked failed', async () => {
    // Wide layers (the PPI recipe) over batches of at least 128 nodes: the products are split with the worker.
    const data = tempDir();
    writePpiFolder(data, { minNodes: 70, maxNodes: 80, features: 8, labels: 5 });
    const env = preloadEnv(
      'crashGemmWorker',
      `const { isMainThread, parentPort, workerData } = require('node:worker_threads');
if (!isMainThread && workerData && typeof workerData.wasmDir === 'string') {
  // Once the first product has been handed over, the thread crashes outside any job (as a bug or a failed allocation would).
  parentPort.once('message', () => setImmediate(() => { throw new Error('the GEMM worker crashed (a test preload)'); }));
}
`,
    );
    const out = tempDir();
    const r = await runGat(['train', '--dataset-name', 'mine', '--data-dir', data, '--num-of-epochs', '3', '--backend', 'wasm', '--threads', '2', '--out', out], { env, timeoutMs: 60_000 });
    assert.match(r.stdout, /dense products: tfjs on 2 threads/, 'the products ran on the worker');
    assert.equal(r.code, 5, r.stderr);
    assert.equal(
      r.stderr,
      'gat train: error: GAT kernel thread 1 crashed: the GEMM worker crashed (a test preload), during a dense product: training cannot go on without it. No epoch had finished, so there is nothing to resume: try again, or train with --threads 1.\n',
    );
    const [runDir] = runDirs(out);
    assert.equal(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')).status, 'failed');
  });

  it('stdout closed by its reader (gat train | head): the rest of the output is dropped, the training completes, exit 0', async () => {
    const data = tempDir();
    writePpiFolder(data, { minNodes: 10, maxNodes: 15, features: 8, labels: 5 });
    const out = tempDir();
    const args = ['train', '--dataset-name', 'mine', '--data-dir', data, '--num-of-epochs', '3', '--console-log-freq', '1', '--backend', 'wasm', '--out', out];
    const child = spawnGat(args);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -c 10`: read the first output, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assertNoStackTrace(args, stderr);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const [runDir] = runDirs(out);
    assert.equal(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')).status, 'completed');
  });
});
