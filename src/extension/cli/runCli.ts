import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type * as vscode from 'vscode';

export interface CliResult {
  /** The exit code (1 when the process could not run or was killed). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Default 5 minutes; 0: none (a job the user can cancel instead, such as gat faithfulness). */
  readonly timeoutMs?: number;
  /** Aborting it kills the child (SIGTERM): a cancel button. */
  readonly signal?: AbortSignal;
  /** Each whole line the child writes to stderr, as it comes (progress). */
  readonly onStderrLine?: (line: string) => void;
}

/**
 * Runs `gat <args>` (the bundled dist/cli.js) in a child process, so its work (reading models,
 * forward passes, probing back ends) never runs on the extension host's thread. `env` adds to the
 * host's environment (the back ends the extension installed); Electron acts as Node.
 */
export function runCli(extensionUri: vscode.Uri, args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const cli = path.join(extensionUri.fsPath, 'dist', 'cli.js');
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: options.timeoutMs ?? 300_000, maxBuffer: 256 << 20, signal: options.signal }, (err, stdout, stderr) => {
      const status = (err as { code?: unknown } | null)?.code;
      const settle = (): void => resolve({ code: err ? (typeof status === 'number' ? status : 1) : 0, stdout, stderr });
      // An abort calls back as soon as the child is signalled: wait until it has exited, so a
      // cancelled job is over when it says so (nothing of it still writes).
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) settle();
      else child.once('exit', settle);
    });
    // A child that ignores SIGTERM is killed outright.
    options.signal?.addEventListener('abort', () => setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 3000).unref(), { once: true });
    const onLine = options.onStderrLine;
    if (onLine && child.stderr) {
      let partial = '';
      child.stderr.on('data', (chunk: Buffer | string) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
    }
  });
}

/** The last line a failed CLI printed (its own message says what is wrong), without the `gat … error:` prefix. */
export function cliFailure(r: CliResult): string {
  return (r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${r.code}`).replace(/^gat( \w+)?: (error: )?/, '');
}
