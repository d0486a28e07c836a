/**
 * Worker-thread entry (bundled to dist/tsneWorker.js), in one of two roles:
 *  - job runner (default, started by runTsneInWorker): runs one t-SNE job per message and
 *    reports progress, intermediate layouts and the result to the host;
 *  - force-pass helper (workerData.role === 'tsne-helper', started by runTsne itself): receives
 *    the shared arrays once, then helps with every iteration's force pass until told to quit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HELPER_ROLE, helperLoop, type HelperStart } from './forces';
import type { HostToWorker, WorkerToHost } from './protocol';
import { runTsne } from './tsne';

const port = parentPort;
if (port && (workerData as { role?: string } | null)?.role === HELPER_ROLE) {
  port.once('message', (start: HelperStart) => {
    try {
      helperLoop(start.arrays, start.slot);
    } finally {
      port.close();
    }
  });
} else if (port) {
  const post = (message: WorkerToHost, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  port.on('message', (request: HostToWorker) => {
    try {
      const result = runTsne(request.points, request.n, request.dims, request.options, {
        progressEvery: request.progressEvery,
        onProgress: (progress) => post({ type: 'progress', progress }),
        layoutEvery: request.layoutEvery,
        onLayout: (iteration, embedding) => post({ type: 'layout', iteration, embedding: embedding.slice() }),
        // This very script also serves as the helper threads' entry.
        helperScript: __filename,
      });
      post({ type: 'done', result }, [result.embedding.buffer as ArrayBuffer]);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      post({ type: 'error', name: error.name, message: error.message });
    }
  });
}
