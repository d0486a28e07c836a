import { neighbourOffsets, neighboursOf, splitOf, type GraphDataset } from '../data/graph';

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
}

/** The line of a run's record that the editor turns into a link to the attention panel. */
export const ATTENTION_LINK_TEXT = 'attention: open the attention panel for this node';

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
  readonly className: string;
  readonly split: string;
  readonly degree: number;
  readonly prediction?: { className: string; confidence: number; correct: boolean };
}

export function nodeSummary(g: GraphDataset, node: number, run?: RunNodeView, offsets = neighbourOffsets(g)): NodeSummary {
  const base = { node, className: g.classNames[g.labels[node]], split: splitOf(g, node), degree: offsets[node + 1] - offsets[node] };
  if (!run) return base;
  const predicted = run.predictions[node];
  return { ...base, prediction: { className: g.classNames[predicted], confidence: run.confidence[node], correct: predicted === g.labels[node] } };
}

/** One or two lines for tooltips and hovers. */
export function formatSummary(s: NodeSummary): string {
  const first = `node ${s.node} · ${s.className} · ${s.split} · degree ${s.degree}`;
  if (!s.prediction) return first;
  return `${first}\npredicted ${s.prediction.className} (${(100 * s.prediction.confidence).toFixed(1)}%) ${s.prediction.correct ? '✓ correct' : '✗ wrong'}`;
}

export function buildNodeRecord(g: GraphDataset, node: number, run?: RunNodeView): string {
  const offsets = neighbourOffsets(g);
  const s = nodeSummary(g, node, run, offsets);
  const neighbours = neighboursOf(g, offsets, node);
  const featureIndices = g.features.indices.subarray(g.features.indptr[node], g.features.indptr[node + 1]);
  const lines = [
    `# node ${node} · ${g.name}`,
    '',
    `- dataset: ${g.name} (${g.numNodes} nodes, ${g.numClasses} classes)`,
    `- class: ${s.className} (${g.labels[node]})`,
    `- split: ${s.split}`,
    `- degree: ${s.degree} (${s.degree + 1} with its self-loop)`,
  ];
  if (run && s.prediction) {
    lines.push('', `## Prediction (run ${run.runId})`, '', `- predicted: ${s.prediction.className} (${run.predictions[node]}), confidence ${(100 * s.prediction.confidence).toFixed(1)}%, ${s.prediction.correct ? 'correct' : 'wrong'}`);
    lines.push(`- ${ATTENTION_LINK_TEXT}`);
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
  lines.push('', `## Neighbours (${neighbours.length})`, '');
  for (const n of neighbours) lines.push(`- node ${n} · ${g.classNames[g.labels[n]]} · ${splitOf(g, n)}`);
  lines.push('', `## Features (${featureIndices.length} words of ${g.numFeatures}, bag-of-words indices)`, '', [...featureIndices].sort((a, b) => a - b).join(', '), '');
  return lines.join('\n');
}
