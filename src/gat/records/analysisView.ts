import type { Analysis } from '../artifacts/analysis';
import type { RunNodeView } from './nodeRecord';

/**
 * Adapts a run's analysis artifact to what node records show: prediction, confidence, the
 * attention each node gives its neighbourhood (grouped by target, as the softmax is) and the
 * per-head entropy next to the uniform one.
 */
export function analysisNodeView(runId: string, a: Analysis): RunNodeView {
  // Edges grouped by target (counting sort), so a node's neighbourhood is one slice.
  const offsets = new Int32Array(a.numNodes + 1);
  for (const t of a.edgeTarget) offsets[t + 1]++;
  for (let i = 0; i < a.numNodes; i++) offsets[i + 1] += offsets[i];
  const order = new Int32Array(a.edgeTarget.length);
  const fill = offsets.slice(0, a.numNodes);
  for (let e = 0; e < a.edgeTarget.length; e++) order[fill[a.edgeTarget[e]]++] = e;

  return {
    runId,
    predictions: a.predictions,
    confidence: a.confidence,
    attentionGiven(node) {
      const edges = order.subarray(offsets[node], offsets[node + 1]);
      return a.attention.map((att, layer) => {
        const heads = a.heads[layer];
        const weights = new Float32Array(edges.length * heads); // (deg+1) × heads
        edges.forEach((e, i) => weights.set(att.subarray(e * heads, (e + 1) * heads), i * heads));
        return { layer: layer + 1, heads, neighbours: Int32Array.from(edges, (e) => a.edgeSource[e]), weights };
      });
    },
    ...(a.multiLabel
      ? {
          labelProbabilities: (node: number): Float32Array => Float32Array.from(a.outputs.subarray(node * a.numClasses, (node + 1) * a.numClasses), (z) => 1 / (1 + Math.exp(-z))),
        }
      : {}),
    entropy(node) {
      return a.entropy.map((ent, layer) => {
        const heads = a.heads[layer];
        return { layer: layer + 1, perHead: ent.slice(node * heads, (node + 1) * heads), uniform: a.uniformEntropy[node] };
      });
    },
  };
}
