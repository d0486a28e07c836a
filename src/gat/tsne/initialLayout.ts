/**
 * Starting layout: PCA scaled so the first coordinate has standard deviation 1e-4 (openTSNE),
 * or isotropic Gaussian noise of that size. The seed also adds a jitter of 1 % of that scale to
 * the PCA layout: it separates duplicate points (identical inputs would otherwise get identical
 * gradients forever) and is why two seeds give two layouts.
 */
import { principalComponents2 } from './pca';
import type { Random } from './random';

const TARGET_STD = 1e-4;
const JITTER = 0.01 * TARGET_STD;

export function initialLayout(points: ArrayLike<number>, n: number, dims: number, init: 'pca' | 'random', random: Random): Float64Array {
  const y = init === 'pca' ? principalComponents2(points, n, dims) : new Float64Array(2 * n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[2 * i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (y[2 * i] - mean) ** 2;
  const std = Math.sqrt(variance / n);
  if (init === 'pca' && std > 0) {
    const scale = TARGET_STD / std;
    for (let k = 0; k < 2 * n; k++) y[k] = y[k] * scale + JITTER * random.normal();
  } else {
    // Random init, or PCA of points that do not vary at all (nothing to project).
    for (let k = 0; k < 2 * n; k++) y[k] = TARGET_STD * random.normal();
  }
  return y;
}
