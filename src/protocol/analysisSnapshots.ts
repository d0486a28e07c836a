import type { GraphScope } from './graphScope';
import type { TimelineFrame } from './timeline';
import type { Provenance } from './provenance';

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


/** Host → attention panel: everything needed to draw one node's neighbourhood for one layer. */
export interface AttentionSnapshot {
  readonly type: 'attentionSnapshot';
  readonly provenance: Provenance;
  readonly data: AttentionSnapshotData;
  readonly numNodes: number;
  readonly layers: number;
  /** The same view at each training snapshot, then the trained model (`data`); absent without snapshots. */
  readonly timeline?: readonly TimelineFrame<AttentionSnapshotData>[];
}

/** Host → entropy panel: one layer's per-head entropies next to the uniform ones. */
export interface EntropySnapshot {
  readonly type: 'entropySnapshot';
  readonly provenance: Provenance;
  readonly data: EntropySnapshotData;
  readonly layers: number;
  readonly scope?: GraphScope;
  /** The same view at each training snapshot, then the trained model (`data`); absent without snapshots. */
  readonly timeline?: readonly TimelineFrame<EntropySnapshotData>[];
}

/** What the attention panel keeps across reloads. */
export interface AttentionPanelState {
  readonly runId: string;
  readonly node: number;
  readonly layer: number;
  readonly head?: number | 'all';
  readonly layout?: 'radial' | 'distance';
  readonly relative?: boolean;
}

export interface EntropyPanelState {
  readonly runId: string;
  readonly layer: number;
  readonly graphIndex?: number | null;
}

/** Host → attention/entropy/embedding panel: the run's analysis cannot be shown, and why. */
export interface AnalysisUnavailable {
  readonly type: 'analysisUnavailable';
  readonly provenance: Provenance | null;
  /** What is wrong and the command that fixes it (e.g. `npx gat analyze --model …`). */
  readonly message: string;
}
