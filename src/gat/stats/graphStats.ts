import { neighbourOffsets, type GraphDataset } from '../data/graph';
import { betweennessSamples, betweennessSources, edgeBetweenness, edgeThickness } from './edgeBetweenness';

/** What `gat inspect` prints and the Cora panels draw. */
export interface GraphSummary {
  readonly dataset: string;
  readonly nodes: number;
  readonly features: number;
  readonly nonZeros: number;
  readonly classes: number;
  readonly classNames: readonly string[];
  readonly classSizes: number[];
  readonly undirectedEdges: number;
  readonly directedEdges: number;
  readonly directedEdgesWithSelfLoops: number;
  readonly isolatedNodes: number;
  readonly maxDegree: number;
  readonly maxDegreeNode: number;
  readonly meanDegree: number;
  readonly medianDegree: number;
  readonly degreeMode: number;
  readonly split: { train: number; val: number; test: number };
  readonly testRange: [number, number];
  readonly checksums: Readonly<Record<string, string>>;
}

/** In- and out-degree of every node in the directed edge list (equal for a symmetric graph). */
export function degrees(g: Pick<GraphDataset, 'numNodes' | 'edgeSource' | 'edgeTarget'>): { inDegree: Int32Array; outDegree: Int32Array } {
  const inDegree = new Int32Array(g.numNodes);
  const outDegree = new Int32Array(g.numNodes);
  for (let e = 0; e < g.edgeSource.length; e++) {
    outDegree[g.edgeSource[e]]++;
    inDegree[g.edgeTarget[e]]++;
  }
  return { inDegree, outDegree };
}

/** counts[d] = number of nodes with degree d. */
export function degreeDistribution(degree: Int32Array): Int32Array {
  let max = 0;
  for (const d of degree) if (d > max) max = d;
  const counts = new Int32Array(max + 1);
  for (const d of degree) counts[d]++;
  return counts;
}

/**
 * The graph as undirected: both directions of every edge, de-duplicated, sorted by (target, source).
 * A graph that lists every edge both ways (Planetoid, PPI, BA-Shapes) is returned as it is; a
 * directed one (DictionaryLookup's key → query edges) gets the missing reverse edges.
 */
export function symmetrized<G extends Pick<GraphDataset, 'numNodes' | 'edgeSource' | 'edgeTarget'>>(g: G): G {
  const offsets = neighbourOffsets(g);
  const hasEdge = (from: number, to: number): boolean => {
    let lo = offsets[to];
    let hi = offsets[to + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (g.edgeSource[mid] === from) return true;
      if (g.edgeSource[mid] < from) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  const missing: number[] = [];
  for (let e = 0; e < g.edgeSource.length; e++) if (!hasEdge(g.edgeTarget[e], g.edgeSource[e])) missing.push(e);
  if (missing.length === 0) return g;
  const n = g.numNodes;
  const keys = new Float64Array(g.edgeSource.length + missing.length);
  for (let e = 0; e < g.edgeSource.length; e++) keys[e] = g.edgeTarget[e] * n + g.edgeSource[e];
  missing.forEach((e, i) => (keys[g.edgeSource.length + i] = g.edgeSource[e] * n + g.edgeTarget[e]));
  keys.sort();
  return { ...g, edgeSource: Int32Array.from(keys, (k) => k % n), edgeTarget: Int32Array.from(keys, (k) => Math.floor(k / n)) };
}

export function summarize(g: GraphDataset): GraphSummary {
  // Degrees and edge counts of the undirected graph: a directed dataset's keys have no in-edges, but they are not isolated.
  const both = symmetrized(g);
  const { inDegree } = degrees(both);
  const classSizes = new Array<number>(g.numClasses).fill(0);
  for (const l of g.labels) classSizes[l]++;
  let maxDegree = -1;
  let maxDegreeNode = -1;
  let isolated = 0;
  for (let i = 0; i < g.numNodes; i++) {
    if (inDegree[i] > maxDegree) {
      maxDegree = inDegree[i];
      maxDegreeNode = i;
    }
    if (inDegree[i] === 0) isolated++;
  }
  const sortedDeg = Int32Array.from(inDegree).sort();
  const dist = degreeDistribution(inDegree);
  let mode = 0;
  for (let d = 1; d < dist.length; d++) if (dist[d] > dist[mode]) mode = d;
  return {
    dataset: g.name,
    nodes: g.numNodes,
    features: g.numFeatures,
    nonZeros: g.featureNonZeros,
    classes: g.numClasses,
    classNames: g.classNames,
    classSizes,
    undirectedEdges: both.edgeSource.length / 2,
    directedEdges: g.edgeSource.length,
    directedEdgesWithSelfLoops: g.edgeSource.length + g.numNodes,
    isolatedNodes: isolated,
    maxDegree,
    maxDegreeNode,
    meanDegree: both.edgeSource.length / g.numNodes,
    medianDegree: sortedDeg[sortedDeg.length >> 1],
    degreeMode: mode,
    split: { train: g.split.train.length, val: g.split.val.length, test: g.split.test.length },
    testRange: [g.split.test[0], g.split.test[g.split.test.length - 1]],
    checksums: g.checksums,
  };
}

/** Undirected edges (u < v) with their betweenness and the original's thickness in [0, 1]. */
export interface EdgeStats {
  readonly u: Int32Array;
  readonly v: Int32Array;
  readonly betweenness: Float64Array;
  readonly thickness: Float32Array;
}

/**
 * The undirected edges u < v, in order of target then source, and the slot (index into the
 * directed edges of the symmetric graph, sorted by target) each comes from. The layout starts from
 * these before any betweenness is known; edgeStats keeps the same order. A directed graph's edges
 * are taken as undirected (see symmetrized).
 */
export function undirectedEdges(graph: Pick<GraphDataset, 'numNodes' | 'edgeSource' | 'edgeTarget'>): { u: Int32Array; v: Int32Array; slot: Int32Array } {
  return undirectedOfSymmetric(symmetrized(graph));
}

function undirectedOfSymmetric(g: Pick<GraphDataset, 'numNodes' | 'edgeSource' | 'edgeTarget'>, offsets: Int32Array = neighbourOffsets(g)): { u: Int32Array; v: Int32Array; slot: Int32Array } {
  const neighbours = g.edgeSource; // edges sorted by target: slot k of node t holds source k
  const count = neighbours.length / 2;
  const u = new Int32Array(count);
  const v = new Int32Array(count);
  const slot = new Int32Array(count);
  let out = 0;
  for (let t = 0; t < g.numNodes; t++) {
    for (let k = offsets[t]; k < offsets[t + 1]; k++) {
      if (t < neighbours[k]) {
        u[out] = t;
        v[out] = neighbours[k];
        slot[out++] = k;
      }
    }
  }
  return { u, v, slot };
}

/** Exact below EXACT_BETWEENNESS_MAX_NODES nodes (Cora, one PPI graph), estimated from sampled sources above. */
export function edgeStats(graph: Pick<GraphDataset, 'numNodes' | 'edgeSource' | 'edgeTarget'>): EdgeStats {
  const g = symmetrized(graph);
  const offsets = neighbourOffsets(g);
  const perSlot = edgeBetweenness(g.numNodes, offsets, g.edgeSource, betweennessSources(g.numNodes, 42, betweennessSamples(g.edgeSource.length)));
  const { u, v, slot } = undirectedOfSymmetric(g, offsets);
  const betweenness = Float64Array.from(slot, (k) => perSlot[k]);
  return { u, v, betweenness, thickness: edgeThickness(betweenness) };
}
