/**
 * The one definition of where a run's files live, shared by the CLI, the training process and the
 * extension. Under the output folder (`--out`, default the current folder):
 *
 *   runs/<run-id>/run.json                                   what the run was and how it ended
 *   runs/<run-id>/metrics.jsonl                              one EpochMetrics per line
 *   runs/<run-id>/events.out.tfevents.<unix-s>.<host>        TensorBoard scalars (`tensorboard --logdir=runs`)
 *   runs/<run-id>/analysis.safetensors                       outputs, attention, entropy
 *   models/checkpoints/<run-id>/gat_<dataset>_ckpt_epoch_<E>.safetensors
 *   models/binaries/gat_<dataset>_<run-id>.safetensors       the final model
 *
 * Checkpoints get a per-run sub-folder so runs never overwrite each other's epochs while keeping
 * pytorch-GAT's file names.
 */
import * as path from 'node:path';

export interface RunPaths {
  readonly outDir: string;
  readonly runId: string;
  readonly dataset: string;
  readonly runsDir: string;
  readonly runDir: string;
  readonly runJson: string;
  readonly metrics: string;
  readonly analysis: string;
  readonly checkpointDir: string;
  readonly binary: string;
  checkpoint(epoch: number): string;
}

export function runPaths(outDir: string, runId: string, dataset: string): RunPaths {
  const out = path.resolve(outDir);
  const runsDir = path.join(out, 'runs');
  const runDir = path.join(runsDir, runId);
  const checkpointDir = path.join(out, 'models', 'checkpoints', runId);
  const ds = safeName(dataset);
  return {
    outDir: out,
    runId,
    dataset: ds,
    runsDir,
    runDir,
    runJson: path.join(runDir, 'run.json'),
    metrics: path.join(runDir, 'metrics.jsonl'),
    analysis: path.join(runDir, 'analysis.safetensors'),
    checkpointDir,
    binary: path.join(out, 'models', 'binaries', `gat_${ds}_${runId}.safetensors`),
    checkpoint: (epoch: number) => path.join(checkpointDir, `gat_${ds}_ckpt_epoch_${epoch}.safetensors`),
  };
}

/** `2026-11-25T01-02-03Z-cora-s42`: sorts by start time and reads at a glance (no ':' for Windows). */
/** `tag` replaces the seed part: an imported model is `…-cora-imported`. */
export function makeRunId(startedAt: Date, dataset: string, seed: number, tag?: 'imported'): string {
  const stamp = startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  return `${stamp}-${safeName(dataset)}-${tag ?? `s${seed}`}`;
}

/**
 * Whether `id` can name a run folder: what makeRunId makes (letters, digits, '-', '_', '.'), starting
 * with a letter or digit, at most 200 characters, and never '..' (so `runs/<id>` stays in runs/).
 */
export function isSafeRunId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(id) && !id.includes('..');
}

/**
 * Why `rel` cannot be a path relative to the output folder as run.json stores them (relative,
 * '/'-separated, no '..' segments), or undefined when it can: a path from a file we were handed must
 * never lead outside the output folder.
 */
export function unsafeRelativePath(rel: string): string | undefined {
  if (rel === '') return 'is empty';
  if (hasControlCharacter(rel)) return 'has a control character';
  if (rel.includes('\\')) return 'has a backslash';
  if (rel.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(rel)) return 'starts with a drive letter';
  const segments = rel.split('/');
  if (segments.includes('..')) return "has a '..' segment";
  if (segments.some((s) => s === '' || s === '.')) return "has an empty or '.' segment";
  return undefined;
}

/** Whether `s` holds a C0 control character (NUL, newline, …) or DEL. */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** A path relative to the output folder with '/' separators, as stored in run.json. */
export function relativeToOut(paths: Pick<RunPaths, 'outDir'>, absolute: string): string {
  return path.relative(paths.outDir, absolute).split(path.sep).join('/');
}

function safeName(s: string): string {
  const clean = s.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
  return clean.length > 0 ? clean : 'dataset';
}
