import type { ViewColumn } from 'vscode';
import type { EmbeddingSettings } from '../../gat/analysis/embeddingCache';
import type { ControlledPanel, PanelDescriptor } from './panelController';

/**
 * Every kind of panel, by view type. package.json activates the extension on each
 * (`onWebviewPanel:<viewType>`) so that VS Code can restore an open panel after a reload.
 */
export const PANEL_VIEW_TYPES = ['gat.metrics', 'gat.graph', 'gat.degrees', 'gat.attention', 'gat.entropy', 'gat.embedding', 'gat.compare', 'gat.computation', 'gat.faithfulness'] as const;

export type PanelViewType = (typeof PANEL_VIEW_TYPES)[number];

export interface GraphPanelArgs {
  /** Default: cora. */
  readonly dataset?: string;
  /** A run whose predictions colour the graph; none: the data alone. */
  readonly runId?: string | null;
  /** A node of the dataset to zoom to (on an inductive dataset, its graph is shown). */
  readonly focusNode?: number;
  /** Inductive datasets: the graph to show (index into the dataset's graphs). */
  readonly graphIndex?: number;
  /** A second run compared with `runId`: nodes coloured by where the two agree (single-label datasets). */
  readonly compareRunId?: string | null;
}

/** What opens each kind of panel, and what its saved state restores. */
interface ArgsByViewType {
  /** A run's curves; null: the live training's. `column` Beside: next to the panel that asked. */
  'gat.metrics': { readonly runId: string | null; readonly column?: ViewColumn };
  'gat.graph': GraphPanelArgs;
  /** Inductive datasets: one graph (an index into the dataset's graphs), or every graph (null). */
  'gat.degrees': { readonly dataset: string; readonly graphIndex?: number | null };
  /** Layer is 1-based (default 1). */
  'gat.attention': { readonly runId: string; readonly node: number; readonly layer?: number };
  'gat.entropy': { readonly runId: string; readonly layer?: number; readonly graphIndex?: number | null };
  'gat.embedding': { readonly runId: string; readonly settings?: EmbeddingSettings; readonly graphIndex?: number };
  /** A and B, in that order (the same pair in either order is one panel). */
  'gat.compare': { readonly runIds: readonly [string, string] };
  /** With `whatIf` (from the graph panel): the what-if section gets the keyboard, after removing the edge from `removeEdgeFrom`. */
  'gat.computation': { readonly runId: string; readonly node: number; readonly whatIf?: { readonly removeEdgeFrom?: number } };
  'gat.faithfulness': { readonly runId: string };
}

/** Indexed by PANEL_VIEW_TYPES: a view type listed there without its arguments here does not compile. */
export type PanelArgs = { readonly [V in PanelViewType]: ArgsByViewType[V] };

/** The descriptor of a kind of panel, its arguments looked up by view type. */
export type PanelKind<V extends PanelViewType, P extends ControlledPanel> = PanelDescriptor<V, PanelArgs[V], P>;
