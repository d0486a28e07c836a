/**
 * run.json and metrics.jsonl: what a run was, how it ended, and its per-epoch metrics. Readers are
 * forgiving where a kill can leave a mark (a torn last metrics line, a 'running' status whose process
 * is gone) and strict elsewhere.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EpochMetrics, RunStatus } from '../../protocol/trainingEvents';
import { ArtifactReadError } from './artifactRead';
import type { Provenance } from './provenance';

export const RUN_FORMAT = 'gat-explorer/run/1';

/** Paths relative to the output folder, '/'-separated. */
export interface RunArtifacts {
  readonly runJson: string;
  readonly metrics: string;
  readonly checkpoints: readonly string[];
  readonly lastCheckpoint: string | null;
  readonly binary: string | null;
  readonly analysis: string | null;
  readonly events: readonly string[];
}

/** Who is writing the run, so readers can tell a live run from one whose process died. */
export interface RunProcessInfo {
  readonly pid: number;
  readonly hostname: string;
  /** When the writing process started (not the run), to spot a reused pid. */
  readonly startedAt: string;
}

export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly runId: string;
  readonly dataset: string;
  readonly status: RunStatus;
  readonly config: unknown;
  readonly seed: number;
  readonly backend: string;
  readonly provenance: Provenance | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly epochs: number;
  readonly bestValAcc: number | null;
  readonly bestValLoss: number | null;
  readonly testAcc: number | null;
  readonly spec: { readonly path: string; readonly sha256: string } | null;
  readonly resumedFrom: string | null;
  readonly commandLine: readonly string[];
  readonly process: RunProcessInfo;
  readonly artifacts: RunArtifacts;
  readonly error: string | null;
}

/** Process ids get reused: a live pid whose process started more than this far from the recorded start is another process. */
const START_TIME_SLACK_MS = 5_000;

/** When this process started, as stored in run.json. */
export function currentProcessStart(): string {
  return new Date(Date.now() - process.uptime() * 1000).toISOString();
}

/** Start time (ms since the epoch) of a process, from /proc on Linux; null where that cannot be read. */
export function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]); // field 22, starttime
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    const ticksPerSecond = 100; // USER_HZ, 100 on every mainstream Linux
    return Number.isFinite(startTicks) && Number.isFinite(btime) ? (btime + startTicks / ticksPerSecond) * 1000 : null;
  } catch {
    return null;
  }
}

/** Whether the recorded writer of a run is still running here: the pid exists and, where checkable, started when recorded. */
export function isRunProcessAlive(info: RunProcessInfo): boolean {
  if (!isProcessAlive(info.pid)) return false;
  const actual = processStartMs(info.pid);
  const recorded = Date.parse(info.startedAt);
  return actual === null || Number.isNaN(recorded) || Math.abs(actual - recorded) <= START_TIME_SLACK_MS;
}

/** Whether a process with this id exists here (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads run.json. A run that says 'running' but whose process is gone on this host is reported as
 * 'interrupted' (run.json itself is left alone). On another host the status cannot be checked and is kept.
 */
export async function readRun(runDir: string, alive: (info: RunProcessInfo) => boolean = isRunProcessAlive): Promise<RunRecord> {
  const file = path.join(runDir, 'run.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ArtifactReadError(file, `no run.json in ${runDir}: not a training run folder`);
    throw new ArtifactReadError(file, `cannot read ${file}: ${(err as Error).message}`);
  }
  let rec: RunRecord;
  try {
    rec = JSON.parse(text) as RunRecord;
  } catch (err) {
    throw new ArtifactReadError(file, `${file} is not valid JSON (${(err as Error).message}); the run folder is damaged`);
  }
  if (rec?.format !== RUN_FORMAT) throw new ArtifactReadError(file, `${file} has format '${String(rec?.format)}', expected '${RUN_FORMAT}'`);
  if (rec.status === 'running' && rec.process?.hostname === os.hostname() && !alive(rec.process)) {
    return { ...rec, status: 'interrupted' };
  }
  return rec;
}

/** Every readable run under `<outDir>/runs`, oldest first (run ids sort by start time). Damaged folders are skipped. */
export async function listRuns(outDir: string, alive: (info: RunProcessInfo) => boolean = isRunProcessAlive): Promise<RunRecord[]> {
  const runsDir = path.join(path.resolve(outDir), 'runs');
  let names: string[];
  try {
    names = (await fs.readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const runs: RunRecord[] = [];
  for (const name of names.sort()) {
    try {
      runs.push(await readRun(path.join(runsDir, name), alive));
    } catch (err) {
      if (!(err instanceof ArtifactReadError)) throw err;
    }
  }
  return runs;
}

/**
 * Reads metrics.jsonl. A last line without its newline is a write torn by a kill and is ignored;
 * a malformed complete line is damage and is reported.
 */
export async function readMetrics(runDir: string): Promise<EpochMetrics[]> {
  const file = path.join(runDir, 'metrics.jsonl');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  lines.pop(); // after the last '\n': empty, or a torn line
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as EpochMetrics;
    } catch {
      throw new ArtifactReadError(file, `${file} line ${i + 1} is not valid JSON: ${line.slice(0, 80)}`);
    }
  });
}
