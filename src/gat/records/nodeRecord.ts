import { neighbourOffsets, neighboursOf, splitOf, type GraphDataset, type GraphPart } from '../data/graph';
import { AGREEMENT_NAMES, agreementCategory } from '../../protocol/compareSnapshot';

/**
 * A node's data record as the `gat-record:` documents show it: pure text built from the
 * dataset (and, when a run is chosen, what the model made of the node). Node ids appear as
 * `node N` so the editor can turn them into links and hovers.
 */

/** What a trained run knows about every node; optional in every record. */
export interface RunNodeView {
  readonly runId: string;
  readonly predictions: Int32Array; // (N)
  readonly confidence: Float32Array; // (N)
  /** Per layer: attention the node gives to each neighbour (incl. itself), per head. */
  attentionGiven?(node: number): Array<{ layer: number; heads: number; neighbours: Int32Array; weights: Float32Array /* (deg+1) × heads */ }>;
  /** Per layer: entropy of the node's attention per head, and the uniform entropy log(deg+1). */
  entropy?(node: number): Array<{ layer: number; perHead: Float32Array; uniform: number }>;
  /** Multi-label runs: each label's probability (sigmoid of its logit) for a node; predicted = above 0.5. */
  labelProbabilities?(node: number): Float32Array;
}

/** The line of a run's record that the editor turns into a link to the attention panel. */
export const ATTENTION_LINK_TEXT = 'attention: open the attention panel for this node';
/** The line the editor turns into a link to the Computation panel (the node's forward pass, step by step). */
export const COMPUTATION_LINK_TEXT = 'computation: step through how the model computed this prediction';

export class UnknownNodeError extends Error {
  constructor(dataset: string, node: string, numNodes: number) {
    super(`node '${node}' does not exist in ${dataset}: node ids are integers from 0 to ${numNodes - 1}`);
    this.name = 'UnknownNodeError';
  }
}

/** Parses a node id typed by a user or found in a URI; throws UnknownNodeError when out of range. */
export function parseNodeId(g: Pick<GraphDataset, 'name' | 'numNodes'>, text: string): number {
  const trimmed = text.trim();
  const id = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(id) || id >= g.numNodes) throw new UnknownNodeError(g.name, trimmed, g.numNodes);
  return id;
}

export interface NodeSummary {
  readonly node: number;
  /** The class, or for multi-label datasets how many labels the node has. */
  readonly className: string;
  readonly split: string;
  readonly degree: number;
  /** Inductive datasets: the graph the node belongs to. */
  readonly graph?: number;
  readonly prediction?: { className: string; confidence: number; correct: boolean };
  /** Multi-label runs: the node's own counts and F1 over its labels. */
  readonly labelPrediction?: { predicted: number; tp: number; fp: number; fn: number; f1: number };
}

/** The true labels of a node of a multi-label dataset. */
export function trueLabels(g: Pick<GraphDataset, 'multiLabels' | 'numClasses'>, node: number): number[] {
  const out: number[] = [];
  const c = g.numClasses;
  for (let k = 0; k < c; k++) if (g.multiLabels?.[node * c + k]) out.push(k);
  return out;
}

export function graphOf(g: Pick<GraphDataset, 'graphs'>, node: number): GraphPart | undefined {
  return g.graphs?.find((p) => node >= p.nodeStart && node < p.nodeStart + p.numNodes);
}

export function nodeSummary(g: GraphDataset, node: number, run?: RunNodeView, offsets = neighbourOffsets(g)): NodeSummary {
  const multi = g.multiLabels !== undefined;
  const className = multi ? `${trueLabels(g, node).length} labels` : g.classNames[g.labels[node]];
  const base = { node, className, split: splitOf(g, node), degree: offsets[node + 1] - offsets[node], ...(g.graphs ? { graph: graphOf(g, node)?.id } : {}) };
  if (!run) return base;
  const probabilities = run.labelProbabilities?.(node);
  if (multi && probabilities) {
    const truth = new Set(trueLabels(g, node));
    let tp = 0;
    let fp = 0;
    let predicted = 0;
    probabilities.forEach((p, k) => {
      if (p <= 0.5) return;
      predicted++;
      if (truth.has(k)) tp++;
      else fp++;
    });
    const fn = truth.size - tp;
    const d = 2 * tp + fp + fn;
    return { ...base, labelPrediction: { predicted, tp, fp, fn, f1: d === 0 ? 1 : (2 * tp) / d } };
  }
  const predicted = run.predictions[node];
  return { ...base, prediction: { className: g.classNames[predicted], confidence: run.confidence[node], correct: predicted === g.labels[node] } };
}

/** One or two lines for tooltips and hovers. */
export function formatSummary(s: NodeSummary): string {
  const first = `node ${s.node} · ${s.className} · ${s.split}${s.graph !== undefined ? ` graph ${s.graph}` : ''} · degree ${s.degree}`;
  if (s.labelPrediction) {
    const p = s.labelPrediction;
    return `${first}\npredicted ${p.predicted} labels: ${p.tp} right, ${p.fp} extra, ${p.fn} missed (F1 ${p.f1.toFixed(2)})`;
  }
  if (!s.prediction) return first;
  return `${first}\npredicted ${s.prediction.className} (${(100 * s.prediction.confidence).toFixed(1)}%) ${s.prediction.correct ? '✓ correct' : '✗ wrong'}`;
}

export function buildNodeRecord(g: GraphDataset, node: number, run?: RunNodeView, compared?: RunNodeView): string {
  const offsets = neighbourOffsets(g);
  const s = nodeSummary(g, node, run, offsets);
  const neighbours = neighboursOf(g, offsets, node);
  const featureIndices = g.features.indices.subarray(g.features.indptr[node], g.features.indptr[node + 1]);
  const multi = g.multiLabels !== undefined;
  const part = graphOf(g, node);
  const selfLoop = !g.selfLoops || g.selfLoops[node] === 1;
  const lines = [
    `# node ${node} · ${g.name}`,
    '',
    `- dataset: ${g.name} (${g.numNodes} nodes, ${g.numClasses} ${multi ? 'labels, multi-label' : 'classes'}${g.graphs ? `, ${g.graphs.length} graphs` : ''})`,
    ...(part ? [`- graph: ${part.id} (${part.split}, nodes ${part.nodeStart}–${part.nodeStart + part.numNodes - 1})`] : []),
    multi ? `- labels: ${trueLabels(g, node).join(', ') || 'none'} (${trueLabels(g, node).length} of ${g.numClasses})` : `- class: ${s.className} (${g.labels[node]})`,
    ...(g.motifs ? [`- planted motif: ${g.motifs[node] >= 0 ? `house ${g.motifs[node]} (its edges are the ground truth of an explanation)` : 'none (base graph)'}`] : []),
    `- split: ${s.split}`,
    `- degree: ${s.degree}${selfLoop ? ` (${s.degree + 1} with its self-loop)` : ' (no self-loop in the files)'}`,
  ];
  const probabilities = run?.labelProbabilities?.(node);
  if (run && s.labelPrediction && probabilities) {
    const p = s.labelPrediction;
    const truth = new Set(trueLabels(g, node));
    lines.push('', `## Prediction (run ${run.runId})`, '', `- predicted labels (probability > 0.5): ${p.predicted}: ${p.tp} right, ${p.fp} extra, ${p.fn} missed; F1 over this node's labels ${p.f1.toFixed(3)}`);
    lines.push(`- ${ATTENTION_LINK_TEXT}`, `- ${COMPUTATION_LINK_TEXT}`);
    for (const e of run.entropy?.(node) ?? []) {
      lines.push(`- layer ${e.layer} attention entropy per head: ${[...e.perHead].map((h) => h.toFixed(3)).join(', ')} (uniform: ${e.uniform.toFixed(3)})`);
    }
    lines.push('', '### Labels: true, predicted, probability', '', '| label | true | predicted | probability |', '| ---: | :---: | :---: | ---: |');
    probabilities.forEach((pr, k) => lines.push(`| ${k} | ${truth.has(k) ? '✓' : ''} | ${pr > 0.5 ? '✓' : ''} | ${pr.toFixed(3)} |`));
  }
  if (run && s.prediction) {
    lines.push('', `## Prediction (run ${run.runId})`, '', `- predicted: ${s.prediction.className} (${run.predictions[node]}), confidence ${(100 * s.prediction.confidence).toFixed(1)}%, ${s.prediction.correct ? 'correct' : 'wrong'}`);
    lines.push(`- ${ATTENTION_LINK_TEXT}`, `- ${COMPUTATION_LINK_TEXT}`);
    for (const e of run.entropy?.(node) ?? []) {
      lines.push(`- layer ${e.layer} attention entropy per head: ${[...e.perHead].map((h) => h.toFixed(3)).join(', ')} (uniform: ${e.uniform.toFixed(3)})`);
    }
    for (const a of run.attentionGiven?.(node) ?? []) {
      lines.push('', `### Attention given, layer ${a.layer} (${a.heads} head${a.heads > 1 ? 's' : ''}; uniform = ${(1 / a.neighbours.length).toFixed(4)})`, '');
      for (let i = 0; i < a.neighbours.length; i++) {
        const w = Array.from(a.weights.subarray(i * a.heads, (i + 1) * a.heads), (x) => x.toFixed(4)).join(' ');
        lines.push(`- node ${a.neighbours[i]}${a.neighbours[i] === node ? ' (self)' : ''}: ${w}`);
      }
    }
  }
  if (run && compared && !multi) {
    // Compare Runs: the second run's prediction next to the first's.
    const right = (r: RunNodeView): boolean => r.predictions[node] === g.labels[node];
    const b = compared.predictions[node];
    lines.push('', `## Compared with run ${compared.runId}`, '', `- predicted: ${g.classNames[b]} (${b}), confidence ${(100 * compared.confidence[node]).toFixed(1)}%, ${right(compared) ? 'correct' : 'wrong'}`);
    lines.push(`- agreement: ${AGREEMENT_NAMES[agreementCategory(right(run), right(compared))]} (A: run ${run.runId}, B: run ${compared.runId})`);
  }
  lines.push('', `## Neighbours (${neighbours.length})`, '');
  for (const n of neighbours) lines.push(`- node ${n} · ${multi ? `${trueLabels(g, n).length} labels` : g.classNames[g.labels[n]]} · ${splitOf(g, n)}`);
  // PPI's and generated datasets' features are values, not words: show each one.
  if (g.format === 'ppi' || g.format === 'generated') {
    const row = new Float32Array(g.numFeatures);
    for (let p = g.features.indptr[node]; p < g.features.indptr[node + 1]; p++) row[g.features.indices[p]] = g.features.values[p];
    lines.push('', `## Features (${g.numFeatures} values)`, '', Array.from(row, (v, k) => `${k}: ${Number(v.toPrecision(4))}`).join(', '), '');
  } else {
    lines.push('', `## Features (${featureIndices.length} words of ${g.numFeatures}, bag-of-words indices)`, '', [...featureIndices].sort((a, b) => a - b).join(', '), '');
  }
  return lines.join('\n');
}
