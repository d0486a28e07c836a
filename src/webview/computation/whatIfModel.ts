/**
 * What the Computation panel's what-if section shows, from the explanation alone (pure: tested in
 * Node): the class probabilities before and after the edits, each neighbour's attention before and
 * after (kept, added or removed), and the checks a typed node or feature id gets before it is sent.
 */
import type { HeadComputation, NeighbourTerm, NodeExplanation } from '../../protocol/explanation';

export interface ProbabilityChange {
  readonly k: number;
  readonly name: string;
  readonly before: number;
  readonly after: number;
  /** after − before */
  readonly delta: number;
  readonly predictedBefore: boolean;
  readonly predictedAfter: boolean;
}

/** Every class (or, multi-label, the 20 that moved most) before → after, most probable after first; none without edits. */
export function probabilityChanges(x: NodeExplanation): ProbabilityChange[] | undefined {
  if (!x.edits) return undefined;
  const before = x.edits.before;
  const rows = x.result.probabilities.map((after, k) => ({
    k,
    name: x.classNames[k] ?? `class ${k}`,
    before: before.probabilities[k],
    after,
    delta: after - before.probabilities[k],
    predictedBefore: before.predicted.includes(k),
    predictedAfter: x.result.predicted.includes(k),
  }));
  if (x.multiLabel) return rows.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, 20);
  return rows.sort((a, b) => b.after - a.after);
}

/** The prediction changed (another class, or another set of labels). */
export function predictionChanged(x: NodeExplanation): boolean {
  if (!x.edits) return false;
  const a = x.edits.before.predicted;
  const b = x.result.predicted;
  return a.length !== b.length || a.some((k, i) => k !== b[i]);
}

/** One row of the attention table: a neighbour now (with its terms), before the edits, or both. */
export interface AttentionRow {
  readonly node: number;
  readonly isSelf: boolean;
  /** Its terms with the edits (absent: its edge was removed). */
  readonly now?: NeighbourTerm;
  /** Its weight before the edits (absent: its edge was added). */
  readonly before?: number;
}

/**
 * The rows of one head's attention table: the self-loop first, then the neighbours by weight; with a
 * "before" (the unedited graph's weights for the same layer and head), the neighbours whose edge was
 * removed follow, by their old weight.
 */
export function attentionRows(head: HeadComputation, before?: { readonly nodes: readonly number[]; readonly weights: readonly number[] }): AttentionRow[] {
  const old = new Map(before?.nodes.map((n, k) => [n, before.weights[k]]));
  const rows: AttentionRow[] = [...head.neighbours]
    .sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || b.weight - a.weight)
    .map((n) => ({ node: n.node, isSelf: n.isSelf, now: n, ...(before && old.has(n.node) ? { before: old.get(n.node) } : {}) }));
  if (!before) return rows;
  const present = new Set(head.neighbours.map((n) => n.node));
  const removed = [...old].filter(([n]) => !present.has(n)).sort((a, b) => b[1] - a[1]);
  return [...rows, ...removed.map(([node, w]) => ({ node, isSelf: false, before: w }))];
}

/** A typed id: whole digits from 0 to count − 1, or the line that says what to type. */
export function parseTypedId(text: string, count: number, what: 'node' | 'feature'): number | string {
  const t = text.trim();
  const range = `${what} ids are 0 to ${count - 1}`;
  if (!/^\d{1,12}$/.test(t)) return t === '' ? `Type a ${what} id: ${range}.` : `'${t.slice(0, 24)}' is not a ${what} id: ${range}.`;
  const id = Number(t);
  return id < count ? id : `${what === 'node' ? 'Node' : 'Feature'} ${id} does not exist: ${range}.`;
}

/** Why an edge from `source` to the node shown cannot be added, or undefined. */
export function addEdgeProblem(x: NodeExplanation, source: number): string | undefined {
  if (source === x.node) return `Node ${source} is the node shown: its self-loop belongs to the model.`;
  if (x.layers[0].perHead[0].neighbours.some((n) => n.node === source)) return `Node ${source} is already a neighbour of node ${x.node}: remove its edge instead.`;
  return undefined;
}

/** Why feature `f` of the node shown cannot be switched on, or undefined. */
export function featureOnProblem(x: NodeExplanation, f: number): string | undefined {
  return x.layers[0].input.nonZero.some((v) => v.index === f) ? `Feature ${f} of node ${x.node} is already on.` : undefined;
}
