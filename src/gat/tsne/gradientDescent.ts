/**
 * The Barnes-Hut t-SNE gradient and the optimiser (momentum + delta-bar-delta gains, as in
 * scikit-learn and openTSNE).
 *
 *   ∂KL/∂y_i = 4 [ α Σ_j p_ij q_ij (y_i − y_j)  −  Σ_j q_ij² (y_i − y_j) / Z ],   q_ij = 1 / (1 + ‖y_i − y_j‖²)
 *
 * with α the exaggeration and Z = Σ_{k≠l} q_kl; the second sum comes from the quadtree.
 */
import type { SparseAffinities } from './affinities';

const MIN_GAIN = 0.01;

/** Per-iteration work arrays; y is updated in place. */
export interface OptimiserState {
  readonly y: Float64Array;
  readonly update: Float64Array;
  readonly gains: Float64Array;
  /** Unnormalised repulsion Σ_j q_ij² (y_i − y_j), filled by the repulsion pass. */
  readonly repulsion: Float64Array;
}

export function createOptimiserState(y: Float64Array): OptimiserState {
  return { y, update: new Float64Array(y.length), gains: new Float64Array(y.length).fill(1), repulsion: new Float64Array(y.length) };
}

/** Fresh momentum and gains for a new phase (scikit-learn restarts both after exaggeration). */
export function resetOptimiser(state: OptimiserState): void {
  state.update.fill(0);
  state.gains.fill(1);
}

/**
 * Adds the attractive term to the repulsion already in `state.repulsion` (normalised by z) and
 * takes one step. Fused so that each point's gradient is used while still in registers.
 */
export function attractAndStep(p: SparseAffinities, state: OptimiserState, z: number, exaggeration: number, momentum: number, learningRate: number): void {
  const { y, update, gains, repulsion } = state;
  const { rowStart, columns, values, n } = p;
  const invZ = 1 / z;
  for (let i = 0; i < n; i++) {
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
    const gx = 4 * (exaggeration * ax - repulsion[2 * i] * invZ);
    const gy = 4 * (exaggeration * ay - repulsion[2 * i + 1] * invZ);
    // Stash the gradient: every point's gradient must see this iteration's positions.
    repulsion[2 * i] = gx;
    repulsion[2 * i + 1] = gy;
  }
  for (let k = 0; k < 2 * n; k++) {
    const g = repulsion[k];
    const u = update[k];
    let gain = gains[k];
    // Grow the gain while the gradient keeps pushing the same way as the last step, else shrink.
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
