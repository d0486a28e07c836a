/**
 * The real `gat` with its peak memory measured: a preload (NODE_OPTIONS=--require) writes the
 * process's getrusage maximum resident set size as it exits, the figure `/usr/bin/time -v` reports
 * as "Maximum resident set size" (worker threads included: they share the process).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runGat, type CliResult } from './cli';
import { tempDir } from './tempDir';

let preload: string | undefined;
let runs = 0;

function preloadScript(): string {
  if (!preload) {
    preload = path.join(tempDir('gat-rss-'), 'reportPeakRss.js');
    writeFileSync(preload, "process.on('exit', () => require('node:fs').writeFileSync(process.env.GAT_TEST_PEAK_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
  }
  return preload;
}

export interface MeasuredCliResult extends CliResult {
  /** Peak resident set size in MiB; undefined when the process did not exit by itself (killed, timed out). */
  readonly peakRssMiB: number | undefined;
}

export async function runGatMeasured(args: readonly string[], options: Parameters<typeof runGat>[1] = {}): Promise<MeasuredCliResult> {
  const script = preloadScript();
  const report = path.join(path.dirname(script), `peak-${process.pid}-${++runs}.txt`);
  const nodeOptions = [process.env.NODE_OPTIONS, `--require "${script}"`].filter(Boolean).join(' ');
  const r = await runGat(args, { ...options, env: { ...options.env, NODE_OPTIONS: nodeOptions, GAT_TEST_PEAK_RSS_FILE: report } });
  let peakRssMiB: number | undefined;
  try {
    peakRssMiB = Number(readFileSync(report, 'utf8')) / 1024; // maxRSS is in KiB
  } catch {
    peakRssMiB = undefined;
  }
  return { ...r, peakRssMiB };
}
