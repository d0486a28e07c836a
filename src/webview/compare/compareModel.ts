import { AGREEMENT_NAMES, type CompareSnapshot } from '../../protocol/compareSnapshot';
import type { EpochMetrics } from '../../protocol/trainingEvents';
import type { ChartModel, Series } from '../../figures/chartModel';

/** Pure view-model of the Compare Runs panel: overlaid curves and the agreement bar's segments. */

const AGREEMENT_CLASSES = ['both-right', 'only-a', 'only-b', 'both-wrong'] as const;

/** Loss, then accuracy (or micro-F1): each with A's and B's validation curves, training curves dashed. */
export function overlayCharts(s: CompareSnapshot): [ChartModel, ChartModel] {
  const series = (pick: (e: EpochMetrics) => number, what: string): Series[] => [
    { name: `A val ${what}`, cssClass: 'run-a', points: s.a.epochs.map((e) => [e.epoch, pick(e)] as const) },
    { name: `B val ${what}`, cssClass: 'run-b', points: s.b.epochs.map((e) => [e.epoch, pick(e)] as const) },
  ];
  const train = (pick: (e: EpochMetrics) => number, what: string): Series[] => [
    { name: `A train ${what}`, cssClass: 'run-a dashed', points: s.a.epochs.map((e) => [e.epoch, pick(e)] as const) },
    { name: `B train ${what}`, cssClass: 'run-b dashed', points: s.b.epochs.map((e) => [e.epoch, pick(e)] as const) },
  ];
  const all = [...s.a.epochs, ...s.b.epochs];
  const x: [number, number] = all.length === 0 ? [0, 1] : [Math.min(...all.map((e) => e.epoch)), Math.max(1, ...all.map((e) => e.epoch))];
  const lossSeries = [...series((e) => e.valLoss, 'loss'), ...train((e) => e.trainLoss, 'loss')];
  let maxLoss = 0;
  for (const e of all) maxLoss = Math.max(maxLoss, Number.isFinite(e.valLoss) ? e.valLoss : 0, Number.isFinite(e.trainLoss) ? e.trainLoss : 0);
  const name = s.metric === 'micro-F1' ? 'micro-F1' : 'acc';
  return [
    { title: 'Loss', series: lossSeries, xDomain: x, yDomain: [0, maxLoss > 0 ? maxLoss * 1.05 : 1] },
    { title: s.metric === 'micro-F1' ? 'Micro-F1' : 'Accuracy', series: [...series((e) => e.valAcc, name), ...train((e) => e.trainAcc, name)], xDomain: x, yDomain: [0, 1] },
  ];
}

/** The agreement bar: each category's share of the test split, with its count. */
export function agreementSegments(counts: readonly number[]): Array<{ name: string; cssClass: string; count: number; share: number }> {
  const total = counts.reduce((a, b) => a + b, 0);
  return AGREEMENT_NAMES.map((name, i) => ({ name, cssClass: AGREEMENT_CLASSES[i], count: counts[i], share: total > 0 ? counts[i] / total : 0 }));
}
