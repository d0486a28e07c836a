/** Messages between the dense-product host (gemmThreads.ts) and its worker (gemmWorker.ts). */

export interface GemmWorkerInit {
  /** Folder with TensorFlow.js's .wasm files. */
  readonly wasmDir: string;
}

/** Rows of out = a · b for the worker; offsets are float indices into `arena`. */
export interface GemmJob {
  readonly seq: number;
  readonly control: SharedArrayBuffer;
  readonly arena: SharedArrayBuffer;
  readonly a: number;
  readonly b: number;
  readonly out: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

export type GemmWorkerReply = { readonly type: 'ready' } | { readonly type: 'error'; readonly message: string };

/** control[DONE] holds the seq of the last finished job; control[1] its status (0 ok, 1 failed). */
export const DONE = 0;
