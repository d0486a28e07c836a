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
