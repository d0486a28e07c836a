/**
 * Training on the wasm back end does not depend on its kernel thread count: 1, 2 and 3 threads (3
 * divides no row count here) give the same bits for every epoch's metrics, the parameters after the
 * Adam steps, the test metrics and the attention, on Cora and on a PPI-format folder (real files, the
 * real loader, the real worker pool). And the thread count a config may ask for.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { selectBackend, type SelectedBackend } from '../../src/gat/backend/backends';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadDataset } from '../../src/gat/data/loadDataset';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { PPI_RECIPE } from '../../src/gat/train/recipes';
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig, type TrainConfig } from '../../src/gat/train/trainConfig';
import { createTrainer } from '../../src/gat/train/trainer';
import { runTrainingLoop } from '../../src/gat/train/trainingLoop';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { tempDir } from '../helpers/tempDir';

interface Outcome {
  readonly threads: number;
  readonly epochs: unknown[];
  readonly test: { loss: number; acc: number };
  readonly params: number[];
  readonly attention: number[][];
}

/** `epochs` epochs of the training loop on `threads` kernel threads, and what they leave. */
async function train(graph: GraphDataset, config: TrainConfig, backend: SelectedBackend, threads: number, epochs: number): Promise<Outcome> {
  const t = await createTrainer(graph, { ...config, threads }, backend);
  try {
    assert.equal(t.hotKernels, 'wasm-simd');
    const seen: unknown[] = [];
    // Every epoch's metrics but its wall time.
    await runTrainingLoop(t, { maxEpochs: epochs, patience: 1000, onEpoch: ({ ms: _ms, ...m }) => void seen.push(m) });
    const params = (await t.exportParameters()).flatMap((p) => Array.from(p.data));
    const { attention } = await t.analyze();
    return { threads: t.threads, epochs: seen, test: await t.evaluate('test'), params, attention: attention.map((a) => Array.from(a)) };
  } finally {
    t.dispose();
  }
}

function assertSameBits(runs: Outcome[]): void {
  const [one, ...more] = runs;
  for (const r of more) {
    assert.deepEqual(r.epochs, one.epochs, `${r.threads} threads: every epoch's loss and accuracy`);
    assert.deepEqual(r.test, one.test, `${r.threads} threads: test metrics`);
    assert.deepEqual(r.params, one.params, `${r.threads} threads: parameters`);
    r.attention.forEach((a, l) => assert.deepEqual(a, one.attention[l], `${r.threads} threads: attention of layer ${l}`));
  }
}

describe('kernel threads 1, 2 and 3 train the same model', () => {
  let backend: SelectedBackend;
  before(async () => {
    backend = await selectBackend('wasm');
  });

  it('Cora (the paper recipe, 12 epochs): same metrics, parameters and attention, bit for bit', async () => {
    const cora = await loadPlanetoid('cora');
    const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, engine: 'fused' };
    const runs = [];
    for (const threads of [1, 2, 3]) runs.push(await train(cora, config, backend, threads, 12));
    assert.deepEqual(runs.map((r) => r.threads), [1, 2, 3]);
    assertSameBits(runs);
    assert.ok(runs[0].test.acc > 0.3, `Cora learned something in 12 epochs: test accuracy ${runs[0].test.acc}`);
  });

  it('a PPI-format folder (the PPI recipe: 3 layers of 4, 4 and 6 heads, skip connections, batches of 2 graphs): the same, bit for bit', async () => {
    const dir = tempDir();
    writeSyntheticPpi(dir, { scale: 'small', seed: 5 });
    const graph = await loadDataset('smallppi', { dataDir: dir });
    const config: TrainConfig = {
      ...DEFAULT_TRAIN_CONFIG, engine: 'fused', heads: PPI_RECIPE.heads, hidden: PPI_RECIPE.hidden, dropout: PPI_RECIPE.dropout,
      weightDecay: PPI_RECIPE.weightDecay, skipConnection: true, batchSize: PPI_RECIPE.batchSize,
    };
    const runs = [];
    for (const threads of [1, 2, 3]) runs.push(await train(graph, config, backend, threads, 2));
    assertSameBits(runs);
    assert.equal(runs[0].epochs.length, 2);
  });
});

describe('TrainConfig.threads', () => {
  it('takes any integer from 1 to 256 and refuses the rest, naming the field and the value', () => {
    for (const threads of [1, 2, 3, 16, 256]) validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, threads });
    for (const threads of [0, -1, 1.5, 257, Number.NaN]) {
      assert.throws(() => validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, threads }), new RangeError(`invalid training config: threads must be an integer from 1 to 256; got ${threads}`));
    }
  });
});
