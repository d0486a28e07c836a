/**
 * The typed events a training run emits: one JSON object per line with `--progress json`,
 * and the same objects over IPC when the training process is forked by the extension.
 * Imported with `import type` by the training core and the extension host.
 */

import type { ComputeRoute } from './computeRoute';

export const TRAINING_EVENT_VERSION = 1;

/** What a run's trainAcc / valAcc / testAcc measure: single-label accuracy, or micro-F1 (PPI). */
export type TrainingMetric = 'accuracy' | 'micro-F1';

/** Accuracy as a percentage; micro-F1 as the fraction the literature quotes (PPI: 0.973). */
export function formatMetric(value: number, metric: TrainingMetric | undefined): string {
  return metric === 'micro-F1' ? `F1 ${value.toFixed(3)}` : `${(100 * value).toFixed(1)}%`;
}

/** Short name of the metric for chart titles and legends. */
export function metricName(metric: TrainingMetric | undefined): string {
  return metric === 'micro-F1' ? 'micro-F1' : 'acc';
}

export interface TrainingStartEvent {
  readonly type: 'start';
  readonly version: typeof TRAINING_EVENT_VERSION;
  readonly runId: string;
  readonly runDir: string;
  readonly dataset: string;
  readonly backend: string;
  /** 'gatv2' for a GATv2 run; absent for GAT (and in events from before GATv2). */
  readonly model?: 'gatv2';
  /** What computes the run: engine, kernels, threads, dense products (absent in events from before threads were recorded). */
  readonly compute?: ComputeRoute;
  readonly maxEpochs: number;
  readonly resumedFromEpoch: number | null;
  /** What trainAcc / valAcc measure (absent in events from before PPI: accuracy). */
  readonly metric?: TrainingMetric;
  /** Optimisation steps per epoch (inductive datasets: batches of graphs). */
  readonly batchesPerEpoch?: number;
}

export interface EpochMetrics {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAcc: number;
  readonly valLoss: number;
  readonly valAcc: number;
  readonly ms: number;
}

export interface TrainingEpochEvent extends EpochMetrics {
  readonly type: 'epoch';
}

/** Inductive datasets: one batch of graphs done (an epoch of PPI is 10 of them). */
export interface TrainingBatchEvent {
  readonly type: 'batch';
  readonly epoch: number;
  readonly batch: number; // 0-based
  readonly batches: number;
  readonly loss: number;
  readonly acc: number;
}

export interface TrainingCheckpointEvent {
  readonly type: 'checkpoint';
  readonly epoch: number;
  readonly path: string;
}

export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

export interface TrainingDoneEvent {
  readonly type: 'done';
  readonly status: Exclude<RunStatus, 'running' | 'interrupted'>;
  readonly runId: string;
  readonly runDir: string;
  readonly epochs: number;
  readonly bestValAcc: number;
  readonly testAcc: number | null;
  readonly binaryPath: string | null;
  readonly checkpointPath: string | null;
  readonly wallSeconds: number;
}

export interface TrainingLogEvent {
  readonly type: 'log';
  readonly level: 'info' | 'warn';
  readonly message: string;
}

export interface TrainingErrorEvent {
  readonly type: 'error';
  readonly message: string;
  /**
   * Stable code the host maps to a plain message and a fix: 'lock-held', 'lock-unverifiable',
   * 'not-a-folder', 'disk', a file-system code ('EISDIR', …), else the error's name.
   */
  readonly code: string;
  /** The file or folder the error is about, where there is one. */
  readonly path?: string;
  /** A lock in the way: who holds it, so that the host removes only that lock (never a newer one). */
  readonly lock?: { readonly pid: number; readonly hostname: string; readonly takenAt: string };
}

export type TrainingEvent = TrainingStartEvent | TrainingEpochEvent | TrainingBatchEvent | TrainingCheckpointEvent | TrainingDoneEvent | TrainingLogEvent | TrainingErrorEvent;

/** Host → training process. */
export type TrainingCommand = { readonly type: 'cancel' };

const EVENT_TYPES: ReadonlySet<string> = new Set(['start', 'epoch', 'batch', 'checkpoint', 'done', 'log', 'error']);

export function isTrainingEvent(value: unknown): value is TrainingEvent {
  return typeof value === 'object' && value !== null && EVENT_TYPES.has((value as { type?: unknown }).type as string);
}

export function isTrainingCommand(value: unknown): value is TrainingCommand {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'cancel';
}

/** Exit codes of `gat train` and the training process, mapped to plain messages by the host. */
export const TRAINING_EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  dataset: 3,
  write: 4,
  backend: 5,
  /** Another training holds the output folder's lock (or may: one this machine cannot check). */
  locked: 6,
  cancelled: 130,
} as const;

export function describeTrainingExit(code: number | null, signal: string | null): string {
  if (signal) return `the training process was killed (${signal})`;
  switch (code) {
    case TRAINING_EXIT.ok: return 'training finished';
    case TRAINING_EXIT.usage: return 'a training option is invalid';
    case TRAINING_EXIT.dataset: return 'the dataset could not be loaded';
    case TRAINING_EXIT.write: return 'a file could not be written (is the disk full or read-only?)';
    case TRAINING_EXIT.backend: return 'the requested back end is not available';
    case TRAINING_EXIT.locked: return 'another training holds the output folder';
    case TRAINING_EXIT.cancelled: return 'training was cancelled; a checkpoint was saved';
    default: return `the training process crashed (exit code ${code})`;
  }
}
