/**
 * Training snapshots: the analysis of the model at chosen epochs, so the panels can show attention,
 * entropy, predictions and embeddings changing while the model learns.
 *
 *   runs/<run-id>/snapshots/epoch_<E>.safetensors   the analysis after E epochs (float tensors F16)
 *
 * E counts finished epochs, as checkpoint names do, so `gat analyze --model …ckpt_epoch_<E>…` gives
 * the same numbers (before the F16 rounding). Inductive datasets (PPI) snapshot the graph the panels
 * open on (the first test graph): a whole-PPI analysis is ~80 MB, one graph's ~3 MB.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ArtifactReadError } from './artifactRead';
import { readAnalysis, type Analysis } from './analysis';

export const SNAPSHOT_DIR = 'snapshots';
/** The most snapshots a run takes on the log-spaced schedule (checkpoint epochs come on top). */
export const MAX_SNAPSHOTS = 256;
const FILE = /^epoch_([1-9]\d{0,6})\.safetensors$/;

export function snapshotDir(runDir: string): string {
  return path.join(runDir, SNAPSHOT_DIR);
}

export function snapshotFile(runDir: string, epoch: number): string {
  return path.join(snapshotDir(runDir), `epoch_${epoch}.safetensors`);
}

/**
 * `count` epochs from 1 to `maxEpochs`, log-spaced so the fast early changes get most of them,
 * without repeats (the densest start is 1, 2, 3, …), always including 1 and `maxEpochs`.
 */
export function snapshotSchedule(maxEpochs: number, count: number): number[] {
  const want = Math.min(count, maxEpochs);
  if (want <= 0) return [];
  if (want === 1) return [maxEpochs];
  const chosen = new Set<number>();
  // Spread `points` log-spaced points; rounding merges the early ones, so spread more until enough differ.
  for (let points = want; chosen.size < want; points++) {
    chosen.clear();
    for (let i = 0; i < points; i++) chosen.add(Math.round(Math.exp((Math.log(maxEpochs) * i) / (points - 1))));
    if (chosen.size > want) {
      // One step too many: drop the points nearest their neighbour in log scale, keeping both ends.
      const sorted = [...chosen].sort((a, b) => a - b);
      while (sorted.length > want) {
        let worst = 1;
        for (let k = 2; k < sorted.length - 1; k++) if (Math.log(sorted[k + 1] / sorted[k - 1]) < Math.log(sorted[worst + 1] / sorted[worst - 1])) worst = k;
        sorted.splice(worst, 1);
      }
      return sorted;
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

/** The epochs a run has snapshots of, ascending; none if it has no snapshot folder. Other files are ignored. */
export async function listSnapshots(runDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(snapshotDir(runDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((n) => FILE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** The snapshot after `epoch` epochs, checked to be of that epoch. */
export async function readSnapshot(runDir: string, epoch: number): Promise<Analysis> {
  const file = snapshotFile(runDir, epoch);
  const a = await readAnalysis(file);
  if (a.provenance.epoch !== epoch) throw new ArtifactReadError(file, `${file} holds the model after epoch ${a.provenance.epoch ?? 'unknown'}, not ${epoch}: the file was renamed or replaced. Delete it, or train again with --snapshots.`);
  return a;
}
