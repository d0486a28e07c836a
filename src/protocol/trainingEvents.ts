/**
 * The typed events a training run emits: one JSON object per line with `--progress json`,
 * and the same objects over IPC when the training process is forked by the extension.
 * Imported with `import type` by the training core and the extension host.
 */

export const TRAINING_EVENT_VERSION = 1;

export interface TrainingStartEvent {
  readonly type: 'start';
  readonly version: typeof TRAINING_EVENT_VERSION;
  readonly runId: string;
  readonly runDir: string;
  readonly dataset: string;
  readonly backend: string;
  readonly maxEpochs: number;
  readonly resumedFromEpoch: number | null;
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
  /** Stable code the host maps to a plain message (e.g. 'dataset', 'usage', 'disk'). */
  readonly code: string;
}

export type TrainingEvent = TrainingStartEvent | TrainingEpochEvent | TrainingCheckpointEvent | TrainingDoneEvent | TrainingLogEvent | TrainingErrorEvent;

/** Host → training process. */
export type TrainingCommand = { readonly type: 'cancel' };

const EVENT_TYPES: ReadonlySet<string> = new Set(['start', 'epoch', 'checkpoint', 'done', 'log', 'error']);

export function isTrainingEvent(value: unknown): value is TrainingEvent {
  return typeof value === 'object' && value !== null && EVENT_TYPES.has((value as { type?: unknown }).type as string);
}

export function isTrainingCommand(value: unknown): value is TrainingCommand {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'cancel';
}
