import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gaussianClusters } from '../../src/gat/tsne/gaussianClusters';
import { TsneInputError } from '../../src/gat/tsne/options';
import { runTsne } from '../../src/gat/tsne/tsne';
import { runTsneInWorker } from '../../src/gat/tsne/runTsneInWorker';
import { defaultWorkerScript } from '../../src/gat/tsne/workerScript';

// `npm test` builds dist/tsneWorker.js before the unit tests; the default path finds it.
describe('runTsneInWorker', () => {
  const data = gaussianClusters(300, 7, 4, 2);

  it('finds the bundled worker next to package.json', () => {
    assert.match(defaultWorkerScript(), /dist[\\/]tsneWorker\.js$/);
  });

  it('reports progress, streams layouts every k iterations and returns the in-process result', async () => {
    const progress: number[] = [];
    const layouts: Array<[number, number]> = [];
    const options = { iterations: 300, perplexity: 15, seed: 9 };
    const result = await runTsneInWorker(data.points, data.n, data.dims, options, {
      progressEvery: 100,
      onProgress: (p) => {
        assert.ok(Number.isFinite(p.kl));
        progress.push(p.iteration);
      },
      layoutEvery: 75,
      onLayout: (iteration, embedding) => layouts.push([iteration, embedding.length]),
    });
    assert.deepEqual(progress, [100, 200, 300]);
    assert.deepEqual(layouts, [[75, 600], [150, 600], [225, 600], [300, 600]]);
    assert.deepEqual(result.embedding, runTsne(data.points, data.n, data.dims, options).embedding);
  });

  it('cancels: rejects with AbortError after the worker has exited', { timeout: 60_000 }, async () => {
    const big = gaussianClusters(2708, 7, 7, 3);
    const controller = new AbortController();
    let exitCode: number | undefined;
    // Finite iterations: if cancelling ever broke, the test would fail on its own instead of hanging.
    const run = runTsneInWorker(big.points, big.n, big.dims, { iterations: 20_000 }, {
      signal: controller.signal,
      progressEvery: 10,
      onProgress: () => controller.abort(),
      onExit: (code) => (exitCode = code),
    });
    await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.notEqual(exitCode, undefined, 'the worker thread has exited');
  });

  it('rejects at once when the signal is already aborted', async () => {
    await assert.rejects(runTsneInWorker(data.points, data.n, data.dims, {}, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('passes input errors through as TsneInputError', async () => {
    await assert.rejects(runTsneInWorker(data.points, data.n, data.dims, { perplexity: 200 }), (e: unknown) => e instanceof TsneInputError && /perplexity 200 is too large for 300 points/.test(e.message));
  });
});
