/**
 * Worker-thread entry (bundled to dist/faithfulnessWorker.js): builds the run's model once from
 * workerData, then answers each batch of node ids with their fidelity rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FaithfulnessRunner, type FaithfulnessJob, type WorkerReply } from './faithfulnessJob';

const port = parentPort;
if (port) {
  const runner = new FaithfulnessRunner(workerData as FaithfulnessJob);
  port.on('message', (nodes: number[]) => {
    let reply: WorkerReply;
    try {
      reply = { type: 'rows', rows: nodes.flatMap((n) => runner.node(n)) };
    } catch (e) {
      reply = { type: 'error', message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}
