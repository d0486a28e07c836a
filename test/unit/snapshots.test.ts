/**
 * Training snapshots (`gat train --snapshots K`): the schedule, and through the real CLI that a
 * snapshot is `gat analyze` of the matching checkpoint (floats rounded to F16, everything else
 * exact), that taking them leaves training unchanged, and that PPI-format runs snapshot one graph.
 */
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readAnalysis, type Analysis } from '../../src/gat/artifacts/analysis';
import { ArtifactReadError } from '../../src/gat/artifacts/artifactRead';
import { roundToFloat16 } from '../../src/gat/artifacts/float16';
import { readMetrics, readRun } from '../../src/gat/artifacts/runRecord';
import { listSnapshots, readSnapshot, snapshotFile, snapshotSchedule } from '../../src/gat/artifacts/snapshots';
import { runGat } from '../helpers/cli';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

/** The training numbers of every epoch, without its wall time. */
async function curve(runDir: string): Promise<string> {
  return JSON.stringify((await readMetrics(runDir)).map(({ ms: _ms, ...m }) => m));
}

function assertSnapshotOf(snapshot: Analysis, full: Analysis, what: string): void {
  assert.equal(snapshot.numNodes, full.numNodes);
  assert.deepEqual(snapshot.heads, full.heads);
  for (const key of ['predictions', 'edgeSource', 'edgeTarget', 'labels', 'split'] as const) assert.deepEqual(snapshot[key], full[key], `${what}: ${key} differ`);
  assert.deepEqual(snapshot.outputs, roundToFloat16(full.outputs), `${what}: outputs are not the analysis' rounded to F16`);
  assert.deepEqual(snapshot.confidence, roundToFloat16(full.confidence), `${what}: confidence`);
  full.attention.forEach((a, l) => assert.deepEqual(snapshot.attention[l], roundToFloat16(a), `${what}: attention of layer ${l + 1}`));
  full.entropy.forEach((e, l) => assert.deepEqual(snapshot.entropy[l], roundToFloat16(e), `${what}: entropy of layer ${l + 1}`));
}

describe('snapshotSchedule', () => {
  it('spreads K distinct epochs log-spaced from 1 to the maximum', () => {
    for (const [max, k] of [[10_000, 32], [200, 32], [40, 6], [5, 32], [1000, 2], [7, 1]] as const) {
      const s = snapshotSchedule(max, k);
      assert.equal(s.length, Math.min(k, max), `${k} of ${max}: ${s.join(',')}`);
      assert.ok(s.every((e, i) => Number.isInteger(e) && e >= 1 && e <= max && (i === 0 || e > s[i - 1])), `not increasing within 1..${max}: ${s.join(',')}`);
      assert.equal(s.at(-1), max);
      if (s.length > 1) assert.equal(s[0], 1);
    }
    // log-spaced: at 32 of 10,000 the first half of the snapshots covers 2 % of the epochs
    const s = snapshotSchedule(10_000, 32);
    assert.ok(s[15] <= 200, `the 16th snapshot is at epoch ${s[15]}`);
    assert.deepEqual(snapshotSchedule(100, 0), []);
  });
});

describe('gat train --snapshots (the real CLI)', () => {
  const flags = ['--checkpoint_freq', '25', '--seed', '5'];
  let withSnapshots = '';
  let runDir = '';
  before(async () => {
    const t = await trainCora(40, 'wasm', { args: [...flags, '--snapshots', '6'] });
    assert.match(t.stdout, /snapshots: 7 epochs, [\d.]+ MB in .*snapshots/);
    ({ out: withSnapshots, runDir } = t);
  });

  it('snapshots the log-spaced epochs and every checkpoint', async () => {
    assert.deepEqual(await listSnapshots(runDir), [...snapshotSchedule(40, 6), 25].sort((a, b) => a - b));
  });

  it('a snapshot is gat analyze of the matching checkpoint, floats rounded to F16', async () => {
    const run = await readRun(runDir);
    const checkpoint = path.join(withSnapshots, run.artifacts.checkpoints.find((c) => c.endsWith('_epoch_25.safetensors'))!);
    const output = path.join(tempDir(), 'epoch25.safetensors');
    const r = await runGat(['analyze', '--model', checkpoint, '--output', output, '--backend', 'wasm']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const snapshot = await readSnapshot(runDir, 25);
    const analysed = await readAnalysis(output);
    assertSnapshotOf(snapshot, analysed, 'epoch 25');
    assert.equal(snapshot.provenance.epoch, 25);
    assert.deepEqual({ ...snapshot.provenance }, { ...analysed.provenance }, 'the same provenance as the checkpoint');
    // and the final analysis differs from an early snapshot: the snapshots follow training
    const first = await readSnapshot(runDir, 1);
    assert.notDeepEqual(first.attention[0], snapshot.attention[0]);
  });

  it('leaves training unchanged: the same metrics, epoch by epoch, as a run without snapshots', async () => {
    const plain = (await trainCora(40, 'wasm', { args: flags })).runDir;
    assert.equal(await curve(plain), await curve(runDir));
    assert.deepEqual(await listSnapshots(plain), []);
  });

  it('refuses a snapshot file renamed to another epoch, naming both', async () => {
    const dir = tempDir();
    const moved = snapshotFile(dir, 3);
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(path.dirname(moved), { recursive: true });
    copyFileSync(snapshotFile(runDir, 2), moved);
    await assert.rejects(readSnapshot(dir, 3), (e: unknown) => e instanceof ArtifactReadError && /holds the model after epoch 2, not 3/.test(e.message));
    renameSync(moved, path.join(path.dirname(moved), 'notes.txt'));
    assert.deepEqual(await listSnapshots(dir), [], 'files not named epoch_<E>.safetensors are not snapshots');
  });
});

describe('gat train --snapshots on a PPI-format dataset', () => {
  const data = tempDir();
  before(() => writeSyntheticPpi(data, { scale: 'tiny', seed: 3 }));

  it('snapshots the first test graph, and training is unchanged', async () => {
    const flags = ['--dataset_name', 'tinyppi', '--data_dir', data, '--checkpoint_freq', '100'];
    const { out, runDir } = await trainCora(4, 'wasm', { args: [...flags, '--snapshots', '3'] });
    const plain = (await trainCora(4, 'wasm', { args: flags })).runDir;
    assert.equal(await curve(plain), await curve(runDir));
    assert.deepEqual(await listSnapshots(runDir), snapshotSchedule(4, 3));
    const snapshot = await readSnapshot(runDir, 4);
    const run = await readRun(runDir);
    const full = await readAnalysis(path.join(out, run.artifacts.analysis!));
    const test = full.graphs!.find((g) => g.split === 'test')!;
    assert.equal(snapshot.numNodes, test.numNodes, 'one graph: the first test graph');
    assert.ok(snapshot.multiLabel, 'multi-label predictions are kept');
    assert.ok(snapshot.edgeTarget.every((t) => t >= 0 && t < test.numNodes), 'local node ids');
  });
});
