/**
 * Faithfulness of edge rankings, one node at a time (GraphFramEx, Amara et al. 2022, as PyG's
 * `fidelity` and `characterization_score` define it for explanations of the model):
 *
 *   fid+ (necessity)   = 1 − mean 1[ŷ(G without the top-k edges) = ŷ(G)]
 *   fid− (sufficiency) = 1 − mean 1[ŷ(only the top-k edges)       = ŷ(G)]
 *   characterization   = 1 / (w₊/fid+ + w₋/(1 − fid−)),  w₊ = w₋ = ½
 *
 * and the same with the explained probability instead of the label: mean p(G) − p(G'). Removing
 * an edge renormalises every softmax it took part in (fieldModel.ts); self-loops always stay.
 * A random ranking (seeded) is the baseline every method should beat.
 */
import { streamKey, uniformAt } from '../kernels/random';
import { auroc } from '../stats/auroc';
import type { FidelitySummary, MotifAccuracy, NodeMethodFidelity, RankingMethod } from '../../protocol/faithfulness';
import { attentionFlow, gnnExplainer, integratedGradients, leaveOneOut, predictedOf, probability, saliency, type ImportanceSettings, type Objective } from './edgeImportance';
import type { FieldModel, ForwardRecord } from './fieldModel';

export interface FidelityRequest {
  readonly model: FieldModel;
  /** Per unit, 1 for an edge of a planted motif: the node is in one and its scores are graded. */
  readonly motifLabels?: Uint8Array;
  readonly objective: Objective;
  readonly methods: readonly RankingMethod[];
  readonly ks: readonly number[];
  readonly settings: ImportanceSettings;
  readonly numNodes: number;
}

/** The scores a method gives every unit (higher = more important). */
export function rankingScores(method: RankingMethod, r: FidelityRequest, base: ForwardRecord): Float64Array {
  const { model, objective: o } = r;
  switch (method) {
    case 'attention':
      return attentionFlow(model, base);
    case 'leave-one-out':
      return leaveOneOut(model, o, base);
    case 'saliency':
      return saliency(model, o).map(Math.abs);
    case 'integrated-gradients':
      return integratedGradients(model, o, r.settings.igSteps).attributions;
    case 'gnnexplainer':
      return gnnExplainer(model, o, r.settings, r.numNodes);
    case 'random': {
      const key = streamKey(r.settings.seed, r.model.field.node, 0x7261);
      return Float64Array.from({ length: model.numUnits }, (_, u) => uniformAt(key, u));
    }
  }
}

/** Units by score, highest first; ties keep unit order, so a ranking is a pure function of its scores. */
export function rankOf(scores: Float64Array): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, u) => u);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** A row as a worker sends it: a graded node also carries its scores and labels, pooled by the main thread. */
export type GradedRow = NodeMethodFidelity & { readonly motifPairs?: { readonly scores: number[]; readonly labels: number[] } };

export function nodeFidelity(r: FidelityRequest): GradedRow[] {
  const { model, objective: o } = r;
  const base = model.forward();
  const p0 = probability(o, base.logits);
  const y0 = predictedOf(o, base.logits);
  const U = model.numUnits;
  return r.methods.map((method) => {
    const t0 = performance.now();
    const scores = rankingScores(method, r, base);
    const order = rankOf(scores);
    const row = { plusChanged: [] as number[], minusChanged: [] as number[], plusDrop: [] as number[], minusDrop: [] as number[] };
    for (const k of r.ks) {
      const top = Math.min(k, U);
      const removed = new Uint8Array(U);
      for (let q = 0; q < top; q++) removed[order[q]] = 1;
      const without = model.logitsWithout(base, removed);
      for (let u = 0; u < U; u++) removed[u] ^= 1; // keep only the top k
      const only = model.logitsWithout(base, removed);
      row.plusChanged.push(predictedOf(o, without) === y0 ? 0 : 1);
      row.minusChanged.push(predictedOf(o, only) === y0 ? 0 : 1);
      row.plusDrop.push(p0 - probability(o, without));
      row.minusDrop.push(p0 - probability(o, only));
    }
    const graded = r.motifLabels ? { motifAuroc: auroc(scores, r.motifLabels), motifPairs: { scores: Array.from(scores), labels: Array.from(r.motifLabels) } } : {};
    return { node: model.field.node, method, units: U, seconds: (performance.now() - t0) / 1000, ...row, ...graded };
  });
}

export function characterizationScore(plus: number, minus: number, wPlus = 0.5, wMinus = 0.5): number | null {
  if (plus === 0 || minus === 1) return null;
  return (wPlus + wMinus) / (wPlus / plus + wMinus / (1 - minus));
}

export function summarize(rows: readonly NodeMethodFidelity[], methods: readonly RankingMethod[], ks: readonly number[]): FidelitySummary[] {
  const out: FidelitySummary[] = [];
  for (const method of methods) {
    const mine = rows.filter((r) => r.method === method);
    const n = Math.max(1, mine.length);
    const mean = (f: (r: NodeMethodFidelity) => number): number => mine.reduce((a, r) => a + f(r), 0) / n;
    ks.forEach((k, q) => {
      const fidelityPlus = mean((r) => r.plusChanged[q]);
      const fidelityMinus = mean((r) => r.minusChanged[q]);
      out.push({
        method,
        k,
        nodes: mine.length,
        fidelityPlus,
        fidelityMinus,
        characterization: characterizationScore(fidelityPlus, fidelityMinus),
        probabilityDropPlus: mean((r) => r.plusDrop[q]),
        probabilityDropMinus: mean((r) => r.minusDrop[q]),
        secondsPerNode: mean((r) => r.seconds),
      });
    });
  }
  return out;
}

/** Explanation accuracy per method over the graded (motif) nodes; the pairs are dropped from the rows. */
export function motifAccuracy(rows: readonly GradedRow[], methods: readonly RankingMethod[]): { accuracy: MotifAccuracy[]; rows: NodeMethodFidelity[] } {
  const accuracy = methods.map((method): MotifAccuracy => {
    const mine = rows.filter((r) => r.method === method && r.motifPairs);
    const scores = mine.flatMap((r) => r.motifPairs!.scores);
    const labels = mine.flatMap((r) => r.motifPairs!.labels);
    const each = mine.map((r) => r.motifAuroc).filter((v): v is number => typeof v === 'number');
    return { method, pooledAuroc: auroc(scores, labels), meanNodeAuroc: each.length ? each.reduce((a, b) => a + b, 0) / each.length : null, nodes: mine.length };
  });
  return { accuracy, rows: rows.map(({ motifPairs: _pairs, ...row }) => row) };
}
