/**
 * What the extension offers when a training fails: the CLI's real exit code and 'error' event
 * (`gat train --progress json`, the same objects the extension receives over IPC) mapped to the
 * notification's buttons, and the 'Delete stale lock' action on a real lock file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { currentProcessStart } from '../../src/gat/io/processInfo';
import { removeLockIfUnchanged } from '../../src/gat/run/trainLock';
import { failureReport, withResume } from '../../src/extension/training/failureReport';
import type { TrainingErrorEvent, TrainingEvent } from '../../src/protocol/trainingEvents';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

const SHORT_RUN = ['--num-of-epochs', '2', '--backend', 'cpu', '--threads', '1', '--progress', 'json'];

/** Trains through the real CLI and returns what the extension would get: exit, error event, last checkpoint. */
async function failedTraining(args: string[]): Promise<{ exit: { code: number | null; signal: null }; error: TrainingErrorEvent | undefined; lastCheckpoint: string | undefined }> {
  const r = await runGat(['train', ...args]);
  const events = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as TrainingEvent);
  const error = events.find((e): e is TrainingErrorEvent => e.type === 'error');
  const checkpoints = events.filter((e) => e.type === 'checkpoint');
  return { exit: { code: r.code, signal: null }, error, lastCheckpoint: checkpoints.at(-1)?.type === 'checkpoint' ? (checkpoints.at(-1) as { path: string }).path : undefined };
}

describe('a failed training: the notification and its fix', () => {
  it("a lock this machine cannot judge (an older version's, naming pid 1): 'Delete stale lock' names the lock, and deletes only that lock", async () => {
    const out = tempDir();
    const lock = path.join(out, '.gat-train.lock');
    const takenAt = new Date().toISOString();
    writeFileSync(lock, JSON.stringify({ pid: 1, hostname: os.hostname(), startedAt: takenAt }));
    const { exit, error, lastCheckpoint } = await failedTraining([...SHORT_RUN, '--out', out]);
    const report = failureReport(exit, error, lastCheckpoint);
    assert.deepEqual(report.actions, ['Delete stale lock', 'Open Folder', 'Show Log']);
    assert.equal(report.what, 'another training holds the output folder');
    assert.equal(report.path, lock);
    assert.deepEqual(report.lock, { pid: 1, hostname: os.hostname(), takenAt });
    assert.match(report.cliLine ?? '', new RegExp(`^the output folder .* is locked by ${lock.replace(/\./g, '\\.')}, taken at ${takenAt.replace(/\./g, '\\.')} by pid 1`));

    // Another lock took its place meanwhile: left alone.
    const newer = JSON.stringify({ pid: 1, hostname: os.hostname(), startedAt: new Date(Date.parse(takenAt) + 1000).toISOString() });
    writeFileSync(lock, newer);
    assert.equal(await removeLockIfUnchanged(lock, report.lock!), false);
    assert.equal(readFileSync(lock, 'utf8'), newer);
    // The lock the user was told about: deleted, and a training then takes the folder.
    writeFileSync(lock, JSON.stringify({ pid: 1, hostname: os.hostname(), startedAt: takenAt }));
    assert.equal(await removeLockIfUnchanged(lock, report.lock!), true);
    assert.equal(existsSync(lock), false);
    assert.equal((await runGat(['train', ...SHORT_RUN, '--out', out])).code, 0);
  });

  it("a lock of a training that is running: no 'Delete stale lock'", async () => {
    const out = tempDir();
    writeFileSync(path.join(out, '.gat-train.lock'), JSON.stringify({ format: 'gat-explorer/train-lock/2', pid: process.pid, hostname: os.hostname(), takenAt: new Date().toISOString(), processStartedAt: currentProcessStart(), token: 'live' }));
    const { exit, error, lastCheckpoint } = await failedTraining([...SHORT_RUN, '--out', out]);
    assert.equal(exit.code, 6);
    assert.equal(error?.code, 'lock-held');
    assert.deepEqual(failureReport(exit, error, lastCheckpoint).actions, ['Open Folder', 'Show Log']);
  });

  it("--out naming a file: 'Open Folder' shows that file", async () => {
    const file = path.join(tempDir(), 'results.txt');
    writeFileSync(file, 'mine');
    const { exit, error, lastCheckpoint } = await failedTraining([...SHORT_RUN, '--out', file]);
    const report = failureReport(exit, error, lastCheckpoint);
    assert.equal(exit.code, 2);
    assert.deepEqual(report.actions, ['Open Folder', 'Show Log']);
    assert.equal(report.path, file);
  });

  it("a folder where a file goes, after a checkpoint: 'Resume' from that checkpoint, 'Open Folder' on the path in the way", async () => {
    const out = tempDir();
    mkdirSync(path.join(out, 'models'), { recursive: true });
    writeFileSync(path.join(out, 'models', 'binaries'), 'a file where the binaries folder should be');
    const { exit, error, lastCheckpoint } = await failedTraining(['--num-of-epochs', '4', '--checkpoint-freq', '2', '--backend', 'cpu', '--threads', '1', '--progress', 'json', '--out', out]);
    const report = failureReport(exit, error, lastCheckpoint);
    assert.equal(exit.code, 4);
    assert.deepEqual(report.actions, ['Resume', 'Open Folder', 'Show Log']);
    assert.match(report.resumeFrom ?? '', /gat_cora_ckpt_epoch_4\.safetensors$/);
    assert.match(report.path ?? '', /models[/\\]binaries[/\\]gat_cora_.*\.safetensors$/);
    assert.deepEqual(withResume(['--num-of-epochs', '4', '--resume', 'old.safetensors', '--resume=older'], report.resumeFrom!), ['--num-of-epochs', '4', '--resume', report.resumeFrom]);
  });

  it('a crash without an error event: the last output only, and the log', () => {
    const report = failureReport({ code: null, signal: 'SIGKILL' }, undefined, '/x/ckpt.safetensors');
    assert.deepEqual(report.actions, ['Show Log']);
    assert.equal(report.what, 'the training process was killed (SIGKILL)');
  });
});
