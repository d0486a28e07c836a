/**
 * The second core's half of the dense products (see gemmThreads.ts): a worker thread with its own
 * TensorFlow.js WebAssembly back end (XNNPACK). Each job names rows of a left operand, a right operand
 * and an output region in a shared arena; the worker multiplies its rows and signals completion.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { DONE, markCrashed, STATUS, type GemmJob, type GemmWorkerInit } from './gemmProtocol';

const init = workerData as GemmWorkerInit;
const control = new Int32Array(init.control);

/**
 * A crash outside a job's try (a bug, a failed allocation, a rejection): say so in the shared slots
 * and wake the caller, which may be blocked waiting for a job this thread will never finish, then
 * end this thread. The caller turns it into an error of the run (gemmThreads.ts), not a hang.
 */
function crash(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  markCrashed(init.control, message);
  parentPort!.postMessage({ type: 'error', message });
  process.exit(1);
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

async function start(): Promise<void> {
  setWasmPaths(init.wasmDir + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly back end did not start in the GEMM worker');
  await tf.ready();
  parentPort!.on('message', (job: GemmJob) => run(job));
  parentPort!.postMessage({ type: 'ready' });
}

function run(job: GemmJob): void {
  const arena = new Float32Array(job.arena);
  try {
    // out (M, N) = a (M, K) · b (K, N) for this worker's rows
    const a = arena.subarray(job.a, job.a + job.m * job.k);
    const b = arena.subarray(job.b, job.b + job.k * job.n);
    const result = tf.tidy(() => tf.matMul(tf.tensor2d(a, [job.m, job.k]), tf.tensor2d(b, [job.k, job.n])));
    arena.set(result.dataSync() as Float32Array, job.out);
    result.dispose();
    Atomics.store(control, STATUS, 0);
  } catch (err) {
    Atomics.store(control, STATUS, 1);
    parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  Atomics.store(control, DONE, job.seq);
  Atomics.notify(control, DONE);
}

start().catch((err: unknown) => parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
