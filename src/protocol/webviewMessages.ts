/**
 * Messages between the extension host and the webview panels. Both sides import these types
 * (`import type`); the webview announces `ready`, then the host posts complete snapshots. What a
 * webview may post back is declared in webviewToHost.ts (the type and the host's guard).
 */
import type { AnalysisUnavailable, AttentionSnapshot, EntropySnapshot } from './analysisSnapshots';
import type { CompareSnapshot } from './compareSnapshot';
import type { ComputationNeighbour, ComputationSnapshot } from './explanation';
import type { FaithfulnessSnapshot } from './faithfulnessSnapshot';
import type { GraphScope, MultiLabelView } from './graphScope';
import type { Provenance } from './provenance';
import type { MarkEpoch, TimelineFrame } from './timeline';
import type { EpochMetrics, TrainingMetric } from './trainingEvents';
import type { EmbeddingSettingsMessage } from './webviewToHost';
import type { ComputationFocus, WhatIfSnapshot } from './whatIf';

/** Moved to provenance.ts (a leaf); re-exported for the modules that import it from here. */
export type { Provenance } from './provenance';
export { isWebviewToHost, webviewToHostProblem, type EmbeddingSettingsMessage, type ExportImage, type WebviewToHost } from './webviewToHost';

export interface MetricsSnapshot {
  readonly type: 'metricsSnapshot';
  readonly provenance: Provenance | null;
  readonly live: boolean;
  readonly epochs: readonly EpochMetrics[];
  /** What the second chart measures (absent: accuracy). */
  readonly metric?: TrainingMetric;
  /** Shown instead of the charts when there is nothing to draw. */
  readonly message?: string;
  readonly compact: boolean;
}

export type HostToWebview = MetricsSnapshot | GraphSnapshot | GraphLayoutProgress | GraphFocus | DegreeSnapshot | AttentionSnapshot | EntropySnapshot | AnalysisUnavailable | EmbeddingLayout | CompareSnapshot | MarkEpoch | EmbeddingTimeline | ComputationSnapshot | ComputationNeighbour | WhatIfSnapshot | ComputationFocus | FaithfulnessSnapshot;

/**
 * Plain arrays, or typed arrays for the big ones: VS Code (1.57+) transfers a typed array's
 * buffer to the webview and recreates it there, instead of serialising it as JSON.
 */
export type NumberArray = readonly number[] | Float32Array | Int32Array;

/** The whole graph panel's data: layout, classes, splits, edge thickness and (with a run) predictions. */
export interface GraphSnapshot {
  readonly type: 'graphSnapshot';
  readonly provenance: Provenance;
  readonly dataset: string;
  readonly classNames: readonly string[];
  readonly labels: readonly number[]; // (N) true class
  readonly split: readonly SplitName[]; // (N)
  readonly degree: readonly number[]; // (N) undirected degree, without the self-loop
  readonly x: NumberArray; // (N) layout, arbitrary units centred near 0
  readonly y: NumberArray; // (N)
  readonly edgeU: NumberArray; // (E) undirected edges, u < v
  readonly edgeV: NumberArray; // (E)
  /** The original's thickness: log edge betweenness, normalised to [0, 1]. */
  readonly edgeThickness: NumberArray; // (E)
  readonly run?: { readonly runId: string; readonly predictions: readonly number[]; readonly confidence: readonly number[] };
  /** A second run (B) compared with `run` (A): its predictions colour the graph by agreement. Single-label only. */
  readonly comparison?: { readonly runId: string; readonly predictions: readonly number[]; readonly confidence: readonly number[] };
  /** Node to zoom to once drawn (from "show in graph"). */
  readonly focusNode?: number;
  /** Set when the positions are a t-SNE map of the run's outputs rather than a graph layout. */
  readonly embedding?: EmbeddingInfo;
  /** Inductive datasets: which graph this is (node ids are local to it) and the others to pick. */
  readonly scope?: GraphScope;
  /** Multi-label datasets: every node's labels (and the run's predicted ones). */
  readonly multiLabel?: MultiLabelView;
  /** Single-label runs with snapshots: `run`'s predictions at each snapshot, then the trained model's. */
  readonly runTimeline?: readonly TimelineFrame<RunFrame>[];
  /** Set while the layout is still being computed: positions are a stage of it, edges of equal width. */
  readonly layoutProgress?: LayoutProgressInfo;
}

export interface LayoutProgressInfo {
  readonly stage: string;
  /** Rough share of the layout done, in [0, 1). */
  readonly fraction: number;
}

/** A later stage of a layout under way: new positions for the snapshot's nodes. */
export interface GraphLayoutProgress extends LayoutProgressInfo {
  readonly type: 'graphLayoutProgress';
  readonly x: NumberArray; // (N)
  readonly y: NumberArray; // (N)
}

/** A run's prediction and its probability for every node. */
export interface RunPredictions {
  readonly predictions: readonly number[];
  readonly confidence: readonly number[];
}

/** A timeline frame of the graph app: predictions, and on the embedding map that snapshot's map. */
export interface RunFrame extends RunPredictions {
  readonly x?: NumberArray;
  readonly y?: NumberArray;
}

/** Host → embedding panel: the maps of the run's snapshots, once computed (or read from the cache). */
export interface EmbeddingTimeline {
  readonly type: 'embeddingTimeline';
  readonly frames: readonly TimelineFrame<RunFrame>[];
}

export interface EmbeddingInfo {
  readonly settings: EmbeddingSettingsMessage;
  readonly status: 'computing' | 'done' | 'failed';
  readonly iteration: number;
  readonly kl?: number;
  readonly seconds?: number;
  /** Why it failed, with what to do. */
  readonly message?: string;
}

/** Host → embedding panel: the t-SNE positions so far (the map animates while it optimises). */
export interface EmbeddingLayout {
  readonly type: 'embeddingLayout';
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly info: EmbeddingInfo;
}

export type SplitName = 'train' | 'val' | 'test' | 'none';

/** Zoom the open graph panel to a node (it already has its snapshot). */
export interface GraphFocus {
  readonly type: 'graphFocus';
  readonly node: number;
}

/** The degree panel's data: the original's three plots are drawn from these. */
export interface DegreeSnapshot {
  readonly type: 'degreeSnapshot';
  readonly provenance: Provenance;
  readonly dataset: string;
  readonly classNames: readonly string[];
  readonly labels: readonly number[]; // (N)
  readonly inDegree: readonly number[]; // (N)
  readonly outDegree: readonly number[]; // (N)
  readonly scope?: GraphScope;
}

/** State a panel persists with `setState`, so a reload restores it (the serializer reads it). */
export interface MetricsPanelState {
  readonly runId: string | null;
}

/** Single-label: class, predicted, correct. Multi-label: one label (true or predicted), the number of labels, per-node F1. */
export type GraphColourMode = 'class' | 'predicted' | 'correct' | 'label' | 'predictedLabel' | 'labelCount' | 'labelF1' | 'agreement';

export interface GraphPanelState {
  readonly dataset: string;
  readonly runId: string | null;
  /** Compared with `runId` (colour by agreement). */
  readonly compareRunId?: string | null;
  readonly transform?: { readonly k: number; readonly x: number; readonly y: number };
  readonly selected?: number | null;
  readonly colourMode?: GraphColourMode;
  readonly hidden?: readonly number[];
  /** The t-SNE settings when the app shows an embedding map. */
  readonly embeddingSettings?: EmbeddingSettingsMessage;
  /** Inductive datasets: the graph shown (index into the dataset's graphs). */
  readonly graphIndex?: number;
  /** Multi-label colourings: the label shown. */
  readonly label?: number;
}

export interface DegreePanelState {
  readonly dataset: string;
  readonly graphIndex?: number | null;
  readonly logScale?: boolean;
  readonly selection?: { readonly plot: 'in' | 'out' | 'dist'; readonly from: number; readonly to: number } | null;
}
