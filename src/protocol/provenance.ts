/**
 * Where a panel's data came from: the header every panel draws, and what `gat` writes beside a
 * figure. A leaf of the protocol, so the snapshot modules and the message module can all use it.
 */
export interface Provenance {
  readonly dataset: string;
  /** SHA-256 of the dataset's graph file (short form shown, full on hover). */
  readonly datasetChecksum?: string;
  readonly runId?: string;
  readonly status?: string;
  readonly backend?: string;
  readonly when?: string;
  /** Absolute paths the user can open in the editor, by label (spec, checkpoint, binary, run record). */
  readonly files?: ReadonlyArray<{ readonly label: string; readonly path: string }>;
}
