/**
 * `gat train --model gatv2` through the real CLI: it learns Cora on the generic engine (cpu back
 * end), records the model in run.json, the provenance and the tensors' PyG names, resumes exactly
 * from its checkpoint, gat analyze recomputes it on a back end it picks for the model; and every way
 * of asking for what is not there is refused with one line: an unknown model (flag or spec), a back
 * end without GATv2, --share_weights on GAT, a checkpoint resumed as the other model, gat explain.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readCheckpoint, readModelBinary, writeCheckpoint } from '../../src/gat/artifacts/checkpoint';
import { parseProvenance } from '../../src/gat/artifacts/provenance';
import { readMetrics, readRun, type RunRecord } from '../../src/gat/artifacts/runRecord';
import { loadDataset } from '../../src/gat/data/loadDataset';
import { runGat, type CliResult } from '../helpers/cli';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { tempDir } from '../helpers/tempDir';
import { runDirs, trainCora, type TrainedRun } from '../helpers/trainedCora';

const EPOCHS = 40;
const FLAGS = ['--model', 'gatv2', '--seed', '3', '--checkpoint_freq', '20'];

/** One line on stderr, no stack trace. */
function assertOneLine(r: CliResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr + r.stdout);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

describe('gat train --model gatv2', () => {
  let trained: TrainedRun;
  let run: RunRecord;

  before(async () => {
    trained = await trainCora(EPOCHS, 'cpu', { args: [...FLAGS, '--should_test'] });
    run = await readRun(trained.runDir);
  });

  it(`learns Cora in ${EPOCHS} epochs: test accuracy well above the majority class's share`, async () => {
    const cora = await loadDataset('cora');
    const counts = new Map<number, number>();
    for (const i of cora.split.test) counts.set(cora.labels[i], (counts.get(cora.labels[i]) ?? 0) + 1);
    const majority = Math.max(...counts.values()) / cora.split.test.length;
    assert.ok(run.testAcc !== null && run.testAcc > 2 * majority, `test accuracy ${run.testAcc} against the majority class's ${majority.toFixed(3)}`);
    const metrics = await readMetrics(trained.runDir);
    assert.equal(metrics.length, EPOCHS);
    assert.ok(metrics[EPOCHS - 1].trainLoss < metrics[0].trainLoss, 'the training loss fell');
    assert.match(trained.stdout, /Training GATv2 on cora with back end cpu/);
    assert.match(trained.stdout, /compute: generic TensorFlow\.js ops/);
  });

  it("records the model in run.json and the provenance, and stores PyG GATv2Conv's tensors", async () => {
    assert.equal((run.config as { model?: string }).model, 'gatv2');
    const binary = await readModelBinary(path.join(trained.out, run.artifacts.binary!));
    assert.equal((parseProvenance(binary.metadata).config as { model?: string }).model, 'gatv2');
    assert.deepEqual(binary.params.map((p) => p.name).sort(), [
      'gat_net.0.att', 'gat_net.0.bias', 'gat_net.0.lin_l.bias', 'gat_net.0.lin_l.weight', 'gat_net.0.lin_r.bias', 'gat_net.0.lin_r.weight',
      'gat_net.1.att', 'gat_net.1.bias', 'gat_net.1.lin_l.bias', 'gat_net.1.lin_l.weight', 'gat_net.1.lin_r.bias', 'gat_net.1.lin_r.weight',
    ]);
    const ckpt = await readCheckpoint(path.join(trained.out, run.artifacts.checkpoints[0]));
    assert.ok(ckpt.optimizer.tensors.some((t) => t.name.endsWith('gat_net.0.lin_r.weight')), 'Adam moments under the same names');
  });

  it('resumes exactly: epochs 21 to 40 from the epoch-20 checkpoint give the straight run\'s metrics', async () => {
    const ckpt = run.artifacts.checkpoints.find((c) => c.endsWith('_epoch_20.safetensors'));
    assert.ok(ckpt, `an epoch-20 checkpoint among ${run.artifacts.checkpoints.join(', ')}`);
    const out = tempDir();
    const r = await runGat(['train', '--backend', 'cpu', '--num_of_epochs', String(EPOCHS), '--resume', path.join(trained.out, ckpt), '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Training GATv2 on cora/, 'the checkpoint\'s model, without --model');
    const strip = (m: Awaited<ReturnType<typeof readMetrics>>): unknown[] => m.map(({ ms: _ms, ...rest }) => rest);
    assert.deepEqual(strip(await readMetrics(runDirs(out)[0])), strip(await readMetrics(trained.runDir)).slice(20));
  });

  it('gat analyze recomputes the outputs on a back end that trains GATv2 (auto skips the others)', async () => {
    const again = path.join(tempDir(), 'again.safetensors');
    const r = await runGat(['analyze', '--model', path.join(trained.out, run.artifacts.binary!), '--output', again]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const a = await readAnalysis(path.join(trained.out, run.artifacts.analysis!));
    const b = await readAnalysis(again);
    assert.equal(b.attention.length, 2);
    for (let i = 0; i < a.outputs.length; i++) assert.ok(Math.abs(a.outputs[i] - b.outputs[i]) < 1e-5, `output ${i}`);
  });

  it('refuses a GATv2 checkpoint resumed as GAT, and a GAT checkpoint resumed as GATv2, naming both', async () => {
    const v2 = path.join(trained.out, run.artifacts.lastCheckpoint!);
    assertOneLine(await runGat(['train', '--model', 'gat', '--backend', 'cpu', '--resume', v2, '--out', tempDir()]), 2, /is a gatv2 checkpoint: it cannot continue as --model gat/);
    const gat = await trainCora(2, 'cpu', { args: ['--checkpoint_freq', '2'] });
    const gatCkpt = path.join(gat.out, (await readRun(gat.runDir)).artifacts.lastCheckpoint!);
    assertOneLine(await runGat(['train', '--model', 'gatv2', '--backend', 'cpu', '--resume', gatCkpt, '--out', tempDir()]), 2, /is a gat checkpoint: it cannot continue as --model gatv2/);
    assertOneLine(await runGat(['train', '--model', 'gatv2', '--share_weights', '--backend', 'cpu', '--resume', v2, '--out', tempDir()]), 2, /trained with separate W_l and W_r: it cannot continue with --share_weights/);
    // A checkpoint whose config names a model this version does not know.
    const ckpt = await readCheckpoint(v2);
    const forged = path.join(tempDir(), 'forged.safetensors');
    await writeCheckpoint(forged, { ...ckpt, metadata: { ...ckpt.metadata, config: JSON.stringify({ ...JSON.parse(ckpt.metadata.config), model: 'gatv9' }) } });
    assertOneLine(await runGat(['train', '--backend', 'cpu', '--resume', forged, '--out', tempDir()]), 2, /records an unknown model 'gatv9' \(this version trains gat, gatv2\)/);
  });

  it('gat explain --importance and gat faithfulness and gat export refuse a GATv2 model with one line', async () => {
    assertOneLine(await runGat(['explain', '--run', trained.runDir, '--node', '0', '--importance', 'saliency']), 2, /edge importance scores GAT layers only so far: this run is a GATv2 model/);
    assertOneLine(await runGat(['faithfulness', '--run', trained.runDir, '--node-ids', '0']), 2, /is a GATv2 model: gat faithfulness scores GAT layers only so far \(gat explain steps through it/);
    const pth = path.join(tempDir(), 'v2.pth');
    assertOneLine(await runGat(['export', '--model', path.join(trained.out, run.artifacts.binary!), '--output', pth]), 2, /is a GATv2 model: the original pytorch-GAT has no GATv2 layer to load it into/);
    assert.ok(!existsSync(pth), 'nothing written');
  });

  it('gat compare shows a GATv2 run against a GAT run, the model among the configuration differences', async () => {
    const gat = await trainCora(2, 'cpu');
    const r = await runGat(['compare', trained.runDir, gat.runDir]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /configuration differences:[\s\S]*model: "gatv2" → —/);
  });
});

describe('gat train --model: what is refused', () => {
  it('an unknown model, on the command line or in a spec, with the values there are', async () => {
    assertOneLine(await runGat(['train', '--model', 'gatv3', '--out', tempDir()]), 2, /--model must be one of gat, gatv2; got 'gatv3'/);
    const dir = tempDir();
    const spec = path.join(dir, 'bad.gat.json');
    writeFileSync(spec, JSON.stringify({ model: 'GATv2' }));
    assertOneLine(await runGat(['train', '--spec', spec, '--out', dir]), 2, new RegExp(`the training spec ${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 'model': .*one of gat, gatv2; got 'GATv2'`));
  });

  for (const backend of ['native', 'wasm', 'webgpu']) {
    it(`--model gatv2 on --backend ${backend}, naming the back ends that train it`, async () => {
      assertOneLine(await runGat(['train', '--model', 'gatv2', '--backend', backend, '--num_of_epochs', '1', '--out', tempDir()]), 5, new RegExp(`--model gatv2 does not run on the ${backend} back end yet \\(it trains gat\\): use --backend tfjs-node-gpu, tfjs-node or cpu`));
    });
  }

  it('--share_weights without --model gatv2', async () => {
    assertOneLine(await runGat(['train', '--share_weights', '--backend', 'cpu', '--num_of_epochs', '1', '--out', tempDir()]), 2, /--share_weights \(W_l = W_r\) is a GATv2 option: add --model gatv2/);
  });

  it('--share_weights trains one map: lin_l only, in a spec as on the command line', async () => {
    const dir = tempDir();
    const spec = path.join(dir, 'v2.gat.json');
    writeFileSync(spec, JSON.stringify({ model: 'gatv2', share_weights: true, num_of_epochs: 2, backend: 'cpu' }));
    const r = await runGat(['train', '--spec', spec, '--out', dir]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const shared = await readRun(runDirs(dir)[0]);
    assert.deepEqual([(shared.config as { model?: string }).model, (shared.config as { shareWeights?: boolean }).shareWeights], ['gatv2', true]);
    const names = (await readModelBinary(path.join(dir, shared.artifacts.binary!))).params.map((p) => p.name);
    assert.ok(names.includes('gat_net.0.lin_l.weight') && !names.some((n) => n.includes('lin_r')), names.join(', '));
  });
});

describe('gat train --model gatv2 on PPI-format data', () => {
  it("trains pytorch-GAT's PPI recipe (3 layers, skip connections, multi-label, batches of graphs) and takes snapshots", async () => {
    const data = tempDir();
    writeSyntheticPpi(data, { scale: 'tiny', seed: 3 });
    const out = tempDir();
    const r = await runGat(['train', '--model', 'gatv2', '--dataset_name', 'tinyppi', '--data_dir', data, '--num_of_epochs', '2', '--snapshots', '2', '--should_test', '--backend', 'cpu', '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const ppi = await readRun(runDirs(out)[0]);
    assert.equal((ppi.config as { model?: string }).model, 'gatv2');
    assert.equal(ppi.metric, 'micro-F1');
    assert.ok(ppi.testAcc !== null && ppi.testAcc > 0 && ppi.testAcc <= 1, `test micro-F1 ${ppi.testAcc}`);
    const names = (await readModelBinary(path.join(out, ppi.artifacts.binary!))).params.map((p) => p.name);
    for (let l = 0; l < 3; l++) for (const t of ['lin_l.weight', 'lin_r.weight', 'att', 'skip_proj.weight']) assert.ok(names.includes(`gat_net.${l}.${t}`), `gat_net.${l}.${t} in ${names.join(', ')}`);
    const a = await readAnalysis(path.join(out, ppi.artifacts.analysis!));
    assert.deepEqual(a.heads, [4, 4, 6]);
    assert.ok(readdirSync(path.join(runDirs(out)[0], 'snapshots')).some((f) => f.endsWith('.safetensors')), 'snapshots written');
  });
});
