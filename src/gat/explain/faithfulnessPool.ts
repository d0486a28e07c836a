/**
 * Faithfulness over many nodes on every core: one worker thread per core, each with its own copy
 * of the model, fed small batches of node ids from one queue (receptive fields differ a lot in
 * size, so a static split would leave threads idle).
 */
import { Worker } from 'node:worker_threads';
import { bundledWorker } from '../io/packageFiles';
import type { GradedRow } from './faithfulness';
import type { FaithfulnessJob, WorkerReply } from './faithfulnessJob';

export function defaultFaithfulnessWorker(from: string = __dirname): string {
  return bundledWorker('faithfulnessWorker.js', from);
}

export interface PoolOptions {
  readonly threads: number;
  readonly batch?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly workerScript?: string;
}

export async function faithfulnessOnThreads(job: FaithfulnessJob, nodes: readonly number[], o: PoolOptions): Promise<GradedRow[]> {
  const batch = o.batch ?? 4;
  const queue = [...nodes];
  const rows: GradedRow[] = [];
  let done = 0;
  const threads = Math.max(1, Math.min(o.threads, Math.ceil(nodes.length / batch)));
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () => {
        const worker = new Worker(o.workerScript ?? defaultFaithfulnessWorker(), { workerData: job });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          let inFlight = 0;
          const next = (): void => {
            const nodesNow = queue.splice(0, batch);
            inFlight = nodesNow.length;
            if (nodesNow.length === 0) return resolve();
            worker.postMessage(nodesNow);
          };
          worker.on('message', (reply: WorkerReply) => {
            if (reply.type === 'error') return reject(new Error(reply.message));
            rows.push(...reply.rows);
            done += inFlight;
            o.onProgress?.(done, nodes.length);
            next();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (queue.length > 0 || code !== 0 ? reject(new Error(`a faithfulness worker stopped (exit code ${code}) with ${queue.length} nodes left`)) : undefined));
          next();
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const order = new Map(nodes.map((n, i) => [n, i]));
  return rows.sort((a, b) => order.get(a.node)! - order.get(b.node)!);
}
