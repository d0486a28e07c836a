/**
 * The set-up of the tests that need a real trained run: `gat train` (the real CLI, bin/gat.js →
 * dist/cli.js) on Cora for a few epochs into a fresh folder, then the run's folder, record and
 * analysis artifact. Deterministic: the same epochs, back end and flags give the same run.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { readAnalysis, type Analysis } from '../../src/gat/artifacts/analysis';
import { readRun, type RunRecord } from '../../src/gat/artifacts/runRecord';
import { runGat } from './cli';
import { tempDir } from './tempDir';

export interface TrainedRun {
  readonly out: string; // the --out folder
  readonly runId: string;
  readonly runDir: string; // <out>/runs/<runId>
  readonly stdout: string;
}

export interface TrainOptions {
  /** Flags after the epochs and back end (e.g. --snapshots 3, --seed 5, or another dataset). */
  readonly args?: readonly string[];
  /** The --out folder; a fresh temp folder when left out (make it at suite level to keep it for every test). */
  readonly out?: string;
}

/** The ids of the runs under `out`, sorted (oldest first; hidden entries such as the lock left out). */
export function runIds(out: string): string[] {
  return readdirSync(path.join(out, 'runs')).filter((d) => !d.startsWith('.')).sort();
}

/** The folders of the runs under `out`, sorted as runIds. */
export function runDirs(out: string): string[] {
  return runIds(out).map((id) => path.join(out, 'runs', id));
}

/** Trains Cora for `epochs` on `backend` through the real CLI and returns the one new run. */
export async function trainCora(epochs: number, backend: 'cpu' | 'wasm', o: TrainOptions = {}): Promise<TrainedRun> {
  const out = o.out ?? tempDir();
  const before = new Set(existsSync(path.join(out, 'runs')) ? runIds(out) : []);
  const r = await runGat(['train', '--num-of-epochs', String(epochs), '--backend', backend, ...(o.args ?? []), '--out', out]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const fresh = runIds(out).filter((id) => !before.has(id));
  assert.equal(fresh.length, 1, `one new run: ${fresh.join(', ')}`);
  return { out, runId: fresh[0], runDir: path.join(out, 'runs', fresh[0]), stdout: r.stdout };
}

/** The run's record and its analysis artifact (attention, outputs, entropy). */
export async function readTrained(t: TrainedRun): Promise<{ run: RunRecord; analysis: Analysis }> {
  const run = await readRun(t.runDir);
  return { run, analysis: await readAnalysis(path.join(t.out, run.artifacts.analysis!)) };
}

