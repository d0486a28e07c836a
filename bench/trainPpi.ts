/**
 * PPI-sized training epochs on a synthetic PPI-format dataset with PPI's exact sizes (20 training
 * graphs of 44,906 nodes, 2 + 2 of 6,514 and 5,524; mean degree 28; 50 features; 121 labels),
 * generated once into out/bench/ppi-synthetic and read through the real loader. The model is
 * pytorch-GAT's PPI recipe. Prints one line per epoch, then one JSON object as the LAST line.
 * Usage: npm run bench -- --dataset ppi-synthetic --json [--epochs K] [--backend B] [--gemm-threads 1|2]
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { selectBackend } from '../src/gat/backend/backends';
import type { BackendChoice } from '../src/gat/backend/registry';
import { loadDataset } from '../src/gat/data/loadDataset';
import { PPI_RECIPE } from '../src/gat/train/recipes';
import { DEFAULT_TRAIN_CONFIG, parameterBytes, type TrainConfig } from '../src/gat/train/trainConfig';
import { createTrainer } from '../src/gat/train/trainer';
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
  const dir = path.resolve('out', 'bench', 'ppi-synthetic');
  const t0 = performance.now();
  if (!existsSync(path.join(dir, 'test_graph_id.npy'))) {
    console.log(`generating the synthetic PPI-sized dataset in ${dir} (once)…`);
    writeSyntheticPpi(dir, { scale: 'ppi', seed: 7 });
  }
  const graph = await loadDataset('ppi-synthetic', { dataDir: dir });
  const loadMs = performance.now() - t0;
  const backend = await selectBackend((option('backend') ?? 'auto') as BackendChoice);
  console.log(`back end: ${backend.name} (${backend.detail}); ${graph.numNodes} nodes, ${graph.edgeSource.length / 2} undirected edges, ${graph.graphs?.length} graphs, loaded in ${(loadMs / 1000).toFixed(1)} s`);
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, heads: PPI_RECIPE.heads, hidden: PPI_RECIPE.hidden, dropout: PPI_RECIPE.dropout, weightDecay: PPI_RECIPE.weightDecay, skipConnection: true, batchSize: PPI_RECIPE.batchSize, seed: 1, ...(option('gemm-threads') ? { gemmThreads: Number(option('gemm-threads')) } : {}) };
  const trainer = await createTrainer(graph, config, backend);
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
  const trainMs = perEpoch.reduce((a, p) => a + p.trainMs, 0);
  const totalMs = perEpoch.reduce((a, p) => a + p.trainMs + p.valMs, 0);
  const t = trainer.timings;
  const result = {
    dataset: 'ppi-synthetic',
    backend: backend.name,
    engine: trainer.engine,
    hotKernels: trainer.hotKernels,
    gemmThreads: trainer.gemmThreads,
    nodes: graph.numNodes,
    trainNodes,
    epochs,
    msPerTrainingEpoch: Math.round(trainMs / epochs),
    msPerEpochWithValidation: Math.round(totalMs / epochs),
    // Forward + backward ≈ 3 × forward; every multiply-add is 2 floating-point operations.
    trainingGflopPerEpoch: Math.round((3 * 2 * macs * trainNodes) / 1e9),
    effectiveGflops: Number(((3 * 2 * macs * trainNodes) / (trainMs / epochs) / 1e6).toFixed(1)),
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
  };
  trainer.dispose();
  console.log(JSON.stringify(result));
}
