/** Engine inputs shared by the WebGPU engine tests (the patterns of gatEngines*.test.ts). */
import type { GraphDataset } from '../../src/gat/data/graph';
import type { EngineInput, GraphBatch } from '../../src/gat/model/engine';
import { buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { allocateParameters, initParameters, layerShapes } from '../../src/gat/model/parameters';
import { mix32 } from '../../src/gat/kernels/random';
import { tinyGraph } from './tinyGraph';

export function batchOf(g: GraphDataset): GraphBatch {
  return { graph: buildGatGraph(g), features: g.features, labels: g.labels, multiLabels: g.multiLabels, trainNodes: g.split.train };
}

/** Glorot parameters, with the zero biases made non-zero so their gradients and ELU's negative side are exercised. */
export function engineInput(g: GraphDataset, heads: number[], hidden: number[], dropout: number, skip = false, seed = 3): EngineInput {
  const shapes = layerShapes(g.numFeatures, g.numClasses, heads, hidden, skip);
  const params = allocateParameters(shapes);
  initParameters(params, seed);
  for (let i = 0; i < params.flat.length; i++) if (params.flat[i] === 0) params.flat[i] = 0.05 * Math.sin(i);
  return { ...batchOf(g), shapes, params, dropout, seed };
}

/** A PPI-like graph: dense real-valued features, multi-label targets, every node in training. */
export function multiLabelGraph(opts: { nodes: number; features: number; labels: number; seed: number; edges?: number }): GraphDataset {
  const g = tinyGraph({ nodes: opts.nodes, features: opts.features, classes: opts.labels, seed: opts.seed, edges: opts.edges });
  let s = opts.seed;
  const next = (): number => (s = mix32(s + 0x9e3779b9)) / 4294967296;
  const multiLabels = Uint8Array.from({ length: opts.nodes * opts.labels }, () => (next() < 0.35 ? 1 : 0));
  const indptr = Int32Array.from({ length: opts.nodes + 1 }, (_, i) => i * opts.features);
  const indices = Int32Array.from({ length: opts.nodes * opts.features }, (_, k) => k % opts.features);
  const values = Float32Array.from({ length: opts.nodes * opts.features }, () => 2 * next() - 1);
  const all = Int32Array.from({ length: opts.nodes }, (_, i) => i);
  return { ...g, features: { rows: opts.nodes, cols: opts.features, indptr, indices, values }, multiLabels, split: { train: all, val: all, test: all } };
}

export const everyNode = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
