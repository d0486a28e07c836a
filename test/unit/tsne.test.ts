import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { sparseAffinities } from '../../src/gat/tsne/affinities';
import { CHUNK, CONTROL_SLOTS_FOR_TESTS } from '../../src/gat/tsne/forces';
import { gaussianClusters } from '../../src/gat/tsne/gaussianClusters';
import { TsneInputError, resolveOptions } from '../../src/gat/tsne/options';
import { exactJointP, exactKl, neighbourLabelPurity, trustworthiness } from '../../src/gat/tsne/quality';
import { createRandom } from '../../src/gat/tsne/random';
import { runTsne } from '../../src/gat/tsne/tsne';
import { nearestNeighbours } from '../../src/gat/tsne/vpTree';

interface TsneJsModel {
  init(opts: { data: number[][]; type: 'dense' }): void;
  run(): [number, number];
  getOutput(): number[][];
}
type TsneJsConstructor = new (config: Record<string, unknown>) => TsneJsModel;

/** The exact O(N²) oracle, through its public API (it seeds from Math.random). */
function runTsneJs(points: Float64Array, n: number, dims: number, config: { perplexity: number; iterations: number; learningRate: number }): Float64Array {
  const TSNE = createRequire(__filename)('tsne-js') as TsneJsConstructor;
  const model = new TSNE({ dim: 2, perplexity: config.perplexity, earlyExaggeration: 12, learningRate: config.learningRate, nIter: config.iterations, metric: 'euclidean' });
  const rows = Array.from({ length: n }, (_, i) => Array.from(points.subarray(i * dims, (i + 1) * dims)));
  model.init({ data: rows, type: 'dense' });
  model.run();
  return Float64Array.from(model.getOutput().flat());
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) return false;
  return true;
}

function sqDist(y: Float64Array, i: number, j: number): number {
  return (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2;
}

describe('nearest neighbours (vantage-point tree)', () => {
  it('finds the same distances as brute force, duplicates included', () => {
    const n = 400;
    const dims = 5;
    const { points } = gaussianClusters(n, dims, 4, 7);
    points.copyWithin(10 * dims, 20 * dims, 21 * dims); // point 10 duplicates point 20
    const k = 15;
    const knn = nearestNeighbours(points, n, dims, k, createRandom(1));
    for (let i = 0; i < n; i++) {
      const brute: number[] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let s = 0;
        for (let d = 0; d < dims; d++) s += (points[i * dims + d] - points[j * dims + d]) ** 2;
        brute.push(s);
      }
      brute.sort((a, b) => a - b);
      for (let t = 0; t < k; t++) {
        assert.ok(Math.abs(knn.sqDistances[i * k + t] - brute[t]) <= 1e-9 * (1 + brute[t]), `point ${i}, neighbour ${t}`);
        assert.notEqual(knn.indices[i * k + t], i);
      }
    }
    assert.equal(knn.sqDistances[10 * k], 0);
  });
});

describe('sparse affinities', () => {
  it('is symmetric, sums to 1 and matches the calibrated perplexity', () => {
    const n = 300;
    const { points } = gaussianClusters(n, 7, 3, 2);
    const p = sparseAffinities(nearestNeighbours(points, n, 7, 30, createRandom(3)), n, 10);
    const entries = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) {
        entries.set(`${i},${p.columns[e]}`, p.values[e]);
        total += p.values[e];
      }
    }
    assert.ok(Math.abs(total - 1) < 1e-9, `ΣP = ${total}`);
    for (const [key, v] of entries) {
      const [i, j] = key.split(',');
      assert.ok(Math.abs((entries.get(`${j},${i}`) ?? NaN) - v) < 1e-15, `P[${key}] ≠ P[${j},${i}]`);
    }
  });
});

describe('runTsne quality', () => {
  it('reaches a KL within a few percent of exact t-SNE (tsne-js) on 200 points', () => {
    const n = 200;
    const dims = 7;
    const { points } = gaussianClusters(n, dims, 5, 3, 4);
    const config = { perplexity: 20, iterations: 500, learningRate: 100 };
    const p = exactJointP(points, n, dims, config.perplexity);
    const ours = exactKl(p, runTsne(points, n, dims, config).embedding, n);
    const exactGradient = exactKl(p, runTsne(points, n, dims, { ...config, theta: 0 }).embedding, n);
    const oracle = exactKl(p, runTsneJs(points, n, dims, config), n);
    // tsne-js optimises less well (100 exaggerated iterations, older gain rule): we must not be worse.
    assert.ok(ours <= oracle * 1.05, `KL ours ${ours.toFixed(4)} vs tsne-js ${oracle.toFixed(4)}`);
    assert.ok(oracle < 2 * ours, `tsne-js should converge too: ${oracle}`);
    // The Barnes-Hut approximation alone (θ = 0.5 vs θ = 0, same optimiser).
    assert.ok(Math.abs(ours - exactGradient) <= 0.05 * exactGradient, `KL θ=0.5 ${ours.toFixed(4)} vs θ=0 ${exactGradient.toFixed(4)}`);
  });

  it('keeps neighbourhoods and separates clusters at Cora size (2708 × 7)', () => {
    const data = gaussianClusters(2708, 7, 7, 11);
    const result = runTsne(data.points, data.n, data.dims, { seed: 5, threads: 2 });
    assert.equal(result.embedding.length, 2 * data.n);
    // The helper thread really took part (dist/tsneWorker.js is built before the unit tests).
    assert.equal(result.threads, 2);
    assert.ok(result.timings.helperShare > 0, `helper share ${result.timings.helperShare}`);
    assert.ok(allFinite(result.embedding));
    const t = trustworthiness(data.points, data.dims, result.embedding, data.n, 12);
    const purity = neighbourLabelPurity(result.embedding, data.n, data.labels, 12);
    assert.ok(t >= 0.9, `trustworthiness ${t}`);
    assert.ok(purity >= 0.9, `kNN label purity ${purity}`);
    assert.ok(result.kl > 0 && result.kl < 3, `KL ${result.kl}`);
  });
});

describe('runTsne reproducibility', () => {
  const data = gaussianClusters(300, 7, 4, 21);
  const run = (seed: number, init: 'pca' | 'random' = 'pca') => runTsne(data.points, data.n, data.dims, { seed, iterations: 400, perplexity: 15, init }).embedding;

  for (const init of ['pca', 'random'] as const) {
    it(`gives the identical layout for the same seed (${init} init)`, () => {
      assert.deepEqual(run(3, init), run(3, init));
    });
    it(`gives a different layout for another seed (${init} init)`, () => {
      const a = run(3, init);
      const b = run(4, init);
      let maxDiff = 0;
      for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k] - b[k]));
      assert.ok(maxDiff > 1e-3, `layouts differ by at most ${maxDiff}`);
    });
  }

  it('gives the bit-identical layout with 1, 2 and 3 threads', () => {
    const options = { seed: 3, iterations: 300, perplexity: 15 };
    const one = runTsne(data.points, data.n, data.dims, { ...options, threads: 1 });
    assert.equal(one.threads, 1);
    for (const threads of [2, 3]) {
      const many = runTsne(data.points, data.n, data.dims, { ...options, threads });
      // dist/tsneWorker.js is built before the unit tests: the helpers must really have run.
      assert.equal(many.threads, threads);
      assert.deepEqual(many.embedding, one.embedding);
      assert.equal(many.kl, one.kl);
    }
  });

  it('does not wait for a helper that claims work and never finishes it (the caller recomputes it)', () => {
    // A stand-in helper that grabs every remaining chunk of each generation and then sleeps.
    const { GENERATION, NEXT, QUIT } = CONTROL_SLOTS_FOR_TESTS;
    const dir = mkdtempSync(path.join(tmpdir(), 'tsne-helper-'));
    const script = path.join(dir, 'stuckHelper.js');
    writeFileSync(
      script,
      `const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ arrays }) => {
  const c = arrays.control;
  const chunks = Math.ceil(arrays.n / ${CHUNK});
  let seen = 0;
  for (;;) {
    Atomics.wait(c, ${GENERATION}, seen);
    if (Atomics.load(c, ${QUIT}) !== 0) break;
    seen = Atomics.load(c, ${GENERATION});
    Atomics.store(c, ${NEXT}, seen * chunks);
  }
  parentPort.close();
});`,
    );
    try {
      const options = { seed: 3, iterations: 200, perplexity: 15 };
      const stuck = runTsne(data.points, data.n, data.dims, { ...options, threads: 2 }, { helperScript: script });
      assert.equal(stuck.timings.helperShare, 0);
      assert.deepEqual(stuck.embedding, runTsne(data.points, data.n, data.dims, { ...options, threads: 1 }).embedding);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with an AbortError when the signal is aborted, helper threads included', () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (): unknown =>
      runTsne(data.points, data.n, data.dims, { iterations: 10_000, threads: 2 }, {
        signal: controller.signal,
        progressEvery: 10,
        onProgress: (p) => {
          seen.push(p.iteration);
          if (p.iteration === 30) controller.abort();
        },
      });
    assert.throws(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.deepEqual(seen, [10, 20, 30]);
    // An already aborted signal stops before any work.
    assert.throws(() => runTsne(data.points, data.n, data.dims, {}, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('reports progress and intermediate layouts on schedule', () => {
    const progress: number[] = [];
    const layouts: number[] = [];
    runTsne(data.points, data.n, data.dims, { iterations: 120 }, { progressEvery: 50, onProgress: (p) => progress.push(p.iteration), layoutEvery: 40, onLayout: (it, y) => layouts.push(it + 0 * y.length) });
    assert.deepEqual(progress, [50, 100, 120]);
    assert.deepEqual(layouts, [40, 80, 120]);
  });
});

describe('runTsne edge cases', () => {
  it('keeps duplicate points together', () => {
    const base = gaussianClusters(200, 7, 4, 8);
    const copies = 20;
    const points = new Float64Array((200 + copies) * 7);
    points.set(base.points);
    for (let c = 0; c < copies; c++) points.set(base.points.subarray(0, 7), (200 + c) * 7); // 21 copies of point 0
    const y = runTsne(points, 220, 7, { perplexity: 10, iterations: 500 }).embedding;
    assert.ok(allFinite(y));
    // The 21 identical points form their own clump: each one's 20 nearest are mostly copies.
    const group = [0, ...Array.from({ length: copies }, (_, c) => 200 + c)];
    for (const i of group) {
      const nearest = Array.from({ length: 220 }, (_, j) => j)
        .filter((j) => j !== i)
        .sort((a, b) => sqDist(y, i, a) - sqDist(y, i, b))
        .slice(0, copies);
      const copiesNear = nearest.filter((j) => group.includes(j)).length;
      assert.ok(copiesNear >= 0.75 * copies, `point ${i}: only ${copiesNear} of its ${copies} nearest are copies`);
    }
  });

  it('embeds identical points without NaN', () => {
    const y = runTsne(new Float64Array(40 * 3).fill(2.5), 40, 3, { perplexity: 5, iterations: 100 }).embedding;
    assert.ok(allFinite(y));
  });

  it('ignores constant columns', () => {
    const data = gaussianClusters(300, 4, 3, 9);
    const wide = new Float64Array(300 * 7);
    for (let i = 0; i < 300; i++) {
      wide.set(data.points.subarray(i * 4, i * 4 + 4), i * 7);
      wide.fill(1.5, i * 7 + 4, i * 7 + 7);
    }
    const narrow = sparseAffinities(nearestNeighbours(data.points, 300, 4, 30, createRandom(1)), 300, 10);
    const padded = sparseAffinities(nearestNeighbours(wide, 300, 7, 30, createRandom(1)), 300, 10);
    assert.deepEqual(padded.columns, narrow.columns);
    for (let e = 0; e < narrow.values.length; e++) assert.ok(Math.abs(padded.values[e] - narrow.values[e]) < 1e-12);
    const y = runTsne(wide, 300, 7, { perplexity: 10, iterations: 500 }).embedding;
    assert.ok(allFinite(y));
    assert.ok(neighbourLabelPurity(y, 300, data.labels, 10) >= 0.9);
  });

  it('rejects a perplexity too large for the number of points', () => {
    const { points } = gaussianClusters(50, 3, 2, 1);
    assert.throws(() => runTsne(points, 50, 3, { perplexity: 30 }), (e: unknown) => e instanceof TsneInputError && /perplexity 30 is too large for 50 points: it must be ≤ \(N − 1\) \/ 3 = 16\.33/.test(e.message));
    assert.doesNotThrow(() => runTsne(points, 50, 3, { perplexity: 49 / 3, iterations: 10 }));
  });

  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`names the row and column of ${bad}`, () => {
      const { points } = gaussianClusters(20, 4, 2, 1);
      points[3 * 4 + 2] = bad;
      assert.throws(() => runTsne(points, 20, 4, { perplexity: 5 }), (e: unknown) => e instanceof TsneInputError && e.message.startsWith(`row 3, column 2 is ${bad}`));
    });
  }

  const badOptions: Array<[Record<string, unknown>, RegExp]> = [
    [{ theta: 1.5 }, /theta must be in \[0, 1\]/],
    [{ iterations: 0 }, /iterations must be an integer ≥ 1/],
    [{ learningRate: -1 }, /learningRate must be 'auto' or a number > 0/],
    [{ seed: 1.5 }, /seed must be an integer/],
    [{ perplexity: 0.5 }, /perplexity must be a number ≥ 1/],
    [{ init: 'spectral' }, /init must be 'pca' or 'random'/],
    [{ threads: 0 }, /threads must be an integer in \[1, 64\]/],
    [{ exaggerationTheta: 2 }, /exaggerationTheta must be in \[0, 1\]/],
  ];
  for (const [options, message] of badOptions) {
    it(`rejects ${JSON.stringify(options)}`, () => {
      assert.throws(() => resolveOptions(100, options), (e: unknown) => e instanceof TsneInputError && message.test(e.message));
    });
  }

  it('rejects a points array of the wrong length', () => {
    assert.throws(() => runTsne(new Float64Array(10), 4, 3), /points has 10 values; expected n × dims = 4 × 3 = 12/);
  });

  it('uses the documented automatic learning rate', () => {
    assert.equal(resolveOptions(2708).learningRate, 2708 / 12 / 4);
    assert.equal(resolveOptions(1000).learningRate, 50);
    assert.equal(resolveOptions(1000).neighbours, 90);
    // The exaggeration phase uses θ unless told otherwise.
    assert.equal(resolveOptions(1000, { theta: 0.3 }).exaggerationTheta, 0.3);
    assert.equal(resolveOptions(1000, { exaggerationTheta: 0.8 }).exaggerationTheta, 0.8);
  });
});
