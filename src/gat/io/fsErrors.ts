/**
 * File-system failures in words a user can act on: what the error code means and what to do.
 * Every one-line message about a failed file operation takes its wording from here.
 */

/** The codes a known path can fail with, each with its meaning and the fix. */
const KNOWN: Readonly<Record<string, { readonly means: string; readonly fix: string }>> = {
  ENOSPC: { means: 'the disk is full', fix: 'free some disk space' },
  EDQUOT: { means: 'the disk quota is used up', fix: 'free some space' },
  EACCES: { means: 'permission denied', fix: 'make it readable and writable for you, or choose another folder' },
  EPERM: { means: 'operation not permitted', fix: 'check its permissions, or choose another folder' },
  EROFS: { means: 'the file system is read-only', fix: 'choose a folder on a writable disk' },
  EISDIR: { means: 'it is a folder where a file is expected', fix: 'remove or rename that folder' },
  ENOTDIR: { means: 'a part of the path is a file where a folder is expected', fix: 'remove or rename that file, or choose another path' },
  EEXIST: { means: 'something else already exists there', fix: 'remove or rename it, or choose another path' },
  ENOENT: { means: 'no such file or folder', fix: 'check the path' },
  // A limit per process: closing other programs frees none of this one's descriptors.
  EMFILE: { means: 'too many open files in this process', fix: 'raise the limit with ulimit -n (e.g. ulimit -n 4096)' },
  ENFILE: { means: 'the system has too many files open', fix: 'close other programs' },
  EFBIG: { means: 'the file is larger than the file system or the file size limit allows', fix: 'write to a disk that takes larger files, or raise the limit (ulimit -f)' },
  ENAMETOOLONG: { means: 'the path is too long', fix: 'choose a shorter path' },
  ELOOP: { means: 'the path has a loop of symbolic links', fix: 'fix the links or choose another path' },
};

/** What a Node file-system error says, when it names a path: its code, the path and the system call. */
export interface PathErrno {
  readonly code: string;
  readonly path: string;
  readonly syscall?: string;
}

/** A Node file-system error with a known code and a path, or null. */
export function pathErrno(err: unknown): PathErrno | null {
  const e = err as Partial<NodeJS.ErrnoException> | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || typeof e.path !== 'string' || !(e.code in KNOWN)) return null;
  return { code: e.code, path: e.path, syscall: e.syscall };
}

/** "the disk is full": what the code means, or undefined for a code not listed. */
export function errnoMeans(code: string | undefined): string | undefined {
  return code ? KNOWN[code]?.means : undefined;
}

/** "the disk is full (ENOSPC)": the code's meaning and the code, or undefined for a code not listed. */
export function errnoMeaning(code: string | undefined): string | undefined {
  const means = errnoMeans(code);
  return means ? `${means} (${code})` : undefined;
}

/** What to do about the code ("free some disk space…"), or undefined for a code not listed. */
export function errnoFix(code: string | undefined): string | undefined {
  return code ? KNOWN[code]?.fix : undefined;
}

const VERBS: Readonly<Record<string, string>> = {
  open: 'open', read: 'read', write: 'write', mkdir: 'create the folder', rename: 'replace', unlink: 'remove', rmdir: 'remove the folder',
  scandir: 'list the folder', stat: 'read', lstat: 'read', link: 'create', symlink: 'create', copyfile: 'copy to', fsync: 'write', access: 'open',
};

/** One line for a file-system error at a known path: "cannot <verb> <path>: <meaning> (<CODE>): <fix>, then try again." */
export function describePathErrno(p: PathErrno): string {
  const verb = (p.syscall && VERBS[p.syscall]) ?? 'use';
  return `cannot ${verb} ${p.path}: ${errnoMeaning(p.code)}: ${errnoFix(p.code)}, then try again`;
}
