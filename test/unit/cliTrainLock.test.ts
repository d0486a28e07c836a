/**
 * The output folder's training lock and the first writes of a run, through the real CLI: many
 * trainings started at once, stale and unverifiable locks, and a folder that cannot be written at
 * the start (read-only, full, a file where the folder or the lock goes).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readRun } from '../../src/gat/artifacts/runRecord';
import { processStartMs } from '../../src/gat/io/processInfo';
import { runGat, spawnGat, STACK_LINE } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { runGatOnSmallDisk } from '../helpers/smallDisk';
import { tempDir } from '../helpers/tempDir';
import { runIds } from '../helpers/trainedCora';

const LOCK = '.gat-train.lock';
const gatBin = path.join(repoRoot, 'bin', 'gat.js');
/** Trains until it is stopped: the one that takes the lock holds it while every other process tries. */
const LONG_RUN = ['--num-of-epochs', '100000', '--patience-period', '100000', '--checkpoint-freq', '100000', '--console-log-freq', '100000', '--backend', 'cpu', '--threads', '1'];
const SHORT_RUN = ['--num-of-epochs', '2', '--backend', 'cpu', '--threads', '1'];

/** A pid that ran and is gone. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/** Lock files as this version writes them, and as older versions did ({ pid, hostname, startedAt = when taken }). */
const staleLocks: ReadonlyArray<{ name: string; text: () => string }> = [
  { name: 'its pid is gone', text: () => JSON.stringify({ format: 'gat-explorer/train-lock/2', pid: deadPid(), hostname: os.hostname(), takenAt: new Date().toISOString(), processStartedAt: new Date().toISOString(), token: 'a' }) },
  { name: 'its pid (1) now belongs to a process started at another time', text: () => JSON.stringify({ format: 'gat-explorer/train-lock/2', pid: 1, hostname: os.hostname(), takenAt: new Date().toISOString(), processStartedAt: new Date(processStartMs(1)! - 3_600_000).toISOString(), token: 'b' }) },
  { name: 'an older version took it before pid 1 started (an earlier boot)', text: () => JSON.stringify({ pid: 1, hostname: os.hostname(), startedAt: new Date(processStartMs(1)! - 86_400_000).toISOString() }) },
];

interface RaceResult {
  /** Processes that started training (printed the start line). */
  readonly trained: number;
  /** Processes refused because another training holds the lock (exit 6). */
  readonly refused: number;
  readonly unexpected: string[];
}

/**
 * Starts `n` trainings into `out` at the same instant. The one that takes the lock trains until every
 * other process has ended; then it is stopped (SIGTERM: a checkpoint, exit 130).
 */
async function race(out: string, n: number): Promise<RaceResult> {
  const children = Array.from({ length: n }, () => spawnGat(['train', ...LONG_RUN, '--out', out]));
  const outputs = children.map(() => ({ stdout: '', stderr: '' }));
  let ended = 0;
  const started = new Set<number>();
  const stopIfAlone = (): void => {
    if (ended + started.size < n) return;
    for (const i of started) children[i].kill('SIGTERM');
  };
  const exits = children.map(
    (child, i) =>
      new Promise<number | null>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          outputs[i].stdout += d.toString();
          if (!started.has(i) && outputs[i].stdout.includes('Training GAT on')) {
            started.add(i);
            stopIfAlone();
          }
        });
        child.stderr.on('data', (d: Buffer) => (outputs[i].stderr += d.toString()));
        child.on('close', (code) => {
          if (!started.has(i)) ended++;
          stopIfAlone();
          resolve(code);
        });
      }),
  );
  const codes = await Promise.all(exits);
  const unexpected: string[] = [];
  let refused = 0;
  codes.forEach((code, i) => {
    const { stdout, stderr } = outputs[i];
    assert.doesNotMatch(stderr, STACK_LINE);
    if (started.has(i)) {
      if (code !== 130) unexpected.push(`the training exited with ${code}: ${stderr}`);
    } else if (code === 6 && /^gat train: error: another training \(pid \d+ on .+, lock taken at .+\) is already writing to .+\n$/.test(stderr)) refused++;
    else unexpected.push(`exit ${code}: ${stdout}${stderr}`);
  });
  return { trained: started.size, refused, unexpected };
}

describe('gat train: one training per output folder', () => {
  it('8 trainings started at once into one folder: exactly one trains, the others are refused in one line (exit 6)', async () => {
    for (let trial = 0; trial < 2; trial++) {
      const out = tempDir();
      const r = await race(out, 8);
      assert.deepEqual(r, { trained: 1, refused: 7, unexpected: [] }, `trial ${trial}`);
      assert.equal(runIds(out).length, 1);
      assert.equal(existsSync(path.join(out, LOCK)), false, 'released');
    }
  });

  for (const stale of staleLocks) {
    it(`8 trainings started at once into a folder whose lock is stale (${stale.name}): exactly one takes it over and trains`, async () => {
      const out = tempDir();
      writeFileSync(path.join(out, LOCK), stale.text());
      const r = await race(out, 8);
      assert.deepEqual(r, { trained: 1, refused: 7, unexpected: [] });
      assert.equal(runIds(out).length, 1);
      assert.deepEqual(readdirSync(out).filter((f) => f.startsWith('.')), [], 'no lock, break marker or temp file left');
    });
  }

  it('a lock an older version left naming a live pid that started before it (pid 1): refused, naming the lock, pid, host and time, and how to remove it', async () => {
    const out = tempDir();
    const takenAt = new Date().toISOString();
    const lock = path.join(out, LOCK);
    writeFileSync(lock, JSON.stringify({ pid: 1, hostname: os.hostname(), startedAt: takenAt }));
    const r = await runGat(['train', ...SHORT_RUN, '--out', out, '--progress', 'json']);
    assert.equal(r.code, 6, r.stderr);
    const since = new Date(processStartMs(1)!).toISOString();
    const line = `the output folder ${out} is locked by ${lock}, taken at ${takenAt} by pid 1 on ${os.hostname()}, and it was written by an older version that did not record its process's start time, so pid 1 (running since ${since}) may be an unrelated process. If no training is running there, delete ${lock} and train again`;
    assert.equal(r.stderr, `gat train: error: ${line}\n`);
    const error = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'error');
    assert.deepEqual(error, { type: 'error', message: line, code: 'lock-unverifiable', path: lock, lock: { pid: 1, hostname: os.hostname(), takenAt } });
    assert.equal(existsSync(lock), true, 'left for the user to judge');
  });

  it('a lock taken on another machine is not judged from here: refused, naming that machine', async () => {
    const out = tempDir();
    const lock = path.join(out, LOCK);
    writeFileSync(lock, JSON.stringify({ format: 'gat-explorer/train-lock/2', pid: deadPid(), hostname: 'elsewhere.example', takenAt: '2026-01-02T03:04:05.000Z', processStartedAt: '2026-01-02T03:04:00.000Z', token: 'c' }));
    const r = await runGat(['train', ...SHORT_RUN, '--out', out]);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, new RegExp(`^gat train: error: the output folder .* is locked by ${lock.replace(/[.]/g, '\\.')}, taken at 2026-01-02T03:04:05\\.000Z by pid \\d+ on elsewhere\\.example, and it was taken on another machine, which this one cannot check\\. If no training is running there, delete .* and train again\\n$`));
  });

  it('--out naming a file: one line (exit 2), the file untouched', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'results.txt');
    writeFileSync(file, 'mine');
    const r = await runGat(['train', ...SHORT_RUN, '--out', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `gat train: error: the output folder ${file} is a file, not a folder: choose a folder for --out (one that does not exist yet is made)\n`);
    assert.deepEqual(readdirSync(dir), ['results.txt']);
  });

  it('the lock is a folder, or a link to /dev/zero: one line naming it (exit 4), nothing read from the device', async () => {
    const out = tempDir();
    mkdirSync(path.join(out, LOCK));
    const asFolder = await runGat(['train', ...SHORT_RUN, '--out', out]);
    assert.equal(asFolder.code, 4);
    assert.equal(asFolder.stderr, `gat train: error: could not take the training lock ${path.join(out, LOCK)}: it is a folder, not a file. Remove that folder (rmdir ${path.join(out, LOCK)}) and train again.\n`);

    const other = tempDir();
    symlinkSync('/dev/zero', path.join(other, LOCK));
    const asLink = await runGat(['train', ...SHORT_RUN, '--out', other], { timeoutMs: 30_000 });
    assert.equal(asLink.code, 4);
    assert.equal(asLink.stderr, `gat train: error: could not take the training lock ${path.join(other, LOCK)}: it is a symbolic link, not a file. Remove it (rm ${path.join(other, LOCK)}) and train again.\n`);
  });

  it('a temp file of a writer killed mid-write is removed when its folder is next written; a live writer\'s is kept', async () => {
    const out = tempDir();
    const binaries = path.join(out, 'models', 'binaries');
    mkdirSync(binaries, { recursive: true });
    const dead = `.gat_cora_x.safetensors.${deadPid()}.0123abcd.tmp`;
    const live = `.gat_cora_y.safetensors.${process.pid}.4567cdef.tmp`;
    const deadLockTemp = `.${LOCK}.${deadPid()}.89abcdef.tmp`;
    for (const f of [dead, live]) writeFileSync(path.join(binaries, f), 'half');
    writeFileSync(path.join(out, deadLockTemp), 'half');
    const r = await runGat(['train', ...SHORT_RUN, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const left = readdirSync(binaries);
    assert.equal(left.includes(dead), false, 'the dead writer\'s temp file is gone');
    assert.equal(left.includes(live), true, 'a live writer\'s temp file stays');
    assert.equal(existsSync(path.join(out, deadLockTemp)), false);
  });
});

describe('gat train: a folder that cannot be written at the start', () => {
  /** The one line a failed write gives, at the start as mid-run (without a checkpoint to resume from). */
  const writeFailure = (file: string, reason: string): string => `gat train: error: could not write ${file}: ${reason}. Files saved earlier are unchanged. Free some disk space (or make the folder writable) and run the command again.\n`;

  it('a read-only output folder or runs/ folder (EACCES): one line (exit 4), no lock and no run folder left', async () => {
    // As root, run as 'nobody' so the folders' permissions really apply (root ignores them).
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65534, gid: 65534 } : {};
    const base = tempDir();
    chmodSync(base, 0o755);
    const readOnly = path.join(base, 'readonly');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    const env = { HOME: base };
    const locked = await runGat(['train', ...SHORT_RUN, '--out', readOnly], { cwd: base, env, ...user });
    assert.equal(locked.code, 4, locked.stderr);
    assert.equal(locked.stderr, writeFailure(path.join(readOnly, LOCK), 'EACCES: permission denied'));
    assert.deepEqual(readdirSync(readOnly), []);

    const out = path.join(base, 'out');
    mkdirSync(path.join(out, 'runs'), { recursive: true });
    if (asRoot) chownSync(out, 65534, 65534);
    chmodSync(path.join(out, 'runs'), 0o555);
    const noRuns = await runGat(['train', ...SHORT_RUN, '--out', out], { cwd: base, env, ...user });
    assert.equal(noRuns.code, 4, noRuns.stderr);
    assert.match(noRuns.stderr, new RegExp(`^gat train: error: could not write ${out}/runs/[^/]+: EACCES: permission denied\\. Files saved earlier are unchanged\\. Free some disk space \\(or make the folder writable\\) and run the command again\\.\\n$`));
    assert.deepEqual(readdirSync(out), ['runs'], 'the lock was released');
    assert.deepEqual(readdirSync(path.join(out, 'runs')), []);
  });

  it('a full disk (ENOSPC) when taking the lock or writing run.json: the line a full disk gives mid-run (exit 4), no lock left', async () => {
    const full = await runGatOnSmallDisk({ sizeKb: 256, freePages: 0 }, (root) => ['train', ...SHORT_RUN, '--out', path.join(root, 'out')]);
    assert.equal(full.code, 4, full.stderr);
    assert.match(full.stderr, /^gat train: error: could not write \S+\/out\/\.gat-train\.lock: the disk is full \(ENOSPC\)\. Files saved earlier are unchanged\. Free some disk space \(or make the folder writable\) and run the command again\.\n$/);
    assert.deepEqual(full.files, ['filler', 'out']);

    // One page free: the lock takes it, run.json finds none.
    const almost = await runGatOnSmallDisk({ sizeKb: 256, freePages: 1 }, (root) => ['train', ...SHORT_RUN, '--out', path.join(root, 'out')]);
    assert.equal(almost.code, 4, almost.stderr);
    assert.match(almost.stderr, /^gat train: error: could not write \S+\/out\/runs\/[^/]+\/run\.json: the disk is full \(ENOSPC\)\. Files saved earlier are unchanged\. Free some disk space \(or make the folder writable\) and run the command again\.\n$/);
    assert.deepEqual(almost.files, ['filler', 'out', 'out/runs'], 'no lock, no empty run folder, no temp file');
  });

  it('a read-only file system (EROFS): one line (exit 4), nothing written', async () => {
    const r = await runGatOnSmallDisk({ sizeKb: 256, readOnly: true, prepare: 'mkdir out' }, (root) => ['train', ...SHORT_RUN, '--out', path.join(root, 'out')]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^gat train: error: could not write \S+\/out\/\.gat-train\.lock: EROFS: the file system is read-only\. Files saved earlier are unchanged\. Free some disk space \(or make the folder writable\) and run the command again\.\n$/);
    assert.deepEqual(r.files, ['out']);
  });

  it('a snapshot that cannot be written ends the run at once, naming the file, not thousands of epochs later', async () => {
    // Snapshots at epochs 1 and 3000. A file size limit (ulimit -f, as on a FAT disk) that run.json and
    // metrics.jsonl stay under, but the first snapshot (~0.5 MB on Cora) does not: a write fails with EFBIG.
    const out = tempDir();
    const args = ['train', '--num-of-epochs', '3000', '--patience-period', '100000', '--checkpoint-freq', '100000', '--snapshots', '2', '--backend', 'cpu', '--threads', '1', '--progress', 'json', '--out', out];
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 200; exec "$0" "$@"`, process.execPath, gatBin, ...args], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 4, r.stderr);
    const runDir = path.join(out, 'runs', runIds(out)[0]);
    const snapshot = path.join(runDir, 'snapshots', 'epoch_1.safetensors');
    assert.equal(r.stderr, `gat train: error: could not write ${snapshot}: EFBIG: the file is larger than the file system or the file size limit allows. Files saved earlier are unchanged. Write to a disk that takes larger files, or raise the limit (ulimit -f) and run the command again.\n`);
    const epochs = r.stdout.split('\n').filter((l) => l.startsWith('{"type":"epoch"')).length;
    assert.ok(epochs >= 1 && epochs < 100, `stopped within a few epochs of the failed snapshot, not at epoch 3000: ${epochs} epochs`);
    const run = await readRun(runDir);
    assert.equal(run.status, 'failed');
    assert.equal(run.error, r.stderr.replace('gat train: error: ', '').trim());
  });
});

describe('gat: the top-level handler', () => {
  it('a bug prints one line and exits 1, a RangeError included (not a usage error); GAT_DEBUG=1 adds the stack', async () => {
    for (const kind of ['Error', 'RangeError']) {
      const r = await runGat(['backends'], { env: { GAT_TEST_UNEXPECTED_ERROR: kind } });
      assert.equal(r.code, 1, kind);
      assert.equal(r.stderr, 'gat backends: unexpected error: a test of the top-level handler (this is a bug: run again with GAT_DEBUG=1 for the stack trace, and report it)\n');
    }
    const debug = await runGat(['backends'], { env: { GAT_TEST_UNEXPECTED_ERROR: 'Error', GAT_DEBUG: '1' }, expectStackTrace: true });
    assert.equal(debug.code, 1);
    assert.match(debug.stderr, STACK_LINE);
  });
});
