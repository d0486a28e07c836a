import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { CliResult } from './cli';
import { repoRoot } from './paths';
import { tempDir } from './tempDir';

const GNU_TIME = '/usr/bin/time';

/**
 * Runs the real `gat` command under GNU time and returns its peak resident memory (maximum RSS,
 * in MB) with what it printed: how hostile files are held to a memory ceiling. GNU time writes to
 * a file of its own, so the command's stderr stays exactly what a user sees.
 */
export function runGatMeasured(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult & { peakRssMb: number }> {
  const report = path.join(tempDir('gat-rss-'), 'time.txt');
  return new Promise((resolve, reject) => {
    const child = spawn(GNU_TIME, ['-f', '%M', '-o', report, process.execPath, path.join(repoRoot, 'bin', 'gat.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => reject(new Error(`cannot run ${GNU_TIME} (apt-get install time): ${e.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const kb = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
      resolve({ code, signal, stdout, stderr, peakRssMb: kb / 1024 });
    });
  });
}
