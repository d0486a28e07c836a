/**
 * Training at PubMed's size: a generated Planetoid set with PubMed's published counts (the real
 * allx cannot be fetched here; see test/helpers/planetoidSized.ts), trained with the GAT paper's
 * PubMed recipe. Reports ms per epoch (training and validation) and the rest as JSON, last line.
 * Usage: npm run bench -- --dataset pubmed-sized --json [--max-epochs K] [--backend B]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../src/gat/backend/backends';
import type { BackendChoice } from '../src/gat/backend/registry';
import { loadPlanetoid } from '../src/gat/data/planetoid';
import { PUBMED_RECIPE } from '../src/gat/train/recipes';
import { DEFAULT_TRAIN_CONFIG, parameterBytes, type TrainConfig } from '../src/gat/train/trainConfig';
import { createTrainer } from '../src/gat/train/trainer';
import { runTrainingLoop } from '../src/gat/train/trainingLoop';
import { PUBMED_SIZES, writeSizedPlanetoid } from '../test/helpers/planetoidSized';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export async function benchPubmed(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-bench-pubmed-'));
  try {
    writeSizedPlanetoid(dir, PUBMED_SIZES);
    const graph = await loadPlanetoid(PUBMED_SIZES.name, { dataDir: dir });
    const backend = await selectBackend((option('backend') ?? 'wasm') as BackendChoice);
    const maxEpochs = Number(option('max-epochs') ?? 200);
    const r = PUBMED_RECIPE;
    const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, heads: r.heads, hidden: r.hidden, dropout: r.dropout, lr: r.lr, weightDecay: r.weightDecay, seed: 1 };
    const trainer = await createTrainer(graph, config, backend);
    const t0 = performance.now();
    const result = await runTrainingLoop(trainer, { maxEpochs, patience: maxEpochs });
    const loopMs = performance.now() - t0;
    const test = await trainer.evaluate('test');
    const out = {
      dataset: 'pubmed-sized (generated)',
      nodes: graph.numNodes,
      features: graph.numFeatures,
      undirectedEdges: graph.edgeSource.length / 2,
      recipe: { heads: r.heads, hidden: r.hidden, lr: r.lr, weightDecay: r.weightDecay },
      backend: backend.name,
      engine: trainer.engine,
      hotKernels: trainer.hotKernels,
      epochs: result.epochs,
      msPerEpoch: Number((loopMs / Math.max(1, result.epochs)).toFixed(2)),
      bestValAcc: Number(result.bestValAcc.toFixed(4)),
      testAcc: Number(test.acc.toFixed(4)),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      modelBytes: parameterBytes(graph, config),
    };
    trainer.dispose();
    console.log(`${out.epochs} epochs at ${out.msPerEpoch} ms/epoch (training + validation), test acc ${(100 * out.testAcc).toFixed(1)} % on the generated set`);
    console.log(JSON.stringify(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
