/**
 * The per-iteration force pass of Barnes-Hut t-SNE, shared by the calling thread and optional
 * helper threads (worker_threads over SharedArrayBuffers).
 *
 For the point i = order[t] at Morton position t the pass writes
 *   repulsion[2t..]  = Σ_j q_ij² (y_i − y_j)       (quadtree walk, unnormalised)
 *   attraction[2t..] = Σ_j p_ij q_ij (y_i − y_j)   (row i of the sparse P)
 *   sumQ[t]          = Σ_j q_ij, q_ii = 1 included (the caller subtracts N)
 * Indexing the outputs by position, not by point, keeps each thread's writes in its own cache
 * lines (by point index, two threads' chunks interleave and the lines bounce between cores).
 * Each point's sums are formed by one thread in a fixed order and Z is summed afterwards over
 * sumQ in position order, so the result is bit-identical whichever thread did which point and
 * however many threads ran: threads only change the wall time.
 *
 * Scheduling: the points are cut into chunks of CHUNK consecutive (Morton-ordered) points and
 * every participating thread claims chunks with a compare-and-swap on one counter (dynamic load
 * balancing: on a shared machine a descheduled thread simply claims fewer). The counters only
 * grow — generation g owns the claim values [(g − 1)·chunks, g·chunks) — so a thread that is
 * late for one generation can never claim work of the next.
 */
import { Worker } from 'node:worker_threads';

/** Points per work unit. */
export const CHUNK = 64;

/** Slots of the shared control array. */
const GENERATION = 0;
const NEXT = 1;
const DONE = 2;
const QUIT = 3;
const TREE_SIZE = 4;
/** Chunks computed by helper threads, all generations together. */
const HELPER_CHUNKS = 5;
const CONTROL_SLOTS = 8;

/** A helper that has not finished a claimed chunk for this long is taken to be dead. */
const STALL_MS = 60_000;

/** Everything the force pass reads and writes; all typed arrays live on SharedArrayBuffers. */
export interface ForceArrays {
  readonly n: number;
  readonly control: Int32Array;
  /** [θ²] for the current iteration. */
  readonly params: Float64Array;
  /** Quadtree: stride 4 (centre of mass x, y, mass, width² or −1), see QuadTree. */
  readonly nodes: Float64Array;
  readonly skip: Int32Array;
  readonly order: Int32Array;
  readonly y: Float64Array;
  readonly rowStart: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
  readonly repulsion: Float64Array;
  readonly attraction: Float64Array;
  readonly sumQ: Float64Array;
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(length, 1)), 0, length);
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(length, 1)), 0, length);
}

export function createControl(): { control: Int32Array; params: Float64Array } {
  return { control: sharedInt32(CONTROL_SLOTS), params: sharedFloat64(1) };
}

/** Forces for the points order[from .. to), written at positions from .. to (see the file comment). */
export function pointForces(a: ForceArrays, from: number, to: number, size: number, theta2: number): void {
  const nodes = a.nodes;
  const skip = a.skip;
  const order = a.order;
  const y = a.y;
  const rowStart = a.rowStart;
  const columns = a.columns;
  const values = a.values;
  const repulsion = a.repulsion;
  const attraction = a.attraction;
  const sumQ = a.sumQ;
  for (let t = from; t < to; t++) {
    const i = order[t];
    const xi = y[2 * i];
    const yi = y[2 * i + 1];
    // Repulsion: one stackless walk; a cell is summarised when width² < θ² d² (leaves have −1).
    let fx = 0;
    let fy = 0;
    let q = 0;
    let c = 0;
    while (c < size) {
      const b = 4 * c;
      const dx = xi - nodes[b];
      const dy = yi - nodes[b + 1];
      const d2 = dx * dx + dy * dy;
      if (nodes[b + 3] < theta2 * d2) {
        const qc = 1 / (1 + d2);
        const mq = nodes[b + 2] * qc;
        q += mq;
        const mq2 = mq * qc;
        fx += mq2 * dx;
        fy += mq2 * dy;
        c = skip[c];
      } else {
        c++;
      }
    }
    repulsion[2 * t] = fx;
    repulsion[2 * t + 1] = fy;
    sumQ[t] = q;
    // Attraction: row i of the symmetric P (each pair is visited from both ends; no scatter).
    let ax = 0;
    let ay = 0;
    const end = rowStart[i + 1];
    for (let e = rowStart[i]; e < end; e++) {
      const j = columns[e];
      const dx = xi - y[2 * j];
      const dy = yi - y[2 * j + 1];
      const w = values[e] / (1 + dx * dx + dy * dy);
      ax += w * dx;
      ay += w * dy;
    }
    attraction[2 * t] = ax;
    attraction[2 * t + 1] = ay;
  }
}

/** Claims and computes chunks of `generation` until none is left; returns how many it did. */
function work(a: ForceArrays, generation: number): number {
  const control = a.control;
  const chunks = Math.ceil(a.n / CHUNK);
  const base = (generation - 1) * chunks;
  const end = base + chunks;
  const size = Atomics.load(control, TREE_SIZE);
  const theta2 = a.params[0];
  let mine = 0;
  for (;;) {
    const v = Atomics.load(control, NEXT);
    if (v >= end) return mine;
    if (Atomics.compareExchange(control, NEXT, v, v + 1) !== v) continue;
    const from = (v - base) * CHUNK;
    pointForces(a, from, Math.min(a.n, from + CHUNK), size, theta2);
    mine++;
    if (Atomics.add(control, DONE, 1) + 1 === end) Atomics.notify(control, DONE);
  }
}

/** A helper thread's life: wait for a generation, help with it, until told to quit. */
export function helperLoop(a: ForceArrays): void {
  const control = a.control;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, GENERATION, seen);
    if (Atomics.load(control, QUIT) !== 0) return;
    const generation = Atomics.load(control, GENERATION);
    if (generation === seen) continue;
    seen = generation;
    const done = work(a, generation);
    if (done > 0) Atomics.add(control, HELPER_CHUNKS, done);
  }
}

/** Message that hands a started helper its arrays (workerData carries the role). */
export interface HelperStart {
  readonly type: 'tsne-helper-start';
  readonly arrays: ForceArrays;
}

export const HELPER_ROLE = 'tsne-helper';

/**
 * Helper threads, started early (they boot while the caller computes the neighbours) and
 * joined to a force pass with attach(). The calling thread always takes part, so a helper that
 * never starts (missing script, slow boot) costs nothing but its share of the speed-up.
 */
export class ForcePool {
  private readonly workers: Worker[] = [];
  private arrays: ForceArrays | undefined;
  private generation = 0;

  /** `threads` in total, this one included; helpers run `script` (the bundled tsneWorker.js). */
  constructor(threads: number, script: string | undefined) {
    if (!script) return;
    for (let k = 1; k < threads; k++) {
      let worker: Worker;
      try {
        worker = new Worker(script, { workerData: { role: HELPER_ROLE } });
      } catch {
        break;
      }
      // A helper that fails (e.g. an unloadable script) just never claims work.
      worker.on('error', () => undefined);
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Threads that take part: this one and the helpers. */
  get threads(): number {
    return 1 + this.workers.length;
  }

  attach(arrays: ForceArrays): void {
    this.arrays = arrays;
    const message: HelperStart = { type: 'tsne-helper-start', arrays };
    for (const worker of this.workers) worker.postMessage(message);
  }

  /** One force pass over the tree of `size` cells now in arrays.nodes; returns Σ_i sumQ[i]. */
  run(size: number, theta: number): number {
    const a = this.arrays;
    if (!a) throw new Error('ForcePool.run before attach');
    const control = a.control;
    if (this.workers.length === 0) {
      pointForces(a, 0, a.n, size, theta * theta);
    } else {
      a.params[0] = theta * theta;
      Atomics.store(control, TREE_SIZE, size);
      const generation = ++this.generation;
      Atomics.store(control, GENERATION, generation);
      Atomics.notify(control, GENERATION);
      work(a, generation);
      const end = generation * Math.ceil(a.n / CHUNK);
      for (let done = Atomics.load(control, DONE); done < end; done = Atomics.load(control, DONE)) {
        if (Atomics.wait(control, DONE, done, STALL_MS) === 'timed-out' && Atomics.load(control, DONE) === done) {
          throw new Error(`t-SNE helper thread made no progress for ${STALL_MS / 1000} s`);
        }
      }
    }
    const sumQ = a.sumQ;
    let total = 0;
    for (let i = 0; i < a.n; i++) total += sumQ[i];
    return total;
  }

  /** Fraction of the force-pass chunks that helper threads computed (0 with none). */
  get helperShare(): number {
    const a = this.arrays;
    const total = this.generation * (a ? Math.ceil(a.n / CHUNK) : 0);
    return a && total > 0 ? Atomics.load(a.control, HELPER_CHUNKS) / total : 0;
  }

  /** Tells the helpers to exit and terminates them (idempotent). */
  close(): void {
    const a = this.arrays;
    if (a) {
      Atomics.store(a.control, QUIT, 1);
      Atomics.add(a.control, GENERATION, 1);
      Atomics.notify(a.control, GENERATION);
    }
    for (const worker of this.workers.splice(0)) void worker.terminate().catch(() => undefined);
  }
}
