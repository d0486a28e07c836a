/**
 * `npm run fuzz -- --seconds N [--target T] [--seed S] [--json]`: runs each target for N seconds in a
 * child process and prints executions and findings per target. A finding is an input that broke the
 * contract (see target.ts): a foreign exception, an error that names no file or place, an accepted
 * result that is malformed, more than a second, a hang, a crash, or more than 512 MB. Each distinct finding is
 * saved under out/fuzz/findings/<target>/ with its reason; once fixed, move it to
 * test/fuzz/corpus/<target>/, where the unit tier replays it on every run.
 */
import { createHash } from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ChildInit, ChildReport } from './fuzzChild';
import { MAX_BYTES_PER_INPUT, MAX_MS_PER_INPUT } from './target';
import { FUZZ_TARGETS } from './targets';

interface Options {
  seconds: number;
  targets: string[];
  seed: number;
  json: boolean;
  outDir: string;
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { seconds: 10, targets: [], seed: Date.now() % 2 ** 31, json: false, outDir: path.resolve('out', 'fuzz', 'findings') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--seconds') o.seconds = Number(value());
    else if (a === '--target') o.targets.push(...value().split(','));
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--json') o.json = true;
    else if (a === '--out') o.outDir = path.resolve(value());
    else throw new Error(`unknown option ${a} (usage: --seconds N [--target T[,T…]] [--seed S] [--json] [--out DIR])`);
  }
  if (!(o.seconds > 0)) throw new Error('--seconds must be a positive number');
  if (!Number.isInteger(o.seed)) throw new Error('--seed must be an integer');
  const known = FUZZ_TARGETS.map((t) => t.name);
  for (const t of o.targets) if (!known.includes(t)) throw new Error(`no fuzz target '${t}' (targets: ${known.join(', ')})`);
  return o;
}

interface TargetResult {
  target: string;
  seconds: number;
  execs: number;
  execsPerSecond: number;
  accepted: number;
  rejected: number;
  findings: Array<{ signature: string; reason: string; file: string; bytes: number }>;
}

/** An input that makes no progress for this long hangs. */
const HANG_MS = MAX_MS_PER_INPUT * 3;

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs one target for `seconds` in child processes, starting a new one after a hang or a crash. */
async function fuzzTarget(name: string, o: Options): Promise<TargetResult> {
  const result: TargetResult = { target: name, seconds: o.seconds, execs: 0, execsPerSecond: 0, accepted: 0, rejected: 0, findings: [] };
  const seen = new Set<string>();
  const save = (signature: string, reason: string, input: Uint8Array): void => {
    if (seen.has(signature)) return;
    seen.add(signature);
    const dir = path.join(o.outDir, name);
    mkdirSync(dir, { recursive: true });
    const id = createHash('sha256').update(input).digest('hex').slice(0, 16);
    const file = path.join(dir, `${id}.bin`);
    writeFileSync(file, input);
    writeFileSync(path.join(dir, `${id}.txt`), `${signature}\n${reason}\n`);
    result.findings.push({ signature, reason: reason.split('\n')[0], file, bytes: input.length });
  };
  const currentFile = path.join(o.outDir, '..', `current-${name}.bin`);
  mkdirSync(path.dirname(currentFile), { recursive: true });
  const t0 = performance.now();
  for (let restarts = 0; performance.now() - t0 < o.seconds * 1000; restarts++) {
    const init: ChildInit = { target: name, seconds: o.seconds - (performance.now() - t0) / 1000, seed: o.seed + 7919 * restarts, runSeeds: restarts === 0, currentFile };
    const child = fork(path.join(__dirname, 'fuzzChild.js'), [JSON.stringify(init)], { execArgv: ['--enable-source-maps', '--max-old-space-size=1024', '--stack-size=984'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const stats = { execs: 0, accepted: 0, rejected: 0 };
    let done = false;
    let killedFor = null as { signature: string; reason: string } | null; // set by the watchdog
    let lastProgress = performance.now();
    const baseline = { rss: 0 };
    const watch = setInterval(() => {
      const rss = rssOf(child.pid ?? 0);
      if (baseline.rss === 0) baseline.rss = rss;
      if (!killedFor && rss - baseline.rss > MAX_BYTES_PER_INPUT) killedFor = { signature: 'memory', reason: `the process grew by ${((rss - baseline.rss) / 2 ** 20).toFixed(0)} MB (limit ${MAX_BYTES_PER_INPUT / 2 ** 20} MB)` };
      if (!killedFor && performance.now() - lastProgress > HANG_MS + 200) killedFor = { signature: 'hang', reason: `no progress for ${HANG_MS} ms` };
      if (killedFor) child.kill('SIGKILL');
    }, 100);
    child.on('message', (m: ChildReport) => {
      if (m.type === 'finding') save(m.signature, m.reason, new Uint8Array(Buffer.from(m.input, 'base64')));
      else if (m.type === 'progress') {
        Object.assign(stats, { execs: m.execs, accepted: m.accepted, rejected: m.rejected });
        lastProgress = performance.now();
      } else done = true;
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    clearInterval(watch);
    result.execs += stats.execs;
    result.accepted += stats.accepted;
    result.rejected += stats.rejected;
    if (done && exit.code === 0) continue;
    const input = new Uint8Array(readFileSync(currentFile));
    if (killedFor) save(killedFor.signature, killedFor.reason, input);
    else save(`crash:${exit.code ?? exit.signal}`, `the process died (${exit.code ?? exit.signal}): ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`, input);
    result.execs += 1; // the input that ended it
  }
  result.execsPerSecond = Math.round(result.execs / o.seconds);
  return result;
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const names = o.targets.length > 0 ? o.targets : FUZZ_TARGETS.map((t) => t.name);
  const results: TargetResult[] = [];
  if (!o.json) console.log(`fuzzing ${names.length} target(s) for ${o.seconds} s each, seed ${o.seed}`);
  for (const name of names) {
    const r = await fuzzTarget(name, o);
    results.push(r);
    if (!o.json) {
      console.log(`${name.padEnd(14)} ${String(r.execs).padStart(9)} execs  ${String(r.execsPerSecond).padStart(7)}/s  accepted ${r.accepted}  rejected ${r.rejected}  findings ${r.findings.length}`);
      for (const f of r.findings) console.log(`  finding ${f.signature}: ${f.reason}\n    saved ${f.file} (${f.bytes} bytes)`);
    }
  }
  if (o.json) console.log(JSON.stringify({ seed: o.seed, results }, null, 2));
  return results.some((r) => r.findings.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`fuzz: ${err.message}`);
    process.exit(2);
  },
);
