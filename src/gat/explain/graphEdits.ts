/**
 * What-if edits of a dataset for one node's explanation: remove or add an edge, switch one of the
 * node's input features off or on. Edits make a new in-memory dataset; nothing on disk changes.
 * On an undirected graph (Planetoid, PPI, BA-Shapes: every edge is listed both ways) an edge edit
 * touches both directions unless `directed` is set.
 */
import type { CsrMatrix, GraphDataset } from '../data/graph';

export type GraphEdit =
  | { readonly kind: 'remove-edge'; readonly source: number; readonly target: number }
  | { readonly kind: 'add-edge'; readonly source: number; readonly target: number }
  | { readonly kind: 'feature-off'; readonly node: number; readonly feature: number }
  | { readonly kind: 'feature-on'; readonly node: number; readonly feature: number };

export interface EditSet {
  readonly edits: readonly GraphEdit[];
  /** Edge edits touch only the direction named (source → target). */
  readonly directed: boolean;
}

export const NO_EDITS: EditSet = { edits: [], directed: false };

/** Why an edit cannot apply (a user's request, not a bug): the CLI turns it into one line and exit 2. */
export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

export function describeEdit(e: GraphEdit, directed: boolean): string {
  const arrow = directed ? '→' : '—';
  switch (e.kind) {
    case 'remove-edge':
      return `remove edge ${e.source} ${arrow} ${e.target}`;
    case 'add-edge':
      return `add edge ${e.source} ${arrow} ${e.target}`;
    case 'feature-off':
      return `feature ${e.feature} of node ${e.node} off`;
    case 'feature-on':
      return `feature ${e.feature} of node ${e.node} on`;
  }
}

/** A set of directed edges keyed as source·N + target (exact below 2^53 for any graph we load). */
class EdgeSet {
  private readonly keys = new Set<number>();
  constructor(private readonly n: number) {}
  key(s: number, t: number): number {
    return s * this.n + t;
  }
  has(s: number, t: number): boolean {
    return this.keys.has(this.key(s, t));
  }
  add(s: number, t: number): void {
    this.keys.add(this.key(s, t));
  }
  delete(s: number, t: number): void {
    this.keys.delete(this.key(s, t));
  }
  sorted(): { source: Int32Array; target: Int32Array } {
    const all = [...this.keys].sort((a, b) => (a % this.n) - (b % this.n) || a - b); // by (target, source)
    const source = new Int32Array(all.length);
    const target = new Int32Array(all.length);
    all.forEach((k, e) => {
      source[e] = Math.floor(k / this.n);
      target[e] = k % this.n;
    });
    return { source, target };
  }
}

/** Checks every edit against the dataset (before any work), then returns the edited copy. */
export function applyEdits(g: GraphDataset, set: EditSet): GraphDataset {
  if (set.edits.length === 0) return g;
  const n = g.numNodes;
  const edges = new EdgeSet(n);
  for (let e = 0; e < g.edgeSource.length; e++) edges.add(g.edgeSource[e], g.edgeTarget[e]);
  const rows = new Map<number, Map<number, number>>(); // edited feature rows: node → (feature → value)
  const checkNode = (v: number, what: string): void => {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new EditError(`${what} ${v} does not exist in ${g.name}: node ids are 0 to ${n - 1}`);
  };
  for (const e of set.edits) {
    if (e.kind === 'remove-edge' || e.kind === 'add-edge') {
      checkNode(e.source, 'node');
      checkNode(e.target, 'node');
      if (e.source === e.target) throw new EditError(`${describeEdit(e, set.directed)}: self-loops belong to the model and cannot be edited`);
      const both = set.directed ? [[e.source, e.target]] : [[e.source, e.target], [e.target, e.source]];
      if (e.kind === 'remove-edge') {
        if (!edges.has(e.source, e.target)) throw new EditError(`${describeEdit(e, set.directed)}: there is no edge ${e.source} → ${e.target} in ${g.name}${set.edits.indexOf(e) > 0 ? ' (after the edits before it)' : ''}`);
        for (const [s, t] of both) edges.delete(s, t);
      } else {
        if (edges.has(e.source, e.target)) throw new EditError(`${describeEdit(e, set.directed)}: the edge ${e.source} → ${e.target} is already there`);
        for (const [s, t] of both) edges.add(s, t);
      }
    } else {
      checkNode(e.node, 'node');
      if (!Number.isInteger(e.feature) || e.feature < 0 || e.feature >= g.numFeatures) {
        throw new EditError(`${describeEdit(e, set.directed)}: ${g.name} has features 0 to ${g.numFeatures - 1}`);
      }
      const row = rows.get(e.node) ?? rawRow(g, e.node);
      row.set(e.feature, e.kind === 'feature-on' ? onValue(g, row) : 0);
      rows.set(e.node, row);
    }
  }
  const { source, target } = edges.sorted();
  return { ...g, edgeSource: source, edgeTarget: target, features: rows.size ? withRows(g, rows) : g.features };
}

/**
 * A node's features, up to scale. Planetoid rows are stored normalised to sum 1, so any scale of
 * the file's row gives the same row after normalising; a word switched on gets the mean of the
 * row's values (for 0/1 words, as in Cora and Citeseer, exactly a 1 in the file). Other formats
 * keep their raw values and a feature switched on is 1.
 */
function rawRow(g: GraphDataset, node: number): Map<number, number> {
  const f = g.features;
  const row = new Map<number, number>();
  for (let k = f.indptr[node]; k < f.indptr[node + 1]; k++) row.set(f.indices[k], f.values[k]);
  return row;
}

function onValue(g: GraphDataset, row: Map<number, number>): number {
  if (g.format !== 'planetoid') return 1;
  const values = [...row.values()].filter((v) => v !== 0);
  return values.length === 0 ? 1 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The feature matrix with some rows replaced (Planetoid rows normalised again, as the loader does). */
function withRows(g: GraphDataset, rows: Map<number, Map<number, number>>): CsrMatrix {
  const f = g.features;
  const indptr = new Int32Array(f.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < f.rows; i++) {
    const edited = rows.get(i);
    if (!edited) {
      for (let k = f.indptr[i]; k < f.indptr[i + 1]; k++) {
        indices.push(f.indices[k]);
        values.push(f.values[k]);
      }
    } else {
      const kept = [...edited].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
      const sum = kept.reduce((a, [, v]) => a + v, 0);
      for (const [k, v] of kept) {
        indices.push(k);
        values.push(g.format === 'planetoid' ? v / sum : v);
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { rows: f.rows, cols: f.cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}
