/**
 * The epoch timeline of a panel: the same view drawn from each training snapshot (see
 * src/gat/artifacts/snapshots.ts), then from the trained model. The host sends every frame at once,
 * so scrubbing and playing redraw in the webview without a round trip.
 */
export interface TimelineFrame<T> {
  /** Epochs finished when the snapshot was taken; for the trained model, the epoch whose parameters were kept. */
  readonly epoch: number;
  /** The trained model (the run's analysis): always the last frame. */
  readonly final: boolean;
  readonly data: T;
}

/** Host → metrics panel: mark an epoch on the curves (null: no mark). */
export interface MarkEpoch {
  readonly type: 'markEpoch';
  readonly epoch: number | null;
}
