import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type * as vscode from 'vscode';

export interface CliResult {
  /** The exit code (1 when the process could not run or was killed). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `gat <args>` (the bundled dist/cli.js) in a child process, so its work (reading models,
 * forward passes, probing back ends) never runs on the extension host's thread. `env` adds to the
 * host's environment (the back ends the extension installed); Electron acts as Node.
 */
export function runCli(extensionUri: vscode.Uri, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const cli = path.join(extensionUri.fsPath, 'dist', 'cli.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: options.timeoutMs ?? 300_000, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      const status = (err as { code?: unknown } | null)?.code;
      resolve({ code: err ? (typeof status === 'number' ? status : 1) : 0, stdout, stderr });
    });
  });
}

/** The last line a failed CLI printed (its own message says what is wrong), without the `gat … error:` prefix. */
export function cliFailure(r: CliResult): string {
  return (r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${r.code}`).replace(/^gat( \w+)?: (error: )?/, '');
}
