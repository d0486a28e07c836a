/**
 * run.json and metrics.jsonl: what a run was, how it ended, and its per-epoch metrics. Readers are
 * forgiving where a kill can leave a mark (a torn last metrics line, a 'running' status whose process
 * is gone) and strict elsewhere.
 */
import { parseComputeRoute } from '../../protocol/computeRoute';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EpochMetrics, RunStatus, TrainingMetric } from '../../protocol/trainingEvents';
import { describeJsonValue, parseJson } from '../io/jsonText';
import { readUserFile, readUserLines, readUserText, UserFileError, type ByteBudget } from '../io/userFile';
import { isSameProcessRunning } from '../io/processInfo';
import { ArtifactReadError } from './artifactRead';
import { parseVersions, stringRecord, type Provenance } from './provenance';
import { isSafeRunId, unsafeRelativePath } from './runPaths';
import { epochMetricsFromEvents, readScalarEvents } from './tfEventReader';

export const RUN_FORMAT = 'gat-explorer/run/1';

// Where they were first: the tests and the extension-host suite import them from here.
export { currentProcessStart, isProcessAlive, processStartMs } from '../io/processInfo';

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
  /** The folder the dataset's files were read from, so the explorer finds a dataset trained from --data-dir (absent in older runs). */
  readonly datasetDir?: string | null;
  /** What bestValAcc / testAcc measure (absent in older runs: accuracy). */
  readonly metric?: TrainingMetric;
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

/** Whether the recorded writer of a run is still running here: the pid exists and, where checkable, started when recorded. */
export function isRunProcessAlive(info: RunProcessInfo): boolean {
  return isSameProcessRunning(info.pid, info.startedAt);
}

/** run.json is a few KB (config, provenance, a command line): 16 MiB is room for any run's, and no more is ever needed. */
const RUN_JSON_BUDGET: ByteBudget = { what: 'run record', maxBytes: 16 << 20 };
/** A metrics.jsonl line is about 150 bytes (six numbers): 64 KiB is far past any, yet small enough to hold. */
export const METRICS_LINE_BYTES = 64 << 10;
/**
 * Our event files hold a few scalars per epoch (well under 1 KB); 512 MiB leaves room for event
 * files another tool wrote into the folder, and the variable for bigger ones.
 */
const EVENTS_BUDGET: ByteBudget = { what: 'TensorBoard event file', maxBytes: 512 << 20, env: 'GAT_MAX_EVENTS_MB' };

/**
 * Reads run.json. A run that says 'running' but whose process is gone on this host is reported as
 * 'interrupted' (run.json itself is left alone). On another host the status cannot be checked and is kept.
 */
export async function readRun(runDir: string, alive: (info: RunProcessInfo) => boolean = isRunProcessAlive): Promise<RunRecord> {
  const file = path.join(runDir, 'run.json');
  let text: string;
  try {
    text = await readUserText(file, RUN_JSON_BUDGET);
  } catch (err) {
    if (!(err instanceof UserFileError)) throw err;
    if (err.problem === 'missing') throw new ArtifactReadError(file, `no run.json in ${runDir}: not a training run folder`);
    throw new ArtifactReadError(file, `${err.message}: the run folder is damaged`);
  }
  const rec = parseRunRecord(text, file);
  if (rec.status === 'running' && rec.process.hostname === os.hostname() && !alive(rec.process)) {
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
 * Reads metrics.jsonl (see visitMetrics). Holds every epoch: a caller that only needs a summary
 * (`gat compare`) visits them instead.
 */
export async function readMetrics(runDir: string): Promise<EpochMetrics[]> {
  const epochs: EpochMetrics[] = [];
  await visitMetrics(runDir, (m) => void epochs.push(m));
  return epochs;
}

/**
 * Calls `visit` with each epoch of metrics.jsonl, in file order, read line by line (a file of any
 * length costs one line of memory). A last line without its newline is a write torn by a kill and
 * is ignored; a malformed complete line is damage and is reported. A run folder without
 * metrics.jsonl (copied with only its TensorBoard events) has its metrics read back from its event
 * files instead.
 */
export async function visitMetrics(runDir: string, visit: (epoch: EpochMetrics) => void): Promise<void> {
  const file = path.join(runDir, 'metrics.jsonl');
  try {
    await readUserLines(file, METRICS_LINE_BYTES, 'metrics file', (line) => {
      if (line.terminated) visit(parseMetricsLine(line.text, line.number, file));
    });
  } catch (err) {
    if (!(err instanceof UserFileError)) throw err;
    if (err.problem !== 'missing') throw new ArtifactReadError(file, `${err.message}: the run folder is damaged`);
    for (const m of await readMetricsFromEvents(runDir)) visit(m);
  }
}

/** The epochs recorded in the run folder's TensorBoard event files (`*.tfevents.*`, oldest first); none without any. */
export async function readMetricsFromEvents(runDir: string): Promise<EpochMetrics[]> {
  let names: string[];
  try {
    names = (await fs.readdir(runDir, { withFileTypes: true })).filter((d) => d.isFile() && d.name.includes('.tfevents.')).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
  const files = [];
  for (const name of names.sort()) {
    const file = path.join(runDir, name);
    let bytes: Uint8Array;
    try {
      bytes = await readUserFile(file, EVENTS_BUDGET);
    } catch (err) {
      if (err instanceof UserFileError) throw new ArtifactReadError(file, `${err.message}: the run folder is damaged`);
      throw err;
    }
    files.push(readScalarEvents(bytes, file).events);
  }
  return epochMetricsFromEvents(files);
}

const METRIC_FIELDS = ['trainLoss', 'trainAcc', 'valLoss', 'valAcc'] as const;

/**
 * The epochs of a metrics.jsonl text (`file` names it in errors): one EpochMetrics object per
 * complete line, `epoch` a non-negative integer, `ms` a finite non-negative number, losses and
 * accuracies finite numbers, or null where training produced NaN (JSON's spelling of it; read back
 * as NaN). Other keys are ignored. A last line without its newline is a torn write and is skipped.
 */
export function parseMetrics(text: string, file: string): EpochMetrics[] {
  const lines = text.split('\n');
  lines.pop(); // after the last '\n': empty, or a torn line
  return lines.map((line, i) => parseMetricsLine(line, i + 1, file));
}

/** One complete line of metrics.jsonl (`number` 1-based) as parseMetrics reads it. */
export function parseMetricsLine(line: string, number: number, file: string): EpochMetrics {
  const fail = (message: string): never => {
    throw new ArtifactReadError(file, `${file} line ${number} ${message}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    fail(`is not valid JSON: ${line.slice(0, 80)}`);
  }
  if (!isObject(raw)) return fail('is not a JSON object of epoch metrics');
  const epoch = own(raw, 'epoch');
  if (!(Number.isSafeInteger(epoch) && (epoch as number) >= 0)) fail(`field 'epoch' is ${describeJsonValue(epoch)}, not a non-negative integer`);
  const ms = own(raw, 'ms');
  if (!(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) fail(`field 'ms' is ${describeJsonValue(ms)}, not a non-negative number`);
  const values = METRIC_FIELDS.map((key) => {
    const v = own(raw, key);
    if (v === null) return NaN;
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`field '${key}' is ${describeJsonValue(v)}, not a number`);
    return v;
  });
  return { epoch: epoch as number, trainLoss: values[0], trainAcc: values[1], valLoss: values[2], valAcc: values[3], ms: ms as number };
}

const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'cancelled', 'failed', 'interrupted'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property (never one inherited from Object.prototype, like 'constructor'). */
function own(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * Parses and validates run.json (`file` names it in errors): every field of RunRecord by its type,
 * the run id as a safe folder name, and every artifact path relative to the output folder without
 * '..' (a hostile run.json must not make the explorer read or delete anything outside it). Unknown
 * keys are ignored; nullable fields may be missing (null); anything else wrong is an
 * ArtifactReadError naming the field.
 */
export function parseRunRecord(text: string, file: string): RunRecord {
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (err) {
    throw new ArtifactReadError(file, `${file} is not valid JSON (at ${(err as Error).message}); the run folder is damaged`);
  }
  const format = isObject(raw) ? own(raw, 'format') : undefined;
  if (format !== RUN_FORMAT) throw new ArtifactReadError(file, `${file} has format ${describeJsonValue(format)}, expected '${RUN_FORMAT}'`);
  const rec = raw as Record<string, unknown>;
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new ArtifactReadError(file, `${file} is not a valid run record: field '${field}' is ${describeJsonValue(value)}, expected ${expected}`);
  };
  const str = (o: Record<string, unknown>, key: string, at: string): string => {
    const v = own(o, key);
    return typeof v === 'string' ? v : fail(at, v, 'a string');
  };
  const nullableStr = (o: Record<string, unknown>, key: string, at: string): string | null => {
    const v = own(o, key);
    return v === undefined || v === null ? null : typeof v === 'string' ? v : fail(at, v, 'a string or null');
  };
  const nullableNum = (o: Record<string, unknown>, key: string, at: string): number | null => {
    const v = own(o, key);
    return v === undefined || v === null ? null : typeof v === 'number' && Number.isFinite(v) ? v : fail(at, v, 'a number or null');
  };
  const integer = (o: Record<string, unknown>, key: string, at: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = own(o, key);
    return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fail(at, v, `an integer from ${min} to ${max}`);
  };
  const object = (o: Record<string, unknown>, key: string, at: string): Record<string, unknown> => {
    const v = own(o, key);
    return isObject(v) ? v : fail(at, v, 'an object');
  };
  const strings = (o: Record<string, unknown>, key: string, at: string, check: (s: string, at: string) => string = (s) => s): string[] => {
    const v = own(o, key);
    if (!Array.isArray(v)) return fail(at, v, 'a list of strings');
    return v.map((x, i) => (typeof x === 'string' ? check(x, `${at}[${i}]`) : fail(`${at}[${i}]`, x, 'a string')));
  };
  const relPath = (s: string, at: string): string => {
    const why = unsafeRelativePath(s);
    return why ? fail(at, s, `a path relative to the output folder (this one ${why})`) : s;
  };
  const nullableRelPath = (o: Record<string, unknown>, key: string, at: string): string | null => {
    const v = nullableStr(o, key, at);
    return v === null ? null : relPath(v, at);
  };

  const runId = str(rec, 'runId', 'runId');
  if (!isSafeRunId(runId)) fail('runId', runId, "a run id (letters, digits, '-', '_', '.'; no '..')");
  const status = own(rec, 'status');
  if (!RUN_STATUSES.includes(status as RunStatus)) fail('status', status, `one of ${RUN_STATUSES.join(', ')}`);
  const specRaw = own(rec, 'spec');
  const spec = specRaw === undefined || specRaw === null ? null : isObject(specRaw) ? { path: str(specRaw, 'path', 'spec.path'), sha256: str(specRaw, 'sha256', 'spec.sha256') } : fail('spec', specRaw, 'an object or null');
  const proc = object(rec, 'process', 'process');
  const artifacts = object(rec, 'artifacts', 'artifacts');
  return {
    format: RUN_FORMAT,
    runId,
    dataset: str(rec, 'dataset', 'dataset'),
    datasetDir: nullableStr(rec, 'datasetDir', 'datasetDir'),
    metric: own(rec, 'metric') === undefined ? 'accuracy' : own(rec, 'metric') === 'micro-F1' || own(rec, 'metric') === 'accuracy' ? (own(rec, 'metric') as TrainingMetric) : fail('metric', own(rec, 'metric'), "'accuracy' or 'micro-F1'"),
    status: status as RunStatus,
    config: own(rec, 'config') ?? null,
    seed: integer(rec, 'seed', 'seed', Number.MIN_SAFE_INTEGER),
    backend: str(rec, 'backend', 'backend'),
    provenance: parseProvenanceField(own(rec, 'provenance'), fail),
    startedAt: str(rec, 'startedAt', 'startedAt'),
    endedAt: nullableStr(rec, 'endedAt', 'endedAt'),
    epochs: integer(rec, 'epochs', 'epochs', 0),
    bestValAcc: nullableNum(rec, 'bestValAcc', 'bestValAcc'),
    bestValLoss: nullableNum(rec, 'bestValLoss', 'bestValLoss'),
    testAcc: nullableNum(rec, 'testAcc', 'testAcc'),
    spec,
    resumedFrom: nullableStr(rec, 'resumedFrom', 'resumedFrom'),
    commandLine: strings(rec, 'commandLine', 'commandLine'),
    process: {
      pid: integer(proc, 'pid', 'process.pid', 1, 2 ** 31 - 1),
      hostname: str(proc, 'hostname', 'process.hostname'),
      startedAt: nullableStr(proc, 'startedAt', 'process.startedAt') ?? '',
    },
    artifacts: {
      runJson: relPath(str(artifacts, 'runJson', 'artifacts.runJson'), 'artifacts.runJson'),
      metrics: relPath(str(artifacts, 'metrics', 'artifacts.metrics'), 'artifacts.metrics'),
      checkpoints: strings(artifacts, 'checkpoints', 'artifacts.checkpoints', relPath),
      lastCheckpoint: nullableRelPath(artifacts, 'lastCheckpoint', 'artifacts.lastCheckpoint'),
      binary: nullableRelPath(artifacts, 'binary', 'artifacts.binary'),
      analysis: nullableRelPath(artifacts, 'analysis', 'artifacts.analysis'),
      events: strings(artifacts, 'events', 'artifacts.events', relPath),
    },
    error: nullableStr(rec, 'error', 'error'),
  };
}

/** run.json's provenance: null, or an object whose present fields have Provenance's types (missing ones take parseProvenance's defaults). */
function parseProvenanceField(v: unknown, fail: (field: string, value: unknown, expected: string) => never): Provenance | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return fail('provenance', v, 'an object or null');
  const get = (key: string): unknown => own(v, key);
  const text = (key: string, fallback: string): string => {
    const x = get(key);
    return x === undefined ? fallback : typeof x === 'string' ? x : fail(`provenance.${key}`, x, 'a string');
  };
  const nullableText = (key: string): string | null => {
    const x = get(key);
    return x === undefined || x === null ? null : typeof x === 'string' ? x : fail(`provenance.${key}`, x, 'a string or null');
  };
  const number = (key: string): number | null => {
    const x = get(key);
    return x === undefined || x === null ? null : typeof x === 'number' ? x : fail(`provenance.${key}`, x, 'a number or null');
  };
  const checksums = get('datasetChecksums');
  const versions = get('versions');
  const compute = get('compute');
  return {
    dataset: text('dataset', ''),
    datasetChecksums: checksums === undefined ? {} : (stringRecord(checksums) ?? fail('provenance.datasetChecksums', checksums, 'an object of strings')),
    config: get('config') ?? null,
    seed: number('seed') ?? NaN,
    backend: text('backend', ''),
    compute: compute === undefined || compute === null ? null : (parseComputeRoute(compute) ?? fail('provenance.compute', compute, 'an object { engine, kernels, threads, products, gemmThreads }')),
    versions: versions === undefined ? { node: '', tfjs: null, 'gat-explorer': null } : (parseVersions(versions) ?? fail('provenance.versions', versions, "an object { node, tfjs, 'gat-explorer' } of strings")),
    gitCommit: nullableText('gitCommit'),
    startedAt: text('startedAt', ''),
    endedAt: nullableText('endedAt'),
    epoch: number('epoch'),
    metrics: get('metrics') ?? null,
  };
}
