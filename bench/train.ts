/**
 * Full default Cora training per seed (patience 1000, up to 10 000 epochs), test accuracy of the
 * kept model at the end. Prints human-readable lines, then one JSON object as the LAST line.
 * Usage: npm run bench -- --json [--seeds K] [--backend B] [--max-epochs M] [--engine fused|generic] [--threads N] [--attention learned|uniform]
 *        npm run bench -- --dataset ppi-synthetic --json [--epochs K] [--backend B]   (see trainPpi.ts)
 *        npm run bench -- --dataset pubmed-sized --json [--max-epochs K] [--backend B]   (see trainPubmed.ts)
 */
import { selectBackend } from '../src/gat/backend/backends';
import type { BackendChoice } from '../src/gat/backend/registry';
import { loadPlanetoid } from '../src/gat/data/planetoid';
import { DEFAULT_TRAIN_CONFIG, parameterBytes, type TrainConfig } from '../src/gat/train/trainConfig';
import { createTrainer } from '../src/gat/train/trainer';
import { runTrainingLoop } from '../src/gat/train/trainingLoop';
import { routeOf, type ComputeRoute } from '../src/protocol/computeRoute';
import { benchPpi } from './trainPpi';
import { benchPubmed } from './trainPubmed';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const seeds = Number(option('seeds') ?? 1);
  const maxEpochs = Number(option('max-epochs') ?? 10_000);
  const patience = Number(option('patience') ?? 1000);
  const engine = (option('engine') ?? 'auto') as TrainConfig['engine'];
  const attention = (option('attention') ?? 'learned') as NonNullable<TrainConfig['attention']>;
  const threadsOption = option('threads') === undefined ? undefined : Number(option('threads'));
  const backend = await selectBackend((option('backend') ?? 'auto') as BackendChoice);
  const graph = await loadPlanetoid('cora');
  const setupMs = performance.now() - t0;
  console.log(`back end: ${backend.name} (${backend.detail})`);
  for (const [name, why] of Object.entries(backend.unavailable)) console.log(`  skipped ${name}: ${why}`);

  const runs: { epochs: number; msPerEpoch: number; wall: number; testAcc: number; bestEpoch: number }[] = [];
  let engineKind = '';
  let hotKernels: string | null = null;
  let threads = 1;
  let route: ComputeRoute | null = null;
  let split: Record<string, number> | null = null;
  for (let seed = 1; seed <= seeds; seed++) {
    const start = performance.now();
    const trainer = await createTrainer(graph, { ...DEFAULT_TRAIN_CONFIG, seed, engine, threads: threadsOption, attention }, backend);
    engineKind = trainer.engine;
    hotKernels = trainer.hotKernels;
    threads = trainer.threads;
    route = routeOf(trainer);
    const loopStart = performance.now();
    const r = await runTrainingLoop(trainer, { maxEpochs, patience });
    const loopMs = performance.now() - loopStart;
    const test = await trainer.evaluate('test');
    if (backend.name === 'webgpu') {
      // Where a GPU epoch goes: uploads, dispatches until done (incl. a 16-byte readback), other readbacks, the optimizer's submit.
      const t = trainer.timings;
      const per = (ms: number): number => Number((ms / Math.max(1, r.epochs)).toFixed(3));
      split = { uploadMsPerEpoch: per(t.upload), kernelsMsPerEpoch: per(t.kernels), readbackMsPerEpoch: per(t.readback), optimizerSubmitMsPerEpoch: per(t.optimizer) };
    }
    trainer.dispose();
    const wall = (performance.now() - start + (seed === 1 ? setupMs : 0)) / 1000;
    runs.push({ epochs: r.epochs, msPerEpoch: loopMs / Math.max(1, r.epochs), wall, testAcc: test.acc, bestEpoch: r.bestEpoch });
    console.log(
      `seed ${seed}: ${r.epochs} epochs (${r.stoppedBy}), ${(loopMs / Math.max(1, r.epochs)).toFixed(2)} ms/epoch, ` +
        `${wall.toFixed(2)} s, best val acc ${(100 * r.bestValAcc).toFixed(1)} % at epoch ${r.bestEpoch}, test acc ${(100 * test.acc).toFixed(1)} %`,
    );
  }
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const accs = runs.map((r) => 100 * r.testAcc);
  const accMean = mean(accs);
  const accStd = Math.sqrt(mean(accs.map((a) => (a - accMean) ** 2)));
  const result = {
    attention,
    backend: backend.name,
    engine: engineKind,
    hotKernels,
    threads,
    route,
    seeds,
    epochs: mean(runs.map((r) => r.epochs)),
    msPerEpoch: Number((runs.reduce((a, r) => a + r.msPerEpoch * r.epochs, 0) / runs.reduce((a, r) => a + r.epochs, 0)).toFixed(3)),
    wallSeconds: Number(mean(runs.map((r) => r.wall)).toFixed(3)),
    testAccuracyMean: Number(accMean.toFixed(2)),
    testAccuracyStd: Number(accStd.toFixed(2)),
    testAccuracies: accs.map((a) => Number(a.toFixed(1))),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    modelBytes: parameterBytes(graph, { ...DEFAULT_TRAIN_CONFIG, attention }),
    ...(backend.name === 'webgpu' ? { adapter: backend.detail, split } : {}),
  };
  console.log(JSON.stringify(result));
}

const dataset = option('dataset') ?? 'cora';
if (dataset !== 'cora' && dataset !== 'ppi-synthetic' && dataset !== 'pubmed-sized') {
  console.error(`--dataset is cora, ppi-synthetic or pubmed-sized, not '${dataset}'`);
  process.exit(2);
}
(dataset === 'ppi-synthetic' ? benchPpi() : dataset === 'pubmed-sized' ? benchPubmed() : main()).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
