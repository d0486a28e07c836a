import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { EpochMetrics } from '../../src/protocol/trainingEvents';
import { ArtifactWriteError, type FileWriter } from '../../src/gat/artifacts/artifactWrite';
import { writeFileAtomic } from '../../src/gat/io/atomicWrite';
import { readCheckpoint, type Checkpoint } from '../../src/gat/artifacts/checkpoint';
import { makeRunId, runPaths } from '../../src/gat/artifacts/runPaths';
import { isProcessAlive, listRuns, parseMetrics, parseRunRecord, processStartMs, readMetrics, readRun } from '../../src/gat/artifacts/runRecord';
import { ArtifactReadError } from '../../src/gat/artifacts/artifactRead';
import { RunWriter, type CreateRunOptions } from '../../src/gat/artifacts/runWriter';
import { tempDir } from '../helpers/tempDir';

const NOW = new Date('2026-11-25T01:02:03.456Z');
const base = (outDir: string, extra: Partial<CreateRunOptions> = {}): CreateRunOptions => ({
  outDir,
  dataset: 'cora',
  seed: 42,
  config: { lr: 0.005 },
  backend: 'cpu',
  provenance: null,
  commandLine: ['node', 'gat', 'train', '--seed', '42'],
  now: NOW,
  ...extra,
});
const epoch = (e: number, valAcc: number, valLoss: number): EpochMetrics => ({ epoch: e, trainLoss: 1 / e, trainAcc: 0.5, valLoss, valAcc, ms: 10 });
const ckptAt = (e: number): Checkpoint => ({ params: [{ name: 'w', shape: [2], data: Float32Array.from([e, -e]) }], optimizer: { step: e, tensors: [] }, epoch: e, metadata: {} });

/** Every file under `dir`, relative, '/'-separated. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

describe('runPaths and run ids', () => {
  it('lays out runs/, models/checkpoints/<run-id>/ and models/binaries/ under the output folder', () => {
    const p = runPaths('/out', '2026-11-25T01-02-03Z-cora-s42', 'Cora');
    assert.equal(p.runJson, '/out/runs/2026-11-25T01-02-03Z-cora-s42/run.json');
    assert.equal(p.metrics, '/out/runs/2026-11-25T01-02-03Z-cora-s42/metrics.jsonl');
    assert.equal(p.analysis, '/out/runs/2026-11-25T01-02-03Z-cora-s42/analysis.safetensors');
    assert.equal(p.checkpoint(150), '/out/models/checkpoints/2026-11-25T01-02-03Z-cora-s42/gat_cora_ckpt_epoch_150.safetensors');
    assert.equal(p.binary, '/out/models/binaries/gat_cora_2026-11-25T01-02-03Z-cora-s42.safetensors');
  });

  it('makes ids that read at a glance and sort by start time', () => {
    assert.equal(makeRunId(NOW, 'cora', 42), '2026-11-25T01-02-03Z-cora-s42');
    const ids = [new Date('2026-11-25T10:00:00Z'), new Date('2026-11-25T09:59:59Z'), new Date('2025-12-31T23:59:59Z')].map((d) => makeRunId(d, 'cora', 1));
    assert.deepEqual([...ids].sort(), [ids[2], ids[1], ids[0]]);
  });
});

describe('RunWriter and readers', () => {
  it('writes run.json with config, command line, process and relative artifact paths', async () => {
    const out = tempDir();
    const spec = path.join(out, 'spec.json');
    writeFileSync(spec, '{"lr":0.005}');
    const run = await RunWriter.create(base(out, { spec: { path: spec, sha256: 'ab'.repeat(32) } }));
    assert.equal(run.record.runId, '2026-11-25T01-02-03Z-cora-s42');
    // epochs count from 0 in the protocol; run.json stores epochs completed
    for (let e = 0; e < 3; e++) await run.appendEpoch(epoch(e, [0.5, 0.7, 0.6][e], [1.0, 0.8, 0.9][e]));
    await run.saveCheckpoint(ckptAt(3));
    await run.saveModelBinary(ckptAt(3).params, { dataset: 'cora' });
    await run.finish('completed', { testAcc: 0.81, now: new Date('2026-11-25T01:05:00Z') });

    const rec = await readRun(run.paths.runDir);
    assert.equal(rec.status, 'completed');
    assert.deepEqual([rec.epochs, rec.bestValAcc, rec.bestValLoss, rec.testAcc], [3, 0.7, 0.8, 0.81]);
    assert.deepEqual(rec.commandLine, ['node', 'gat', 'train', '--seed', '42']);
    assert.deepEqual(rec.config, { lr: 0.005 });
    assert.equal(rec.spec?.path, spec);
    assert.equal(rec.spec?.sha256, 'ab'.repeat(32));
    assert.equal(rec.process.pid, process.pid);
    assert.equal(rec.process.hostname, os.hostname());
    assert.equal(rec.endedAt, '2026-11-25T01:05:00.000Z');
    assert.deepEqual(rec.artifacts.checkpoints, ['models/checkpoints/2026-11-25T01-02-03Z-cora-s42/gat_cora_ckpt_epoch_3.safetensors']);
    assert.equal(rec.artifacts.binary, 'models/binaries/gat_cora_2026-11-25T01-02-03Z-cora-s42.safetensors');
    for (const rel of [rec.artifacts.runJson, rec.artifacts.metrics, rec.artifacts.binary!, ...rec.artifacts.checkpoints]) assert.ok(existsSync(path.join(out, rel)), rel);
    assert.deepEqual((await readMetrics(run.paths.runDir)).map((m) => m.epoch), [0, 1, 2]);
  });

  it('gives a second run in the same second its own folder', async () => {
    const out = tempDir();
    const a = await RunWriter.create(base(out));
    const b = await RunWriter.create(base(out));
    assert.notEqual(a.record.runId, b.record.runId);
    assert.match(b.record.runId, /^2026-11-25T01-02-03Z-cora-s42-[0-9a-z]{1,4}$/);
    assert.deepEqual((await listRuns(out)).map((r) => r.runId).sort(), [a.record.runId, b.record.runId].sort());
  });

  it('ignores a torn last metrics line but reports a damaged complete one', async () => {
    const out = tempDir();
    const run = await RunWriter.create(base(out));
    await run.appendEpoch(epoch(1, 0.5, 1));
    await run.appendEpoch(epoch(2, 0.6, 0.9));
    await run.flushMetrics(); // appends are batched; write them before simulating the kill
    appendFileSync(run.paths.metrics, '{"epoch":3,"trainLo'); // killed mid-write
    assert.deepEqual((await readMetrics(run.paths.runDir)).map((m) => m.epoch), [1, 2]);
    appendFileSync(run.paths.metrics, '\n{"epoch":4}\n');
    await assert.rejects(readMetrics(run.paths.runDir), /metrics\.jsonl line 3 is not valid JSON/);
  });

  it("reports a 'running' run whose process is gone as interrupted, and a live one as running", async () => {
    const out = tempDir();
    const run = await RunWriter.create(base(out));
    assert.equal((await readRun(run.paths.runDir)).status, 'running', 'this process is alive');
    // A real pid that has exited: a finished child.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout);
    assert.equal(isProcessAlive(deadPid), false);
    const rec = JSON.parse(readFileSync(run.paths.runJson, 'utf8')) as { process: { pid: number } };
    rec.process.pid = deadPid;
    writeFileSync(run.paths.runJson, JSON.stringify(rec));
    assert.equal((await readRun(run.paths.runDir)).status, 'interrupted');
    assert.equal((await listRuns(out))[0].status, 'interrupted');
    assert.equal((JSON.parse(readFileSync(run.paths.runJson, 'utf8')) as { status: string }).status, 'running', 'the reader does not rewrite run.json');
  });

  it('spots a reused pid: a live process that started at another time is not the run\'s writer', async () => {
    const out = tempDir();
    const run = await RunWriter.create(base(out));
    const rec = JSON.parse(readFileSync(run.paths.runJson, 'utf8')) as { process: { startedAt: string } };
    assert.ok(Math.abs(Date.parse(rec.process.startedAt) - (processStartMs(process.pid) ?? NaN)) < 5_000, 'records when this process started');
    rec.process.startedAt = '2020-01-01T00:00:00.000Z'; // same (live) pid, different start: another process
    writeFileSync(run.paths.runJson, JSON.stringify(rec));
    assert.equal((await readRun(run.paths.runDir)).status, 'interrupted');
  });

  it('lists nothing for a missing output folder and skips folders without run.json', async () => {
    const out = tempDir();
    assert.deepEqual(await listRuns(path.join(out, 'absent')), []);
    mkdirSync(path.join(out, 'runs', 'junk'), { recursive: true });
    const run = await RunWriter.create(base(out));
    assert.deepEqual((await listRuns(out)).map((r) => r.runId), [run.record.runId]);
    await assert.rejects(readRun(path.join(out, 'runs', 'junk')), /no run\.json in .*junk: not a training run folder/);
  });
});

describe('run.json and metrics.jsonl from a file we were handed', () => {
  const written = async (): Promise<Record<string, unknown>> => {
    const run = await RunWriter.create(base(tempDir()));
    await run.saveCheckpoint(ckptAt(1));
    await run.finish('completed');
    return JSON.parse(readFileSync(run.paths.runJson, 'utf8')) as Record<string, unknown>;
  };
  const refused = (rec: unknown, field: string): void =>
    assert.throws(() => parseRunRecord(JSON.stringify(rec), '/o/runs/r/run.json'), (e: unknown) => e instanceof ArtifactReadError && e.message.startsWith(`/o/runs/r/run.json is not a valid run record: field '${field}' is `));

  it('reads what RunWriter writes, field for field', async () => {
    const rec = await written();
    assert.deepEqual(parseRunRecord(JSON.stringify(rec), 'run.json'), rec);
  });

  it('refuses artifact paths that lead outside the output folder, and run ids that are no folder name', async () => {
    const rec = await written();
    const artifacts = rec.artifacts as Record<string, unknown>;
    for (const bad of ['../x.safetensors', 'models/../../x', '/etc/passwd', 'C:\\x', 'a\\b', 'runs//x', '', 'a\u0000b']) {
      refused({ ...rec, artifacts: { ...artifacts, binary: bad } }, 'artifacts.binary');
      refused({ ...rec, artifacts: { ...artifacts, checkpoints: ['models/ok.safetensors', bad] } }, 'artifacts.checkpoints[1]');
    }
    for (const bad of ['..', '../x', 'a/b', '', '.hidden', 'a\\b']) refused({ ...rec, runId: bad }, 'runId');
  });

  it('refuses wrong types by field, and ignores unknown keys', async () => {
    const rec = await written();
    refused({ ...rec, epochs: -1 }, 'epochs');
    refused({ ...rec, status: 'done' }, 'status');
    refused({ ...rec, commandLine: ['gat', 1] }, 'commandLine[1]');
    refused({ ...rec, process: { ...(rec.process as object), pid: 0 } }, 'process.pid');
    refused({ ...rec, provenance: { versions: [] } }, 'provenance.versions');
    assert.equal(parseRunRecord(JSON.stringify({ ...rec, future: 1 }), 'run.json').runId, rec.runId);
  });

  it('checks every metrics line (reading a NaN the writer stored as null back as NaN)', () => {
    const line = { epoch: 0, trainLoss: 1, trainAcc: 0.5, valLoss: null, valAcc: 0.25, ms: 3 };
    assert.deepEqual(parseMetrics(`${JSON.stringify(line)}\n`, 'm'), [{ ...line, valLoss: NaN }]);
    assert.throws(() => parseMetrics(`${JSON.stringify({ ...line, epoch: 1.5 })}\n`, 'm.jsonl'), /^ArtifactReadError: m\.jsonl line 1 field 'epoch' is 1\.5, not a non-negative integer$/);
    assert.throws(() => parseMetrics(`${JSON.stringify(line)}\n${JSON.stringify({ ...line, trainAcc: '1' })}\n`, 'm.jsonl'), /m\.jsonl line 2 field 'trainAcc' is "1", not a number/);
  });
});

describe('failed writes lose nothing', () => {
  it('a full disk during a checkpoint: clear error, earlier checkpoint and run.json intact, no temp files', async () => {
    const out = tempDir();
    let diskFull = false;
    // The real atomic writer until the disk 'fills up', then the error a full disk gives.
    const writer: FileWriter = async (target, data) => {
      if (!diskFull) return writeFileAtomic(target, data);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    const run = await RunWriter.create(base(out, { writer }));
    await run.appendEpoch(epoch(1, 0.5, 1));
    const first = await run.saveCheckpoint(ckptAt(1));
    const runJsonBefore = readFileSync(run.paths.runJson, 'utf8');
    const ckptBefore = readFileSync(first);

    diskFull = true;
    const second = run.paths.checkpoint(2);
    await assert.rejects(run.saveCheckpoint(ckptAt(2)), (e: unknown) => {
      assert.ok(e instanceof ArtifactWriteError);
      assert.equal(e.path, second);
      assert.ok(e.message.includes(`could not write ${second}: the disk is full (ENOSPC)`), e.message);
      assert.ok(e.message.includes(`Free some disk space (or make the folder writable) and resume with --resume ${first}`), e.message);
      return true;
    });
    await assert.rejects(run.finish('completed'), /could not write .*run\.json/);
    assert.equal(readFileSync(run.paths.runJson, 'utf8'), runJsonBefore);
    assert.deepEqual(readFileSync(first), ckptBefore);
    assert.equal((await readCheckpoint(first)).epoch, 1);
    assert.equal(existsSync(second), false);
    assert.deepEqual(filesUnder(out).filter((f) => f.endsWith('.tmp')), []);
  });

  it('a real failure after the temp file was written (target is a directory): temp removed, old files intact', async () => {
    const out = tempDir();
    const run = await RunWriter.create(base(out));
    const first = await run.saveCheckpoint(ckptAt(1));
    const runJsonBefore = readFileSync(run.paths.runJson, 'utf8');
    mkdirSync(run.paths.checkpoint(2)); // rename(temp, dir) fails only after the data went to the temp file
    await assert.rejects(run.saveCheckpoint(ckptAt(2)), (e: unknown) => e instanceof ArtifactWriteError && e.message.includes(`--resume ${first}`) && e.message.includes(run.paths.checkpoint(2)));
    assert.equal(readFileSync(run.paths.runJson, 'utf8'), runJsonBefore);
    assert.equal((await readCheckpoint(first)).epoch, 1);
    assert.deepEqual(filesUnder(out).filter((f) => f.endsWith('.tmp')), []);
  });

  it('a parent that is a file: clear error naming the path, nothing else touched', async () => {
    const out = tempDir();
    const run = await RunWriter.create(base(out));
    const runJsonBefore = readFileSync(run.paths.runJson, 'utf8');
    writeFileSync(path.join(out, 'models'), 'not a folder');
    await assert.rejects(run.saveModelBinary(ckptAt(1).params, {}), (e: unknown) => e instanceof ArtifactWriteError && e.message.startsWith(`could not write ${run.paths.binary}: ENOTDIR`) && /run the command again/.test(e.message));
    assert.equal(readFileSync(run.paths.runJson, 'utf8'), runJsonBefore);
    assert.deepEqual(filesUnder(out).filter((f) => f.endsWith('.tmp')), []);
  });
});
