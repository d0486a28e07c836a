import * as vscode from 'vscode';

/** The epoch a panel's timeline shows, per run: the metrics panel of that run marks it on its curves. */
export interface TimelineEpochEvent {
  readonly runId: string;
  /** Epochs finished at the snapshot shown; null: the trained model (no mark). */
  readonly epoch: number | null;
}

const emitter = new vscode.EventEmitter<TimelineEpochEvent>();
export const onTimelineEpoch = emitter.event;
/** The latest epoch per run, so a metrics panel opened afterwards marks it too. */
const latest = new Map<string, number | null>();

export function announceTimelineEpoch(e: TimelineEpochEvent): void {
  latest.set(e.runId, e.epoch);
  emitter.fire(e);
}

export function timelineEpochOf(runId: string): number | null {
  return latest.get(runId) ?? null;
}
