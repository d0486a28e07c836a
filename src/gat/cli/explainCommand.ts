import * as path from 'node:path';
import { readModelBinary } from '../artifacts/checkpoint';
import { parseProvenance } from '../artifacts/provenance';
import { readRun } from '../artifacts/runRecord';
import { loadDataset } from '../data/loadDataset';
import { explainNode } from '../explain/explainNode';
import type { LayerComputation, NodeExplanation } from '../../protocol/explanation';
import { buildGatGraph } from '../kernels/gatGraph';
import { configShapes, DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../train/trainConfig';
import { UsageError, type OptionTable } from '../options/args';
import { defineCommand, type CommandOptions, type Write } from './command';
import { resolveRunDir } from './runArg';

const EXPLAIN_OPTIONS = {
  run: { type: 'string', placeholder: 'run', help: 'run folder, or the id of a run under ./runs (required)' },
  node: { type: 'int', min: 0, max: 100_000_000, help: 'node id (required)' },
  layer: { type: 'int', min: 1, max: 64, help: 'text output: only this layer (1-based)' },
  head: { type: 'int', min: 1, max: 1024, help: 'text output: only this head (1-based; default 1)' },
  json: { type: 'boolean', help: 'print every number of the computation as JSON (what the Computation panel draws)' },
} as const satisfies OptionTable;

export const explainCommand = defineCommand({
  summary: "step through one node's computation with the run's parameters (--json: every number)",
  usage: 'gat explain --run RUN --node ID [--layer L] [--head H] [--json]',
  description:
    "Step through one node's forward pass with the run's parameters: the input, the projection, the scores and attention of\n" +
    'every neighbour next to uniform, the weighted sum, skip, concat or mean, bias and activation, then the prediction.',
  options: EXPLAIN_OPTIONS,
  required: ['run', 'node'],
  run: explain,
});

/** The explanation of a node of a run: its final model (or, without one, its last checkpoint). */
export async function explainRunNode(runDirArg: string, node: number): Promise<NodeExplanation> {
  const runDir = resolveRunDir(runDirArg);
  const run = await readRun(runDir);
  const out = path.resolve(runDir, '..', '..');
  const modelFile = run.artifacts.binary ?? run.artifacts.lastCheckpoint;
  if (!modelFile) throw new UsageError(`run ${run.runId} has no model yet (no final model, no checkpoint): train it first`);
  const binary = await readModelBinary(path.join(out, modelFile));
  const provenance = parseProvenance(binary.metadata);
  const graph = await loadDataset(run.dataset, { dataDir: run.datasetDir ?? undefined });
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...((provenance.config ?? run.config ?? {}) as Partial<TrainConfig>) };
  if (config.model === 'gatv2') {
    throw new UsageError(`run ${run.runId} is a GATv2 model: gat explain steps through GAT layers only so far (its attention is in the analysis: gat analyze --model ${modelFile})`);
  }
  if (node >= graph.numNodes) throw new UsageError(`node ${node} does not exist in ${graph.name}: node ids are 0 to ${graph.numNodes - 1}`);
  return explainNode({ runId: run.runId, graph, gat: buildGatGraph(graph), shapes: configShapes(graph, config), params: binary.params, node });
}

async function explain(opts: CommandOptions<typeof EXPLAIN_OPTIONS, 'run' | 'node'>, write: Write): Promise<number> {
  const x = await explainRunNode(opts.run, opts.node);
  if (opts.json) {
    write(JSON.stringify(x) + '\n');
    return 0;
  }
  if (opts.layer !== undefined && opts.layer > x.layers.length) throw new UsageError(`--layer ${opts.layer}: this model has layers 1 to ${x.layers.length}`);
  write(explanationText(x, opts.layer, (opts.head ?? 1) - 1));
  return 0;
}

const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
const list = (vs: readonly number[], n = 6): string => `[${vs.slice(0, n).map(num).join(', ')}${vs.length > n ? `, … (${vs.length} values)` : ''}]`;

/** The same steps as the panel, as text: one layer (or all), one head. */
export function explanationText(x: NodeExplanation, onlyLayer: number | undefined, head: number): string {
  const names = (ks: readonly number[]): string => ks.map((k) => x.classNames[k] ?? String(k)).join(', ') || 'none';
  const lines = [`node ${x.node} of ${x.dataset} · ${x.split} · degree ${x.degree} · truth ${names(x.truth)} · run ${x.runId}`];
  for (const l of x.layers) {
    if (onlyLayer !== undefined && l.layer !== onlyLayer) continue;
    lines.push('', layerTitle(l));
    lines.push(`  1. input h (${l.input.nonZero.length} non-zero of ${l.input.size}): ${l.input.nonZero.slice(0, 8).map((v) => `[${v.index}]=${num(v.value)}`).join(' ')}${l.input.nonZero.length > 8 ? ' …' : ''}`);
    const hc = l.perHead[Math.min(head, l.perHead.length - 1)];
    lines.push(`  head ${hc.head + 1} of ${l.heads}`);
    lines.push(`  2. projection W·h (${l.fout} values): ${list(hc.projection)}`);
    lines.push(`  3. target score t_i = a_trg·W·h_i = ${num(hc.targetScore)}`);
    lines.push(`  4. attention over ${hc.neighbours.length} neighbours (self-loop included): e_ij = LeakyReLU(s_j + t_i), α_ij = softmax_j(e_ij); uniform = ${num(hc.neighbours[0]?.uniform ?? 0)}`);
    const top = [...hc.neighbours].sort((a, b) => b.weight - a.weight);
    for (const n of top.slice(0, 10)) lines.push(`       node ${String(n.node).padEnd(7)}${n.isSelf ? ' (self)' : '       '}  s_j ${num(n.sourceScore).padStart(10)}  e_ij ${num(n.e).padStart(10)}  α_ij ${num(n.weight)}  (${(n.weight / n.uniform).toFixed(2)}× uniform)`);
    if (top.length > 10) lines.push(`       … ${top.length - 10} more`);
    lines.push(`  5. weighted sum Σ α_ij W·h_j: ${list(hc.aggregated)}`);
    if (l.skipAdded) lines.push(`  6. skip connection (${l.skip}) adds: ${list(l.skipAdded)}`);
    lines.push(`  ${l.skipAdded ? 7 : 6}. ${l.concat ? `concat of ${l.heads} heads` : `mean of ${l.heads} heads`} + bias${l.activation === 'elu' ? ', then ELU' : ''}: ${list(l.output)}`);
  }
  const r = x.result;
  lines.push('', `output: logits ${list(r.logits, 8)}`);
  lines.push(`  ${x.multiLabel ? 'sigmoid per label' : 'softmax'}: ${list(r.probabilities, 8)}`);
  lines.push(`  predicted ${names(r.predicted)} · truth ${names(x.truth)} · ${r.correct ? 'correct' : 'wrong'}`);
  return lines.join('\n') + '\n';
}

function layerTitle(l: LayerComputation): string {
  return `layer ${l.layer}: ${l.fin} → ${l.heads} head${l.heads > 1 ? 's' : ''} × ${l.fout}, ${l.concat ? 'concatenated' : 'averaged'}${l.skip !== 'none' ? `, skip (${l.skip})` : ''}${l.activation === 'elu' ? ', ELU' : ''}`;
}
