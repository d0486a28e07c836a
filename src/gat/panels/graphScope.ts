/**
 * One graph of an inductive dataset (PPI), cut out for a panel: a GraphDataset and an Analysis with
 * local node ids, and the scope message the panel's picker shows. Graphs are contiguous node ranges
 * and both edge lists are sorted by target, so every slice is a contiguous range, shifted.
 */
import type { GraphChoice, GraphScope, MultiLabelView } from '../../protocol/graphScope';
import type { Analysis } from '../artifacts/analysis';
import { packBits } from '../artifacts/analysis';
import type { GraphDataset, GraphPart } from '../data/graph';

/** Where a panel starts: the first test graph (never seen in training), else the first graph. */
export function defaultGraphIndex(g: Pick<GraphDataset, 'graphs'>): number {
  const i = g.graphs?.findIndex((p) => p.split === 'test') ?? -1;
  return Math.max(0, i);
}

/** The graph holding dataset node `node`. */
export function graphIndexOf(g: Pick<GraphDataset, 'graphs'>, node: number): number | undefined {
  const i = g.graphs?.findIndex((p) => node >= p.nodeStart && node < p.nodeStart + p.numNodes);
  return i === undefined || i < 0 ? undefined : i;
}

export function scopeMessage(g: Pick<GraphDataset, 'graphs'>, selected: number | null, allowAll: boolean): GraphScope | undefined {
  if (!g.graphs) return undefined;
  const graphs: GraphChoice[] = g.graphs.map((p) => ({ id: p.id, split: p.split, numNodes: p.numNodes }));
  return { graphs, selected, allowAll, nodeOffset: selected === null ? 0 : g.graphs[selected].nodeStart };
}

const shift = (a: Int32Array, by: number): Int32Array => Int32Array.from(a, (v) => v - by);

/** The first and last+1 index of `sorted` (non-decreasing) whose values lie in [lo, hi). */
function rangeOf(sorted: Int32Array, lo: number, hi: number): [number, number] {
  const first = (v: number): number => {
    let a = 0;
    let b = sorted.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (sorted[m] < v) a = m + 1;
      else b = m;
    }
    return a;
  };
  return [first(lo), first(hi)];
}

/** The dataset restricted to one graph, node ids local (the name stays: records and runs use it). */
export function scopeDataset(g: GraphDataset, part: GraphPart): GraphDataset {
  const start = part.nodeStart;
  const end = start + part.numNodes;
  const [e0, e1] = rangeOf(g.edgeTarget, start, end);
  const x = g.features;
  const p0 = x.indptr[start];
  const p1 = x.indptr[end];
  const c = g.numClasses;
  const local = (nodes: Int32Array): Int32Array => shift(nodes.filter((i) => i >= start && i < end), start);
  return {
    ...g,
    numNodes: part.numNodes,
    features: { rows: part.numNodes, cols: x.cols, indptr: shift(x.indptr.subarray(start, end + 1), p0), indices: x.indices.subarray(p0, p1), values: x.values.subarray(p0, p1) },
    labels: g.labels.subarray(start, end),
    multiLabels: g.multiLabels?.subarray(start * c, end * c),
    edgeSource: shift(g.edgeSource.subarray(e0, e1), start),
    edgeTarget: shift(g.edgeTarget.subarray(e0, e1), start),
    split: { train: local(g.split.train), val: local(g.split.val), test: local(g.split.test) },
    selfLoops: g.selfLoops?.subarray(start, end),
    graphs: undefined,
  };
}

/** The analysis restricted to one graph, node ids local. */
export function scopeAnalysis(a: Analysis, part: GraphPart): Analysis {
  const start = part.nodeStart;
  const end = start + part.numNodes;
  const [e0, e1] = rangeOf(a.edgeTarget, start, end);
  const c = a.numClasses;
  const rows = (t: Float32Array, width: number): Float32Array => t.subarray(start * width, end * width);
  return {
    ...a,
    numNodes: part.numNodes,
    outputs: rows(a.outputs, c),
    predictions: a.predictions.subarray(start, end),
    confidence: a.confidence.subarray(start, end),
    edgeSource: shift(a.edgeSource.subarray(e0, e1), start),
    edgeTarget: shift(a.edgeTarget.subarray(e0, e1), start),
    labels: a.labels.subarray(start, end),
    split: a.split.subarray(start, end),
    attention: a.attention.map((att, l) => att.subarray(e0 * a.heads[l], e1 * a.heads[l])),
    entropy: a.entropy.map((ent, l) => rows(ent, a.heads[l])),
    uniformEntropy: a.uniformEntropy.subarray(start, end),
    multiLabel: a.multiLabel ? { targets: a.multiLabel.targets.subarray(start * c, end * c), predicted: a.multiLabel.predicted.subarray(start * c, end * c) } : undefined,
    graphs: undefined,
  };
}

/** A snapshot's multi-label view (targets of the dataset, predictions of the run when given). */
export function multiLabelView(g: Pick<GraphDataset, 'multiLabels' | 'numNodes' | 'numClasses'>, a?: Pick<Analysis, 'multiLabel'>): MultiLabelView | undefined {
  if (!g.multiLabels) return undefined;
  const c = g.numClasses;
  return {
    labels: c,
    targets: Array.from(packBits(g.multiLabels, g.numNodes, c)),
    ...(a?.multiLabel ? { predicted: Array.from(packBits(a.multiLabel.predicted, g.numNodes, c)) } : {}),
  };
}
