/**
 * The one door every run artifact goes through: an atomic write (temp file + rename) whose failure
 * becomes an ArtifactWriteError that names the file and says how to carry on. Because the write is
 * atomic, a failure never damages what an earlier write saved.
 */
import { writeFileAtomic } from '../io/atomicWrite';
import { errnoFix, errnoMeaning, errnoMeans } from '../io/fsErrors';

const WRONG_KIND: ReadonlySet<string> = new Set(['EISDIR', 'ENOTDIR', 'EEXIST', 'EMFILE', 'ENFILE', 'EFBIG', 'ENAMETOOLONG', 'ELOOP']);
const capitalize = (s: string): string => s[0].toUpperCase() + s.slice(1);

/** Writes `data` to `target` atomically. Injectable so tests can simulate a full disk. */
export type FileWriter = (target: string, data: string | Uint8Array) => Promise<void>;

export const defaultFileWriter: FileWriter = writeFileAtomic;

export interface WriteOptions {
  readonly writer?: FileWriter;
  /** The last checkpoint that is safely on disk, offered as the `--resume` point in the error. */
  readonly resumeFrom?: string | null;
}

export class ArtifactWriteError extends Error {
  /** Stable code for TrainingErrorEvent.code. */
  readonly code = 'disk';
  readonly exitCode = 4;
  constructor(
    readonly path: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ArtifactWriteError';
  }
}

export function describeWriteFailure(target: string, err: unknown, resumeFrom?: string | null): string {
  const e = err as NodeJS.ErrnoException;
  const reason = e?.code === 'ENOSPC' ? errnoMeaning(e.code) : e?.code ? `${e.code}: ${errnoMeans(e.code) ?? e.message}` : String((e as Error)?.message ?? err);
  // Something in the way (a folder where the file goes, too many open files) has its own fix; the rest is space or permissions.
  const fix = e?.code && WRONG_KIND.has(e.code) ? capitalize(errnoFix(e.code)!) : 'Free some disk space (or make the folder writable)';
  const next = resumeFrom ? `${fix} and resume with --resume ${resumeFrom}` : `${fix} and run the command again`;
  return `could not write ${target}: ${reason}. Files saved earlier are unchanged. ${next}.`;
}

export async function writeArtifact(target: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const writer = options.writer ?? defaultFileWriter;
  try {
    await writer(target, data);
  } catch (err) {
    if (err instanceof ArtifactWriteError) throw err;
    throw new ArtifactWriteError(target, describeWriteFailure(target, err, options.resumeFrom), err);
  }
}
