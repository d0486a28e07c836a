/**
 * A pool of worker threads over the hot kernels' shared WebAssembly memory, created once per kernels
 * instance and disposed with it. Each worker runs its own instance of the same module (with its own
 * C stack in the shared memory) and takes one part of a kernel call; the calling thread takes the
 * first part, then waits for the others.
 *
 * Protocol, one small SharedArrayBuffer per worker (Int32 slots): JOB (the caller bumps it to post a
 * call), CLAIMED and DONE (the worker echoes the job it took and the job it finished), FN (an index
 * into the pool's export names; −1 quits), ARGC, FAILED (the job whose call threw), READY (1 started,
 * −1 could not), TEXT (bytes of the error's text); the arguments as float64 from byte 64, the text
 * from byte 320. Both sides spin briefly, then sleep in Atomics.wait, so an idle worker takes no core
 * from a native GEMM running between kernels.
 *
 * Each kernel's split is watched (splitGovernor.ts): where the other threads do not keep up (a busy
 * machine), the kernel splits less, and tries again later.
 *
 * A worker that dies fails the call with a KernelThreadError: its 'exit' or 'error' event (seen
 * between calls), a call that threw on it, a posted call it never picked up within CLAIM_MS, or one it
 * took and never finished within STALL_MS. The pool is then broken: every later call throws the same
 * error, never hangs and never returns a partial result.
 */
import { Worker } from 'node:worker_threads';
import { SplitGovernor } from './splitGovernor';

/** A kernel thread stopped or failed: the run cannot go on (its results would be incomplete). */
export class KernelThreadError extends Error {
  constructor(
    readonly thread: number,
    readonly kernel: string,
    detail: string,
  ) {
    super(`GAT kernel thread ${thread} ${detail}, during ${kernel}: training cannot go on without it`);
    this.name = 'KernelThreadError';
  }
}

const JOB = 0, CLAIMED = 1, DONE = 2, FN = 3, ARGC = 4, FAILED = 5, READY = 6, TEXT = 7;
const ARGS_AT = 64, MAX_ARGS = 32, TEXT_AT = ARGS_AT + 8 * MAX_ARGS, TEXT_BYTES = 448;
const CONTROL_BYTES = TEXT_AT + TEXT_BYTES;

/** Busy-wait iterations before sleeping (tens of microseconds: kernels often follow each other that closely). */
const SPIN = 2000;
/** A live worker picks up a posted call within milliseconds; one that has not after this is gone. */
const CLAIM_MS = 5000;
/** No part of a kernel call takes this long; a worker still on one after it has stopped. */
const STALL_MS = 120_000;
const SLEEP_MS = 50;
const START_MS = 10_000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, stackTop, names, spin } = workerData;
const ctl = new Int32Array(control, 0, 16);
const args = new Float64Array(control, ${ARGS_AT}, ${MAX_ARGS});
const text = new Uint8Array(control, ${TEXT_AT}, ${TEXT_BYTES});
const explain = (e) => {
  const b = Buffer.from(String((e && e.message) || e));
  const n = Math.min(b.length, text.length);
  text.set(b.subarray(0, n));
  Atomics.store(ctl, ${TEXT}, n);
};
let fns = null;
try {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  instance.exports.__stack_pointer.value = stackTop;
  fns = names.map((n) => instance.exports[n]);
  Atomics.store(ctl, ${READY}, 1);
} catch (e) {
  explain(e);
  Atomics.store(ctl, ${READY}, -1);
}
Atomics.notify(ctl, ${READY});
let seen = 0;
while (fns) {
  for (let spins = 0; Atomics.load(ctl, ${JOB}) === seen; ) {
    if (++spins > spin) Atomics.wait(ctl, ${JOB}, seen);
  }
  seen = Atomics.load(ctl, ${JOB});
  Atomics.store(ctl, ${CLAIMED}, seen);
  const fn = Atomics.load(ctl, ${FN});
  if (fn < 0) break;
  try {
    const n = ctl[${ARGC}];
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = args[i];
    fns[fn](...a);
  } catch (e) {
    explain(e);
    Atomics.store(ctl, ${FAILED}, seen);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

interface PoolWorker {
  readonly worker: Worker;
  readonly ctl: Int32Array;
  readonly args: Float64Array;
  readonly text: Uint8Array;
  /** Why it is gone (its exit or error event), or null while it runs. */
  gone: string | null;
}

export interface KernelPoolOptions {
  /** The compiled module (a WebAssembly.Module) and the shared WebAssembly.Memory it imports. */
  readonly module: object;
  readonly memory: object;
  /** Names of the exports calls may run (the workers look them up once). */
  readonly names: readonly string[];
  /** The calling thread's instance: the same exports, run for the first part of each call. */
  readonly own: (index: number, args: readonly number[]) => void;
  /** Top of each worker's C stack in the shared memory (one per worker wanted). */
  readonly stackTops: readonly number[];
}

export class KernelPool {
  /** Calls run on more than one thread, by kernel name (tests check which kernels split). */
  readonly splitCalls = new Map<string, number>();
  /** The most threads one call has run on. */
  widest = 1;
  private readonly workers: PoolWorker[];
  private readonly governors = new Map<string, SplitGovernor>();
  private job = 0;
  private failure: KernelThreadError | null = null;
  private disposed = false;

  /** Starts the workers and waits (synchronously, up to seconds) until each has its instance; keeps those that started. */
  constructor(private readonly options: KernelPoolOptions) {
    const { module, memory, names, stackTops } = options;
    const started = stackTops.map((stackTop): PoolWorker => {
      const control = new SharedArrayBuffer(CONTROL_BYTES);
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, stackTop, names, spin: SPIN } });
      worker.unref(); // never keeps the process alive (a cancelled run exits even without dispose)
      const w: PoolWorker = { worker, ctl: new Int32Array(control, 0, 16), args: new Float64Array(control, ARGS_AT, MAX_ARGS), text: new Uint8Array(control, TEXT_AT, TEXT_BYTES), gone: null };
      worker.on('error', (e: Error) => (w.gone ??= `failed: ${e.message}`));
      worker.on('exit', (code: number) => (w.gone ??= `exited (code ${code})`));
      return w;
    });
    const deadline = performance.now() + START_MS;
    for (const w of started) {
      while (Atomics.load(w.ctl, READY) === 0 && performance.now() < deadline) Atomics.wait(w.ctl, READY, 0, SLEEP_MS);
    }
    this.workers = started.filter((w) => Atomics.load(w.ctl, READY) === 1);
    for (const w of started) if (!this.workers.includes(w)) void w.worker.terminate();
  }

  /** Threads a call can be split over: the workers and the calling thread. */
  get threads(): number {
    return this.disposed ? 1 : this.workers.length + 1;
  }

  /** The worker running part k ≥ 1 of a call (for tests that stop one). */
  workerOf(part: number): Worker {
    return this.workers[part - 1].worker;
  }

  /**
   * Runs export `kernel` once per entry of `calls` (its arguments): the first on this thread, entry k
   * on worker k. Returns when every part has finished; throws a KernelThreadError if a worker failed.
   */
  run(kernel: string, calls: readonly (readonly number[])[]): void {
    const index = this.options.names.indexOf(kernel);
    if (index < 0) throw new RangeError(`${kernel} is not one of the pool's kernels`);
    this.check(kernel, calls.length);
    if (calls.length === 1) return this.options.own(index, calls[0]);
    this.splitCalls.set(kernel, (this.splitCalls.get(kernel) ?? 0) + 1);
    this.widest = Math.max(this.widest, calls.length);
    const job = ++this.job;
    for (let k = 1; k < calls.length; k++) this.post(this.workers[k - 1], index, calls[k], job);
    let own: unknown = null;
    const t0 = performance.now();
    try {
      this.options.own(index, calls[0]);
    } catch (e) {
      own = e;
    }
    const t1 = performance.now();
    // Wait for every part (they write the shared memory) before reporting anything.
    let failure: KernelThreadError | null = null;
    for (let k = 1; k < calls.length; k++) failure = this.wait(k, job, kernel) ?? failure;
    this.governor(kernel).observe(t1 - t0, performance.now() - t1, calls.length);
    if (failure) {
      this.failure = failure;
      this.stop();
      throw failure;
    }
    if (own !== null) throw own;
  }

  /** The factor on `kernel`'s least work per part: above 1 while splitting it has not paid (SplitGovernor). */
  splitFactor(kernel: string): number {
    return this.governor(kernel).factor();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
  }

  /** Throws if a worker is gone (even for a call this thread runs alone: the run must stop). */
  private check(kernel: string, parts: number): void {
    if (this.failure) throw this.failure;
    if (parts > this.threads) throw new RangeError(`${kernel} split into ${parts} parts; the pool has ${this.threads} threads`);
    const k = this.disposed ? -1 : this.workers.findIndex((w) => w.gone !== null);
    if (k >= 0) {
      this.failure = new KernelThreadError(k + 1, kernel, this.workers[k].gone as string);
      this.stop();
      throw this.failure;
    }
  }

  private governor(kernel: string): SplitGovernor {
    let g = this.governors.get(kernel);
    if (!g) this.governors.set(kernel, (g = new SplitGovernor()));
    return g;
  }

  private post(w: PoolWorker, index: number, args: readonly number[], job: number): void {
    for (let i = 0; i < args.length; i++) w.args[i] = args[i];
    w.ctl[FN] = index;
    w.ctl[ARGC] = args.length;
    Atomics.store(w.ctl, JOB, job);
    Atomics.notify(w.ctl, JOB);
  }

  /** Waits for part k's worker to finish `job`; the error that says why it did not, or null. */
  private wait(k: number, job: number, kernel: string): KernelThreadError | null {
    const w = this.workers[k - 1];
    const start = performance.now();
    for (let spins = 0; Atomics.load(w.ctl, DONE) !== job; spins++) {
      if (spins < SPIN) continue;
      if (w.gone) return new KernelThreadError(k, kernel, w.gone);
      Atomics.wait(w.ctl, DONE, Atomics.load(w.ctl, DONE), SLEEP_MS);
      const waited = performance.now() - start;
      if (Atomics.load(w.ctl, DONE) === job) break;
      if (Atomics.load(w.ctl, CLAIMED) !== job && waited > CLAIM_MS) return new KernelThreadError(k, kernel, `stopped answering: it did not pick up its part within ${CLAIM_MS / 1000} s`);
      if (waited > STALL_MS) return new KernelThreadError(k, kernel, `stopped answering: its part did not finish within ${STALL_MS / 1000} s`);
    }
    if (Atomics.load(w.ctl, FAILED) !== job) return null;
    const text = Buffer.from(w.text.slice(0, Atomics.load(w.ctl, TEXT))).toString();
    return new KernelThreadError(k, kernel, `failed: ${text}`);
  }

  /** Asks every worker to quit and terminates it (a worker inside a call is stopped there). */
  private stop(): void {
    for (const w of this.workers) {
      w.ctl[FN] = -1;
      Atomics.store(w.ctl, JOB, ++this.job);
      Atomics.notify(w.ctl, JOB);
      w.gone ??= 'was stopped';
      void w.worker.terminate();
    }
  }
}
