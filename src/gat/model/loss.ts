/** Softmax cross-entropy and accuracy over a set of nodes, shared by both engines. */

/**
 * Mean cross-entropy of `logits` rows (row r belongs to nodes[r] when `rowOfNode` is false, to
 * node nodes[r] itself when true) and accuracy; when `dLogits` is given, writes dLoss/dlogits there
 * in the same row layout.
 */
export function crossEntropy(
  logits: Float32Array, classes: number, nodes: Int32Array, labels: Int32Array, rowOfNode: boolean, dLogits?: Float32Array,
): { loss: number; acc: number } {
  let loss = 0;
  let correct = 0;
  const inv = 1 / nodes.length;
  for (let r = 0; r < nodes.length; r++) {
    const row = (rowOfNode ? nodes[r] : r) * classes;
    const y = labels[nodes[r]];
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) {
      const v = logits[row + c];
      if (v > max) {
        max = v;
        arg = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[row + c] - max);
    loss += Math.log(sum) + max - logits[row + y];
    correct += arg === y ? 1 : 0;
    if (dLogits) {
      for (let c = 0; c < classes; c++) dLogits[row + c] = (Math.exp(logits[row + c] - max) / sum - (c === y ? 1 : 0)) * inv;
    }
  }
  return { loss: loss * inv, acc: correct * inv };
}

/** Counts behind micro-F1: true positives, false positives, false negatives over every (node, label). */
export interface LabelCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

/** Micro-F1 = 2·TP / (2·TP + FP + FN), as scikit-learn's f1_score(average='micro'); 0 when all are 0. */
export function microF1(c: LabelCounts): number {
  const d = 2 * c.tp + c.fp + c.fn;
  return d === 0 ? 0 : (2 * c.tp) / d;
}

/**
 * Multi-label loss (PyTorch's BCEWithLogitsLoss, mean over every node and label) and the micro-F1
 * counts with logit > 0 as a positive prediction. `targets` is (N, C) 0/1 indexed by node; logits
 * rows follow `rowOfNode` as in crossEntropy. When `dLogits` is given, writes dLoss/dlogits there.
 */
export function binaryCrossEntropy(
  logits: Float32Array, classes: number, nodes: Int32Array, targets: Uint8Array, rowOfNode: boolean, dLogits?: Float32Array,
): { loss: number; counts: LabelCounts } {
  let loss = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const inv = 1 / (nodes.length * classes);
  for (let r = 0; r < nodes.length; r++) {
    const row = (rowOfNode ? nodes[r] : r) * classes;
    const t = nodes[r] * classes;
    for (let c = 0; c < classes; c++) {
      const x = logits[row + c];
      const y = targets[t + c];
      // max(x, 0) − x·y + log(1 + e^−|x|): stable for any x.
      loss += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
      const positive = x > 0;
      if (positive && y === 1) tp++;
      else if (positive) fp++;
      else if (y === 1) fn++;
      if (dLogits) dLogits[row + c] = (1 / (1 + Math.exp(-x)) - y) * inv;
    }
  }
  return { loss: loss * inv, counts: { tp, fp, fn } };
}
