/**
 * Barnes-Hut t-SNE (van der Maaten 2014), synchronous: the worker and the training process
 * both call runTsne. Steps: kNN (vantage-point tree) → calibrated sparse P → PCA start →
 * gradient descent with early exaggeration, repulsion from a quadtree.
 */
import { sparseAffinities, type SparseAffinities } from './affinities';
import { attractAndStep, createOptimiserState, resetOptimiser, sparseKl, upperPairs } from './gradientDescent';
import { initialLayout } from './initialLayout';
import { resolveOptions, validatePoints, type ResolvedTsneOptions, type TsneOptions } from './options';
import { QuadTree, repulsiveForces } from './quadTree';
import { createRandom } from './random';
import { nearestNeighbours } from './vpTree';

export interface TsneProgress {
  /** Iterations done so far. */
  readonly iteration: number;
  readonly iterations: number;
  readonly phase: 'exaggeration' | 'final';
  /** KL(P‖Q) over the sparse P, Z from the quadtree (what scikit-learn reports). */
  readonly kl: number;
  readonly elapsedSeconds: number;
}

export interface TsneHooks {
  /** Default 50. */
  readonly progressEvery?: number;
  readonly onProgress?: (progress: TsneProgress) => void;
  /** Iterations between intermediate layouts; 0 (default) for none. */
  readonly layoutEvery?: number;
  /** Receives the live n × 2 array: copy it to keep it. */
  readonly onLayout?: (iteration: number, embedding: Float64Array) => void;
}

export interface TsneTimings {
  /** Nearest neighbours and perplexity calibration (the sparse P). */
  readonly knnSeconds: number;
  /** Initial layout and all gradient-descent iterations. */
  readonly gradientSeconds: number;
  readonly totalSeconds: number;
}

export interface TsneResult {
  /** n × 2, row-major (x0, y0, x1, y1, …). */
  readonly embedding: Float64Array;
  readonly n: number;
  readonly kl: number;
  readonly options: ResolvedTsneOptions;
  readonly timings: TsneTimings;
}

/** Sparse P of the input, from its 3·perplexity nearest neighbours. */
export function inputAffinities(points: ArrayLike<number>, n: number, dims: number, options: ResolvedTsneOptions): SparseAffinities {
  const knn = nearestNeighbours(points, n, dims, options.neighbours, createRandom(options.seed ^ 0x5bd1e995));
  return sparseAffinities(knn, n, options.perplexity);
}

export function runTsne(points: ArrayLike<number>, n: number, dims: number, options: TsneOptions = {}, hooks: TsneHooks = {}): TsneResult {
  const t0 = performance.now();
  validatePoints(points, n, dims);
  const resolved = resolveOptions(n, options);
  const p = inputAffinities(points, n, dims, resolved);
  const t1 = performance.now();

  const random = createRandom(resolved.seed);
  const state = createOptimiserState(initialLayout(points, n, dims, resolved.init, random));
  const tree = new QuadTree(n);
  const pairs = upperPairs(p);
  const progressEvery = hooks.progressEvery ?? 50;
  const layoutEvery = hooks.layoutEvery ?? 0;
  const { iterations, exaggerationIterations, theta, learningRate } = resolved;
  let z = 1;
  for (let it = 0; it < iterations; it++) {
    const exaggerating = it < exaggerationIterations;
    if (it === exaggerationIterations && it > 0) resetOptimiser(state);
    tree.build(state.y);
    z = Math.max(repulsiveForces(tree, state.y, 0, n, theta, state.repulsion) - n, Number.MIN_VALUE);
    attractAndStep(pairs, state, z, exaggerating ? resolved.earlyExaggeration : 1, exaggerating ? 0.5 : 0.8, learningRate);

    const done = it + 1;
    if (hooks.onProgress && (done % progressEvery === 0 || done === iterations)) {
      hooks.onProgress({ iteration: done, iterations, phase: exaggerating ? 'exaggeration' : 'final', kl: sparseKl(p, state.y, z), elapsedSeconds: (performance.now() - t0) / 1000 });
    }
    if (hooks.onLayout && layoutEvery > 0 && done % layoutEvery === 0) hooks.onLayout(done, state.y);
  }
  // Z for the final positions (the loop's z is from before the last step).
  tree.build(state.y);
  z = Math.max(repulsiveForces(tree, state.y, 0, n, theta, state.repulsion) - n, Number.MIN_VALUE);
  const kl = sparseKl(p, state.y, z);
  const t2 = performance.now();
  return {
    embedding: state.y,
    n,
    kl,
    options: resolved,
    timings: { knnSeconds: (t1 - t0) / 1000, gradientSeconds: (t2 - t1) / 1000, totalSeconds: (t2 - t0) / 1000 },
  };
}
