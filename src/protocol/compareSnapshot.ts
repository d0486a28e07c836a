/**
 * The Compare Runs panel's data: two runs' curves, their results side by side, what differs in
 * their configuration, and where their test predictions agree.
 */
import type { EpochMetrics, TrainingMetric } from './trainingEvents';

/** The agreement categories, in legend order (category index 0..3). */
export const AGREEMENT_NAMES = ['both right', 'only A right', 'only B right', 'both wrong'] as const;

/** Agreement category of a node (or node-label pair) from whether A and B got it right. */
export function agreementCategory(aRight: boolean, bRight: boolean): number {
  return aRight ? (bRight ? 0 : 1) : bRight ? 2 : 3;
}

export interface CompareSide {
  readonly runId: string;
  readonly dataset: string;
  readonly epochs: readonly EpochMetrics[];
  /** run.json, for the header's link. */
  readonly runJson: string;
}

export interface CompareRow {
  readonly label: string;
  readonly a: string;
  readonly b: string;
  readonly differs: boolean;
}

export interface CompareAgreement {
  readonly unit: 'nodes' | 'node-label pairs';
  /** Both right, only A right, only B right, both wrong (test split). */
  readonly counts: readonly [number, number, number, number];
}

export interface CompareSnapshot {
  readonly type: 'compareSnapshot';
  readonly a: CompareSide;
  readonly b: CompareSide;
  readonly metric: TrainingMetric;
  readonly rows: readonly CompareRow[];
  readonly config: ReadonlyArray<{ readonly key: string; readonly a: string; readonly b: string }>;
  readonly agreement: CompareAgreement | { readonly unavailable: string };
}

/** Webview state kept across reloads. */
export interface ComparePanelState {
  readonly runIds: readonly [string, string];
}
