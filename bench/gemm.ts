/**
 * Which GEMM should run PPI's dense products: every candidate on PPI's real shapes, timed side by
 * side. Per layer (FIN → HF: 50 → 1024, 1024 → 1024, 1024 → 726) and batch rows N (two PPI graphs:
 * 4,500 to 9,000), the three products of the fused engine: forward (N, FIN)·(FIN, HF),
 * dX = dY·Wᵀ (N, HF)·(HF, FIN), dW += Xᵀ·dY (FIN, N)·(N, HF).
 * Candidates: TensorFlow.js's wasm back end (XNNPACK) on 1 and 2 threads (today's path),
 * onnxruntime-node's MLAS GEMM on 1, 2 and every core, and onnxruntime-web's threaded wasm build on
 * 1 and 2 threads (in child processes; only where the package resolves). The operands live in
 * SharedArrayBuffers, as the fused kernels' memory does, so every route pays the copies training
 * pays (the widest onnxruntime-node route runs once more on private operands, to show what the
 * copies cost); each row says how many cores the process kept busy (CPU time / wall). Repetitions are interleaved across routes (the order rotates) and reported as medians.
 * Progress goes to stderr; one JSON object is the last line of stdout.
 * Usage: node scripts/runBench.mjs gemm -- --json [--reps 5] [--rows 4500,9000] [--no-web]
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { selectBackend } from '../src/gat/backend/backends';
import { loadOnnxRuntime } from '../src/gat/backend/onnxDriver';
import { tfjsProducts, type DenseProducts } from '../src/gat/kernels/denseProducts';
import { machineGemmGflops } from '../src/gat/kernels/machineGemm';
import { startOnnxProducts } from '../src/gat/kernels/onnxProducts';
import { loadWeb, startWebProducts } from './gemmWeb';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Shape {
  readonly product: 'forward' | 'dX' | 'dW';
  readonly layer: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
  readonly accumulate?: boolean;
}

const LAYERS: ReadonlyArray<readonly [number, number]> = [[50, 1024], [1024, 1024], [1024, 726]];

function ppiShapes(rows: readonly number[]): Shape[] {
  return rows.flatMap((N) =>
    LAYERS.flatMap(([fin, hf]): Shape[] => {
      const layer = `${fin}→${hf}`;
      return [
        { product: 'forward', layer, m: N, k: fin, n: hf },
        { product: 'dX', layer, m: N, k: hf, n: fin, transposeB: true },
        { product: 'dW', layer, m: fin, k: N, n: hf, transposeA: true, accumulate: true },
      ];
    }),
  );
}

const gflop = (s: Shape): number => (2 * s.m * s.k * s.n) / 1e9;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Operands in shared memory, as the fused kernels hold them; values in [-0.5, 0.5). */
function operands(s: Shape): { a: Float32Array; b: Float32Array; out: Float32Array } {
  const shared = (n: number, seed: number): Float32Array => {
    const x = new Float32Array(new SharedArrayBuffer(4 * n));
    for (let i = 0; i < n; i++) x[i] = (((i + seed) * 2654435761) % 4096) / 4096 - 0.5;
    return x;
  };
  return { a: shared(s.m * s.k, 1), b: shared(s.k * s.n, 2), out: shared(s.m * s.n, 3) };
}

interface Timed {
  readonly route: string;
  readonly threads: number;
  /** CPU time of the whole process over wall time while it ran (how many cores it really kept busy), median. */
  readonly cpuPerWall: number;
  readonly product: string;
  readonly layer: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly gflopsMedian: number;
  readonly gflopsBest: number;
  readonly maxRelDiff?: number;
}

interface Runner {
  readonly route: string;
  readonly threads: number;
  /** Operands in private ArrayBuffers instead of shared memory: what the copies cost, by difference. */
  readonly privateOperands?: boolean;
  run(s: Shape, a: Float32Array, b: Float32Array, out: Float32Array): Promise<void> | void;
}

const syncRunner = (route: string, p: DenseProducts, threads: number): Runner => ({ route, threads, run: (s, a, b, out) => p.matmul(a, b, s.m, s.k, s.n, s, out) });

function row(r: Runner, s: Shape, times: readonly number[], cpu: readonly number[], maxRelDiff?: number): Timed {
  const med = median(times);
  const min = Math.min(...times);
  const round = (x: number): number => Math.round(x * 10) / 10;
  const cpuPerWall = Math.round(100 * median(cpu.map((c, i) => c / times[i]))) / 100;
  return { route: r.route, threads: r.threads, cpuPerWall, product: s.product, layer: s.layer, m: s.m, k: s.k, n: s.n, medianMs: round(med), minMs: round(min), gflopsMedian: round(gflop(s) / (med / 1000)), gflopsBest: round(gflop(s) / (min / 1000)), ...(maxRelDiff !== undefined ? { maxRelDiff } : {}) };
}

/** Times every runner on every shape: a warm-up each, then `reps` interleaved rounds. */
async function timeAll(runners: readonly Runner[], shapes: readonly Shape[], reps: number): Promise<Timed[]> {
  const out: Timed[] = [];
  for (const s of shapes) {
    const shared = operands(s);
    const own = { a: shared.a.slice(), b: shared.b.slice(), out: shared.out.slice() };
    const args = (r: Runner): typeof shared => (r.privateOperands ? own : shared);
    const results: Float32Array[] = [];
    for (const r of runners) {
      const { a, b, out: y } = args(r);
      y.fill(0);
      await r.run(s, a, b, y);
      results.push(y.slice());
    }
    const times = runners.map(() => [] as number[]);
    const cpu = runners.map(() => [] as number[]);
    for (let rep = 0; rep < reps; rep++) {
      for (let j = 0; j < runners.length; j++) {
        const i = (j + rep) % runners.length;
        const { a, b, out: y } = args(runners[i]);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await runners[i].run(s, a, b, y);
        times[i].push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu[i].push((c.user + c.system) / 1000);
      }
    }
    runners.forEach((r, i) => out.push(row(r, s, times[i], cpu[i], maxRelDiff(results[i], results[0]))));
    console.error(`${s.product} ${s.layer} (${s.m}×${s.k})·(${s.k}×${s.n}): ${out.slice(-runners.length).map((t) => `${t.route}/${t.threads} ${t.gflopsMedian}`).join(', ')} GFLOP/s`);
  }
  return out;
}

function maxRelDiff(x: Float32Array, ref: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return Number((diff / (scale || 1)).toExponential(2));
}

/** The onnxruntime-web routes, one child process per thread count (its runtime fixes the count at start). */
function webRoutes(threads: readonly number[], argv: readonly string[]): { results: Timed[]; skipped?: string } {
  const results: Timed[] = [];
  for (const t of threads) {
    const child = spawnSync(process.execPath, [process.argv[1], ...argv, '--web-child', String(t)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    const last = child.stdout.trim().split('\n').pop() ?? '';
    const parsed = JSON.parse(last || '{}') as { results?: Timed[]; skipped?: string };
    if (parsed.skipped) return { results, skipped: parsed.skipped };
    results.push(...(parsed.results ?? []));
  }
  return { results };
}

async function webChild(threads: number, shapes: readonly Shape[], reps: number): Promise<void> {
  const ort = loadWeb();
  if (typeof ort === 'string') return console.log(JSON.stringify({ skipped: ort }));
  const p = await startWebProducts(ort, threads);
  const runner: Runner = { route: `onnxruntime-web ${p.version}`, threads, run: (s, a, b, out) => p.matmul(a, b, s.m, s.k, s.n, s, out) };
  console.log(JSON.stringify({ results: await timeAll([runner], shapes, reps) }));
  await p.dispose();
}

/** Per route and thread count: all shapes' median times summed, and the rate that gives. */
function summarise(results: readonly Timed[], shapes: readonly Shape[]): Array<{ route: string; threads: number; totalMs: number; gflops: number }> {
  const total = shapes.reduce((s, x) => s + gflop(x), 0);
  const keys = [...new Set(results.map((r) => `${r.route}\u0000${r.threads}`))];
  return keys.map((key) => {
    const [route, threads] = key.split('\u0000');
    const ms = results.filter((r) => r.route === route && r.threads === Number(threads)).reduce((s, r) => s + r.medianMs, 0);
    return { route, threads: Number(threads), totalMs: Math.round(ms), gflops: Math.round((10 * total) / (ms / 1000)) / 10 };
  });
}

async function main(): Promise<void> {
  const reps = Number(option('reps') ?? 5);
  const rows = (option('rows') ?? '4500,9000').split(',').map(Number);
  const shapes = ppiShapes(rows);
  const child = option('web-child');
  if (child) return webChild(Number(child), shapes, Math.min(reps, 3));
  const cores = availableParallelism();
  const ortThreads = [...new Set([1, 2, cores])].filter((t) => t <= Math.max(2, cores));

  const wasm = await selectBackend('wasm');
  const tfjs2 = await wasm.startProducts?.(2);
  const runtime = loadOnnxRuntime();
  const runners: Runner[] = [syncRunner('tfjs-wasm (XNNPACK)', tfjsProducts, 1)];
  if (tfjs2) runners.push(syncRunner('tfjs-wasm (XNNPACK)', tfjs2, 2));
  const ort = typeof runtime === 'string' ? [] : await Promise.all(ortThreads.map((t) => startOnnxProducts(runtime, t)));
  const ortName = `onnxruntime-node ${typeof runtime === 'string' ? '' : runtime.version}`;
  for (const p of ort) runners.push(syncRunner(ortName, p, p.threads));
  // The widest one again on private operands: the staging copies' cost, by difference.
  if (ort.length) runners.push({ ...syncRunner(`${ortName} (private operands, no copies)`, ort[ort.length - 1], ort[ort.length - 1].threads), privateOperands: true });
  console.error(`${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}); ${runners.length} routes here, ${reps} interleaved repetitions per shape`);
  const results = await timeAll(runners, shapes, reps);
  tfjs2?.dispose();
  for (const p of ort) p.dispose();

  const web = process.argv.includes('--no-web') ? { results: [], skipped: '--no-web' } : webRoutes([1, 2], process.argv.slice(2).filter((a) => a !== '--json'));
  results.push(...web.results);
  const machineGemm = typeof runtime === 'string' ? null : await machineGemmGflops(runtime);
  const summary = summarise(results, shapes);
  // The no-copies row is a measurement of the copies, not a route training can take.
  const routes = summary.filter((s) => !s.route.includes('(private operands'));
  const winner = routes.reduce((best, s) => (s.gflops > best.gflops ? s : best), routes[0]);
  const report = {
    machine: { cores, cpu: cpus()[0]?.model ?? '', node: process.version },
    rows,
    reps,
    operands: 'SharedArrayBuffer (as the fused kernels hold them): copies in and out included',
    machineGemmGflops: machineGemm,
    ...(typeof runtime === 'string' ? { onnxruntimeNode: runtime } : {}),
    ...(web.skipped ? { onnxruntimeWeb: web.skipped } : {}),
    summary,
    winner,
    results,
  };
  console.log(JSON.stringify(report));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
