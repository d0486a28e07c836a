import type { ChartModel, Series } from '../../figures/chartModel';
import { formatMetric, metricName, type EpochMetrics, type TrainingMetric } from '../../protocol/trainingEvents';

/** Pure view-model for the metrics charts: series, domains and the summary line. */

export function lossChart(epochs: readonly EpochMetrics[]): ChartModel {
  const series = [
    { name: 'train loss', cssClass: 'train', points: epochs.map((e) => [e.epoch, e.trainLoss] as const) },
    { name: 'val loss', cssClass: 'val', points: epochs.map((e) => [e.epoch, e.valLoss] as const) },
  ];
  return { title: 'Loss', series, xDomain: xDomain(epochs), yDomain: [0, niceMax(series)] };
}

/** Accuracy, or micro-F1 for multi-label runs (PPI); both live in [0, 1]. */
export function accuracyChart(epochs: readonly EpochMetrics[], metric?: TrainingMetric): ChartModel {
  const name = metricName(metric);
  const series = [
    { name: `train ${name}`, cssClass: 'train', points: epochs.map((e) => [e.epoch, e.trainAcc] as const) },
    { name: `val ${name}`, cssClass: 'val', points: epochs.map((e) => [e.epoch, e.valAcc] as const) },
  ];
  return { title: metric === 'micro-F1' ? 'Micro-F1' : 'Accuracy', series, xDomain: xDomain(epochs), yDomain: [0, 1] };
}

export function summaryLine(epochs: readonly EpochMetrics[], metric?: TrainingMetric): string {
  if (epochs.length === 0) return '';
  const last = epochs[epochs.length - 1];
  let best = epochs[0];
  for (const e of epochs) if (e.valAcc > best.valAcc) best = e;
  const msPerEpoch = epochs.reduce((a, e) => a + e.ms, 0) / epochs.length;
  // Events count epochs from 0; users read them from 1, as the progress notification, status bar and checkpoint names do.
  return `epoch ${last.epoch + 1} · best val ${metric === 'micro-F1' ? 'micro-' : 'acc '}${formatMetric(best.valAcc, metric)} at epoch ${best.epoch + 1} · ${msPerEpoch.toFixed(1)} ms/epoch`;
}

function xDomain(epochs: readonly EpochMetrics[]): [number, number] {
  if (epochs.length === 0) return [0, 1];
  return [epochs[0].epoch, Math.max(epochs[0].epoch + 1, epochs[epochs.length - 1].epoch)];
}

function niceMax(series: readonly Series[]): number {
  let max = 0;
  for (const s of series) for (const [, y] of s.points) if (Number.isFinite(y) && y > max) max = y;
  return max > 0 ? max * 1.05 : 1;
}
