/**
 * Worker-thread entry (bundled to dist/tsneWorker.js): runs one t-SNE job per message and
 * reports progress, intermediate layouts and the result to the host.
 */
import { parentPort } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from './protocol';
import { runTsne } from './tsne';

const port = parentPort;
if (port) {
  const post = (message: WorkerToHost, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  port.on('message', (request: HostToWorker) => {
    try {
      const result = runTsne(request.points, request.n, request.dims, request.options, {
        progressEvery: request.progressEvery,
        onProgress: (progress) => post({ type: 'progress', progress }),
        layoutEvery: request.layoutEvery,
        onLayout: (iteration, embedding) => post({ type: 'layout', iteration, embedding: embedding.slice() }),
      });
      post({ type: 'done', result }, [result.embedding.buffer as ArrayBuffer]);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      post({ type: 'error', name: error.name, message: error.message });
    }
  });
}
