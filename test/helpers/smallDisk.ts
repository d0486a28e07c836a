/**
 * `gat` on a real small disk: a tmpfs mounted in a private mount namespace (`unshare`), as root or,
 * for any other user, in an unprivileged user namespace. The disk can be filled up first, to a
 * given number of free 4 KiB pages, or made read-only: the ENOSPC and EROFS a user's disk gives.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertNoStackTrace, type CliResult } from './cli';
import { repoRoot } from './paths';
import { tempDir } from './tempDir';

export interface SmallDisk {
  /** The tmpfs's size in KiB. */
  readonly sizeKb: number;
  /** Fill it until only this many 4 KiB pages are free (left out: not filled). */
  readonly freePages?: number;
  /** Remount it read-only before the CLI runs. */
  readonly readOnly?: boolean;
  /** Shell lines run in the disk's root before it is filled (to lay out files). */
  readonly prepare?: string;
}

export interface SmallDiskResult extends CliResult {
  /** Every path left on the disk afterwards, relative to its root, sorted ('filler' is the filling). */
  readonly files: string[];
}

/** Flags for unshare: a mount namespace as root, else also a user namespace in which the user is root. */
function unshareFlags(): string[] {
  return process.getuid?.() === 0 ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
}

/** Runs `gat <args(root)>` with a fresh tmpfs at `root`; the tmpfs is gone when it returns. */
export function runGatOnSmallDisk(disk: SmallDisk, args: (root: string) => string[], timeoutMs = 120_000): Promise<SmallDiskResult> {
  const root = tempDir('gat-disk-');
  const listing = path.join(tempDir('gat-disk-list-'), 'files');
  const fill =
    disk.freePages === undefined
      ? ''
      : `dd if=/dev/zero of=spare bs=4096 count=${disk.freePages} 2>/dev/null; dd if=/dev/zero of=filler bs=4096 2>/dev/null || true; rm -f spare`;
  const script = [
    'set -e',
    `mount -t tmpfs -o size=${disk.sizeKb}k,mode=0777 gat-test-disk "$ROOT"`,
    'cd "$ROOT"',
    disk.prepare ?? ':',
    fill || ':',
    disk.readOnly ? 'mount -o remount,ro "$ROOT"' : ':',
    'set +e',
    '"$NODE" "$GAT" "$@"; code=$?',
    'find . -mindepth 1 | sed "s|^\\./||" | sort > "$LISTING"',
    'exit $code',
  ].join('\n');
  const cliArgs = args(root);
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', [...unshareFlags(), 'sh', '-c', script, 'sh', ...cliArgs], {
      cwd: repoRoot,
      env: { ...process.env, ROOT: root, LISTING: listing, NODE: process.execPath, GAT: path.join(repoRoot, 'bin', 'gat.js') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let files: string[];
      try {
        files = readFileSync(listing, 'utf8').split('\n').filter((f) => f !== '');
      } catch (err) {
        reject(new Error(`could not mount a small disk with unshare (as root, or in a user namespace): ${(err as Error).message}\n${stderr}`));
        return;
      }
      try {
        assertNoStackTrace(cliArgs, stderr);
      } catch (err) {
        reject(err);
        return;
      }
      resolve({ code, signal, stdout, stderr, files });
    });
  });
}

