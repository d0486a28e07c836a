/**
 * Messages between the extension host and the webview panels. Both sides import these types
 * (`import type`); the webview announces `ready`, then the host posts complete snapshots.
 */
import type { EpochMetrics } from './trainingEvents';

/** Where a panel's data came from, with paths the header turns into links. */
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

export interface MetricsSnapshot {
  readonly type: 'metricsSnapshot';
  readonly provenance: Provenance | null;
  readonly live: boolean;
  readonly epochs: readonly EpochMetrics[];
  /** Shown instead of the charts when there is nothing to draw. */
  readonly message?: string;
  readonly compact: boolean;
}

export type HostToWebview = MetricsSnapshot;

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'openFile'; readonly path: string }
  | { readonly type: 'openRecord'; readonly dataset: string; readonly node: number; readonly runId?: string }
  | { readonly type: 'runCommand'; readonly command: 'gat.trainCora' | 'gat.cancelTraining' | 'gat.showTrainingMetrics' };

const WEBVIEW_TO_HOST_TYPES: ReadonlySet<string> = new Set(['ready', 'openFile', 'openRecord', 'runCommand']);

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  return typeof value === 'object' && value !== null && WEBVIEW_TO_HOST_TYPES.has((value as { type?: unknown }).type as string);
}

/** State a panel persists with `setState`, so a reload restores it (the serializer reads it). */
export interface MetricsPanelState {
  readonly runId: string | null;
}
