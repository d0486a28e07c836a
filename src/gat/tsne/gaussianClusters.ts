/**
 * Seeded synthetic data: k Gaussian clusters in `dims` dimensions, shaped like the model's
 * outputs (Cora: 2708 × 7, 7 classes). Used by the tests and the benchmark.
 */
import { createRandom } from './random';

export interface LabelledPoints {
  readonly points: Float64Array;
  readonly labels: Int32Array;
  readonly n: number;
  readonly dims: number;
}

/** Cluster centres are drawn with spread `separation`, points around them with unit std. */
export function gaussianClusters(n: number, dims: number, clusters: number, seed: number, separation = 6): LabelledPoints {
  const random = createRandom(seed);
  const centres = new Float64Array(clusters * dims);
  for (let k = 0; k < centres.length; k++) centres[k] = separation * random.normal();
  const points = new Float64Array(n * dims);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = random.int(clusters);
    labels[i] = c;
    for (let d = 0; d < dims; d++) points[i * dims + d] = centres[c * dims + d] + random.normal();
  }
  return { points, labels, n, dims };
}
