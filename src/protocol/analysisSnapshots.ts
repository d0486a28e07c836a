/**
 * Snapshots the host builds from a run's analysis artifact for the attention and entropy
 * panels. Complete data for one view: the webview never reads files.
 */

/** One neighbour of the focus node with the attention the focus node gives it, per head. */
export interface AttentionNeighbour {
  readonly node: number;
  readonly label: number;
  readonly isSelf: boolean;
  /** Attention per head (length = heads of the layer). */
  readonly weights: readonly number[];
}

export interface AttentionSnapshotData {
  readonly dataset: string;
  readonly runId: string;
  readonly node: number;
  readonly nodeLabel: number;
  readonly layer: number; // 1-based
  readonly heads: number;
  readonly classNames: readonly string[];
  readonly neighbours: readonly AttentionNeighbour[];
}

export interface EntropySnapshotData {
  readonly dataset: string;
  readonly runId: string;
  readonly layer: number; // 1-based
  readonly heads: number;
  /** Per head: the entropy of each node's attention (nats), node-major per head. */
  readonly learned: ReadonlyArray<readonly number[]>;
  /** log(degree + 1) per node: the entropy of uniform attention over the same neighbourhood. */
  readonly uniform: readonly number[];
}
