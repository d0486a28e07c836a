import { edgeStats, undirectedEdges } from '../stats/graphStats';
import type { GraphDataset } from '../data/graph';
import { forceLayout } from './forceLayout';
import { DEFAULT_MULTILEVEL, multilevelLayout } from './multilevelLayout';

/** From this many nodes the layout is multilevel: 300 ticks of d3-force on every node take minutes. */
export const MULTILEVEL_MIN_NODES = 5000;
import type { LayoutRequest, LayoutResult, LayoutUpdate } from './protocol';

/**
 * The whole job the worker runs: the layout (~4 s on Cora; multilevel above 5,000 nodes, ~8 s at
 * PubMed's size), then edge betweenness (~0.5 s on Cora; sampled above 5,000 nodes). Multilevel
 * layouts report their progress first: the panel draws the graph converging (thickness comes last).
 */
export function runLayoutJob(request: LayoutRequest, onProgress?: (update: LayoutUpdate) => void): LayoutResult {
  // edgeStats reads only these fields of a dataset.
  const g = { numNodes: request.numNodes, edgeSource: request.edgeSource, edgeTarget: request.edgeTarget } as GraphDataset;
  const { u, v } = undirectedEdges(g);
  let first = true;
  // The layout is about nine tenths of the work; sampled betweenness the rest.
  const report = (p: { x: Float32Array; y: Float32Array; stage: string; fraction: number }): void => {
    onProgress?.({ ...p, fraction: 0.9 * p.fraction, ...(first ? { u, v } : {}) });
    first = false;
  };
  const { x, y } =
    request.numNodes >= MULTILEVEL_MIN_NODES
      ? multilevelLayout(request.numNodes, u, v, { ...DEFAULT_MULTILEVEL, coarseTicks: request.ticks, seed: request.seed }, onProgress ? report : undefined)
      : forceLayout(request.numNodes, u, v, { ticks: request.ticks, seed: request.seed });
  if (!first) report({ x: Float32Array.from(x), y: Float32Array.from(y), stage: 'every node placed; measuring edge betweenness for the widths', fraction: 1 });
  const stats = edgeStats(g);
  return { x, y, u: stats.u, v: stats.v, thickness: stats.thickness };
}
