/**
 * Input-space affinities: per-point Gaussian bandwidths calibrated to the perplexity (binary
 * search on β = 1 / 2σ²), then the symmetrised joint P = (P_j|i + P_i|j) / 2N in CSR form.
 */
import type { NearestNeighbours } from './vpTree';

const ENTROPY_TOLERANCE = 1e-5;
const MAX_STEPS = 200;

/** Symmetric sparse matrix in compressed sparse row form. */
export interface SparseAffinities {
  readonly n: number;
  readonly rowStart: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

/**
 * Writes into `out` the conditional probabilities p_j|i for one point, given the squared
 * distances to its candidate neighbours, so that their entropy is log(perplexity).
 */
export function calibrateRow(sqDistances: ArrayLike<number>, offset: number, count: number, perplexity: number, out: Float64Array, outOffset: number): number {
  const target = Math.log(perplexity);
  // Distances relative to the nearest keep exp() from underflowing for far-away points.
  let minD = Infinity;
  for (let t = 0; t < count; t++) minD = Math.min(minD, sqDistances[offset + t]);
  let beta = 1;
  let lo = 0;
  let hi = Infinity;
  for (let step = 0; step < MAX_STEPS; step++) {
    let sum = 0;
    let weighted = 0;
    for (let t = 0; t < count; t++) {
      const d = sqDistances[offset + t] - minD;
      const p = Math.exp(-beta * d);
      out[outOffset + t] = p;
      sum += p;
      weighted += d * p;
    }
    const entropy = Math.log(sum) + (beta * weighted) / sum;
    const diff = entropy - target;
    if (Math.abs(diff) <= ENTROPY_TOLERANCE) break;
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
  let sum = 0;
  for (let t = 0; t < count; t++) sum += out[outOffset + t];
  for (let t = 0; t < count; t++) out[outOffset + t] /= sum;
  return beta;
}

/** Sparse joint P from each point's k nearest neighbours. */
export function sparseAffinities(knn: NearestNeighbours, n: number, perplexity: number): SparseAffinities {
  const { k, indices, sqDistances } = knn;
  const conditional = new Float64Array(n * k);
  for (let i = 0; i < n; i++) calibrateRow(sqDistances, i * k, k, perplexity, conditional, i * k);

  // Row i holds its own neighbours plus every point that lists i as a neighbour; merge the
  // two entries of a mutual pair with a marker array instead of sorting.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) counts[i] += k;
  for (let e = 0; e < n * k; e++) counts[indices[e]]++;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + counts[i];
  const fill = start.slice(0, n);
  const cols = new Int32Array(start[n]);
  const vals = new Float64Array(start[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const p = conditional[i * k + t];
      cols[fill[i]] = j;
      vals[fill[i]++] = p;
      cols[fill[j]] = i;
      vals[fill[j]++] = p;
    }
  }
  const slot = new Int32Array(n).fill(-1);
  const rowStart = new Int32Array(n + 1);
  let w = 0;
  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    rowStart[i] = w;
    for (let e = start[i]; e < start[i + 1]; e++) {
      const j = cols[e];
      if (slot[j] >= rowStart[i]) {
        vals[slot[j]] += vals[e] * scale;
      } else {
        slot[j] = w;
        cols[w] = j;
        vals[w++] = vals[e] * scale;
      }
    }
  }
  rowStart[n] = w;
  return { n, rowStart, columns: cols.slice(0, w), values: vals.slice(0, w) };
}
