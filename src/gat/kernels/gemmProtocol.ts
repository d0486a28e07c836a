/** Messages between the dense-product host (gemmThreads.ts) and its worker (gemmWorker.ts). */

export interface GemmWorkerInit {
  /** Folder with TensorFlow.js's .wasm files. */
  readonly wasmDir: string;
  /** The slots below, shared for the worker's whole life (its crash handler needs them before any job). */
  readonly control: SharedArrayBuffer;
}

/** Rows of out = a · b for the worker; offsets are float indices into `arena`. */
export interface GemmJob {
  readonly seq: number;
  readonly arena: SharedArrayBuffer;
  readonly a: number;
  readonly b: number;
  readonly out: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

export type GemmWorkerReply = { readonly type: 'ready' } | { readonly type: 'error'; readonly message: string };

/** control[DONE] holds the seq of the last finished job; control[STATUS] its status (0 ok, 1 failed). */
export const DONE = 0;
export const STATUS = 1;
/**
 * 1 once the worker has crashed (an exception outside a job's own try, a rejection): set from the
 * worker's side, so the caller sees it even while it blocks in Atomics.wait, where no event arrives.
 */
export const CRASHED = 2;
/** Bytes of the crash's message, written after the slots. */
const CRASH_TEXT_LENGTH = 3;
const TEXT_AT = 16;
const TEXT_BYTES = 240;
export const CONTROL_BYTES = TEXT_AT + TEXT_BYTES;

/** The worker's side: marks the crash, with its message (cut to fit), before the caller is woken. */
export function markCrashed(control: SharedArrayBuffer, message: string): void {
  const bytes = Buffer.from(message).subarray(0, TEXT_BYTES);
  new Uint8Array(control, TEXT_AT, TEXT_BYTES).set(bytes);
  const slots = new Int32Array(control, 0, 4);
  Atomics.store(slots, CRASH_TEXT_LENGTH, bytes.length);
  Atomics.store(slots, CRASHED, 1);
  Atomics.notify(slots, DONE);
}

/** The caller's side: the crash's message, or null while the worker has not crashed. */
export function crashMessage(control: SharedArrayBuffer): string | null {
  const slots = new Int32Array(control, 0, 4);
  if (Atomics.load(slots, CRASHED) !== 1) return null;
  return Buffer.from(new Uint8Array(control, TEXT_AT, Atomics.load(slots, CRASH_TEXT_LENGTH))).toString('utf8');
}
