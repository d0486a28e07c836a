/**
 * Messages between runTsneInWorker (host) and tsneWorker (worker thread). Typed arrays travel
 * by structured clone; the final embedding is transferred, not copied.
 */
import type { TsneOptions } from './options';
import type { TsneProgress, TsneResult } from './tsne';

export interface RunRequest {
  readonly type: 'run';
  readonly points: Float64Array;
  readonly n: number;
  readonly dims: number;
  readonly options: TsneOptions;
  readonly progressEvery: number;
  readonly layoutEvery: number;
}

export type HostToWorker = RunRequest;

export type WorkerToHost =
  | { readonly type: 'progress'; readonly progress: TsneProgress }
  | { readonly type: 'layout'; readonly iteration: number; readonly embedding: Float64Array }
  | { readonly type: 'done'; readonly result: TsneResult }
  | { readonly type: 'error'; readonly name: string; readonly message: string };
