/**
 * Batches of graphs for inductive datasets (PPI): each graph cut out of the dataset with local
 * node ids, and batches merged into one disconnected graph, as pytorch-GAT's PPI loader collates
 * them. Graphs are contiguous node ranges and the model's edges are grouped by target, so a graph's
 * edges are one contiguous range of the whole dataset's edge list, in the same order.
 */
import type { CsrMatrix, GraphDataset, GraphPart } from '../data/graph';
import type { BatchCapacity, GraphBatch } from '../model/engine';
import { withOutEdges, type GatGraph } from '../kernels/gatGraph';
import { STREAM, randomWord, streamKey } from '../kernels/random';

/** One graph of the dataset with local ids, and where it sits in the whole. */
export interface GraphPiece {
  readonly part: GraphPart;
  readonly graph: GatGraph; // local node ids
  readonly features: CsrMatrix;
  /** Offset of its edges in the whole dataset's GatGraph (its edges are [edgeStart, edgeStart + numEdges)). */
  readonly edgeStart: number;
  /**
   * Local ids of its nodes that its split lists, the nodes its loss and accuracy count: every node
   * of a PPI graph; only the queries of a DictionaryLookup graph (its keys carry no target).
   */
  readonly labelled: Int32Array;
}

export function cutGraphs(g: GraphDataset, whole: GatGraph): GraphPiece[] {
  const parts = g.graphs ?? [];
  return parts.map((part) => {
    const start = part.nodeStart;
    const end = start + part.numNodes;
    const e0 = whole.rowPtr[start];
    const e1 = whole.rowPtr[end];
    const shift = (a: Int32Array, by: number): Int32Array => Int32Array.from(a, (v) => v - by);
    for (let e = e0; e < e1; e++) {
      const s = whole.source[e];
      if (s < start || s >= end) throw new RangeError(`graph ${part.id} has an edge from node ${s}, outside its nodes ${start}–${end - 1}`);
    }
    const x = g.features;
    const p0 = x.indptr[start];
    const p1 = x.indptr[end];
    return {
      part,
      graph: withOutEdges({ numNodes: part.numNodes, numEdges: e1 - e0, rowPtr: shift(whole.rowPtr.subarray(start, end + 1), e0), source: shift(whole.source.subarray(e0, e1), start), target: shift(whole.target.subarray(e0, e1), start) }),
      features: { rows: part.numNodes, cols: x.cols, indptr: shift(x.indptr.subarray(start, end + 1), p0), indices: x.indices.subarray(p0, p1), values: x.values.subarray(p0, p1) },
      edgeStart: e0,
      labelled: nodesWithin(g.split[part.split], start, end),
    };
  });
}

/** The ids in [start, end) of a sorted list, shifted to start at 0. */
function nodesWithin(sorted: Int32Array, start: number, end: number): Int32Array {
  const from = lowerBound(sorted, start);
  const to = lowerBound(sorted, end);
  return Int32Array.from(sorted.subarray(from, to), (v) => v - start);
}

function lowerBound(sorted: Int32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges pieces into one disconnected graph (node ids and edges offset in order); its split's nodes are the ones scored. */
export function mergeBatch(pieces: readonly GraphPiece[], g: Pick<GraphDataset, 'labels' | 'multiLabels' | 'numClasses'>): GraphBatch {
  const n = pieces.reduce((a, p) => a + p.graph.numNodes, 0);
  const e = pieces.reduce((a, p) => a + p.graph.numEdges, 0);
  const nnz = pieces.reduce((a, p) => a + p.features.values.length, 0);
  const c = g.numClasses;
  const rowPtr = new Int32Array(n + 1);
  const source = new Int32Array(e);
  const target = new Int32Array(e);
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const labels = new Int32Array(n);
  const multiLabels = g.multiLabels ? new Uint8Array(n * c) : undefined;
  const scored = new Int32Array(pieces.reduce((a, p) => a + p.labelled.length, 0));
  let scoredAt = 0;
  let nodeAt = 0;
  let edgeAt = 0;
  let nzAt = 0;
  for (const p of pieces) {
    const pg = p.graph;
    for (let i = 0; i < pg.numNodes; i++) {
      rowPtr[nodeAt + i + 1] = edgeAt + pg.rowPtr[i + 1];
      indptr[nodeAt + i + 1] = nzAt + p.features.indptr[i + 1];
    }
    for (let k = 0; k < pg.numEdges; k++) {
      source[edgeAt + k] = pg.source[k] + nodeAt;
      target[edgeAt + k] = pg.target[k] + nodeAt;
    }
    indices.set(p.features.indices, nzAt);
    values.set(p.features.values, nzAt);
    const first = p.part.nodeStart;
    labels.set(g.labels.subarray(first, first + pg.numNodes), nodeAt);
    if (multiLabels && g.multiLabels) multiLabels.set(g.multiLabels.subarray(first * c, (first + pg.numNodes) * c), nodeAt * c);
    for (const v of p.labelled) scored[scoredAt++] = v + nodeAt;
    nodeAt += pg.numNodes;
    edgeAt += pg.numEdges;
    nzAt += p.features.values.length;
  }
  return {
    graph: withOutEdges({ numNodes: n, numEdges: e, rowPtr, source, target }),
    features: { rows: n, cols: pieces[0]?.features.cols ?? 0, indptr, indices, values },
    labels,
    multiLabels,
    trainNodes: scored,
  };
}

/** Room for any `size` pieces together, and for any single piece. */
export function capacityFor(pieces: readonly GraphPiece[], size: number): BatchCapacity {
  const largest = (f: (p: GraphPiece) => number): number => pieces.map(f).sort((a, b) => b - a).slice(0, size).reduce((a, b) => a + b, 0);
  return { nodes: largest((p) => p.graph.numNodes), edges: largest((p) => p.graph.numEdges), nonZeros: largest((p) => p.features.values.length) };
}

/** The training graphs of `epoch` in a shuffled order (a hash of seed and epoch: resumable), cut into batches. */
export function trainingBatches(pieces: readonly GraphPiece[], size: number, seed: number, epoch: number): GraphPiece[][] {
  const train = pieces.filter((p) => p.part.split === 'train');
  const key = streamKey(seed, epoch, STREAM.shuffle);
  // Fisher–Yates with counter-based draws.
  const order = train.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomWord(key, i) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const batches: GraphPiece[][] = [];
  for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size));
  return batches;
}

/** The graphs of a split packed in order into batches that fit `capacity` (evaluation: their split's nodes count). */
export function evaluationBatches(pieces: readonly GraphPiece[], split: GraphPart['split'], capacity: BatchCapacity): GraphPiece[][] {
  const batches: GraphPiece[][] = [];
  let current: GraphPiece[] = [];
  let used = { nodes: 0, edges: 0, nonZeros: 0 };
  for (const p of pieces.filter((x) => x.part.split === split)) {
    const next = { nodes: used.nodes + p.graph.numNodes, edges: used.edges + p.graph.numEdges, nonZeros: used.nonZeros + p.features.values.length };
    if (current.length > 0 && (next.nodes > capacity.nodes || next.edges > capacity.edges || next.nonZeros > capacity.nonZeros)) {
      batches.push(current);
      current = [];
      used = { nodes: 0, edges: 0, nonZeros: 0 };
    }
    current.push(p);
    used = { nodes: used.nodes + p.graph.numNodes, edges: used.edges + p.graph.numEdges, nonZeros: used.nonZeros + p.features.values.length };
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
