import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { resolveRunDir } from './runArg';
import { DEFAULT_IMPORTANCE } from '../explain/edgeImportance';
import { motifAccuracy, summarize } from '../explain/faithfulness';
import type { FaithfulnessReport, RankingMethod } from '../../protocol/faithfulness';
import { faithfulnessOnThreads } from '../explain/faithfulnessPool';
import { datasetIsUndirected } from '../explain/nodeStudy';
import { writeFileAtomic } from '../io/atomicWrite';
import { faithfulnessCsv } from '../artifacts/faithfulnessReport';
import { IMPORTANCE_METHODS } from '../../protocol/explanation';
import { UsageError, type OptionTable } from '../options/args';
import { RUN_OPTION } from '../options/commonOptions';
import { defineCommand, type CommandOptions, type Write } from './command';
import { loadRunModel } from './runModel';

const FAITHFULNESS_OPTIONS = {
  run: RUN_OPTION,
  nodes: { type: 'string', default: 'test', placeholder: 'test|all|motifs|COUNT', help: 'the test nodes, every node, the nodes of planted motifs (BA-Shapes), or COUNT test nodes sampled with --seed' },
  nodeIds: { type: 'string', placeholder: 'ID,…', help: 'exactly these nodes (instead of --nodes)' },
  k: { type: 'string', default: '1,2,5,10', placeholder: 'K,…', help: 'how many top edges each fidelity removes or keeps' },
  methods: { type: 'string', default: 'attention,leave-one-out,saliency,integrated-gradients', placeholder: 'METHOD,…', help: `rankings to test, from ${IMPORTANCE_METHODS.join(', ')} (or all); a seeded random ranking is always added` },
  seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: 1, help: 'seeds the node sample, the random ranking and GNNExplainer' },
  igSteps: { type: 'int', min: 32, max: 4096, default: DEFAULT_IMPORTANCE.igSteps, help: 'Integrated Gradients: points of the path integral' },
  directedEdits: { type: 'boolean', help: 'rank directed edges instead of undirected pairs' },
  threads: { type: 'int', min: 1, max: 1024, help: 'worker threads (default: every core)' },
  json: { type: 'boolean', help: 'print the summary and every node row as JSON' },
  progress: { type: 'enum', values: ['text', 'json'], default: 'text', help: 'progress on stderr: a line per tenth (text, not with --json), or a JSON line per percent (json, for programs)' },
  csv: { type: 'string', placeholder: 'file', help: 'also write one row per node and method as CSV' },
} as const satisfies OptionTable;

export const faithfulnessCommand = defineCommand({
  summary: 'is attention an explanation? fidelity of each edge ranking (attention, leave-one-out, gradients…) against random',
  usage: 'gat faithfulness --run RUN [--nodes test|all|COUNT] [--node-ids ID,…] [--k 1,2,5,10] [--methods M,…] [--seed S] [--json] [--csv FILE] [--progress text|json]',
  description:
    "For each node, rank the edges of its receptive field by each method, then remove the top k (fid+: does the prediction\n" +
    'change?) or keep only them (fid−), recomputing everything; the characterization score combines both (GraphFramEx, as\n' +
    "PyG defines them). A seeded random ranking is the baseline. Runs on every core; saves runs/<id>/faithfulness.json,\n" +
    'which Compare Runs and the Faithfulness panel read.',
  options: FAITHFULNESS_OPTIONS,
  required: ['run'],
  run: faithfulness,
});

/** A comma list of whole numbers from min to max, digits only. */
function intList(flag: string, raw: string, min: number, max: number): number[] {
  const parts = raw.split(',');
  if (parts.some((p) => !/^\d{1,9}$/.test(p.trim()))) throw new UsageError(`--${flag} ${raw}: expected a comma list of whole numbers`);
  const values = parts.map((p) => Number(p.trim()));
  const bad = values.find((v) => v < min || v > max);
  if (bad !== undefined) throw new UsageError(`--${flag} ${bad}: must be from ${min} to ${max}`);
  return [...new Set(values)];
}

function methodsOf(raw: string): RankingMethod[] {
  const out = new Set<RankingMethod>();
  for (const m of raw.split(',').map((s) => s.trim())) {
    if (m === 'all') IMPORTANCE_METHODS.forEach((x) => out.add(x));
    else if ((IMPORTANCE_METHODS as readonly string[]).includes(m) || m === 'random') out.add(m as RankingMethod);
    else throw new UsageError(`--methods ${m}: unknown method; choose from ${IMPORTANCE_METHODS.join(', ')} or all`);
  }
  out.add('random');
  return [...out];
}

/** A seeded sample without replacement (Fisher–Yates on a copy, a small LCG: reproducible everywhere). */
function sample(from: Int32Array, count: number, seed: number): number[] {
  const a = Array.from(from);
  let state = (seed ^ 0x5bd1e995) >>> 0;
  for (let i = 0; i < Math.min(count, a.length); i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = i + (state % (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, count).sort((x, y) => x - y);
}

async function faithfulness(opts: CommandOptions<typeof FAITHFULNESS_OPTIONS, 'run'>, write: Write): Promise<number> {
  // every option is checked before the run is read
  const ks = intList('k', opts.k, 1, 1_000_000);
  const methods = methodsOf(opts.methods);
  const named = ['test', 'all', 'motifs'].includes(opts.nodes);
  const count = opts.nodeIds === undefined && !named ? intList('nodes', opts.nodes, 1, 100_000_000)[0] : undefined;
  const ids = opts.nodeIds !== undefined ? intList('node-ids', opts.nodeIds, 0, 100_000_000) : undefined;

  const runDir = resolveRunDir(opts.run);
  const m = await loadRunModel(runDir, 'gat faithfulness', false);
  const g = m.graph;
  const test = g.split.test;
  let nodes: number[];
  let selection: string;
  if (ids) {
    const out = ids.find((v) => v >= g.numNodes);
    if (out !== undefined) throw new UsageError(`--node-ids: node ${out} does not exist in ${g.name}: node ids are 0 to ${g.numNodes - 1}`);
    nodes = ids;
    selection = `nodes ${ids.join(',')}`;
  } else if (opts.nodes === 'all') {
    nodes = Array.from({ length: g.numNodes }, (_, i) => i);
    selection = 'all nodes';
  } else if (opts.nodes === 'motifs') {
    if (!g.motifs) throw new UsageError(`--nodes motifs: ${g.name} has no planted motifs (BA-Shapes has: ba-shapes, ba-shapes-informative)`);
    nodes = Array.from({ length: g.numNodes }, (_, i) => i).filter((i) => g.motifs![i] >= 0);
    selection = 'motif nodes';
  } else if (count !== undefined) {
    if (count > test.length) throw new UsageError(`--nodes ${count}: ${g.name} has ${test.length} test nodes`);
    nodes = sample(test, count, opts.seed);
    selection = `${count} test nodes (seed ${opts.seed})`;
  } else {
    nodes = Array.from(test);
    selection = 'test nodes';
  }
  if (nodes.length === 0) throw new UsageError(`${g.name} has no ${selection}: choose --nodes all or --node-ids`);

  const directed = opts.directedEdits || !datasetIsUndirected(g);
  const settings = { ...DEFAULT_IMPORTANCE, seed: opts.seed, igSteps: opts.igSteps };
  const threads = opts.threads ?? availableParallelism();
  const t0 = performance.now();
  let lastTenth = 0;
  let lastPercent = -1;
  const seconds = (): number => Math.round((performance.now() - t0) / 100) / 10;
  // The extension reads the JSON lines (its progress bar); a line per percent keeps them few on any node count.
  if (opts.progress === 'json') process.stderr.write(progressLine(0, nodes.length, 0));
  const graded = await faithfulnessOnThreads({ graph: g, shapes: m.shapes, params: m.params, methods, ks, settings, directed }, nodes, {
    threads,
    onProgress: (done, total) => {
      if (opts.progress === 'json') {
        const percent = Math.floor((100 * done) / total);
        if (percent > lastPercent) process.stderr.write(progressLine(done, total, seconds()));
        lastPercent = percent;
        return;
      }
      const tenth = Math.floor((10 * done) / total);
      if (tenth > lastTenth && !opts.json) process.stderr.write(`faithfulness: ${done}/${total} nodes (${tenth * 10}%), ${seconds().toFixed(0)} s\n`);
      lastTenth = tenth;
    },
  });
  const { accuracy, rows } = motifAccuracy(graded, methods);
  const report: FaithfulnessReport = {
    format: 'gat-explorer/faithfulness/1',
    runId: m.runId,
    dataset: g.name,
    selection,
    nodes,
    ks,
    methods,
    directed,
    settings: { seed: settings.seed, igSteps: settings.igSteps, explainerEpochs: settings.explainerEpochs },
    threads,
    seconds: (performance.now() - t0) / 1000,
    summary: summarize(rows, methods, ks),
    ...(g.motifs ? { motifAccuracy: accuracy } : {}),
    rows,
  };
  await writeFileAtomic(path.join(runDir, 'faithfulness.json'), JSON.stringify(report));
  if (opts.csv) await writeFileAtomic(path.resolve(opts.csv), faithfulnessCsv(report));
  if (opts.json) write(JSON.stringify(report) + '\n');
  else write(faithfulnessText(report));
  return 0;
}

/** `--progress json`: one line a program reads (the extension's progress bar). */
function progressLine(done: number, total: number, seconds: number): string {
  return JSON.stringify({ type: 'faithfulnessProgress', done, total, seconds }) + '\n';
}

/** Ying et al. 2019, Table 1, BA-Shapes explanation accuracy (their GCN; attention from a GAT). */
const PAPER: Partial<Record<RankingMethod, string>> = { attention: '0.815 (Att)', saliency: '0.882 (Grad)', 'gnnexplainer': '0.925' };

export function faithfulnessText(r: FaithfulnessReport): string {
  const f = (v: number | null): string => (v === null ? '—' : v.toFixed(3));
  const lines = [
    `faithfulness of run ${r.runId} on ${r.dataset}: ${r.selection} (${r.nodes.length}), k = ${r.ks.join(', ')}; ${r.threads} threads, ${r.seconds.toFixed(1)} s`,
    `  fid+: the prediction changes without the top k edges · fid−: it changes with only them · char: characterization score`,
    `  ${'method'.padEnd(22)}${'k'.padStart(5)}${'fid+'.padStart(8)}${'fid−'.padStart(8)}${'char'.padStart(8)}${'Δp+'.padStart(9)}${'Δp−'.padStart(9)}${'s/node'.padStart(9)}`,
  ];
  for (const s of r.summary) {
    lines.push(`  ${s.method.padEnd(22)}${String(s.k).padStart(5)}${f(s.fidelityPlus).padStart(8)}${f(s.fidelityMinus).padStart(8)}${f(s.characterization).padStart(8)}${f(s.probabilityDropPlus).padStart(9)}${f(s.probabilityDropMinus).padStart(9)}${s.secondsPerNode.toFixed(3).padStart(9)}`);
  }
  if (r.motifAccuracy) {
    const graded = r.motifAccuracy[0]?.nodes ?? 0;
    lines.push('', `explanation accuracy: AUROC of each ranking against the planted motif edges, over ${graded} motif nodes (pooled; mean per node)`);
    for (const a of r.motifAccuracy) lines.push(`  ${a.method.padEnd(22)}${f(a.pooledAuroc).padStart(8)}${f(a.meanNodeAuroc).padStart(8)}${PAPER[a.method] ? `   GNNExplainer paper (BA-Shapes): ${PAPER[a.method]}` : ''}`);
  }
  lines.push(`  saved runs/${r.runId}/faithfulness.json`);
  return lines.join('\n') + '\n';
}
