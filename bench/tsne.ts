/**
 * t-SNE benchmark: 1000 iterations on a Cora-shaped set (2708 × 7) and on 20 000 points.
 * Usage: npm run bench:tsne -- [--json] [--threads N] [--sizes 2708,20000] [--iterations 1000]
 *   --json     one JSON object per line
 *   --threads  threads for the gradient iterations (default: runTsne's default)
 *   --sizes    which rows to run
 *   --iterations  gradient iterations (default 1000)
 * The 2708 row embeds the real GAT outputs (N × C logits of the trained model, "data":"cora-model")
 * when a trained run exists under ./runs/*\/analysis.safetensors (the newest run id is used),
 * else 7 seeded Gaussian clusters ("data":"synthetic"), as the 20 000 row always does.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { readAnalysis } from '../src/gat/artifacts/analysis';
import { gaussianClusters } from '../src/gat/tsne/gaussianClusters';
import { neighbourLabelPurity, trustworthiness } from '../src/gat/tsne/quality';
import { createRandom } from '../src/gat/tsne/random';
import { runTsne } from '../src/gat/tsne/tsne';

const args = process.argv.slice(2);
const json = args.includes('--json');
const TRUST_SAMPLE = 2000;
const CORA_NODES = 2708;

function argument(name: string): string | undefined {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
}
const threadsArg = argument('--threads');
const threads = threadsArg === undefined ? undefined : Number(threadsArg);
const iterations = Number(argument('--iterations') ?? 1000);
const sizes = (argument('--sizes') ?? `${CORA_NODES},20000`).split(',').map(Number);

interface Dataset {
  readonly points: Float64Array;
  readonly n: number;
  readonly dims: number;
  readonly labels: Int32Array;
  readonly data: string;
  readonly run?: string;
}

/** The newest runs/<id>/analysis.safetensors under the current folder, if any. */
async function coraModel(): Promise<Dataset | undefined> {
  if (!existsSync('runs')) return undefined;
  const ids = readdirSync('runs')
    .filter((id) => existsSync(path.join('runs', id, 'analysis.safetensors')))
    .sort();
  const run = ids.at(-1);
  if (run === undefined) return undefined;
  const analysis = await readAnalysis(path.join('runs', run, 'analysis.safetensors'));
  return { points: Float64Array.from(analysis.outputs), n: analysis.numNodes, dims: analysis.numClasses, labels: analysis.labels, data: 'cora-model', run };
}

function bench(set: Dataset): Record<string, unknown> {
  const { points, n, dims } = set;
  // CPU time next to wall time: on a shared 2-core machine the wall clock depends on the neighbours.
  const cpu0 = process.cpuUsage();
  const result = runTsne(points, n, dims, { iterations, seed: 1, threads });
  const cpu = process.cpuUsage(cpu0);
  // Trustworthiness is O(N²) per point; above Cora size judge a random subsample of points.
  const sample = n > TRUST_SAMPLE * 2 ? randomSubset(n, TRUST_SAMPLE, 7) : undefined;
  const t = trustworthiness(points, dims, result.embedding, n, 12, sample);
  return {
    n,
    dims,
    iterations: result.options.iterations,
    data: set.data,
    run: set.run,
    seconds: round(result.timings.totalSeconds),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6),
    threads: result.threads,
    helperShare: round(result.timings.helperShare),
    knnSeconds: round(result.timings.knnSeconds),
    gradientSeconds: round(result.timings.gradientSeconds),
    kl: round(result.kl),
    trustworthiness: round(t),
    trustworthinessPoints: sample ? sample.length : n,
    labelPurity: n <= 5000 ? round(neighbourLabelPurity(result.embedding, n, set.labels, 12)) : undefined,
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

async function main(): Promise<void> {
  const cora = sizes.includes(CORA_NODES) ? await coraModel() : undefined;
  for (const n of sizes) {
    const set = n === CORA_NODES && cora ? cora : { ...gaussianClusters(n, 7, 7, 2024), data: 'synthetic' };
    const row = bench(set);
    console.log(json ? JSON.stringify(row) : Object.entries(row).map(([k, v]) => `${k}=${String(v)}`).join(' '));
  }
}

void main();
