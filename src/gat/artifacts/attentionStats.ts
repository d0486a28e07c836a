/**
 * Pure statistics over a GAT's attention, as the entropy panel needs them. A node's attention is
 * the softmax over its incoming edges (grouped by target, self-loop included), so for each node and
 * head the weights of its incoming edges form a probability distribution.
 *
 * Shapes: N nodes, E' edges (with self-loops), NH heads; attention is (E', NH), head-minor.
 */

export class AttentionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttentionError';
  }
}

/** Slack for float32 sums over up to a few hundred neighbours. */
const SUM_TOLERANCE = 1e-3;
const RANGE_TOLERANCE = 1e-6;

/** Number of incoming edges per node (degree + 1 with one self-loop each); every node needs one. */
export function incomingCounts(numNodes: number, edgeSource: Int32Array, edgeTarget: Int32Array): Int32Array {
  if (edgeSource.length !== edgeTarget.length) throw new AttentionError(`edgeSource has ${edgeSource.length} edges but edgeTarget ${edgeTarget.length}`);
  const counts = new Int32Array(numNodes);
  for (let e = 0; e < edgeTarget.length; e++) {
    const s = edgeSource[e];
    const t = edgeTarget[e];
    if (t < 0 || t >= numNodes || s < 0 || s >= numNodes) throw new AttentionError(`edge ${e} (${s} → ${t}) points outside the ${numNodes} nodes`);
    counts[t]++;
  }
  const lonely = counts.indexOf(0);
  if (lonely >= 0) throw new AttentionError(`node ${lonely} has no incoming edge, so its attention is undefined; add self-loops before computing attention`);
  return counts;
}

/** ln(number of incoming edges): the entropy attention would have if it were uniform. */
export function uniformEntropy(counts: Int32Array): Float32Array {
  return Float32Array.from(counts, (c) => Math.log(c));
}

/**
 * Checks that one layer's attention (E' × NH) is a distribution over every neighbourhood:
 * each weight in [0, 1], each node's weights summing to 1 per head. Throws naming the first offender.
 */
export function validateAttention(layer: number, attention: Float32Array, heads: number, edgeTarget: Int32Array, numNodes: number): void {
  const edges = edgeTarget.length;
  if (attention.length !== edges * heads) throw new AttentionError(`attention of layer ${layer} has ${attention.length} values; expected ${edges} edges × ${heads} heads = ${edges * heads}`);
  const sums = new Float64Array(numNodes * heads);
  for (let e = 0; e < edges; e++) {
    for (let h = 0; h < heads; h++) {
      const p = attention[e * heads + h];
      if (!(p >= -RANGE_TOLERANCE && p <= 1 + RANGE_TOLERANCE)) throw new AttentionError(`attention of layer ${layer} head ${h} on edge ${e} is ${p}, outside [0, 1]`);
      sums[edgeTarget[e] * heads + h] += p;
    }
  }
  for (let i = 0; i < numNodes; i++) {
    for (let h = 0; h < heads; h++) {
      const s = sums[i * heads + h];
      if (Math.abs(s - 1) > SUM_TOLERANCE) throw new AttentionError(`attention of layer ${layer} head ${h} sums to ${s.toFixed(6)} over the neighbourhood of node ${i}, not 1`);
    }
  }
}

/** Per node and head, −Σ p ln p over the node's incoming edges (natural log), as (N × NH). */
export function attentionEntropy(attention: Float32Array, heads: number, edgeTarget: Int32Array, numNodes: number): Float32Array {
  const acc = new Float64Array(numNodes * heads);
  for (let e = 0; e < edgeTarget.length; e++) {
    for (let h = 0; h < heads; h++) {
      const p = attention[e * heads + h];
      if (p > 0) acc[edgeTarget[e] * heads + h] -= p * Math.log(p);
    }
  }
  return Float32Array.from(acc);
}

/** Softmax confidence (max probability) and arg-max class of each row of (N × C) logits. */
/**
 * Per node: the predicted class and its probability — softmax for single-label models; for
 * multi-label ones (`multiLabel`) the most probable label and its sigmoid.
 */
// explain: output (the Computation panel links this step here; resolved by scripts/build.mjs)
export function predictFromLogits(logits: Float32Array, numNodes: number, numClasses: number, multiLabel = false): { predictions: Int32Array; confidence: Float32Array } {
  if (logits.length !== numNodes * numClasses) throw new AttentionError(`logits have ${logits.length} values; expected ${numNodes} nodes × ${numClasses} classes`);
  const predictions = new Int32Array(numNodes);
  const confidence = new Float32Array(numNodes);
  for (let i = 0; i < numNodes; i++) {
    const row = logits.subarray(i * numClasses, (i + 1) * numClasses);
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (row[c] > row[best]) best = c;
    if (multiLabel) {
      predictions[i] = best;
      confidence[i] = 1 / (1 + Math.exp(-row[best]));
      continue;
    }
    let z = 0;
    for (let c = 0; c < numClasses; c++) z += Math.exp(row[c] - row[best]); // shifted for stability
    predictions[i] = best;
    confidence[i] = 1 / z;
  }
  return { predictions, confidence };
}
