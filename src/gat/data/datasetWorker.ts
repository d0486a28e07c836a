/**
 * Worker-thread entry (bundled to dist/datasetWorker.js): loads one dataset per message, so the
 * extension host never parses files on its own thread (PPI's JSON and .npy files take seconds).
 */
import { parentPort } from 'node:worker_threads';
import { loadDataset } from './loadDataset';
import { datasetBuffers, type DatasetWorkerReply, type DatasetWorkerRequest } from './datasetWorkerProtocol';

const port = parentPort;
if (port) {
  port.on('message', (request: DatasetWorkerRequest) => {
    loadDataset(request.name, { dataDir: request.dataDir, download: request.download }).then(
      (dataset) => port.postMessage({ type: 'done', dataset } satisfies DatasetWorkerReply, datasetBuffers(dataset)),
      (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        const reply: DatasetWorkerReply = { type: 'error', name: err.name, message: err.message, code: (err as { code?: unknown }).code as string | undefined, file: (err as { file?: unknown }).file as string | undefined };
        port.postMessage(reply);
      },
    );
  });
}
