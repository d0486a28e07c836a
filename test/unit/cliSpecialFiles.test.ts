/**
 * Special files where the real CLI expects a file (issue 25, items 2 and 3): a model, a --resume
 * checkpoint and a PPI-format train_feats.npy that is a link to /dev/zero or a FIFO, and folders
 * where SHA256SUMS or metrics.jsonl should be. Each ends at once in one line naming the path and
 * what it is, with the documented exit code, and the process stays small (a /dev/zero read grew
 * without bound before).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RunWriter } from '../../src/gat/artifacts/runWriter';
import { runGatMeasured } from '../helpers/peakRss';
import { writePpiFolder } from '../helpers/ppiFixture';
import { tempDir } from '../helpers/tempDir';

/** A hostile file is refused before it is read: the CLI stays near its ~65 MiB start-up size. */
const PEAK_RSS_CEILING_MIB = 150;
/** Refusals come at the open; a FIFO read would block and a /dev/zero read would never end. */
const TIMEOUT_MS = 30_000;

type Special = 'link to /dev/zero' | 'FIFO';

function makeSpecial(file: string, kind: Special): void {
  rmSync(file, { force: true });
  if (kind === 'FIFO') execFileSync('mkfifo', [file]);
  else symlinkSync('/dev/zero', file);
}

const WHAT: Record<Special, string> = { 'link to /dev/zero': 'a character device (a link to /dev/zero)', FIFO: 'a FIFO (named pipe)' };

/** The CLI's exact stderr, its exit code, and a small peak. */
async function expectOneLine(args: readonly string[], code: number, stderr: string): Promise<void> {
  const r = await runGatMeasured(args, { timeoutMs: TIMEOUT_MS });
  assert.equal(r.signal, null, `gat ${args.join(' ')} did not finish in ${TIMEOUT_MS} ms`);
  assert.equal(r.stderr, stderr);
  assert.equal(r.code, code);
  assert.equal(r.stdout, '');
  assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < PEAK_RSS_CEILING_MIB, `peak RSS ${r.peakRssMiB?.toFixed(0)} MiB, over ${PEAK_RSS_CEILING_MIB} MiB`);
}

describe('gat refuses special files where it expects a file (the real CLI)', () => {
  const dir = tempDir('gat-special-');

  for (const kind of ['link to /dev/zero', 'FIFO'] as const) {
    it(`a model file that is a ${kind}: exit 2`, async () => {
      const model = path.join(dir, `model-${kind === 'FIFO' ? 'fifo' : 'zero'}.pth`);
      makeSpecial(model, kind);
      await expectOneLine(['inspect', '--model', model], 2, `gat inspect: error: ${model} is ${WHAT[kind]}, not a file\n`);
    });

    it(`a --resume checkpoint that is a ${kind}: exit 2, saying how to go on`, async () => {
      const checkpoint = path.join(dir, `checkpoint-${kind === 'FIFO' ? 'fifo' : 'zero'}.safetensors`);
      makeSpecial(checkpoint, kind);
      const out = tempDir('gat-special-out-');
      await expectOneLine(
        ['train', '--resume', checkpoint, '--out', out, '--num-of-epochs', '1'],
        2,
        `gat train: error: ${checkpoint} is ${WHAT[kind]}, not a file. Pick another checkpoint from models/checkpoints/, or train without --resume.\n`,
      );
    });

    it(`a PPI-format train_feats.npy that is a ${kind}: exit 3`, async () => {
      const data = tempDir('gat-special-ppi-');
      writePpiFolder(data, { graphs: { train: 1, valid: 1, test: 1 }, minNodes: 3, maxNodes: 6, features: 2, labels: 2 });
      const feats = path.join(data, 'train_feats.npy');
      makeSpecial(feats, kind);
      await expectOneLine(['inspect', '--dataset-name', 'mine', '--data-dir', data], 3, `gat inspect: error: ${feats} is ${WHAT[kind]}, not a file\n`);
    });
  }

  it('a SHA256SUMS that is a folder: exit 3, saying what it should be', async () => {
    const data = tempDir('gat-special-sums-');
    writePpiFolder(data, { graphs: { train: 1, valid: 1, test: 1 }, minNodes: 3, maxNodes: 6, features: 2, labels: 2 });
    const sums = path.join(data, 'SHA256SUMS');
    mkdirSync(sums);
    await expectOneLine(
      ['inspect', '--dataset-name', 'mine', '--data-dir', data],
      3,
      `gat inspect: error: ${sums} is a folder, not a file: it should list each dataset file's SHA-256 (sha256sum FILES > SHA256SUMS); replace it, or remove it to load the files unverified\n`,
    );
  });

  it("a run's metrics.jsonl that is a folder: gat compare exits 2", async () => {
    const out = tempDir('gat-special-runs-');
    const runs: string[] = [];
    for (const seed of [1, 2]) {
      const run = await RunWriter.create({ outDir: out, dataset: 'cora', seed, config: {}, backend: 'cpu', provenance: null, commandLine: ['gat', 'train'] });
      await run.appendEpoch({ epoch: 0, trainLoss: 1.9, trainAcc: 0.2, valLoss: 1.9, valAcc: 0.3, ms: 5 });
      await run.finish('completed');
      runs.push(run.paths.runDir);
    }
    const metrics = path.join(runs[1], 'metrics.jsonl');
    rmSync(metrics);
    mkdirSync(metrics);
    await expectOneLine(['compare', runs[0], runs[1]], 2, `gat compare: error: ${metrics} is a folder, not a file: the run folder is damaged\n`);
  });
});
