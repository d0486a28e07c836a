/**
 * The area under the ROC curve of scores against 0/1 labels: the chance that a random positive
 * scores above a random negative, a tie counting ½ (the Mann–Whitney U statistic over P · N).
 * This is how the GNNExplainer paper scores an explanation (its edge scores against the edges of
 * the planted motif), and what sklearn's roc_auc_score gives.
 */

/**
 * AUROC of `scores` against `labels` (each 0 or 1), in O(n log n): ranks with ties averaged,
 * U = (sum of the positives' ranks) − P(P + 1)/2, AUROC = U / (P · N).
 *
 * Returns null when the labels hold only one class (or none): there is no pair to compare, and
 * AUROC is undefined (sklearn raises; returning 0.5 would pass for an answer). Throws a RangeError
 * for arrays of different lengths, a label other than 0 or 1, or a score that is not finite.
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`auroc: ${n} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`auroc: score ${i} is ${scores[i]}; every score must be a finite number`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`auroc: label ${i} is ${labels[i]}; labels must be 0 or 1`);
    positives += labels[i];
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;

  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // Ranks start + 1 … end share their mean: a tie between a positive and a negative counts ½.
    const meanRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (labels[order[k]] === 1) positiveRankSum += meanRank;
    start = end;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}
