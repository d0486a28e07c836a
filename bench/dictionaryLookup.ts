/**
 * DictionaryLookup (issue 28; Brody, Alon and Yahav 2022, §4.1, Figure 3): train and test accuracy
 * of GAT with 1 head, GAT with 8 heads and GATv2 with 1 head, for k = 2, 5, 10 and 20 keys, on the
 * generated datasets (`gat train --dataset_name dictionary-lookup --k K`) with their recipe
 * (recipes.ts), the attention layer's heads set per model (8 heads: 8 × 16 features, the paper's
 * 128 split among them). A run stops when validation accuracy reaches 1 (as the paper's script
 * stops at its criterion's 1.0), by the recipe's patience, or after --epochs; the kept model is the
 * one of lowest validation loss, and its train and test accuracy are measured in eval mode.
 * k = 2 has two permutations only: one trains, the other tests (validation reuses it), so a model
 * can only memorise its training graph (train 1, test 0 for every model: no lookup can be learned
 * from one graph). Measured on 2 shared cores, seed 1: 27 minutes, peak RSS 525 MB.
 * Prints one line per run, then one JSON object as the LAST line.
 * Usage: npm run bench:dictionary -- [--k 2,5,10,20] [--models gat1,gat8,gatv2] [--epochs N] [--gatv2-epochs N] [--seed S]
 */
import { availableParallelism } from 'node:os';
import { selectBackend } from '../src/gat/backend/backends';
import { generateDictionaryLookup, graphCounts } from '../src/gat/data/dictionaryLookup';
import { recipeFor } from '../src/gat/train/recipes';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../src/gat/train/trainConfig';
import { createTrainer } from '../src/gat/train/trainer';
import { runTrainingLoop } from '../src/gat/train/trainingLoop';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const MODELS = {
  gat1: { model: 'gat', heads: 1 },
  gat8: { model: 'gat', heads: 8 },
  gatv2: { model: 'gatv2', heads: 1 },
} as const;
type ModelName = keyof typeof MODELS;

interface RunResult {
  readonly k: number;
  readonly model: ModelName;
  readonly trainAcc: number;
  readonly valAcc: number;
  readonly testAcc: number;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly stoppedBy: string;
  readonly seconds: number;
  readonly engine: string;
}

async function runOne(k: number, name: ModelName, maxEpochs: number, seed: number): Promise<RunResult> {
  const graph = generateDictionaryLookup(k);
  const recipe = recipeFor(graph);
  const { model, heads } = MODELS[name];
  const hidden = recipe.hidden[0] / heads;
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    seed,
    lr: recipe.lr,
    weightDecay: recipe.weightDecay,
    dropout: recipe.dropout,
    heads: [heads, 1],
    hidden: [hidden],
    skipConnection: recipe.skipConnection,
    batchSize: recipe.batchSize,
    threads: 1,
    ...(model === 'gatv2' ? { model: 'gatv2' as const } : {}),
  };
  const backend = await selectBackend('cpu', { model });
  const trainer = await createTrainer(graph, config, backend);
  const t0 = performance.now();
  let solved = false;
  try {
    const result = await runTrainingLoop(trainer, {
      maxEpochs,
      patience: recipe.patiencePeriod,
      shouldStop: () => solved,
      onEpoch: (m) => {
        solved = m.valAcc >= 1;
      },
    });
    const train = await trainer.evaluate('train');
    const val = await trainer.evaluate('val');
    const test = await trainer.evaluate('test');
    const r: RunResult = {
      k, model: name, trainAcc: train.acc, valAcc: val.acc, testAcc: test.acc, epochs: result.epochs, bestEpoch: result.bestEpoch,
      stoppedBy: solved ? 'val accuracy 1' : result.stoppedBy, seconds: (performance.now() - t0) / 1000, engine: trainer.engine,
    };
    console.log(`k=${k} ${name}: train ${r.trainAcc.toFixed(4)}, test ${r.testAcc.toFixed(4)} (val ${r.valAcc.toFixed(4)}; ${r.epochs} epochs, ${r.stoppedBy}, ${r.seconds.toFixed(1)} s, ${r.engine})`);
    return r;
  } finally {
    trainer.dispose();
  }
}

async function main(): Promise<void> {
  const ks = (option('k') ?? '2,5,10,20').split(',').map(Number);
  const models = (option('models') ?? 'gat1,gat8,gatv2').split(',') as ModelName[];
  const epochs = Number(option('epochs') ?? 200);
  const gatv2Epochs = Number(option('gatv2-epochs') ?? 30);
  const seed = Number(option('seed') ?? 1);
  const t0 = performance.now();
  const runs: RunResult[] = [];
  for (const k of ks) for (const m of models) runs.push(await runOne(k, m, MODELS[m].model === 'gatv2' ? gatv2Epochs : epochs, seed));
  const table: Record<string, Record<string, { train: number; test: number }>> = {};
  for (const r of runs) (table[`k=${r.k}`] ??= {})[r.model] = { train: round(r.trainAcc), test: round(r.testAcc) };
  const result = {
    bench: 'dictionary-lookup',
    cores: availableParallelism(),
    seed,
    graphs: Object.fromEntries(ks.map((k) => [`k=${k}`, graphCounts(k)])),
    maxEpochs: { gat: epochs, gatv2: gatv2Epochs },
    table,
    runs,
    targets: { 'k=10': { gatv2: { train: 0.99, test: 0.99 }, gat1: 'well below' } },
    seconds: (performance.now() - t0) / 1000,
  };
  console.log(JSON.stringify(result));
}

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}

void main();
