import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { readRun, type RunRecord } from '../../src/gat/artifacts/runRecord';
import { panelProvenance } from '../../src/gat/panels/provenance';
import type { Provenance } from '../../src/protocol/webviewMessages';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

/** A Cora run trained for the panels to draw, and where it is. */
export interface TrainedCora {
  /** The training output folder (runs/<run-id>/ below it). */
  readonly out: string;
  readonly runId: string;
  readonly runDir: string;
  readonly run: RunRecord;
  readonly cora: GraphDataset;
  /** The panels' header for this run. */
  readonly provenance: Provenance;
}

/** Trains Cora for 30 epochs through the real CLI (`flags`: the back end, snapshots, …), for real artifacts. */
export async function trainedCora(flags: readonly string[], out = tempDir()): Promise<TrainedCora> {
  const r = await runGat(['train', '--num-of-epochs', '30', ...flags, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const runId = readdirSync(path.join(out, 'runs')).filter((d) => !d.startsWith('.'))[0];
  const runDir = path.join(out, 'runs', runId);
  const run = await readRun(runDir);
  const cora = await loadPlanetoid('cora');
  return { out, runId, runDir, run, cora, provenance: panelProvenance(cora, run, out) };
}
