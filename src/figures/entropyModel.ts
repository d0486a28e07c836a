/** Pure view-model of the entropy panel: shared bins, the two histograms and their summary. */

export interface Histogram {
  readonly edges: number[]; // bins + 1 boundaries
  readonly learned: number[]; // count per bin
  readonly uniform: number[];
  /** Node ids in each bin of the learned histogram (a bin leads to its nodes). */
  readonly learnedNodes: number[][];
}

/** Bins both series over one range, so the orange and blue bars line up as in the original. */
export function entropyHistogram(learned: readonly number[], uniform: readonly number[], bins = 30): Histogram {
  if (learned.length !== uniform.length) throw new RangeError(`learned has ${learned.length} nodes but uniform has ${uniform.length}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...learned, ...uniform]) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-9) hi = lo + 1e-3;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const bin = (v: number): number => Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)));
  const out: Histogram = { edges, learned: new Array(bins).fill(0), uniform: new Array(bins).fill(0), learnedNodes: Array.from({ length: bins }, () => []) };
  learned.forEach((v, node) => {
    if (!Number.isFinite(v)) return;
    const b = bin(v);
    out.learned[b]++;
    out.learnedNodes[b].push(node);
  });
  uniform.forEach((v) => {
    if (Number.isFinite(v)) out.uniform[bin(v)]++;
  });
  return out;
}

export interface EntropySummary {
  /** Mean of (uniform − learned) over nodes, in nats: 0 means attention is as flat as uniform. */
  readonly meanGap: number;
  /** Share of nodes whose learned entropy is within `tolerance` nats of uniform. */
  readonly withinTolerance: number;
  /** 1-D earth mover's distance between the two distributions of entropies (nats). */
  readonly earthMovers: number;
  readonly tolerance: number;
}

export function entropySummary(learned: readonly number[], uniform: readonly number[], tolerance = 0.05): EntropySummary {
  const n = learned.length;
  let gap = 0;
  let within = 0;
  for (let i = 0; i < n; i++) {
    const d = uniform[i] - learned[i];
    gap += d;
    if (Math.abs(d) <= tolerance) within++;
  }
  // EMD between two equal-size samples = mean absolute difference of the sorted values.
  const a = [...learned].sort((x, y) => x - y);
  const b = [...uniform].sort((x, y) => x - y);
  let emd = 0;
  for (let i = 0; i < n; i++) emd += Math.abs(a[i] - b[i]);
  return { meanGap: n ? gap / n : 0, withinTolerance: n ? within / n : 0, earthMovers: n ? emd / n : 0, tolerance };
}

export function summaryText(s: EntropySummary): string {
  const verdict = s.earthMovers < 0.05 ? 'the learned and uniform distributions nearly coincide (attention is close to uniform, as GAT on Cora is known to be)' : s.meanGap > 0 ? 'learned attention is more peaked than uniform' : 'learned attention is flatter than uniform';
  return `${(100 * s.withinTolerance).toFixed(1)}% of nodes within ${s.tolerance} nats of uniform; mean gap ${s.meanGap.toFixed(3)} nats; earth mover's distance ${s.earthMovers.toFixed(3)} nats: ${verdict}.`;
}
