import { edgeStats } from '../stats/graphStats';
import type { GraphDataset } from '../data/graph';
import { forceLayout } from './forceLayout';
import { DEFAULT_MULTILEVEL, multilevelLayout } from './multilevelLayout';

/** From this many nodes the layout is multilevel: 300 ticks of d3-force on every node take minutes. */
export const MULTILEVEL_MIN_NODES = 5000;
import type { LayoutRequest, LayoutResult } from './protocol';

/**
 * The whole job the worker runs: edge betweenness (~0.5 s on Cora; sampled above 5,000 nodes) and
 * the layout (~4 s on Cora; multilevel above 5,000 nodes, ~8 s at PubMed's size).
 */
export function runLayoutJob(request: LayoutRequest): LayoutResult {
  // edgeStats reads only these fields of a dataset.
  const g = { numNodes: request.numNodes, edgeSource: request.edgeSource, edgeTarget: request.edgeTarget } as GraphDataset;
  const stats = edgeStats(g);
  const { x, y } =
    request.numNodes >= MULTILEVEL_MIN_NODES
      ? multilevelLayout(request.numNodes, stats.u, stats.v, { ...DEFAULT_MULTILEVEL, coarseTicks: request.ticks, seed: request.seed })
      : forceLayout(request.numNodes, stats.u, stats.v, { ticks: request.ticks, seed: request.seed });
  return { x, y, u: stats.u, v: stats.v, thickness: stats.thickness };
}
