/**
 * The edge structure the model runs on: the dataset's directed edges plus one self-loop per node
 * (or, for datasets whose files list their self-loops, exactly those), grouped by target node (CSR
 * by target), so every neighbourhood softmax is one contiguous range; and the same edges grouped by
 * source (outPtr/outEdge), so a backward pass can sum into each source on one thread, in edge order.
 */
import type { GraphDataset } from '../data/graph';

export class GraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GatGraph {
  readonly numNodes: number;
  /** E' = E + N: edges including one self-loop per node (fewer where a dataset lists its own). */
  readonly numEdges: number;
  /** Edges into node i are rowPtr[i] .. rowPtr[i+1]-1. */
  readonly rowPtr: Int32Array; // (N + 1)
  readonly source: Int32Array; // (E') ascending within each target, self-loop in its sorted place
  readonly target: Int32Array; // (E') non-decreasing
  /** Edges out of node j are outEdge[outPtr[j]] .. outEdge[outPtr[j+1]-1]: edge ids, ascending (so targets ascend). */
  readonly outPtr: Int32Array; // (N + 1)
  readonly outEdge: Int32Array; // (E')
}

/** The edges grouped by target, with their reverse index (edges grouped by source) built from them. */
export function withOutEdges(g: Pick<GatGraph, 'numNodes' | 'numEdges' | 'rowPtr' | 'source' | 'target'>): GatGraph {
  const n = g.numNodes;
  const outPtr = new Int32Array(n + 1);
  for (let e = 0; e < g.numEdges; e++) outPtr[g.source[e] + 1]++;
  for (let j = 0; j < n; j++) outPtr[j + 1] += outPtr[j];
  const fill = outPtr.slice(0, n);
  const outEdge = new Int32Array(g.numEdges);
  for (let e = 0; e < g.numEdges; e++) outEdge[fill[g.source[e]]++] = e; // a counting sort: stable, so edge ids ascend
  return { numNodes: n, numEdges: g.numEdges, rowPtr: g.rowPtr, source: g.source, target: g.target, outPtr, outEdge };
}

/** Builds the self-looped, target-grouped edge list; throws a GraphError that names the first bad entry. */
export function buildGatGraph(g: Pick<GraphDataset, 'numNodes' | 'edgeSource' | 'edgeTarget' | 'selfLoops'>): GatGraph {
  const n = g.numNodes;
  if (!Number.isInteger(n) || n <= 0) throw new GraphError(`graph must have at least one node; got numNodes=${n}`);
  if (g.edgeSource.length !== g.edgeTarget.length) {
    throw new GraphError(`edgeSource has ${g.edgeSource.length} entries but edgeTarget has ${g.edgeTarget.length}; they must pair up`);
  }
  const counts = new Int32Array(n + 1);
  for (let e = 0; e < g.edgeSource.length; e++) {
    const s = g.edgeSource[e];
    const t = g.edgeTarget[e];
    if (s < 0 || s >= n || t < 0 || t >= n) {
      throw new GraphError(`edge ${e} (${s} → ${t}) points outside the ${n} nodes (valid ids are 0..${n - 1})`);
    }
    if (s !== t) counts[t + 1]++; // the model adds its own self-loops
  }
  const loop = (i: number): number => (g.selfLoops ? (g.selfLoops[i] ? 1 : 0) : 1);
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i] + loop(i); // + the self-loop
  const rowPtr = counts;
  const numEdges = rowPtr[n];
  const source = new Int32Array(numEdges);
  const target = new Int32Array(numEdges);
  const fill = rowPtr.slice(0, n);
  for (let i = 0; i < n; i++) if (loop(i)) source[fill[i]++] = i;
  for (let e = 0; e < g.edgeSource.length; e++) {
    const s = g.edgeSource[e];
    const t = g.edgeTarget[e];
    if (s !== t) source[fill[t]++] = s;
  }
  for (let i = 0; i < n; i++) {
    target.fill(i, rowPtr[i], rowPtr[i + 1]);
    source.subarray(rowPtr[i], rowPtr[i + 1]).sort();
  }
  return withOutEdges({ numNodes: n, numEdges, rowPtr, source, target });
}

/**
 * The nodes whose values a layer needs so that `targets` get their outputs: the targets and every
 * source of an edge into them (their 1-hop in-neighbourhood), ascending.
 */
export function inNeighbourhood(graph: GatGraph, targets: Int32Array): Int32Array {
  const seen = new Uint8Array(graph.numNodes);
  for (const t of targets) {
    for (let e = graph.rowPtr[t]; e < graph.rowPtr[t + 1]; e++) seen[graph.source[e]] = 1;
  }
  let count = 0;
  for (let i = 0; i < seen.length; i++) count += seen[i];
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < seen.length; i++) if (seen[i]) out[k++] = i;
  return out;
}

/**
 * The reverse index restricted to the edges into `targets` (a layer of a training plan): per node,
 * its out-edges into targets in edge order, and the nodes that have any (ascending). A backward pass
 * by source walks only these.
 */
export function outEdgesInto(g: GatGraph, targets: Int32Array): { readonly sources: Int32Array; readonly outPtr: Int32Array; readonly outEdge: Int32Array } {
  const n = g.numNodes;
  const inPass = new Uint8Array(n);
  for (const i of targets) inPass[i] = 1;
  const outPtr = new Int32Array(n + 1);
  let sources = 0;
  for (let j = 0; j < n; j++) {
    let count = 0;
    for (let q = g.outPtr[j]; q < g.outPtr[j + 1]; q++) count += inPass[g.target[g.outEdge[q]]];
    outPtr[j + 1] = outPtr[j] + count;
    if (count > 0) sources++;
  }
  const outEdge = new Int32Array(outPtr[n]);
  const list = new Int32Array(sources);
  for (let j = 0, at = 0, s = 0; j < n; j++) {
    if (outPtr[j + 1] > outPtr[j]) list[s++] = j;
    for (let q = g.outPtr[j]; q < g.outPtr[j + 1]; q++) if (inPass[g.target[g.outEdge[q]]]) outEdge[at++] = g.outEdge[q];
  }
  return { sources: list, outPtr, outEdge };
}

export function allNodes(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
