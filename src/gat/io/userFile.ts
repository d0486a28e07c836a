/**
 * The one way a file a user hands us (a model, a checkpoint, a dataset file, a run's records) is
 * opened and read. The path is opened without blocking (a FIFO with no writer cannot hang the open)
 * and the OPEN handle is fstat'ed, so what is checked is what is read: anything but a regular file
 * (a folder, a FIFO, a device, a socket) is refused with one line naming the path and what it is.
 * Reads stop at a declared byte budget whatever size the file reports up front: a device reports
 * 0, and a file can grow while it is read.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fs, readlinkSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { errnoFix, errnoMeaning } from './fsErrors';

/** What went wrong: the caller picks its own error class and exit code by it. */
export type UserFileProblem = 'missing' | 'not-a-file' | 'too-big' | 'unreadable';

export class UserFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: UserFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'UserFileError';
  }
}

/** How much of one file a reader may take in. */
export interface ByteBudget {
  /** What the file is, for the message ("model file", "checkpoint"). */
  readonly what: string;
  readonly maxBytes: number;
  /**
   * An environment variable (a whole number of MiB) that replaces maxBytes, named in the refusal:
   * only where a bigger file can be legitimate (a user's own large dataset), never for our own small records.
   */
  readonly env?: string;
}

const MIB = 1 << 20;
/** Bytes asked of the OS per read: a budget, not the file's reported size, bounds what is held. */
const CHUNK_BYTES = 1 << 20;

/** Opening never waits on a FIFO's writer (O_NONBLOCK); a regular file reads the same with it. O_NONBLOCK is absent on Windows. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** An open regular file: read it, then close it. */
export interface UserFileHandle {
  readonly path: string;
  /** The size fstat reported: a hint, never trusted as a bound. */
  readonly size: number;
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/** Opens `file` for reading if it is a regular file; anything else is a UserFileError saying what it is. */
export async function openUserFile(file: string): Promise<UserFileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (err) {
    throw openFailure(file, err);
  }
  let stat: Stats;
  try {
    stat = await handle.stat();
  } catch (err) {
    await handle.close();
    throw unreadable(file, err);
  }
  if (!stat.isFile()) {
    await handle.close();
    throw notAFile(file, stat);
  }
  return {
    path: file,
    size: stat.size,
    async read(into, offset, length) {
      try {
        return (await handle.read(into, offset, length, null)).bytesRead;
      } catch (err) {
        throw unreadable(file, err);
      }
    },
    close: () => handle.close(),
  };
}

/** The whole of a regular file, refused past the budget (checked against the reported size first, then byte by byte as read). */
export async function readUserFile(file: string, budget: ByteBudget): Promise<Uint8Array> {
  const limit = budgetLimit(budget);
  const f = await openUserFile(file);
  try {
    if (f.size > limit) throw tooBig(file, budget, limit, f.size);
    // Sized by the reported size (a device or /proc file reports 0: start at a chunk and grow). One
    // byte more than expected sees the end in the same buffer, and tells a file of exactly `limit`
    // bytes from a longer one.
    let buf = new Uint8Array(Math.min(limit + 1, f.size > 0 ? f.size + 1 : CHUNK_BYTES));
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > limit) throw tooBig(file, budget, limit);
        const grown = new Uint8Array(Math.min(limit + 1, 2 * buf.length));
        grown.set(buf);
        buf = grown;
      }
      const n = await f.read(buf, length, Math.min(CHUNK_BYTES, buf.length - length));
      if (n === 0) break;
      length += n;
    }
    if (length > limit) throw tooBig(file, budget, limit);
    return buf.subarray(0, length);
  } finally {
    await f.close();
  }
}

/** A regular file as UTF-8 text, within the budget. */
export async function readUserText(file: string, budget: ByteBudget): Promise<string> {
  const bytes = await readUserFile(file, budget);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** A regular file read in chunks from the calling thread, for a parser that pulls its input (see openUserFileChunks). */
export interface UserFileChunks {
  readonly path: string;
  /** The size fstat reported: a hint, never trusted as a bound. */
  readonly size: number;
  /** The next bytes (valid until the next call), or null at the end; past the budget, a UserFileError. */
  next(): Uint8Array | null;
  close(): void;
}

/**
 * Opens a regular file (refusing anything else, as openUserFile does) for a parser that reads it
 * chunk by chunk and never holds it whole: the budget bounds what may be read in all.
 */
export function openUserFileChunks(file: string, budget: ByteBudget): UserFileChunks {
  const limit = budgetLimit(budget);
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw openFailure(file, err);
  }
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    throw unreadable(file, err);
  }
  if (!stat.isFile() || stat.size > limit) {
    closeSync(fd);
    throw stat.isFile() ? tooBig(file, budget, limit, stat.size) : notAFile(file, stat);
  }
  const chunk = new Uint8Array(CHUNK_BYTES);
  let total = 0;
  return {
    path: file,
    size: stat.size,
    next() {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw unreadable(file, err);
      }
      total += n;
      if (total > limit) throw tooBig(file, budget, limit);
      return n === 0 ? null : chunk.subarray(0, n);
    },
    close: () => closeSync(fd),
  };
}

/** One line of a text file; `terminated` is false for a last line without its '\n' (a write torn by a kill). */
export interface UserFileLine {
  readonly text: string;
  /** 1-based. */
  readonly number: number;
  readonly terminated: boolean;
}

/**
 * Calls `onLine` for each line of a regular file, read in chunks, so a file of any length costs one
 * chunk and one line of memory. A line longer than `maxLineBytes` is a UserFileError naming the
 * file and the line; `what` (e.g. "metrics file") completes that sentence.
 */
export async function readUserLines(file: string, maxLineBytes: number, what: string, onLine: (line: UserFileLine) => void): Promise<void> {
  const f = await openUserFile(file);
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let pending: Buffer[] = []; // the start of a line that continues past the chunk
    let pendingBytes = 0;
    let number = 0;
    const lineTooLong = (): UserFileError =>
      new UserFileError(file, 'too-big', `${file} line ${number + 1} is longer than ${formatBytes(maxLineBytes)}: not ${withArticle(what)} (its lines are short)`);
    for (;;) {
      const n = await f.read(chunk, 0, chunk.length);
      if (n === 0) break;
      const view = chunk.subarray(0, n);
      let start = 0;
      for (let nl = view.indexOf(0x0a, start); nl !== -1; nl = view.indexOf(0x0a, start)) {
        if (pendingBytes + nl - start > maxLineBytes) throw lineTooLong();
        const text = pendingBytes > 0 ? Buffer.concat([...pending, view.subarray(start, nl)]).toString('utf8') : view.toString('utf8', start, nl);
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
        onLine({ text, number: ++number, terminated: true });
      }
      if (start < n) {
        pendingBytes += n - start;
        if (pendingBytes > maxLineBytes) throw lineTooLong();
        pending.push(Buffer.from(view.subarray(start))); // a copy: the chunk is reused
      }
    }
    if (pendingBytes > 0) onLine({ text: Buffer.concat(pending).toString('utf8'), number: number + 1, terminated: false });
  } finally {
    await f.close();
  }
}

/** The budget in bytes: the environment's MiB where it names a valid number, else the default. */
export function budgetLimit(budget: ByteBudget): number {
  const raw = budget.env ? process.env[budget.env] : undefined;
  return raw !== undefined && /^[1-9][0-9]{0,6}$/.test(raw.trim()) ? Number(raw.trim()) * MIB : budget.maxBytes;
}

function tooBig(file: string, budget: ByteBudget, limit: number, reported?: number): UserFileError {
  const size = reported === undefined ? 'larger than' : `${reported} bytes, more than`;
  const raise = budget.env ? `; if it really is one, raise the limit with ${budget.env}=<MiB> (now ${Math.ceil(limit / MIB)})` : '';
  return new UserFileError(file, 'too-big', `${file} is ${size} the ${formatBytes(limit)} ${withArticle(budget.what)} may be${raise}`);
}

/** "a checkpoint", "an analysis". */
function withArticle(what: string): string {
  return `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`;
}

export function formatBytes(n: number): string {
  if (n >= MIB && n % MIB === 0) return `${n / MIB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** The open failed: say why in words, and what the path is where that is the reason (a socket cannot be opened). */
function openFailure(file: string, err: unknown): UserFileError {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': {
      // A dangling link says where it points: that is what the user has to fix.
      const target = linkTarget(file);
      return new UserFileError(file, 'missing', target === undefined ? `there is no file at ${file}` : `${file} is a link to ${target}, where there is no file`);
    }
    case 'ENOTDIR':
      return new UserFileError(file, 'missing', `${file} does not exist: a part of its path is a file, not a folder`);
    case 'EISDIR':
      return new UserFileError(file, 'not-a-file', `${file} is a folder, not a file`);
    case 'ENXIO':
    case 'EOPNOTSUPP': {
      let stat: Stats | undefined;
      try {
        stat = statSync(file);
      } catch {
        stat = undefined;
      }
      return stat && !stat.isFile() ? notAFile(file, stat) : unreadable(file, err);
    }
    default:
      return unreadable(file, err);
  }
}

/** "too many open files in this process (EMFILE): raise the limit …, then try again": fsErrors' words, so a read and a write that fail alike say the same. */
function describeErrno(code: string): string {
  return `${errnoMeaning(code)}: ${errnoFix(code)}, then try again`;
}

const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied (check its permissions and owner)',
  EPERM: 'permission denied (check its permissions and owner)',
  ELOOP: 'its symbolic links go round in a loop',
  EMFILE: describeErrno('EMFILE'),
  ENFILE: describeErrno('ENFILE'),
  EIO: 'an input/output error (a failing disk or a lost network share)',
};

function unreadable(file: string, err: unknown): UserFileError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = (code && ERRNO_WORDS[code]) ?? (code ? `${code}` : (err as Error).message);
  return new UserFileError(file, 'unreadable', `${file} cannot be read: ${why}`);
}

function notAFile(file: string, stat: Stats): UserFileError {
  return new UserFileError(file, 'not-a-file', `${file} is ${describeKind(stat)}${linkNote(file)}, not a file`);
}

/** What a path is, in words, for a message ("…/x is a folder, not a file"); lstat'ed paths name their links. */
export function describeKind(stat: Stats): string {
  if (stat.isFile()) return 'a file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Where a symbolic link points, or undefined when `file` is not one. */
function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** " (a link to /dev/zero)" where the path is a symbolic link, so the message shows what it really names. */
function linkNote(file: string): string {
  try {
    return lstatSync(file).isSymbolicLink() ? ` (a link to ${realpathSync(file)})` : '';
  } catch {
    return '';
  }
}
