/**
 * Host side: runs t-SNE in a worker thread so the caller's thread stays responsive, with
 * progress, intermediate layouts (for animation) and cancellation through an AbortSignal.
 */
import { Worker } from 'node:worker_threads';
import { TsneInputError, type TsneOptions } from './options';
import type { HostToWorker, WorkerToHost } from './protocol';
import type { TsneProgress, TsneResult } from './tsne';
import { defaultWorkerScript } from './workerScript';

export interface TsneWorkerHooks {
  readonly onProgress?: (progress: TsneProgress) => void;
  /** Receives a copy of the n × 2 layout every `layoutEvery` iterations. */
  readonly onLayout?: (iteration: number, embedding: Float64Array) => void;
  /** Default 50. */
  readonly progressEvery?: number;
  /** Default 0 (no intermediate layouts). */
  readonly layoutEvery?: number;
  /** Called once the worker thread has exited (after the result, an error or a cancel). */
  readonly onExit?: (exitCode: number) => void;
  /** Aborting terminates the worker and rejects with an AbortError once it has exited. */
  readonly signal?: AbortSignal;
  /** The bundled worker; defaults to dist/tsneWorker.js of the package this file lives in. */
  readonly workerScript?: string;
}

export function runTsneInWorker(points: ArrayLike<number>, n: number, dims: number, options: TsneOptions = {}, hooks: TsneWorkerHooks = {}): Promise<TsneResult> {
  const { signal } = hooks;
  if (signal?.aborted) return Promise.reject(abortError());
  const script = hooks.workerScript ?? defaultWorkerScript();
  const worker = new Worker(script);
  return new Promise<TsneResult>((resolve, reject) => {
    let settled = false;
    // Settle only after the thread is gone, so a rejected cancel never leaves a worker running.
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.terminate().then(settle, settle);
    };
    const onAbort = (): void => finish(() => reject(abortError()));
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: WorkerToHost) => {
      switch (message.type) {
        case 'progress':
          hooks.onProgress?.(message.progress);
          break;
        case 'layout':
          hooks.onLayout?.(message.iteration, message.embedding);
          break;
        case 'done':
          finish(() => resolve(message.result));
          break;
        case 'error':
          finish(() => reject(message.name === 'TsneInputError' ? new TsneInputError(message.message) : new Error(message.message)));
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => {
      hooks.onExit?.(code);
      finish(() => reject(new Error(`t-SNE worker exited with code ${code} before finishing`)));
    });

    const copy = Float64Array.from(points);
    const request: HostToWorker = {
      type: 'run',
      points: copy,
      n,
      dims,
      options,
      progressEvery: hooks.progressEvery ?? 50,
      layoutEvery: hooks.layoutEvery ?? 0,
    };
    worker.postMessage(request, [copy.buffer]);
  });
}

function abortError(): Error {
  return new DOMException('t-SNE was cancelled', 'AbortError');
}
