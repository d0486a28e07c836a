/**
 * How one kernel call is cut into parts for the kernel pool's threads (kernelPool.ts): contiguous
 * ranges of a node list balanced by each node's cost (its edges or non-zeros, from a CSR pointer
 * array's prefix sums), even ranges, and column ranges aligned for SIMD. Parts only decide who
 * computes which rows or columns: every element is computed as one thread computes it, so results
 * never depend on the number of parts.
 */

/** The most threads a kernels instance runs on (TrainConfig.threads' bound). */
export const MAX_KERNEL_THREADS = 256;

/**
 * Work (multiply-adds, roughly) below which a part is not worth a thread. Waking a sleeping worker
 * and waiting for it costs tens of microseconds, and a Cora step makes some twenty calls of well
 * under a millisecond each: with parts of 2^16 Cora ran about 10 % slower on 2 threads than on one
 * (bench, 2 cores); with 2^20 its calls stay on the calling thread and it runs as fast as on one,
 * while PPI's calls (hundreds of millions) still split over every core.
 */
export const GRAIN = 1 << 20;

/** Parts worth making of `work` on at most `threads` threads (at least 1), each at least `grain`. */
export function partsFor(work: number, threads: number, grain = GRAIN): number {
  return Math.max(1, Math.min(threads, Math.floor(work / grain)));
}

/**
 * prefix[r] = Σ_{q < r} (ptr[list[q] + 1] − ptr[list[q]] + 1) over a node list: the cost of its first r
 * nodes, each node's CSR range (edges into it, its non-zeros) plus one for the row's own work.
 */
export function costPrefix(list: Int32Array, ptr: Int32Array): Float64Array {
  const prefix = new Float64Array(list.length + 1);
  for (let r = 0; r < list.length; r++) {
    const i = list[r];
    prefix[r + 1] = prefix[r] + ptr[i + 1] - ptr[i] + 1;
  }
  return prefix;
}

/**
 * Bounds 0 = b[0] ≤ b[1] ≤ … ≤ b[parts] = n of a list with cost prefix `prefix` (length n + 1): part k
 * is positions [b[k], b[k+1]), cut at the row boundary nearest to k/parts of the total cost.
 */
export function splitByPrefix(prefix: Float64Array, parts: number): number[] {
  const n = prefix.length - 1;
  const total = prefix[n];
  const bounds = [0];
  let lo = 0;
  for (let k = 1; k < parts; k++) {
    const goal = (total * k) / parts;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (prefix[mid] < goal) lo = mid + 1;
      else hi = mid;
    }
    if (lo > bounds[k - 1] && goal - prefix[lo - 1] < prefix[lo] - goal) lo--; // the nearer boundary
    bounds.push(lo);
  }
  bounds.push(n);
  return bounds;
}

/** Bounds of [0, n) in `parts` near-equal ranges whose inner bounds are multiples of `align`. */
export function splitEven(n: number, parts: number, align = 1): number[] {
  const units = Math.ceil(n / align);
  const bounds = [0];
  for (let k = 1; k < parts; k++) bounds.push(Math.min(n, Math.round((units * k) / parts) * align));
  bounds.push(n);
  return bounds;
}

/** The prefixes of node lists over pointer arrays, computed once per (list, pointers) pair. */
export class CostPrefixes {
  private readonly cache = new WeakMap<Int32Array, WeakMap<Int32Array, Float64Array>>();

  of(list: Int32Array, ptr: Int32Array): Float64Array {
    let byPtr = this.cache.get(list);
    if (!byPtr) this.cache.set(list, (byPtr = new WeakMap()));
    let prefix = byPtr.get(ptr);
    if (!prefix) byPtr.set(ptr, (prefix = costPrefix(list, ptr)));
    return prefix;
  }
}
