/** Messages to and from the dataset worker (datasetWorker.ts), and the client the host calls. */
import { Worker } from 'node:worker_threads';
import { bundledWorker } from '../io/packageFiles';
import { DatasetError, type DatasetErrorCode } from './datasetError';
import type { GraphDataset } from './graph';

export interface DatasetWorkerRequest {
  readonly name: string;
  readonly dataDir?: string;
  readonly download?: boolean;
}

export type DatasetWorkerReply =
  | { readonly type: 'done'; readonly dataset: GraphDataset }
  | { readonly type: 'error'; readonly name: string; readonly message: string; readonly code?: string; readonly file?: string };

/** The dataset's typed-array buffers, moved (not copied) to the receiving thread. */
export function datasetBuffers(g: GraphDataset): ArrayBuffer[] {
  const arrays = [g.features.indptr, g.features.indices, g.features.values, g.labels, g.edgeSource, g.edgeTarget, g.split.train, g.split.val, g.split.test, g.multiLabels, g.selfLoops, g.motifs];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}

/** dist/datasetWorker.js next to the nearest package.json above this bundle. */
export function defaultDatasetWorker(from: string = __dirname): string {
  return bundledWorker('datasetWorker.js', from);
}

/** Loads a dataset in a fresh worker thread; a DatasetError there is a DatasetError here. */
export function loadDatasetInWorker(request: DatasetWorkerRequest, workerScript = defaultDatasetWorker()): Promise<GraphDataset> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript);
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.once('message', (reply: DatasetWorkerReply) =>
      settle(() => {
        if (reply.type === 'done') resolve(reply.dataset);
        else if (reply.name === 'DatasetError' && reply.code) reject(new DatasetError(reply.code as DatasetErrorCode, reply.message, reply.file));
        else reject(new Error(reply.message));
      }),
    );
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the dataset worker exited with code ${code} before answering`))));
    worker.postMessage(request);
  });
}
