/**
 * The Barnes-Hut t-SNE gradient and the optimiser (momentum + delta-bar-delta gains, as in
 * scikit-learn and openTSNE).
 *
 *   ∂KL/∂y_i = 4 [ α Σ_j p_ij q_ij (y_i − y_j)  −  Σ_j q_ij² (y_i − y_j) / Z ],   q_ij = 1 / (1 + ‖y_i − y_j‖²)
 *
 * with α the exaggeration and Z = Σ_{k≠l} q_kl; the second sum comes from the quadtree.
 */
import type { SparseAffinities } from './affinities';
import { sharedFloat64 } from './forces';

const MIN_GAIN = 0.01;

/** Per-iteration work arrays; y is updated in place. All on SharedArrayBuffers (see forces.ts). */
export interface OptimiserState {
  readonly y: Float64Array;
  readonly update: Float64Array;
  readonly gains: Float64Array;
  /** Unnormalised repulsion Σ_j q_ij² (y_i − y_j) of point order[t] at [2t, 2t + 1], filled by the force pass. */
  readonly repulsion: Float64Array;
  /** Σ_j p_ij q_ij (y_i − y_j) of point i at [2i, 2i + 1]. */
  readonly attraction: Float64Array;
  /** Σ_j q_ij of point order[t] at t (q_ii = 1 included). */
  readonly sumQ: Float64Array;
}

/** Copies the initial layout into shared memory and allocates the work arrays. */
export function createOptimiserState(initial: Float64Array): OptimiserState {
  const size = initial.length;
  const y = sharedFloat64(size);
  y.set(initial);
  const gains = new Float64Array(size).fill(1);
  return { y, update: new Float64Array(size), gains, repulsion: sharedFloat64(size), attraction: sharedFloat64(size), sumQ: sharedFloat64(size / 2) };
}

/** Fresh momentum and gains for a new phase (scikit-learn restarts both after exaggeration). */
export function resetOptimiser(state: OptimiserState): void {
  state.update.fill(0);
  state.gains.fill(1);
}

/**
 * One step from the forces of the last force pass: the gradient combines the attraction
 * (times the exaggeration; by point) with the repulsion (by the tree's position `order`)
 * normalised by z.
 */
export function gradientStep(state: OptimiserState, order: Int32Array, z: number, exaggeration: number, momentum: number, learningRate: number): void {
  const { y, update, gains, repulsion, attraction } = state;
  const invZ = 1 / z;
  for (let f = 0; f < y.length; f++) {
    // f runs over the repulsion (position-major); k is the same coordinate of the point.
    const k = 2 * order[f >> 1] + (f & 1);
    const g = 4 * (exaggeration * attraction[k] - repulsion[f] * invZ);
    const u = update[k];
    let gain = gains[k];
    // Grow the gain while the gradient keeps its sign (u · g < 0: the last step went along −g), else shrink.
    gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
    if (gain < MIN_GAIN) gain = MIN_GAIN;
    gains[k] = gain;
    const step = momentum * u - learningRate * gain * g;
    update[k] = step;
    y[k] += step;
  }
}

/** KL(P‖Q) over the non-zeros of P, with Z supplied (exact or from the quadtree). */
export function sparseKl(p: SparseAffinities, y: Float64Array, z: number): number {
  const { rowStart, columns, values, n } = p;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const pij = values[e];
      if (pij <= 0) continue;
      const j = columns[e];
      const dx = y[2 * i] - y[2 * j];
      const dy = y[2 * i + 1] - y[2 * j + 1];
      const qij = 1 / (1 + dx * dx + dy * dy) / z;
      kl += pij * Math.log(pij / qij);
    }
  }
  return kl;
}
