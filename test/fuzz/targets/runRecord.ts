/**
 * run.json and metrics.jsonl (src/gat/artifacts/runRecord.ts parseRunRecord and parseMetrics, which
 * readRun and readMetrics call after reading the file). Every input goes through both; a rejection
 * is an ArtifactReadError naming the file and the field or line. An accepted run record must keep
 * every artifact path inside the output folder and its run id a plain folder name.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import type { EpochMetrics } from '../../../src/protocol/trainingEvents';
import { ArtifactReadError } from '../../../src/gat/artifacts/artifactRead';
import { makeRunId, relativeToOut, runPaths } from '../../../src/gat/artifacts/runPaths';
import { parseMetrics, parseRunRecord, RUN_FORMAT, type RunRecord } from '../../../src/gat/artifacts/runRecord';
import { repoRoot } from '../../helpers/paths';
import { lazy, mutatedSeeds } from '../mutate';
import { require, type FuzzTarget } from '../target';

export const RUN_FILE = '/fuzz/runs/r/run.json';
export const METRICS_FILE = '/fuzz/runs/r/metrics.jsonl';

/** A run record as RunWriter writes it (same fields, same relative paths), finished after 3 epochs. */
export function sampleRun(): RunRecord {
  const now = new Date('2026-11-25T01:02:03.456Z');
  const runId = makeRunId(now, 'cora', 42);
  const p = runPaths('/out', runId, 'cora');
  const rel = (a: string): string => relativeToOut(p, a);
  return {
    format: RUN_FORMAT,
    runId,
    dataset: 'cora',
    status: 'completed',
    config: { lr: 0.005, heads: [8, 1] },
    seed: 42,
    backend: 'cpu',
    provenance: {
      dataset: 'cora',
      datasetChecksums: { x: 'abc' },
      config: { lr: 0.005 },
      seed: 42,
      backend: 'cpu',
      compute: { engine: 'fused', kernels: 'typescript', threads: 2, products: null, gemmThreads: 1 },
      versions: { node: 'v20.0.0', tfjs: null, 'gat-explorer': '0.1.0' },
      gitCommit: null,
      startedAt: now.toISOString(),
      endedAt: '2026-11-25T01:05:00.000Z',
      epoch: 3,
      metrics: { testAcc: 0.81 },
    },
    startedAt: now.toISOString(),
    endedAt: '2026-11-25T01:05:00.000Z',
    epochs: 3,
    bestValAcc: 0.7,
    bestValLoss: 0.8,
    testAcc: 0.81,
    spec: { path: '/work/spec.gat.json', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    resumedFrom: null,
    commandLine: ['node', 'gat', 'train', '--seed', '42'],
    process: { pid: 4242, hostname: 'fuzz-host', startedAt: '2026-11-25T01:02:00.000Z' },
    artifacts: {
      runJson: rel(p.runJson),
      metrics: rel(p.metrics),
      checkpoints: [rel(p.checkpoint(3))],
      lastCheckpoint: rel(p.checkpoint(3)),
      binary: rel(p.binary),
      analysis: rel(p.analysis),
      events: [`runs/${runId}/events.out.tfevents.1790000000.fuzz-host`],
    },
    error: null,
  };
}

const epoch = (e: number): EpochMetrics => ({ epoch: e, trainLoss: 1 / (e + 1), trainAcc: 0.5, valLoss: 0.9, valAcc: 0.6 + e / 100, ms: 2.5 });

export const runRecordSeeds = lazy((): Uint8Array[] => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const run = sampleRun();
  // Files RunWriter wrote (a finished run with a checkpoint, a model and a NaN validation loss), committed to the corpus.
  const written = ['written-by-runwriter.bin', 'metrics-written-by-runwriter.bin'].map((f) => new Uint8Array(readFileSync(path.join(repoRoot, 'test', 'fuzz', 'corpus', 'runRecord', f))));
  return [
    ...written,
    enc(JSON.stringify(run, null, 2) + '\n'),
    enc(JSON.stringify({ ...run, status: 'running', endedAt: null, testAcc: null, provenance: null, spec: null, artifacts: { ...run.artifacts, checkpoints: [], lastCheckpoint: null, binary: null, analysis: null, events: [] } }, null, 2) + '\n'),
    enc([0, 1, 2].map((e) => JSON.stringify(epoch(e))).join('\n') + '\n'),
    enc(JSON.stringify(epoch(0)) + '\n' + JSON.stringify({ ...epoch(1), trainLoss: NaN }) + '\n{"epoch":2,"trainLo'),
  ];
});

/** Values a hostile or damaged run.json puts in a field. */
const HOSTILE: readonly unknown[] = [
  null, true, 0, -1, 1.5, 2 ** 31, 2 ** 53, 1e308, '', '.', '..', '../x', '../../etc/passwd', '/etc/passwd', 'C:\\Windows', 'C:x', 'a\\b', 'runs/../../x', 'runs//x', './x', 'x/./y', 'a\u0000b', 'a\nb',
  'models/binaries/gat_cora_x.safetensors', 'completed', 'running', 'interrupted', 'weird', [], [1], ['a', 2], ['../x'], {}, { path: 1 }, { pid: 0 }, '__proto__',
];
const hostile = fc.oneof({ arbitrary: fc.constantFrom(...HOSTILE), weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 });

/** Every field path of the sample record (nested objects included), to change one at a time. */
const FIELDS: readonly string[] = (() => {
  const out: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (at) out.push(at);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}.${i}`));
  };
  walk(sampleRun(), '');
  return [...out, '__proto__', 'constructor', 'artifacts.__proto__', 'extra'];
})();

/** A key-by-key JSON writer, so '__proto__' stays a key. */
function toJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const editedRun: fc.Arbitrary<Uint8Array> = fc.array(fc.record({ field: fc.constantFrom(...FIELDS), value: fc.option(hostile, { freq: 8 }) }), { minLength: 1, maxLength: 3 }).map((edits) => {
  const rec = JSON.parse(JSON.stringify(sampleRun())) as Record<string, unknown>;
  for (const { field, value } of edits) {
    const keys = field.split('.');
    let o = rec as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      const next = Object.hasOwn(o, k) ? o[k] : undefined;
      if (typeof next !== 'object' || next === null) break;
      o = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === null) delete o[last];
    else Object.defineProperty(o, last, { value: structuredClone(value), enumerable: true, configurable: true, writable: true });
  }
  return new TextEncoder().encode(toJson(rec));
});

const METRIC_VALUES = ['0', '1', '-1', '0.5', '1e308', '1e400', 'null', 'true', '"1"', '[]', '{}', '2.5', '9007199254740993', '-0'];
const metricsLines: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      fc.record({ epoch: fc.constantFrom(...METRIC_VALUES), trainLoss: fc.constantFrom(...METRIC_VALUES), trainAcc: fc.constantFrom('0.5', 'null'), valLoss: fc.constantFrom('0.9', 'null', '"x"'), valAcc: fc.constantFrom('0.6', '2'), ms: fc.constantFrom(...METRIC_VALUES), drop: fc.option(fc.constantFrom('epoch', 'ms', 'valAcc')) }).map(({ drop, ...r }) => `{${Object.entries(r).filter(([k]) => k !== drop).map(([k, v]) => `"${k}":${v}`).join(',')}}`),
      fc.constantFrom('', '[]', '{}', 'null', '{"__proto__":{"epoch":1}}', '{"epoch":1', ' '),
    ),
    { maxLength: 5 },
  )
  .chain((lines) => fc.boolean().map((torn) => new TextEncoder().encode(lines.join('\n') + (torn ? '' : '\n'))));

function isInside(rel: string): boolean {
  const out = path.resolve('/out');
  const abs = path.resolve(out, rel);
  return abs.startsWith(out + path.sep) && !rel.includes('\\') && !rel.includes('\0');
}

function checkRun(r: RunRecord): void {
  require(/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(r.runId) && !r.runId.includes('..'), `runId '${r.runId}'`);
  require(path.resolve('/out/runs', r.runId).startsWith('/out/runs/'), `runId '${r.runId}' leaves runs/`);
  const a = r.artifacts;
  for (const rel of [a.runJson, a.metrics, ...a.checkpoints, ...a.events, a.lastCheckpoint, a.binary, a.analysis]) {
    require(rel === null || (typeof rel === 'string' && isInside(rel)), `artifact path '${String(rel)}' leads outside the output folder`);
  }
  require(['running', 'completed', 'cancelled', 'failed', 'interrupted'].includes(r.status), `status ${String(r.status)}`);
  require(Number.isSafeInteger(r.epochs) && r.epochs >= 0 && Number.isSafeInteger(r.seed), 'epochs / seed');
  require(Number.isSafeInteger(r.process.pid) && r.process.pid > 0 && typeof r.process.hostname === 'string', 'process');
  require(r.commandLine.every((s) => typeof s === 'string'), 'commandLine');
  for (const v of [r.bestValAcc, r.bestValLoss, r.testAcc]) require(v === null || Number.isFinite(v), `metric ${v}`);
  for (const v of [r.dataset, r.backend, r.startedAt]) require(typeof v === 'string', 'strings');
  require(r.provenance === null || (typeof r.provenance.versions.node === 'string' && Object.values(r.provenance.datasetChecksums).every((x) => typeof x === 'string')), 'provenance');
}

export const runRecordTarget: FuzzTarget = {
  name: 'runRecord',
  description: 'parseRunRecord and parseMetrics (src/gat/artifacts/runRecord.ts): run.json and metrics.jsonl',
  run(input) {
    const text = new TextDecoder().decode(input);
    const errors: ArtifactReadError[] = [];
    for (const [file, parse] of [[RUN_FILE, () => checkRun(parseRunRecord(text, RUN_FILE))], [METRICS_FILE, () => {
      for (const m of parseMetrics(text, METRICS_FILE)) {
        require(Number.isSafeInteger(m.epoch) && m.epoch >= 0 && Number.isFinite(m.ms) && m.ms >= 0, `epoch ${m.epoch} ms ${m.ms}`);
        require([m.trainLoss, m.trainAcc, m.valLoss, m.valAcc].every((v) => typeof v === 'number'), 'metric values');
      }
    }]] as const) {
      try {
        parse();
      } catch (e) {
        if (!(e instanceof ArtifactReadError)) throw e;
        require(e.message.includes(file), `the error does not name ${file}: ${e.message}`);
        errors.push(e);
      }
    }
    if (errors.length === 2) throw errors[0];
  },
  isOwnError: (e) => e instanceof ArtifactReadError,
  files: [RUN_FILE, METRICS_FILE],
  seeds: runRecordSeeds,
  generate: fc.oneof({ arbitrary: editedRun, weight: 3 }, { arbitrary: metricsLines, weight: 2 }, { arbitrary: mutatedSeeds(runRecordSeeds), weight: 2 }),
};
