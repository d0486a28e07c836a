/**
 * Quality measures for a layout, exact and O(N²): for tests, the benchmark and comparing
 * implementations on equal terms (the same P for every embedding being judged).
 */
import { calibrateRow } from './affinities';

/** Dense joint P over all pairs, each row calibrated to the perplexity like the sparse one. */
export function exactJointP(points: ArrayLike<number>, n: number, dims: number, perplexity: number): Float64Array {
  const p = new Float64Array(n * n);
  const sq = new Float64Array(n - 1);
  const row = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let j = 0; j < n; j++) if (j !== i) sq[t++] = sqDistance(points, dims, i, j);
    calibrateRow(sq, 0, n - 1, perplexity, row, 0);
    t = 0;
    for (let j = 0; j < n; j++) if (j !== i) p[i * n + j] = row[t++];
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = (p[i * n + j] + p[j * n + i]) / (2 * n);
      p[i * n + j] = s;
      p[j * n + i] = s;
    }
  }
  return p;
}

/** Exact KL(P‖Q) of a 2-D embedding (n × 2 interleaved) against a dense P. */
export function exactKl(p: Float64Array, embedding: ArrayLike<number>, n: number): number {
  let z = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j !== i) z += q(embedding, i, j);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const pij = p[i * n + j];
      if (j !== i && pij > 0) kl += pij * Math.log((pij * z) / q(embedding, i, j));
    }
  }
  return kl;
}

/**
 * Trustworthiness (Venna & Kaski; scikit-learn's definition): penalises points that are among
 * the k nearest in the embedding but not in the input, by how far down the input ranking they are.
 * `subset` limits the outer sum to some points (ranks still use all points).
 */
export function trustworthiness(points: ArrayLike<number>, dims: number, embedding: ArrayLike<number>, n: number, k: number, subset?: ArrayLike<number>): number {
  const rows = subset ?? Int32Array.from({ length: n }, (_, i) => i);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const order = new Int32Array(k);
  let penalty = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let j = 0; j < n; j++) {
      high[j] = sqDistance(points, dims, i, j);
      low[j] = sqDistance(embedding, 2, i, j);
    }
    high[i] = -1;
    low[i] = Infinity;
    kSmallest(low, k, order);
    for (let t = 0; t < k; t++) {
      const j = order[t];
      // Rank of j among i's input-space neighbours (1 = nearest), ties broken by index.
      let rank = 0;
      const hj = high[j];
      for (let l = 0; l < n; l++) if (l !== i && (high[l] < hj || (high[l] === hj && l < j))) rank++;
      rank += 1;
      if (rank > k) penalty += rank - k;
    }
  }
  const m = rows.length;
  return 1 - (2 / (m * k * (2 * n - 3 * k - 1))) * penalty;
}

/** Fraction of each point's k nearest embedding neighbours that share its label. */
export function neighbourLabelPurity(embedding: ArrayLike<number>, n: number, labels: ArrayLike<number>, k: number): number {
  const low = new Float64Array(n);
  const order = new Int32Array(k);
  let same = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) low[j] = sqDistance(embedding, 2, i, j);
    low[i] = Infinity;
    kSmallest(low, k, order);
    for (let t = 0; t < k; t++) if (labels[order[t]] === labels[i]) same++;
  }
  return same / (n * k);
}

function q(y: ArrayLike<number>, i: number, j: number): number {
  const dx = y[2 * i] - y[2 * j];
  const dy = y[2 * i + 1] - y[2 * j + 1];
  return 1 / (1 + dx * dx + dy * dy);
}

function sqDistance(x: ArrayLike<number>, dims: number, i: number, j: number): number {
  let s = 0;
  for (let d = 0; d < dims; d++) {
    const t = x[i * dims + d] - x[j * dims + d];
    s += t * t;
  }
  return s;
}

/** Indices of the k smallest values (insertion into a sorted buffer; k is small). */
function kSmallest(values: Float64Array, k: number, out: Int32Array): void {
  const best = new Float64Array(k).fill(Infinity);
  out.fill(-1);
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (v >= best[k - 1]) continue;
    let t = k - 1;
    while (t > 0 && best[t - 1] > v) {
      best[t] = best[t - 1];
      out[t] = out[t - 1];
      t--;
    }
    best[t] = v;
    out[t] = j;
  }
}
