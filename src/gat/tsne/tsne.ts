/**
 * Barnes-Hut t-SNE (van der Maaten 2014), synchronous: the worker and the training process
 * both call runTsne. Steps: kNN (vantage-point tree) → calibrated sparse P → PCA start →
 * gradient descent with early exaggeration, repulsion from a quadtree.
 *
 * Threads: runTsne blocks its caller, but the force pass of each iteration (repulsion and
 * attraction, ~90 % of the work) is shared with `options.threads − 1` helper worker threads
 * that it starts itself from the bundled dist/tsneWorker.js and stops before returning (also
 * on an error or a cancel). The result is bit-identical for any number of threads (see
 * forces.ts). Where the bundle cannot be found it runs on the calling thread alone.
 */
import { existsSync } from 'node:fs';
import { sparseAffinities, type SparseAffinities } from './affinities';
import { CHUNK, ForcePool, createControl, sharedFloat64, sharedInt32, type ForceArrays } from './forces';
import { createOptimiserState, gradientStep, resetOptimiser, sparseKl } from './gradientDescent';
import { initialLayout } from './initialLayout';
import { resolveOptions, validatePoints, type ResolvedTsneOptions, type TsneOptions } from './options';
import { QuadTree } from './quadTree';
import { createRandom } from './random';
import { nearestNeighbours } from './vpTree';
import { defaultWorkerScript } from './workerScript';

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
  /** Checked before every iteration: once aborted, runTsne throws an AbortError (helpers stopped). */
  readonly signal?: AbortSignal;
  /** Script the helper threads run; default dist/tsneWorker.js of this package (see defaultWorkerScript). */
  readonly helperScript?: string;
}

export interface TsneTimings {
  /** Nearest neighbours and perplexity calibration (the sparse P). */
  readonly knnSeconds: number;
  /** Initial layout and all gradient-descent iterations. */
  readonly gradientSeconds: number;
  readonly totalSeconds: number;
  /** Share of the force-pass work done by helper threads (0 single-threaded; ~0.5 with 2 idle cores). */
  readonly helperShare: number;
}

export interface TsneResult {
  /** n × 2, row-major (x0, y0, x1, y1, …). */
  readonly embedding: Float64Array;
  readonly n: number;
  readonly kl: number;
  readonly options: ResolvedTsneOptions;
  readonly timings: TsneTimings;
  /** Threads that ran the gradient iterations, the calling one included. */
  readonly threads: number;
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
  throwIfAborted(hooks.signal);
  // Start the helpers first: they boot while this thread finds the neighbours.
  const pool = new ForcePool(resolved.threads, resolved.threads > 1 ? helperScript(hooks) : undefined);
  try {
    return optimise(points, n, dims, resolved, hooks, pool, t0);
  } finally {
    pool.close();
  }
}

function optimise(points: ArrayLike<number>, n: number, dims: number, resolved: ResolvedTsneOptions, hooks: TsneHooks, pool: ForcePool, t0: number): TsneResult {
  const p = inputAffinities(points, n, dims, resolved);
  const t1 = performance.now();

  const random = createRandom(resolved.seed);
  const state = createOptimiserState(resolved.initialEmbedding ? Float64Array.from(resolved.initialEmbedding) : initialLayout(points, n, dims, resolved.init, random));
  const tree = new QuadTree(n, true);
  const arrays: ForceArrays = {
    n,
    ...createControl(),
    nodes: tree.nodes,
    skip: tree.skip,
    order: tree.order,
    y: state.y,
    rowStart: toShared(p.rowStart),
    columns: toShared(p.columns),
    values: toShared(p.values),
    owner: sharedInt32(Math.ceil(n / CHUNK)),
    // Thread 0 (this one) computes into the optimiser's arrays; each helper into its own.
    repulsion: [state.repulsion, ...helperBuffers(pool, 2 * n)],
    attraction: [state.attraction, ...helperBuffers(pool, 2 * n)],
    sumQ: [state.sumQ, ...helperBuffers(pool, n)],
  };
  pool.attach(arrays);
  const forces = (theta: number): number => {
    tree.build(state.y);
    return Math.max(pool.run(tree.size, theta) - n, Number.MIN_VALUE);
  };

  const progressEvery = hooks.progressEvery ?? 50;
  const layoutEvery = hooks.layoutEvery ?? 0;
  const { iterations, exaggerationIterations, learningRate } = resolved;
  for (let it = 0; it < iterations; it++) {
    throwIfAborted(hooks.signal);
    const exaggerating = it < exaggerationIterations;
    if (it === exaggerationIterations && it > 0) resetOptimiser(state);
    const z = forces(exaggerating ? resolved.exaggerationTheta : resolved.theta);
    gradientStep(state, tree.order, z, exaggerating ? resolved.earlyExaggeration : 1, exaggerating ? 0.5 : 0.8, learningRate);

    const done = it + 1;
    if (hooks.onProgress && (done % progressEvery === 0 || done === iterations)) {
      hooks.onProgress({ iteration: done, iterations, phase: exaggerating ? 'exaggeration' : 'final', kl: sparseKl(p, state.y, z), elapsedSeconds: (performance.now() - t0) / 1000 });
    }
    if (hooks.onLayout && layoutEvery > 0 && done % layoutEvery === 0) hooks.onLayout(done, state.y);
  }
  // Z for the final positions (the loop's z is from before the last step).
  const kl = sparseKl(p, state.y, forces(resolved.theta));
  const t2 = performance.now();
  return {
    // A plain (transferable) copy of the shared layout.
    embedding: Float64Array.from(state.y),
    n,
    kl,
    options: resolved,
    timings: { knnSeconds: (t1 - t0) / 1000, gradientSeconds: (t2 - t1) / 1000, totalSeconds: (t2 - t0) / 1000, helperShare: pool.helperShare },
    threads: pool.threads,
  };
}

function helperScript(hooks: TsneHooks): string | undefined {
  let script = hooks.helperScript;
  if (script === undefined) {
    try {
      script = defaultWorkerScript();
    } catch {
      return undefined;
    }
  }
  return existsSync(script) ? script : undefined;
}

function helperBuffers(pool: ForcePool, length: number): Float64Array[] {
  return Array.from({ length: pool.threads - 1 }, () => sharedFloat64(length));
}

function toShared<T extends Int32Array | Float64Array>(a: T): T {
  const copy = (a instanceof Int32Array ? sharedInt32(a.length) : sharedFloat64(a.length)) as T;
  copy.set(a);
  return copy;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('t-SNE was cancelled', 'AbortError');
}
