import { DEFAULT_IMPORTANCE } from '../explain/edgeImportance';
import { EditError, NO_EDITS, type GraphEdit } from '../explain/graphEdits';
import { studyNode, type StudyRequest } from '../explain/nodeStudy';
import { IMPORTANCE_METHODS, type EdgeImportance, type ImportanceMethod, type LayerComputation, type NodeExplanation } from '../../protocol/explanation';
import { UsageError, type OptionTable } from '../options/args';
import { RUN_OPTION } from '../options/commonOptions';
import { checkNode, loadRunModel } from './runModel';
import { defineCommand, type CommandOptions, type Write } from './command';

const EXPLAIN_OPTIONS = {
  run: RUN_OPTION,
  node: { type: 'int', min: 0, max: 100_000_000, help: 'node id (required)' },
  layer: { type: 'int', min: 1, max: 64, help: 'text output: only this layer (1-based)' },
  head: { type: 'int', min: 1, max: 1024, help: 'text output: only this head (1-based; default 1)' },
  json: { type: 'boolean', help: 'print every number of the computation as JSON (what the Computation panel draws)' },
  removeEdge: { type: 'strings', placeholder: 'J[:K]', help: 'what-if: remove the edge J → K first (K defaults to --node; both directions on an undirected graph)' },
  addEdge: { type: 'strings', placeholder: 'J[:K]', help: 'what-if: add an edge J → K first (K defaults to --node; both directions on an undirected graph)' },
  featureOff: { type: 'strings', placeholder: 'F', help: "what-if: switch the node's input feature F off (Planetoid rows are normalised again)" },
  featureOn: { type: 'strings', placeholder: 'F', help: "what-if: switch the node's input feature F on" },
  directedEdits: { type: 'boolean', help: 'edge edits and edge importance touch one direction only (source → target)' },
  importance: { type: 'strings', placeholder: 'METHOD', help: `score every edge of the receptive field: ${IMPORTANCE_METHODS.join(', ')} or all (comma lists too)` },
  label: { type: 'int', min: 0, max: 100_000, help: 'multi-label datasets: the label to explain (default: the most probable)' },
  igSteps: { type: 'int', min: 32, max: 4096, default: DEFAULT_IMPORTANCE.igSteps, help: "Integrated Gradients: points of the path integral (Gauss–Legendre)" },
  explainerEpochs: { type: 'int', min: 1, max: 10_000, default: DEFAULT_IMPORTANCE.explainerEpochs, help: 'GNNExplainer: optimisation steps (Adam, lr 0.01)' },
  seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: DEFAULT_IMPORTANCE.seed, help: "GNNExplainer: the seed of its mask's start" },
} as const satisfies OptionTable;

export const explainCommand = defineCommand({
  summary: "step through one node's computation with the run's parameters (--json: every number)",
  usage: 'gat explain --run RUN --node ID [--remove-edge J[:K]] [--add-edge J[:K]] [--feature-off F] [--feature-on F] [--directed-edits] [--importance METHOD] [--layer L] [--head H] [--json]',
  description:
    "Step through one node's forward pass with the run's parameters: the input, the projection, the scores and attention of\n" +
    'every neighbour next to uniform, the weighted sum, skip, concat or mean, bias and activation, then the prediction.\n' +
    'What-if edits change the graph or the features first (never the saved run); --importance scores every edge of the\n' +
    "node's receptive field for its prediction and compares each method's ranking with attention's (Kendall's τ).",
  options: EXPLAIN_OPTIONS,
  required: ['run', 'node'],
  run: explain,
});

/** The explanation of a node of a run: its final model (or, without one, its last checkpoint). */
export async function explainRunNode(runDirArg: string, node: number, request: Omit<StudyRequest, 'node'> = { edits: NO_EDITS, methods: [] }): Promise<NodeExplanation> {
  const m = await loadRunModel(runDirArg);
  checkNode(m, node);
  return studyNode(m, { ...request, node });
}

async function explain(opts: CommandOptions<typeof EXPLAIN_OPTIONS, 'run' | 'node'>, write: Write): Promise<number> {
  const request = studyRequestOf(opts);
  if (opts.layer !== undefined && opts.json) throw new UsageError('--layer chooses what the text shows; --json prints every layer');
  const x = await explainRunNode(opts.run, opts.node, request).catch((e: unknown) => {
    throw e instanceof EditError ? new UsageError(e.message) : e;
  });
  if (opts.json) {
    write(JSON.stringify(x) + '\n');
    return 0;
  }
  if (opts.layer !== undefined && opts.layer > x.layers.length) throw new UsageError(`--layer ${opts.layer}: this model has layers 1 to ${x.layers.length}`);
  write(explanationText(x, opts.layer, (opts.head ?? 1) - 1));
  if (x.importance) write(importanceText(x.importance));
  return 0;
}

/** The options' edits and methods, each checked for its spelling before any file is read. */
function studyRequestOf(opts: CommandOptions<typeof EXPLAIN_OPTIONS, 'run' | 'node'>): Omit<StudyRequest, 'node'> {
  const id = (flag: string, raw: string): number => {
    if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`--${flag} ${raw}: expected a node or feature id (digits)`);
    return Number(raw);
  };
  const edge = (flag: string, raw: string): { source: number; target: number } => {
    const [j, k, ...rest] = raw.split(':');
    if (rest.length > 0 || j === undefined) throw new UsageError(`--${flag} ${raw}: expected J or J:K (node ids)`);
    return { source: id(flag, j), target: k === undefined ? opts.node : id(flag, k) };
  };
  const edits: GraphEdit[] = [
    ...opts.removeEdge.map((r) => ({ kind: 'remove-edge' as const, ...edge('remove-edge', r) })),
    ...opts.addEdge.map((r) => ({ kind: 'add-edge' as const, ...edge('add-edge', r) })),
    ...opts.featureOff.map((r) => ({ kind: 'feature-off' as const, node: opts.node, feature: id('feature-off', r) })),
    ...opts.featureOn.map((r) => ({ kind: 'feature-on' as const, node: opts.node, feature: id('feature-on', r) })),
  ];
  const methods = new Set<ImportanceMethod>();
  for (const m of opts.importance.flatMap((v) => v.split(','))) {
    if (m === 'all') IMPORTANCE_METHODS.forEach((x) => methods.add(x));
    else if ((IMPORTANCE_METHODS as readonly string[]).includes(m)) methods.add(m as ImportanceMethod);
    else throw new UsageError(`--importance ${m}: unknown method; choose from ${IMPORTANCE_METHODS.join(', ')} or all`);
  }
  return {
    edits: { edits, directed: opts.directedEdits },
    methods: [...methods],
    ...(opts.label !== undefined ? { label: opts.label } : {}),
    settings: { ...DEFAULT_IMPORTANCE, igSteps: opts.igSteps, explainerEpochs: opts.explainerEpochs, seed: opts.seed },
  };
}

/** The top edges with every method's score, and how each ranking agrees with attention's. */
export function importanceText(im: EdgeImportance, top = 15): string {
  const lead = im.methods.find((m) => m.method === 'leave-one-out') ?? im.methods[0];
  const order = im.units.map((_, k) => k).sort((a, b) => lead.scores[b] - lead.scores[a]);
  const sep = im.directed ? '→' : '—';
  const lines = ['', `edge importance for ${im.objective.kind === 'softmax' ? 'class' : 'label'} ${im.objective.name} (p = ${num(im.objective.probability)}), ${im.units.length} ${im.directed ? 'directed edges' : 'edges (both directions each)'} in the receptive field, by ${lead.method}:`];
  lines.push(`  ${'edge'.padEnd(18)}${'hop'.padStart(4)}${im.methods.map((m) => m.method.padStart(22)).join('')}`);
  for (const k of order.slice(0, top)) {
    const u = im.units[k];
    lines.push(`  ${`${u.source} ${sep} ${u.target}`.padEnd(18)}${String(u.hop).padStart(4)}${im.methods.map((m) => num(m.scores[k]).padStart(22)).join('')}`);
  }
  if (order.length > top) lines.push(`  … ${order.length - top} more (--json for all)`);
  for (const m of im.methods) {
    const extra = m.completenessError !== undefined ? `, completeness error ${m.completenessError.toExponential(2)}` : '';
    lines.push(`  ${m.method}: ${m.seconds.toFixed(2)} s${extra}${m.uniform ? ' (uniform attention)' : ''}`);
  }
  for (const a of im.agreement) lines.push(`  Kendall τ(attention, ${a.method}) = ${a.tau === null ? `none: ${a.reason}` : a.tau.toFixed(3)}`);
  return lines.join('\n') + '\n';
}

const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
const list = (vs: readonly number[], n = 6): string => `[${vs.slice(0, n).map(num).join(', ')}${vs.length > n ? `, … (${vs.length} values)` : ''}]`;

/** The same steps as the panel, as text: one layer (or all), one head. */
export function explanationText(x: NodeExplanation, onlyLayer: number | undefined, head: number): string {
  const names = (ks: readonly number[]): string => ks.map((k) => x.classNames[k] ?? String(k)).join(', ') || 'none';
  const lines = [`node ${x.node} of ${x.dataset} · ${x.split} · degree ${x.degree} · truth ${names(x.truth)} · run ${x.runId}`];
  if (x.edits) {
    lines.push(`what-if (${x.edits.directed ? 'one direction each' : 'both directions of each edge'}; the saved run is unchanged): ${x.edits.applied.join('; ')}`);
    lines.push(`  before: predicted ${names(x.edits.before.predicted)} ${list(x.edits.before.probabilities, 8)}`);
  }
  for (const l of x.layers) {
    if (onlyLayer !== undefined && l.layer !== onlyLayer) continue;
    lines.push('', layerTitle(l));
    lines.push(`  1. input h (${l.input.nonZero.length} non-zero of ${l.input.size}): ${l.input.nonZero.slice(0, 8).map((v) => `[${v.index}]=${num(v.value)}`).join(' ')}${l.input.nonZero.length > 8 ? ' …' : ''}`);
    const hc = l.perHead[Math.min(head, l.perHead.length - 1)];
    lines.push(`  head ${hc.head + 1} of ${l.heads}`);
    const v2 = l.model === 'gatv2';
    if (v2) {
      lines.push(`  2. projection x_l = W_l·h + b_l (${l.fout} values): ${list(hc.projection)}`);
      lines.push(`  3. the target's own map x_r = W_r·h_i + b_r: ${list(hc.targetProjection ?? [])}`);
      lines.push(`  4. attention over ${hc.neighbours.length} neighbours (self-loop included): e_ij = att·LeakyReLU(x_l[j] + x_r[i]) per pair, α_ij = softmax_j(e_ij); uniform = ${num(hc.neighbours[0]?.uniform ?? 0)}`);
    } else {
      lines.push(`  2. projection W·h (${l.fout} values): ${list(hc.projection)}`);
      lines.push(`  3. target score t_i = a_trg·W·h_i = ${num(hc.targetScore)}`);
      lines.push(`  4. attention over ${hc.neighbours.length} neighbours (self-loop included): e_ij = LeakyReLU(s_j + t_i), α_ij = softmax_j(e_ij); uniform = ${num(hc.neighbours[0]?.uniform ?? 0)}`);
    }
    const top = [...hc.neighbours].sort((a, b) => b.weight - a.weight);
    for (const n of top.slice(0, 10)) lines.push(`       node ${String(n.node).padEnd(7)}${n.isSelf ? ' (self)' : '       '}${v2 ? '' : `  s_j ${num(n.sourceScore).padStart(10)}`}  e_ij ${num(n.e).padStart(10)}  α_ij ${num(n.weight)}  (${(n.weight / n.uniform).toFixed(2)}× uniform)`);
    if (top.length > 10) lines.push(`       … ${top.length - 10} more`);
    lines.push(`  5. weighted sum Σ α_ij ${v2 ? 'x_l[j]' : 'W·h_j'}: ${list(hc.aggregated)}`);
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
