import type { Analysis } from '../artifacts/analysis';
import type { AttentionSnapshotData, EntropySnapshotData } from '../../protocol/analysisSnapshots';
import { analysisNodeView } from '../records/analysisView';

/** The attention a node gives its neighbourhood (self-loop included) in one layer, every head. */
export function attentionSnapshotData(dataset: string, runId: string, a: Analysis, node: number, layer: number): AttentionSnapshotData {
  if (!Number.isInteger(node) || node < 0 || node >= a.numNodes) throw new RangeError(`node ${node} does not exist: node ids are 0 to ${a.numNodes - 1}`);
  if (!Number.isInteger(layer) || layer < 1 || layer > a.heads.length) throw new RangeError(`layer ${layer} does not exist: this model has layers 1 to ${a.heads.length}`);
  const given = analysisNodeView(runId, a).attentionGiven!(node)[layer - 1];
  const heads = given.heads;
  return {
    dataset,
    runId,
    node,
    nodeLabel: a.labels[node],
    layer,
    heads,
    classNames: a.classNames,
    neighbours: Array.from(given.neighbours, (n, i) => ({ node: n, label: a.labels[n], isSelf: n === node, weights: Array.from(given.weights.subarray(i * heads, (i + 1) * heads)) })),
  };
}

/** Per-node entropy of each head's attention in one layer, next to the uniform entropy. */
export function entropySnapshotData(dataset: string, runId: string, a: Analysis, layer: number): EntropySnapshotData {
  if (!Number.isInteger(layer) || layer < 1 || layer > a.heads.length) throw new RangeError(`layer ${layer} does not exist: this model has layers 1 to ${a.heads.length}`);
  const heads = a.heads[layer - 1];
  const entropy = a.entropy[layer - 1]; // (N, NH)
  const learned = Array.from({ length: heads }, (_, h) => Array.from({ length: a.numNodes }, (_, i) => entropy[i * heads + h]));
  return { dataset, runId, layer, heads, learned, uniform: Array.from(a.uniformEntropy) };
}
