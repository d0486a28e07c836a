import { formatMetric, metricName, type EpochMetrics, type TrainingBatchEvent, type TrainingMetric } from '../../protocol/trainingEvents';

/** What the progress notification needs to know of a live training (no vscode: unit-tested). */
export interface ProgressState {
  readonly epochs: readonly EpochMetrics[];
  readonly batch?: TrainingBatchEvent;
  readonly metric?: TrainingMetric;
}

/**
 * Epochs done, fractional inside an inductive epoch (a PPI epoch is 10 batches and ~20 s on a CPU,
 * so it must move between epochs), and the line the notification shows. Undefined before any work.
 */
export function progressPosition(state: ProgressState): { epochs: number; message: string } | undefined {
  const last = state.epochs[state.epochs.length - 1];
  const b = state.batch;
  const finished = last ? last.epoch + 1 : 0; // events count epochs from 0
  if (b && b.epoch >= finished) {
    const latest = last ? ` · last val ${formatMetric(last.valAcc, state.metric)}` : '';
    return { epochs: b.epoch + (b.batch + 1) / b.batches, message: `epoch ${b.epoch + 1} · batch ${b.batch + 1}/${b.batches} · loss ${b.loss.toFixed(3)}${latest}` };
  }
  return last ? { epochs: finished, message: formatEpoch(last, state.metric) } : undefined;
}

export function formatEpoch(m: EpochMetrics, metric: TrainingMetric | undefined): string {
  const value = (v: number): string => formatMetric(v, metric).replace(/^F1 /, '');
  return `epoch ${m.epoch + 1} · loss ${m.trainLoss.toFixed(3)} / ${m.valLoss.toFixed(3)} · ${metricName(metric)} ${value(m.trainAcc)} / ${value(m.valAcc)} (train / val)`;
}
