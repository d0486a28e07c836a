import type { GraphSnapshot } from '../../src/protocol/webviewMessages';
import { citationGraph, type CitationGraph } from './citationGraph';

/**
 * A graph panel snapshot of a generated citation-like graph (citationGraph.ts) at sizes no
 * dataset here has, for the browser tests and the panel bench. Positions come from `layout`
 * (the real layout worker's, in the bench) or, by default, a cheap placement: each class a
 * disc of its own, nodes spread in it by a seeded spiral, so edges within a class are short.
 */
export function bigGraphSnapshot(nodes: number, undirectedEdges: number, options: { seed?: number; layout?: { x: Float32Array; y: Float32Array; u: Int32Array; v: Int32Array; thickness: Float32Array } } = {}): { snapshot: GraphSnapshot; graph: CitationGraph } {
  const classes = 6;
  const graph = citationGraph(nodes, undirectedEdges, classes, options.seed ?? 3);
  const { x, y } = options.layout ?? clusterPlacement(graph);
  // ── undirected edges u < v (both directions are in the graph), widths from a seeded hash ──
  let u: Int32Array;
  let v: Int32Array;
  let thickness: Float32Array;
  if (options.layout) ({ u, v, thickness } = options.layout);
  else {
    const keep: number[] = [];
    for (let k = 0; k < graph.edgeSource.length; k++) if (graph.edgeTarget[k] < graph.edgeSource[k]) keep.push(k);
    u = Int32Array.from(keep, (k) => graph.edgeTarget[k]);
    v = Int32Array.from(keep, (k) => graph.edgeSource[k]);
    thickness = Float32Array.from(keep, (k) => (Math.imul(k, 2654435761) >>> 0) / 2 ** 32);
  }
  const degree = new Array<number>(nodes).fill(0);
  for (const t of graph.edgeTarget) degree[t]++;
  const snapshot: GraphSnapshot = {
    type: 'graphSnapshot',
    provenance: { dataset: `generated-${nodes}` },
    dataset: `generated-${nodes}`,
    classNames: Array.from({ length: classes }, (_, c) => `class ${c}`),
    labels: Array.from(graph.labels),
    split: Array.from({ length: nodes }, (_, i) => (i < 140 ? 'train' : i < 640 ? 'val' : i < 1640 ? 'test' : 'none')),
    degree,
    x,
    y,
    edgeU: u,
    edgeV: v,
    edgeThickness: thickness,
  };
  return { snapshot, graph };
}

function clusterPlacement(g: CitationGraph): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(g.numNodes);
  const y = new Float32Array(g.numNodes);
  const seen = new Array<number>(g.numClasses).fill(0);
  const spread = 6 * Math.sqrt(g.numNodes / g.numClasses);
  for (let i = 0; i < g.numNodes; i++) {
    const c = g.labels[i];
    const k = seen[c]++;
    const angle = k * 2.399963; // the golden angle: an even spiral
    const r = spread * Math.sqrt(k / (g.numNodes / g.numClasses));
    x[i] = 3 * spread * Math.cos((2 * Math.PI * c) / g.numClasses) + r * Math.cos(angle);
    y[i] = 3 * spread * Math.sin((2 * Math.PI * c) / g.numClasses) + r * Math.sin(angle);
  }
  return { x, y };
}
