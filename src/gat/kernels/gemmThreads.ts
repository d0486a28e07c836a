/**
 * Dense products on two cores: the calling thread multiplies the first half of the left operand's
 * rows while a worker thread (its own TensorFlow.js wasm back end) multiplies the second half, both
 * reading one shared arena. For PPI's products (hundreds of milliseconds each) the hand-off costs
 * well under a millisecond. Falls back to one thread when the worker cannot start; a worker that
 * fails or crashes later fails the product with a KernelThreadError, as the kernel pool's threads do.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { bundledWorker } from '../io/packageFiles';
import { transposeInto, type DenseProducts } from './denseProducts';
import { CONTROL_BYTES, crashMessage, DONE, STATUS, type GemmJob, type GemmWorkerInit, type GemmWorkerReply } from './gemmProtocol';
import { KernelThreadError } from './kernelPool';

/** Below this many rows a product is not worth splitting. */
const MIN_SPLIT_ROWS = 128;
/** What the thread was doing when it failed, for KernelThreadError's message. */
const PRODUCT = 'a dense product';
/** A product takes seconds at most; far longer means the worker is gone. */
const WORKER_TIMEOUT_MS = 120_000;

export interface ThreadedProducts extends DenseProducts {
  readonly threads: number;
  dispose(): void;
}

/** dist/gemmWorker.js next to the nearest package.json above this bundle. */
export function defaultGemmWorker(from: string = __dirname): string {
  return bundledWorker('gemmWorker.js', from);
}

/** Starts the worker (TensorFlow.js's wasm back end must already be active here). */
export async function startThreadedProducts(wasmDir: string, workerScript = defaultGemmWorker(), timeoutMs = 20_000): Promise<ThreadedProducts | null> {
  if (tf.getBackend() !== 'wasm' || !existsSync(workerScript)) return null;
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const worker = new Worker(workerScript, { workerData: { wasmDir, control } satisfies GemmWorkerInit });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    worker.once('message', (m: GemmWorkerReply) => {
      clearTimeout(timer);
      resolve(m.type === 'ready');
    });
    worker.once('error', () => resolve(false));
  });
  if (!ready) {
    await worker.terminate();
    return null;
  }
  worker.unref();
  return twoThreads(worker, control);
}

function twoThreads(worker: Worker, control: SharedArrayBuffer): ThreadedProducts {
  const flags = new Int32Array(control, 0, 4);
  let arena = new SharedArrayBuffer(0);
  let seq = 0;
  let failure: string | null = null;
  /** Why the worker is gone (its 'error' or 'exit' event, seen between products), or null while it runs. */
  let gone: string | null = null;
  worker.on('message', (m: GemmWorkerReply) => {
    if (m.type === 'error') failure = m.message;
  });
  // Listened to for the worker's whole life: an 'error' event with no listener would end the process with Node's dump.
  worker.on('error', (e: Error) => (gone ??= `failed: ${e.message}`));
  worker.on('exit', (code: number) => (gone ??= `exited (code ${code})`));
  /** A crash the worker marked in the shared slots (seen even while this thread waits), else its events. */
  const stopped = (): KernelThreadError | null => {
    const crashed = crashMessage(control);
    const why = crashed !== null ? `crashed: ${crashed}` : gone;
    return why === null ? null : new KernelThreadError(1, PRODUCT, why);
  };
  const room = (floats: number): Float32Array => {
    if (arena.byteLength < 4 * floats) arena = new SharedArrayBuffer(4 * Math.ceil(floats * 1.25));
    return new Float32Array(arena);
  };
  return {
    name: 'tfjs',
    threads: 2,
    matmul(a, b, m, k, n, o, out) {
      // Both operands untransposed in the arena (XNNPACK's fast path), then the output.
      const mem = room(m * k + k * n + m * n);
      const left = mem.subarray(0, m * k);
      const right = mem.subarray(m * k, m * k + k * n);
      const result = mem.subarray(m * k + k * n, m * k + k * n + m * n);
      if (o.transposeA) transposeInto(a, k, m, left);
      else left.set(a.subarray(0, m * k));
      if (o.transposeB) transposeInto(b, n, k, right);
      else right.set(b.subarray(0, k * n));
      const split = m >= MIN_SPLIT_ROWS ? m >> 1 : m;
      if (split < m) {
        const dead = stopped();
        if (dead) throw dead;
        const job: GemmJob = { seq: ++seq, arena, a: split * k, b: m * k, out: m * k + k * n + split * n, m: m - split, k, n };
        worker.postMessage(job);
      }
      const mine = tf.tidy(() => tf.matMul(tf.tensor2d(left.subarray(0, split * k), [split, k]), tf.tensor2d(right, [k, n]))); // (split, N)
      result.set(mine.dataSync() as Float32Array);
      mine.dispose();
      if (split < m) {
        // The worker's events cannot arrive while this thread waits, so a dead worker shows as a timeout.
        const deadline = Date.now() + WORKER_TIMEOUT_MS;
        while (Atomics.load(flags, DONE) !== seq) {
          const dead = stopped();
          if (dead) throw dead;
          if (Date.now() > deadline) throw new KernelThreadError(1, PRODUCT, `stopped answering (no result in ${WORKER_TIMEOUT_MS / 1000} s)`);
          Atomics.wait(flags, DONE, Atomics.load(flags, DONE), 1000);
        }
        if (Atomics.load(flags, STATUS) !== 0) throw new KernelThreadError(1, PRODUCT, `failed: ${failure ?? 'unknown error'}`);
      }
      if (o.accumulate) for (let i = 0; i < m * n; i++) out[i] += result[i];
      else out.set(result);
    },
    dispose() {
      void worker.terminate();
    },
  };
}
