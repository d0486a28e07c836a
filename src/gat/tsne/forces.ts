/**
 * The per-iteration force pass of Barnes-Hut t-SNE, shared by the calling thread and optional
 * helper threads (worker_threads over SharedArrayBuffers).
 *
 * Chunk k of the pass covers Morton positions t and point indices i in [k·CHUNK, (k + 1)·CHUNK):
 *   repulsion[2t..]  = Σ_j q_ij² (y_i − y_j) for i = order[t]  (quadtree walk, unnormalised)
 *   sumQ[t]          = Σ_j q_ij, q_ii = 1 included (the caller subtracts N)
 *   attraction[2i..] = Σ_j p_ij q_ij (y_i − y_j)                (row i of the sparse P)
 * The walk goes in Morton order (consecutive walks take similar paths through the tree), the
 * attraction in index order (the CSR arrays, 30 MB at 20 000 points, stream sequentially), and
 * each chunk's writes are contiguous, so two threads never write into the same cache lines.
 * Each point's sums are formed by one thread in a fixed order and Z is summed afterwards over
 * sumQ in position order, so the result is bit-identical whichever thread did which point and
 * however many threads ran: threads only change the wall time.
 *
 * Scheduling: the points are cut into chunks of CHUNK consecutive (Morton-ordered) points and
 * every participating thread claims chunks with a compare-and-swap on one counter (dynamic load
 * balancing). The claim counter only grows — generation g owns the claim values
 * [(g − 1)·chunks, g·chunks) — so a thread late for one generation cannot claim the next one's.
 *
 * The calling thread never waits for a helper: on a shared machine a helper can be descheduled
 * for many milliseconds in the middle of a chunk. Each thread computes into its own output
 * buffers and commits a finished chunk by stamping owner[chunk] = generation·64 + thread (a
 * compare-and-swap; the first commit wins, later ones are discarded). Once no chunk is left to
 * claim, the caller computes every chunk still uncommitted itself ("steals" it). Both
 * computations of a chunk produce the same bits (the same IEEE operations in the same order),
 * so who wins does not matter. A helper that resumes late computes garbage from a tree being
 * rebuilt, but only into its own buffers, and its commit fails (the chunk is already stamped
 * for that generation): nothing it writes is ever read. The caller then copies the winners'
 * chunks into its own buffers (thread 0), which the gradient step reads.
 */
import { Worker } from 'node:worker_threads';

/** Points per work unit (also the most work a steal can duplicate). */
export const CHUNK = 32;
/** Commit stamps are generation · MAX_THREADS + thread. */
const MAX_THREADS = 64;

/** Slots of the shared control array. */
const GENERATION = 0;
const NEXT = 1;
const QUIT = 3;
/** For tests that play a misbehaving helper. */
export const CONTROL_SLOTS_FOR_TESTS = { GENERATION, NEXT, QUIT } as const;
const TREE_SIZE = 4;
/** Chunks computed by helper threads, all generations together. */
const HELPER_CHUNKS = 5;
const CONTROL_SLOTS = 8;

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
  /** Per chunk: the commit stamp (generation · 64 + thread) of the output that counts. */
  readonly owner: Int32Array;
  /** Per thread (0 = the caller): its output buffers, laid out as described above. */
  readonly repulsion: readonly Float64Array[];
  readonly attraction: readonly Float64Array[];
  readonly sumQ: readonly Float64Array[];
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

/** Chunk [from, to) of the force pass (see the file comment), into thread `slot`'s buffers. */
export function pointForces(a: ForceArrays, slot: number, from: number, to: number, size: number, theta2: number): void {
  const nodes = a.nodes;
  const skip = a.skip;
  const order = a.order;
  const y = a.y;
  const rowStart = a.rowStart;
  const columns = a.columns;
  const values = a.values;
  const repulsion = a.repulsion[slot];
  const attraction = a.attraction[slot];
  const sumQ = a.sumQ[slot];
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
  }
  // Attraction: rows from .. to of the symmetric P in index order, so that the (large) CSR arrays
  // stream sequentially; each pair is visited from both ends (no scatter between threads).
  for (let i = from; i < to; i++) {
    const xi = y[2 * i];
    const yi = y[2 * i + 1];
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
    attraction[2 * i] = ax;
    attraction[2 * i + 1] = ay;
  }
}

/** Stamps chunk k as computed by `slot` in `generation` unless another thread got there first. */
function commit(owner: Int32Array, k: number, generation: number, slot: number): boolean {
  const stamp = generation * MAX_THREADS + slot;
  for (;;) {
    const current = Atomics.load(owner, k);
    if (current >= generation * MAX_THREADS) return false;
    if (Atomics.compareExchange(owner, k, current, stamp) === current) return true;
  }
}

/** Claims and computes chunks of `generation` until none is left; returns how many it committed. */
function work(a: ForceArrays, slot: number, generation: number): number {
  const control = a.control;
  const chunks = Math.ceil(a.n / CHUNK);
  const base = (generation - 1) * chunks;
  const end = base + chunks;
  const size = Atomics.load(control, TREE_SIZE);
  const theta2 = a.params[0];
  let committed = 0;
  for (;;) {
    const v = Atomics.load(control, NEXT);
    if (v >= end) return committed;
    if (Atomics.compareExchange(control, NEXT, v, v + 1) !== v) continue;
    const k = v - base;
    pointForces(a, slot, k * CHUNK, Math.min(a.n, (k + 1) * CHUNK), size, theta2);
    if (commit(a.owner, k, generation, slot)) committed++;
  }
}

/** A helper thread's life: wait for a generation, help with it, until told to quit. */
export function helperLoop(a: ForceArrays, slot: number): void {
  const control = a.control;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, GENERATION, seen);
    if (Atomics.load(control, QUIT) !== 0) return;
    const generation = Atomics.load(control, GENERATION);
    if (generation === seen) continue;
    seen = generation;
    const done = work(a, slot, generation);
    if (done > 0) Atomics.add(control, HELPER_CHUNKS, done);
  }
}

/** Message that hands a started helper its arrays (workerData carries the role). */
export interface HelperStart {
  readonly type: 'tsne-helper-start';
  readonly arrays: ForceArrays;
  /** This helper's output buffers: arrays.repulsion[slot] etc. */
  readonly slot: number;
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
    if (arrays.repulsion.length < this.threads) throw new Error('ForcePool.attach: one set of output buffers per thread is needed');
    this.arrays = arrays;
    this.workers.forEach((worker, k) => worker.postMessage({ type: 'tsne-helper-start', arrays, slot: k + 1 } satisfies HelperStart));
  }

  /**
   * One force pass over the tree of `size` cells now in arrays.nodes; leaves the outputs in
   * thread 0's buffers and returns Σ_t sumQ[t].
   */
  run(size: number, theta: number): number {
    const a = this.arrays;
    if (!a) throw new Error('ForcePool.run before attach');
    const control = a.control;
    const n = a.n;
    if (this.workers.length === 0) {
      pointForces(a, 0, 0, n, size, theta * theta);
    } else {
      a.params[0] = theta * theta;
      Atomics.store(control, TREE_SIZE, size);
      const generation = ++this.generation;
      Atomics.store(control, GENERATION, generation);
      Atomics.notify(control, GENERATION);
      work(a, 0, generation);
      // Nothing left to claim: compute what the helpers have not committed yet, then gather.
      const owner = a.owner;
      const chunks = Math.ceil(n / CHUNK);
      for (let k = 0; k < chunks; k++) {
        if (Atomics.load(owner, k) >= generation * MAX_THREADS) continue;
        pointForces(a, 0, k * CHUNK, Math.min(n, (k + 1) * CHUNK), size, theta * theta);
        commit(owner, k, generation, 0);
      }
      for (let k = 0; k < chunks; k++) {
        const slot = Atomics.load(owner, k) - generation * MAX_THREADS;
        if (slot === 0) continue;
        const from = k * CHUNK;
        const to = Math.min(n, from + CHUNK);
        a.repulsion[0].set(a.repulsion[slot].subarray(2 * from, 2 * to), 2 * from);
        a.attraction[0].set(a.attraction[slot].subarray(2 * from, 2 * to), 2 * from);
        a.sumQ[0].set(a.sumQ[slot].subarray(from, to), from);
      }
    }
    const sumQ = a.sumQ[0];
    let total = 0;
    for (let t = 0; t < n; t++) total += sumQ[t];
    return total;
  }

  /** Fraction of the force-pass chunks that helper threads computed (0 with none). */
  get helperShare(): number {
    const a = this.arrays;
    const total = this.generation * (a ? Math.ceil(a.n / CHUNK) : 0);
    // Counted after each generation by the helpers themselves: may trail by the last one.
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
