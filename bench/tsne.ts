/**
 * t-SNE benchmark: 1000 iterations on a Cora-shaped set (2708 × 7) and on 20 000 points.
 * Usage: npm run bench:tsne -- [--json]   (one JSON object per line with --json)
 * Data is synthetic (7 seeded Gaussian clusters) until the training writes the model outputs.
 */
import { gaussianClusters } from '../src/gat/tsne/gaussianClusters';
import { neighbourLabelPurity, trustworthiness } from '../src/gat/tsne/quality';
import { createRandom } from '../src/gat/tsne/random';
import { runTsne } from '../src/gat/tsne/tsne';

const json = process.argv.includes('--json');
const TRUST_SAMPLE = 2000;

function bench(n: number, dims: number): Record<string, unknown> {
  const data = gaussianClusters(n, dims, 7, 2024);
  // CPU time next to wall time: on a shared 2-core machine the wall clock mostly measures the neighbours.
  const cpu0 = process.cpuUsage();
  const result = runTsne(data.points, n, dims, { iterations: 1000, seed: 1 });
  const cpu = process.cpuUsage(cpu0);
  // Trustworthiness is O(N²) per point; above Cora size judge a random subsample of points.
  const sample = n > TRUST_SAMPLE * 2 ? randomSubset(n, TRUST_SAMPLE, 7) : undefined;
  const t = trustworthiness(data.points, dims, result.embedding, n, 12, sample);
  return {
    n,
    dims,
    iterations: result.options.iterations,
    data: 'synthetic',
    seconds: round(result.timings.totalSeconds),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    threads: 1,
    knnSeconds: round(result.timings.knnSeconds),
    gradientSeconds: round(result.timings.gradientSeconds),
    kl: round(result.kl),
    trustworthiness: round(t),
    trustworthinessPoints: sample ? sample.length : n,
    labelPurity: n <= 5000 ? round(neighbourLabelPurity(result.embedding, n, data.labels, 12)) : undefined,
  };
}

function randomSubset(n: number, m: number, seed: number): Int32Array {
  const random = createRandom(seed);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + random.int(n - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, m).sort();
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

for (const n of [2708, 20_000]) {
  const row = bench(n, 7);
  console.log(json ? JSON.stringify(row) : Object.entries(row).map(([k, v]) => `${k}=${String(v)}`).join(' '));
}
