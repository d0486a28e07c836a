/**
 * The second core's half of the dense products (see gemmThreads.ts): a worker thread with its own
 * TensorFlow.js WebAssembly back end (XNNPACK). Each job names rows of a left operand, a right operand
 * and an output region in a shared arena; the worker multiplies its rows and signals completion.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { DONE, type GemmJob, type GemmWorkerInit } from './gemmProtocol';

const init = workerData as GemmWorkerInit;

async function start(): Promise<void> {
  setWasmPaths(init.wasmDir + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly back end did not start in the GEMM worker');
  await tf.ready();
  parentPort!.on('message', (job: GemmJob) => run(job));
  parentPort!.postMessage({ type: 'ready' });
}

function run(job: GemmJob): void {
  const control = new Int32Array(job.control);
  const arena = new Float32Array(job.arena);
  try {
    // out (M, N) = a (M, K) · b (K, N) for this worker's rows
    const a = arena.subarray(job.a, job.a + job.m * job.k);
    const b = arena.subarray(job.b, job.b + job.k * job.n);
    const result = tf.tidy(() => tf.matMul(tf.tensor2d(a, [job.m, job.k]), tf.tensor2d(b, [job.k, job.n])));
    arena.set(result.dataSync() as Float32Array, job.out);
    result.dispose();
    Atomics.store(control, 1, 0);
  } catch (err) {
    Atomics.store(control, 1, 1);
    parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
  Atomics.store(control, DONE, job.seq);
  Atomics.notify(control, DONE);
}

start().catch((err: unknown) => parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
