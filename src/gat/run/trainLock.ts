/**
 * One training at a time per output folder (two runs would interleave checkpoints and TensorBoard
 * files). `<out>/.gat-train.lock` names its owner (lockOwner.ts). Every step that changes the lock
 * is atomic, so that many trainings started at once into one folder, with or without a stale lock
 * there, end with exactly one of them training:
 * - taking it: the owner's text goes to a temp file, hard-linked to the lock's name (link fails if
 *   the name exists, and the lock never exists half written);
 * - taking over a stale one: only the process that creates `<lock>.break-<hash of its text>-1` may
 *   remove it, and only while the lock still holds the text it judged stale;
 * - releasing it: only while it still holds this process's own text.
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { TRAINING_EXIT } from '../../protocol/trainingEvents';
import { ArtifactWriteError, describeWriteFailure } from '../artifacts/artifactWrite';
import { removeDeadWritersTemps, tempPathFor } from '../io/atomicWrite';
import { describeKind } from '../io/userFile';
import { isProcessAlive } from '../io/processInfo';
import { judgeLockOwner, myLockText, parseLockOwner, type LockOwner, type LockVerdict } from './lockOwner';

export const LOCK_NAME = '.gat-train.lock';

/** The lock is held by a training that runs (lock-held) or may run (lock-unverifiable): exit 6. */
export class TrainLockError extends Error {
  readonly exitCode = TRAINING_EXIT.locked;
  constructor(
    readonly code: 'lock-held' | 'lock-unverifiable' | 'lock-contended',
    readonly path: string,
    readonly owner: LockOwner | null,
    message: string,
  ) {
    super(message);
    this.name = 'TrainLockError';
  }
}

/** --out names something that is not a folder: an argument error (exit 2). */
export class OutFolderError extends Error {
  readonly exitCode = TRAINING_EXIT.usage;
  readonly code = 'not-a-folder';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'OutFolderError';
  }
}

/** Tries before giving up when other trainings keep taking and releasing the lock. */
const MAX_ATTEMPTS = 400;
/** Between tries while another process is taking over a stale lock (which takes a few milliseconds). */
const RETRY_MS = 10;
/** A lock whose text names no owner is being written (older versions wrote it in two steps) until it is this old. */
const UNREADABLE_GRACE_MS = 2_000;
/** A break marker this old belongs to a process that died while taking over a stale lock. */
const BREAKER_TIMEOUT_MS = 10_000;
/** A lock is a few hundred bytes; reading more would only serve a hostile file. */
const MAX_LOCK_BYTES = 4096;
/** File systems without hard links (some network and FAT mounts): the lock is created with O_EXCL instead. */
const NO_HARD_LINKS: ReadonlySet<string | undefined> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Takes `<outDir>/.gat-train.lock` (making the folder if need be); resolves to its release. */
export async function acquireTrainLock(outDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(outDir);
  await ensureFolder(dir);
  const file = path.join(dir, LOCK_NAME);
  const mine = myLockText();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await createLock(file, mine)) {
      await removeDeadBreakMarkers(dir);
      await removeDeadWritersTemps(dir); // a lock temp file of a process killed while taking the lock
      return () => releaseLock(file, mine);
    }
    const seen = await readLock(file);
    if (seen === null) continue; // released since: try again
    const owner = parseLockOwner(seen.text);
    if (owner === null && Date.now() - seen.mtimeMs < UNREADABLE_GRACE_MS) {
      await sleep(RETRY_MS);
      continue;
    }
    const verdict: LockVerdict = owner ? judgeLockOwner(owner) : { kind: 'stale', why: 'it names no owner' };
    if (verdict.kind === 'stale') {
      if ((await breakStaleLock(file, seen.text)) === 'busy') await sleep(RETRY_MS);
      continue;
    }
    throw lockedError(file, dir, owner!, verdict);
  }
  throw new TrainLockError('lock-contended', file, null, `could not take the training lock ${file}: other trainings kept taking it. Wait for them, or choose another --out folder`);
}

/** Removes the lock at `file` only if it still names `expected`'s process and time: the "Delete stale lock" action. */
export async function removeLockIfUnchanged(file: string, expected: Pick<LockOwner, 'pid' | 'hostname' | 'takenAt'>): Promise<boolean> {
  const seen = await readLock(file);
  const owner = seen && parseLockOwner(seen.text);
  if (!owner || owner.pid !== expected.pid || owner.hostname !== expected.hostname || owner.takenAt !== expected.takenAt) return false;
  return (await breakStaleLock(file, seen!.text)) === 'removed';
}

function lockedError(file: string, dir: string, owner: LockOwner, verdict: Exclude<LockVerdict, { kind: 'stale' }>): TrainLockError {
  if (verdict.kind === 'live') {
    return new TrainLockError('lock-held', file, owner, `another training (pid ${owner.pid} on ${owner.hostname}, lock taken at ${owner.takenAt}) is already writing to ${dir}: wait for it, cancel it, or choose another --out folder (the lock is ${file})`);
  }
  return new TrainLockError('lock-unverifiable', file, owner, `the output folder ${dir} is locked by ${file}, taken at ${owner.takenAt} by pid ${owner.pid} on ${owner.hostname}, and ${verdict.why}. If no training is running there, delete ${file} and train again`);
}

/** The output folder exists or is made; anything else at that path is refused in one line. */
async function ensureFolder(dir: string): Promise<void> {
  let stats: Stats | null = null;
  try {
    stats = await fs.stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ArtifactWriteError(dir, describeWriteFailure(dir, err), err);
  }
  if (stats && !stats.isDirectory()) throw new OutFolderError(dir, `the output folder ${dir} is ${describeKind(stats)}, not a folder: choose a folder for --out (one that does not exist yet is made)`);
  if (stats) return;
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ArtifactWriteError(dir, describeWriteFailure(dir, err), err);
  }
}

/** Creates the lock holding `text` in one step; false if a lock is there already. Leaves nothing behind on failure. */
async function createLock(file: string, text: string): Promise<boolean> {
  const tmp = tempPathFor(file);
  try {
    await fs.writeFile(tmp, text, { flag: 'wx' });
    await fs.link(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (err as NodeJS.ErrnoException).syscall === 'link') return false;
    if (NO_HARD_LINKS.has(code) && (err as NodeJS.ErrnoException).syscall === 'link') return createExclusive(file, text);
    throw new ArtifactWriteError(file, describeWriteFailure(file, err), err);
  } finally {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}

async function createExclusive(file: string, text: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ArtifactWriteError(file, describeWriteFailure(file, err), err);
  }
  try {
    await handle.writeFile(text);
    await handle.close();
    return true;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(file, { force: true }); // never leave an empty lock
    throw new ArtifactWriteError(file, describeWriteFailure(file, err), err);
  }
}

/** The lock's text and age, or null when there is none. Anything but a small regular file is refused in one line. */
async function readLock(file: string): Promise<{ text: string; mtimeMs: number } | null> {
  try {
    return await readSmallFile(file);
  } catch (err) {
    if (err instanceof NotAFileError) {
      const fix = err.stats.isDirectory() ? `remove that folder (rmdir ${file})` : `remove it (rm ${file})`;
      throw new ArtifactWriteError(file, `could not take the training lock ${file}: it is ${describeKind(err.stats)}, not a file. ${fix[0].toUpperCase()}${fix.slice(1)} and train again.`);
    }
    throw new ArtifactWriteError(file, describeWriteFailure(file, err), err);
  }
}

class NotAFileError extends Error {
  constructor(readonly stats: Stats) {
    super('not a regular file');
  }
}

/** The first MAX_LOCK_BYTES of a regular file (never following a link, never blocking on a FIFO), or null if there is none. */
async function readSmallFile(file: string): Promise<{ text: string; mtimeMs: number } | null> {
  let handle: fs.FileHandle;
  try {
    const stats = await fs.lstat(file);
    if (!stats.isFile()) throw new NotAFileError(stats);
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotAFileError(stats); // replaced between the lstat and the open
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), mtimeMs: stats.mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * Removes a lock judged stale, if it still holds the text judged. Of all the processes that judged
 * it so, only the one that creates the break marker acts; the others wait ('busy') and look again.
 * A marker whose process died midway is passed over for the next generation's.
 */
async function breakStaleLock(file: string, judged: string): Promise<'removed' | 'changed' | 'busy'> {
  const id = createHash('sha256').update(judged).digest('hex').slice(0, 16);
  for (let generation = 1; generation <= 8; generation++) {
    const marker = `${file}.break-${id}-${generation}`;
    try {
      await fs.writeFile(marker, String(process.pid), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ArtifactWriteError(marker, describeWriteFailure(marker, err), err);
      const stats = await fs.stat(marker).catch(() => null);
      if (!stats || Date.now() - stats.mtimeMs < BREAKER_TIMEOUT_MS) return 'busy';
      continue;
    }
    try {
      const now = await readLock(file);
      if (now?.text !== judged) return 'changed';
      await fs.unlink(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw new ArtifactWriteError(file, describeWriteFailure(file, err), err);
      });
      return 'removed';
    } finally {
      await fs.rm(marker, { force: true }).catch(() => undefined);
    }
  }
  return 'busy';
}

/** The lock's owner clears the markers that processes which died while breaking an earlier lock left. */
async function removeDeadBreakMarkers(dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(`${LOCK_NAME}.break-`)) continue;
    const marker = path.join(dir, name);
    const seen = await readSmallFile(marker).catch(() => null);
    const pid = Number(seen?.text);
    if (!seen || (Number.isSafeInteger(pid) && pid > 0 && isProcessAlive(pid) && Date.now() - seen.mtimeMs < BREAKER_TIMEOUT_MS)) continue;
    await fs.rm(marker, { force: true }).catch(() => undefined);
  }
}

/** Releases the lock if it is still this process's (a run never fails over its lock at the end). */
async function releaseLock(file: string, mine: string): Promise<void> {
  try {
    if ((await readLock(file))?.text === mine) await fs.unlink(file);
  } catch {
    // The lock is gone or unreadable: nothing of ours to release.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms * (0.5 + Math.random())));
}
