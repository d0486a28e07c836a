/**
 * One fuzz target in a child process (so a hang or an out-of-memory ends only this process): the
 * seeds first, then generated inputs until the time is up. Before each input it writes the input to
 * a file, so the parent can save the input that hung or crashed it.
 */
import * as fc from 'fast-check';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { MAX_MS_PER_INPUT, judge } from './target';
import { targetNamed } from './targets';

export interface ChildInit {
  readonly target: string;
  readonly seconds: number;
  readonly seed: number;
  readonly runSeeds: boolean;
  /** Where the input being run is kept. */
  readonly currentFile: string;
}

export type ChildReport =
  | { readonly type: 'finding'; readonly input: string /* base64 */; readonly reason: string; readonly signature: string }
  | { readonly type: 'progress'; readonly execs: number; readonly accepted: number; readonly rejected: number }
  | { readonly type: 'done' };

const init = JSON.parse(process.argv[2]) as ChildInit;
const target = targetNamed(init.target);
const stats = { execs: 0, accepted: 0, rejected: 0 };
const current = openSync(init.currentFile, 'w');
let lastReport = performance.now();

function send(report: ChildReport): void {
  if (process.send) process.send(report);
  else if (report.type === 'finding') console.log(report.signature, report.reason.split("\n")[0]);
}

async function runOne(input: Uint8Array): Promise<void> {
  ftruncateSync(current, 0);
  writeSync(current, input, 0, input.length, 0);
  const judged = judge(target, input);
  const outcome = judged instanceof Promise ? await judged : judged;
  stats.execs++;
  if (outcome.kind === 'finding') {
    send({ type: 'finding', input: Buffer.from(input).toString('base64'), reason: outcome.reason, signature: outcome.signature });
  } else if (outcome.ms > MAX_MS_PER_INPUT) {
    send({ type: 'finding', input: Buffer.from(input).toString('base64'), reason: `took ${outcome.ms.toFixed(0)} ms (limit ${MAX_MS_PER_INPUT} ms)`, signature: 'slow' });
  } else {
    stats[outcome.kind]++;
  }
  if (performance.now() - lastReport > 200) {
    lastReport = performance.now();
    send({ type: 'progress', ...stats });
  }
}

/** The seeds, then generated inputs until the time is up (awaited one by one: a target may be asynchronous). */
async function main(): Promise<void> {
  const deadline = performance.now() + init.seconds * 1000;
  if (init.runSeeds) for (const s of target.seeds()) await runOne(s);
  for (let batch = 0; performance.now() < deadline; batch++) {
    for (const input of fc.sample(target.generate, { numRuns: 25, seed: init.seed + batch })) {
      await runOne(input);
      if (performance.now() >= deadline) break;
    }
  }
  closeSync(current);
  send({ type: 'progress', ...stats });
  send({ type: 'done' });
  process.disconnect?.();
}

void main();
