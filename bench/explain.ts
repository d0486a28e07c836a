/**
 * Explanation benchmark (issue 27's targets): each edge-importance method for Cora's hub node 1358
 * (degree 168) in process, `gat explain` as a whole process, and `gat faithfulness` over Cora's
 * 1000 test nodes (attention, leave-one-out, saliency, IG at k = 1, 2, 5, 10) and over 200 sampled
 * test nodes with GNNExplainer added, on every core.
 * Usage: npm run bench:explain -- [--json] [--run RUN] [--skip-faithfulness]
 *   --run   a trained Cora run folder (default: train one, 200 epochs, wasm, into a temp folder)
 * Needs `npm run build` first (the CLI and dist/faithfulnessWorker.js).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadRunModel } from '../src/gat/cli/runModel';
import { studyNode } from '../src/gat/explain/nodeStudy';
import { IMPORTANCE_METHODS } from '../src/protocol/explanation';
import type { FaithfulnessReport } from '../src/protocol/faithfulness';

const args = process.argv.slice(2);
const json = args.includes('--json');
const argument = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const gat = path.resolve('bin/gat.js');

function cli(argv: readonly string[]): { stdout: string; seconds: number } {
  const t0 = performance.now();
  const stdout = execFileSync(process.execPath, [gat, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  return { stdout, seconds: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  let run = argument('--run');
  if (!run) {
    const out = mkdtempSync(path.join(tmpdir(), 'gat-bench-explain-'));
    cli(['train', '--num-of-epochs', '200', '--backend', 'wasm', '--out', out]);
    run = path.join(out, 'runs', readdirSync(path.join(out, 'runs')).filter((d) => !d.startsWith('.'))[0]);
  }
  const m = await loadRunModel(run);
  const node = 1358;
  const methods: Record<string, number> = {};
  let units = 0;
  for (const method of IMPORTANCE_METHODS) {
    const t0 = performance.now();
    const x = studyNode(m, { node, edits: { edits: [], directed: false }, methods: [method] });
    methods[method] = (performance.now() - t0) / 1000;
    units = x.importance!.units.length;
  }
  const whole = cli(['explain', '--run', run, '--node', String(node), '--json']).seconds;
  const wholeAll = cli(['explain', '--run', run, '--node', String(node), '--importance', 'all', '--json']).seconds;
  const result: Record<string, unknown> = {
    bench: 'explain',
    cores: availableParallelism(),
    node,
    degree: 168,
    units,
    methodSeconds: methods,
    explainProcessSeconds: whole,
    explainAllMethodsProcessSeconds: wholeAll,
    targets: { perMethodSeconds: 2, gnnexplainerSeconds: 5, faithfulnessSeconds: 600 },
  };
  if (!args.includes('--skip-faithfulness')) {
    const full = cli(['faithfulness', '--run', run, '--json']);
    const r = JSON.parse(full.stdout) as FaithfulnessReport;
    const gnn = cli(['faithfulness', '--run', run, '--nodes', '200', '--seed', '1', '--methods', 'all', '--json']);
    const g = JSON.parse(gnn.stdout) as FaithfulnessReport;
    const at = (rep: FaithfulnessReport, k: number): Record<string, { fidPlus: number; fidMinus: number; char: number | null }> =>
      Object.fromEntries(rep.summary.filter((s) => s.k === k).map((s) => [s.method, { fidPlus: s.fidelityPlus, fidMinus: s.fidelityMinus, char: s.characterization }]));
    result.faithfulness1000 = { nodes: r.nodes.length, methods: r.methods, threads: r.threads, seconds: full.seconds, atK5: at(r, 5) };
    result.faithfulness200WithGnnExplainer = { nodes: g.nodes.length, methods: g.methods, threads: g.threads, seconds: gnn.seconds, atK5: at(g, 5) };
  }
  process.stdout.write(json ? JSON.stringify(result) + '\n' : JSON.stringify(result, null, 2) + '\n');
}

void main();
