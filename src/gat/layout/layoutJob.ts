import { edgeStats } from '../stats/graphStats';
import type { GraphDataset } from '../data/graph';
import { forceLayout } from './forceLayout';
import type { LayoutRequest, LayoutResult } from './protocol';

/** The whole job the worker runs: edge betweenness (~0.5 s on Cora) and the layout (~4 s). */
export function runLayoutJob(request: LayoutRequest): LayoutResult {
  // edgeStats reads only these fields of a dataset.
  const g = { numNodes: request.numNodes, edgeSource: request.edgeSource, edgeTarget: request.edgeTarget } as GraphDataset;
  const stats = edgeStats(g);
  const { x, y } = forceLayout(request.numNodes, stats.u, stats.v, { ticks: request.ticks, seed: request.seed });
  return { x, y, u: stats.u, v: stats.v, thickness: stats.thickness };
}
