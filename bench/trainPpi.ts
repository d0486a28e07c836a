/**
 * PPI-sized training epochs on a synthetic PPI-format dataset with PPI's exact sizes (20 training
 * graphs of 44,906 nodes, 2 + 2 of 6,514 and 5,524; mean degree 28; 50 features; 121 labels),
 * generated once into out/bench/ppi-synthetic and read through the real loader. The model is
 * pytorch-GAT's PPI recipe. Prints one line per epoch, then one JSON object as the LAST line.
 * Usage: npm run bench -- --dataset ppi-synthetic --json [--epochs K] [--backend B] [--threads N] [--gemm-threads N]
 *        [--force-cpu] [--ppi-scale ppi|small] [--scaling] [--pytorch]
 *   --force-cpu auto never picks a GPU back end
 *   --ppi-scale small: a small PPI-format folder instead (scripts/deviceCheck.sh --local's dry run)
 *   --scaling   also ms per training epoch at 1, 2, 4, … threads and every core (one epoch each)
 *   --pytorch   also time test/reference/pytorchGatPpi.py (pytorch-GAT's PPI recipe) on the same
 *               folder with the same threads, its BLAS unrestricted (OPENBLAS_CORETYPE unset)
 */
import { spawnSync } from 'node:child_process';
import { loadOnnxRuntime } from '../src/gat/backend/onnxDriver';
import { machineGemmGflops, type MachineGemm } from '../src/gat/kernels/machineGemm';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../src/gat/backend/backends';
import type { BackendChoice } from '../src/gat/backend/registry';
import { loadDataset } from '../src/gat/data/loadDataset';
import { PPI_RECIPE } from '../src/gat/train/recipes';
import { DEFAULT_TRAIN_CONFIG, parameterBytes, type TrainConfig } from '../src/gat/train/trainConfig';
import { createTrainer } from '../src/gat/train/trainer';
import { describeRoute, routeOf } from '../src/protocol/computeRoute';
import type { SelectedBackend } from '../src/gat/backend/backends';
import type { GraphDataset } from '../src/gat/data/graph';
import { pythonWith } from '../test/helpers/python';
import { writeSyntheticPpi } from '../test/helpers/ppiSynthetic';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Multiply-adds per node of one forward pass: each layer's projection (and skip projection). */
function forwardMacsPerNode(config: TrainConfig, features: number, labels: number): number {
  let fin = features;
  let macs = 0;
  config.heads.forEach((h, l) => {
    const fout = l < config.hidden.length ? config.hidden[l] : labels;
    macs += 2 * fin * h * fout; // linear_proj + skip_proj
    fin = h * fout;
  });
  return macs;
}

export async function benchPpi(): Promise<void> {
  const epochs = Number(option('epochs') ?? 2);
  const scale = option('ppi-scale') === 'small' ? 'small' : 'ppi';
  const dir = path.resolve('out', 'bench', scale === 'ppi' ? 'ppi-synthetic' : 'ppi-synthetic-small');
  const t0 = performance.now();
  if (!existsSync(path.join(dir, 'test_graph_id.npy'))) {
    console.log(`generating the synthetic PPI-format dataset (${scale}) in ${dir} (once)…`);
    writeSyntheticPpi(dir, { scale, seed: 7 });
  }
  const graph = await loadDataset('ppi-synthetic', { dataDir: dir });
  const loadMs = performance.now() - t0;
  const backend = await selectBackend((option('backend') ?? 'auto') as BackendChoice, { cpuOnly: process.argv.includes('--force-cpu') });
  console.log(`back end: ${backend.name} (${backend.detail}); ${graph.numNodes} nodes, ${graph.edgeSource.length / 2} undirected edges, ${graph.graphs?.length} graphs, loaded in ${(loadMs / 1000).toFixed(1)} s`);
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG, heads: PPI_RECIPE.heads, hidden: PPI_RECIPE.hidden, dropout: PPI_RECIPE.dropout, weightDecay: PPI_RECIPE.weightDecay, skipConnection: true, batchSize: PPI_RECIPE.batchSize, seed: 1,
    ...(option('threads') ? { threads: Number(option('threads')) } : {}),
    ...(option('gemm-threads') ? { gemmThreads: Number(option('gemm-threads')) } : {}),
  };
  const trainer = await createTrainer(graph, config, backend);
  const route = routeOf(trainer);
  console.log(`compute: ${describeRoute(route)}`);
  const trainNodes = graph.split.train.length;
  const macs = forwardMacsPerNode(config, graph.numFeatures, graph.numClasses);
  const perEpoch: Array<{ trainMs: number; valMs: number; loss: number; trainF1: number; valF1: number }> = [];
  for (let e = 0; e < epochs; e++) {
    const ts = performance.now();
    const r = await trainer.trainEpoch();
    const tv = performance.now();
    const val = await trainer.evaluate('val');
    const end = performance.now();
    perEpoch.push({ trainMs: tv - ts, valMs: end - tv, loss: r.trainLoss, trainF1: r.trainAcc, valF1: val.acc });
    console.log(`epoch ${e + 1}: training ${((tv - ts) / 1000).toFixed(1)} s (${trainer.stepsPerEpoch} batches), validation ${((end - tv) / 1000).toFixed(1)} s, loss ${r.trainLoss.toFixed(4)}, micro-F1 train ${r.trainAcc.toFixed(3)} val ${val.acc.toFixed(3)}`);
  }
  trainer.dispose();
  const trainMs = perEpoch.reduce((a, p) => a + p.trainMs, 0);
  const totalMs = perEpoch.reduce((a, p) => a + p.trainMs + p.valMs, 0);
  const t = trainer.timings;
  const scaling = process.argv.includes('--scaling') ? await threadScaling(graph, config, backend) : undefined;
  const machine = await machineGemm();
  const trainingGflop = (3 * 2 * macs * trainNodes) / 1e9;
  const effectiveGflops = trainingGflop / (trainMs / epochs / 1000);
  const pytorch = process.argv.includes('--pytorch') ? pytorchPeer(dir, route.threads, epochs) : undefined;
  const result = {
    dataset: scale === 'ppi' ? 'ppi-synthetic' : 'ppi-synthetic-small',
    backend: backend.name,
    threads: route.threads,
    route,
    engine: route.engine,
    hotKernels: route.kernels,
    gemmThreads: route.gemmThreads,
    nodes: graph.numNodes,
    trainNodes,
    epochs,
    msPerTrainingEpoch: Math.round(trainMs / epochs),
    msPerEpochWithValidation: Math.round(totalMs / epochs),
    // Forward + backward ≈ 3 × forward; every multiply-add is 2 floating-point operations.
    trainingGflopPerEpoch: Math.round((3 * 2 * macs * trainNodes) / 1e9),
    effectiveGflops: Number(effectiveGflops.toFixed(1)),
    // The machine's own float32 GEMM with every core (onnxruntime's MLAS), measured in this run, and how near it an epoch runs.
    machineGemmGflops: machine?.gflops ?? null,
    machineGemm: machine ?? 'onnxruntime-node is not available here: no native GEMM to measure the floor with',
    floorFraction: machine ? Number((effectiveGflops / machine.gflops).toFixed(3)) : null,
    denseProductsGflops: t.products > 0 ? Number((denseGflopPerEpoch(config, graph.numFeatures, graph.numClasses, trainNodes) / (t.products / epochs / 1000)).toFixed(1)) : null,
    split: {
      denseProductsMs: Math.round(t.products / epochs),
      optimizerMs: Math.round(t.optimizer / epochs),
      batchingMs: Math.round(t.batching / epochs),
      attentionAndRestMs: Math.round((totalMs - t.products - t.optimizer - t.batching) / epochs),
    },
    lastTrainMicroF1: Number(perEpoch[perEpoch.length - 1].trainF1.toFixed(4)),
    lastValMicroF1: Number(perEpoch[perEpoch.length - 1].valF1.toFixed(4)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    modelBytes: parameterBytes(graph, config),
    ...(scaling ? { scaling } : {}),
    ...(pytorch ? { pytorch, speedupVsPytorch: Number((pytorch.msPerTrainingEpoch / (trainMs / epochs)).toFixed(2)) } : {}),
  };
  console.log(JSON.stringify(result));
}

/** The machine's best large square float32 GEMM on every core, through the native library; null without it. */
async function machineGemm(): Promise<MachineGemm | null> {
  const runtime = loadOnnxRuntime();
  if (typeof runtime === 'string') return null;
  const m = await machineGemmGflops(runtime);
  console.log(`machine GEMM: ${m.gflops} GFLOP/s (${m.size}³ float32 on ${m.threads} threads, onnxruntime)`);
  return m;
}

/**
 * GFLOP of the dense products of one training epoch: the projections (and skip projections) of every
 * layer but the first, which the fused kernels run (model/fusedEngine.ts usesGemm), forward and both
 * backward products.
 */
function denseGflopPerEpoch(config: TrainConfig, features: number, labels: number, trainNodes: number): number {
  const firstLayer = 2 * features * config.heads[0] * config.hidden[0];
  return (3 * 2 * (forwardMacsPerNode(config, features, labels) - firstLayer) * trainNodes) / 1e9;
}

/** 1, 2, 4, … threads and every core: ms of one training epoch each (a fresh session per count). */
async function threadScaling(graph: GraphDataset, config: TrainConfig, backend: SelectedBackend): Promise<Array<{ threads: number; msPerTrainingEpoch: number }>> {
  const all = availableParallelism();
  const counts = [...new Set([...Array.from({ length: Math.floor(Math.log2(all)) + 1 }, (_, i) => 2 ** i), all])].sort((a, b) => a - b);
  const out = [];
  for (const threads of counts) {
    const t = await createTrainer(graph, { ...config, threads }, backend);
    const t0 = performance.now();
    await t.trainEpoch();
    const ms = Math.round(performance.now() - t0);
    out.push({ threads: t.threads, msPerTrainingEpoch: ms });
    console.log(`scaling: ${t.threads} threads, ${(ms / 1000).toFixed(1)} s per training epoch`);
    t.dispose();
  }
  return out;
}

/** The PyTorch peer on the same folder and threads; its BLAS is not held to AVX2 (the machine's OPENBLAS_* unset). */
function pytorchPeer(dir: string, threads: number, epochs: number): Record<string, unknown> & { msPerTrainingEpoch: number } {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(pythonWith('torch'), [path.resolve('test', 'reference', 'pytorchGatPpi.py'), '--data', dir, '--epochs', String(epochs), '--threads', String(threads), '--json'], { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0) throw new Error(`the PyTorch reference failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  const result = JSON.parse(last) as Record<string, unknown> & { msPerTrainingEpoch: number };
  console.log(`pytorch: ${(result.msPerTrainingEpoch / 1000).toFixed(1)} s per training epoch on ${String(result.threads)} threads (${String(result.blas)} BLAS)`);
  return result;
}
