/**
 * Exact k-nearest neighbours with a vantage-point tree (Yianilos 1993), built over index
 * ranges of one permutation array: the node for range [lo, hi) is the point at items[lo],
 * its inside ball is [lo + 1, split[lo]) and the rest is outside. No per-node objects.
 */
import type { Random } from './random';

/** Ranges this small are scanned directly; cheaper than descending further. */
const LEAF_SIZE = 12;

export interface NearestNeighbours {
  readonly k: number;
  /** indices[i * k + t]: the t-th nearest neighbour of point i (nearest first). */
  readonly indices: Int32Array;
  /** Squared Euclidean distances, same layout. */
  readonly sqDistances: Float64Array;
}

export function nearestNeighbours(points: ArrayLike<number>, n: number, dims: number, k: number, random: Random): NearestNeighbours {
  const x = points instanceof Float64Array ? points : Float64Array.from(points);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[i] = i;
  const radius = new Float64Array(n);
  const split = new Int32Array(n);
  const scratch = new Float64Array(n);

  const dist = (a: number, b: number): number => {
    let s = 0;
    const oa = a * dims;
    const ob = b * dims;
    for (let d = 0; d < dims; d++) {
      const t = x[oa + d] - x[ob + d];
      s += t * t;
    }
    return Math.sqrt(s);
  };

  // Partition items[lo, hi) around its median distance to the vantage point (quickselect).
  const build = (lo: number, hi: number): void => {
    if (hi - lo <= LEAF_SIZE) return;
    const pick = lo + random.int(hi - lo);
    const vp = items[pick];
    items[pick] = items[lo];
    items[lo] = vp;
    for (let t = lo + 1; t < hi; t++) scratch[t] = dist(vp, items[t]);
    const mid = (lo + 1 + hi) >>> 1;
    select(items, scratch, lo + 1, hi - 1, mid);
    radius[lo] = scratch[mid];
    split[lo] = mid;
    build(lo + 1, mid);
    build(mid, hi);
  };
  build(0, n);

  const indices = new Int32Array(n * k);
  const sqDistances = new Float64Array(n * k);
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  let size = 0;
  let tau = Infinity;
  let query = 0;

  const offer = (j: number, d: number): void => {
    if (size < k) {
      heapPush(heapD, heapI, size++, d, j);
      if (size === k) tau = heapD[0];
    } else if (d < heapD[0]) {
      heapReplaceTop(heapD, heapI, k, d, j);
      tau = heapD[0];
    }
  };

  const search = (lo: number, hi: number): void => {
    if (hi - lo <= LEAF_SIZE) {
      for (let t = lo; t < hi; t++) {
        const j = items[t];
        if (j !== query) {
          const d = dist(query, j);
          if (d < tau) offer(j, d);
        }
      }
      return;
    }
    const vp = items[lo];
    const d = dist(query, vp);
    if (vp !== query && d < tau) offer(vp, d);
    const r = radius[lo];
    const mid = split[lo];
    if (d < r) {
      if (d - tau <= r) search(lo + 1, mid);
      if (d + tau >= r) search(mid, hi);
    } else {
      if (d + tau >= r) search(mid, hi);
      if (d - tau <= r) search(lo + 1, mid);
    }
  };

  for (let i = 0; i < n; i++) {
    query = i;
    size = 0;
    tau = Infinity;
    search(0, n);
    // Pop the max-heap from the back so that row i lists neighbours nearest first.
    for (let t = k - 1; t >= 0; t--) {
      const d = heapD[0];
      indices[i * k + t] = heapI[0];
      sqDistances[i * k + t] = d * d;
      heapPopTop(heapD, heapI, t + 1);
    }
  }
  return { k, indices, sqDistances };
}

/** Rearranges items/keys in [lo, hi] so that position m holds the m-th smallest key. */
function select(items: Int32Array, keys: Float64Array, lo: number, hi: number, m: number): void {
  while (hi > lo) {
    const pivot = keys[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        const tk = keys[i];
        keys[i] = keys[j];
        keys[j] = tk;
        const ti = items[i];
        items[i] = items[j];
        items[j] = ti;
        i++;
        j--;
      }
    }
    if (m <= j) hi = j;
    else if (m >= i) lo = i;
    else return;
  }
}

function heapPush(d: Float64Array, idx: Int32Array, size: number, value: number, item: number): void {
  let c = size;
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (d[p] >= value) break;
    d[c] = d[p];
    idx[c] = idx[p];
    c = p;
  }
  d[c] = value;
  idx[c] = item;
}

function heapReplaceTop(d: Float64Array, idx: Int32Array, size: number, value: number, item: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    const m = r < size && d[r] > d[l] ? r : l;
    if (d[m] <= value) break;
    d[c] = d[m];
    idx[c] = idx[m];
    c = m;
  }
  d[c] = value;
  idx[c] = item;
}

function heapPopTop(d: Float64Array, idx: Int32Array, size: number): void {
  const last = size - 1;
  if (last > 0) heapReplaceTop(d, idx, last, d[last], idx[last]);
}
