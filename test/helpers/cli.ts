import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { gatForAnyUser } from './cliForAnyUser';
import { repoRoot } from './paths';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface GatOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Run it as another user (the caller must be root), from a copy of the CLI that user can read. */
  readonly uid?: number;
  readonly gid?: number;
  /** Only a test of GAT_DEBUG=1 expects a stack trace on stderr. */
  readonly expectStackTrace?: boolean;
}

/** A line of a JavaScript stack trace ("    at f (/x/y.js:1:2)"): never shown to a user for a handled error. */
export const STACK_LINE = /^\s+at .*:\d+:\d+\)?$/m;

/** Fails a test whose CLI printed a stack trace it did not expect. */
export function assertNoStackTrace(args: readonly string[], stderr: string): void {
  if (STACK_LINE.test(stderr)) throw new Error(`gat ${args.join(' ')} printed a stack trace on stderr:\n${stderr}`);
}

/** Starts the real `gat` command (bin/gat.js → dist/cli.js) as a user would, for tests that signal it. */
export function spawnGat(args: readonly string[], options: GatOptions = {}): ChildProcessByStdio<null, Readable, Readable> {
  const bin = options.uid !== undefined ? gatForAnyUser() : path.join(repoRoot, 'bin', 'gat.js');
  return spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
  });
}

/** Runs the real `gat` command to its end; rejects if it printed a stack trace (unless expected). */
export function runGat(args: readonly string[], options: GatOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGat(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        if (!options.expectStackTrace) assertNoStackTrace(args, stderr);
        resolve({ code, signal, stdout, stderr });
      } catch (err) {
        reject(err);
      }
    });
  });
}
