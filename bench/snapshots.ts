/**
 * What training snapshots cost: full default Cora runs (patience 1000, up to 10,000 epochs) through
 * the real run path (trainRun: metrics, checkpoints, final analysis), alternately without and with
 * `--snapshots K`, and the snapshots' size on disk. Prints lines, then one JSON object as the LAST line.
 * Usage: npm run bench:snapshots -- [--repeats R] [--snapshots K] [--backend B]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listSnapshots, snapshotDir } from '../src/gat/artifacts/snapshots';
import type { BackendChoice } from '../src/gat/backend/registry';
import type { EventSink } from '../src/gat/run/eventSink';
import { trainRun } from '../src/gat/run/trainRun';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quiet: EventSink = { emit: () => undefined, info: () => undefined };

interface Timed {
  readonly seconds: number;
  readonly epochs: number;
  readonly snapshots: number;
  readonly snapshotBytes: number;
}

async function once(count: number, backend: BackendChoice): Promise<Timed> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'gat-bench-snapshots-'));
  try {
    let epochs = 0;
    const sink: EventSink = { ...quiet, emit: (e) => void (e.type === 'done' ? (epochs = e.epochs) : undefined) };
    const t0 = performance.now();
    const code = await trainRun({ datasetName: 'cora', outDir: out, lr: 5e-3, seed: 42, backend, shouldTest: true, shouldVisualize: false, enableTensorboard: true, snapshots: count, commandLine: ['bench'] }, sink, { requested: false });
    const seconds = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`training exited with ${code}`);
    const runDir = path.join(out, 'runs', readdirSync(path.join(out, 'runs')).find((d) => !d.startsWith('.'))!);
    const epochsTaken = await listSnapshots(runDir);
    const bytes = epochsTaken.reduce((n, e) => n + statSync(path.join(snapshotDir(runDir), `epoch_${e}.safetensors`)).size, 0);
    return { seconds, epochs, snapshots: epochsTaken.length, snapshotBytes: bytes };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const repeats = Number(option('repeats') ?? 3);
  const count = Number(option('snapshots') ?? 32);
  const backend = (option('backend') ?? 'wasm') as BackendChoice;
  const plain: Timed[] = [];
  const snap: Timed[] = [];
  await once(0, backend); // warm-up: module loading, WebAssembly compilation
  for (let r = 0; r < repeats; r++) {
    // alternate, so drift in the machine's speed falls on both
    for (const [list, k] of r % 2 === 0 ? ([[plain, 0], [snap, count]] as const) : ([[snap, count], [plain, 0]] as const)) {
      const t = await once(k, backend);
      list.push(t);
      console.log(`${k === 0 ? 'without' : `with ${k}`} snapshots: ${t.seconds.toFixed(2)} s, ${t.epochs} epochs${k ? `, ${t.snapshots} snapshots, ${(t.snapshotBytes / 1e6).toFixed(2)} MB` : ''}`);
    }
  }
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const base = median(plain.map((t) => t.seconds));
  const withSnapshots = median(snap.map((t) => t.seconds));
  const result = {
    backend,
    repeats,
    snapshotsRequested: count,
    epochs: snap[0].epochs,
    snapshotsWritten: snap[0].snapshots,
    snapshotMB: Number((snap[0].snapshotBytes / 1e6).toFixed(2)),
    snapshotKBEach: Math.round(snap[0].snapshotBytes / snap[0].snapshots / 1e3),
    secondsWithout: Number(base.toFixed(3)),
    secondsWith: Number(withSnapshots.toFixed(3)),
    overheadPercent: Number((((withSnapshots - base) / base) * 100).toFixed(1)),
    targets: { overheadPercentMax: 10, coraMBMax: 20 },
  };
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
