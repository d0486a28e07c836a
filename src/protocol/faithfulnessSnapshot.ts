/**
 * The Faithfulness panel's data: a run's `gat faithfulness` summary beside its uniform-attention
 * twin's (when one was trained), and the progress of a measurement under way. Complete for one
 * view: the webview never reads files.
 */
import type { FidelitySummary } from './faithfulness';
import type { Provenance } from './provenance';

/** What faithfulness.json says, summarised (per method and k over every node). */
export interface FaithfulnessResults {
  /** The nodes measured, in words ("test nodes", "200 test nodes (seed 1)"). */
  readonly selection: string;
  readonly nodes: number;
  readonly ks: readonly number[];
  readonly summary: readonly FidelitySummary[];
}

/** A `gat faithfulness` process running for the run now. */
export interface FaithfulnessRunning {
  readonly done: number;
  readonly total: number;
  readonly seconds: number;
}

/** One run of the panel: its results, or why there are none; and what is running for it. */
export interface FaithfulnessSideView {
  readonly runId: string;
  readonly attention: 'learned' | 'uniform';
  /** null: no faithfulness.json yet. */
  readonly results: FaithfulnessResults | null;
  /** The file could not be read (damaged, too big): the line that says so and what to do. */
  readonly problem?: string;
  /** Set while `gat faithfulness` runs for this run (total 0: still loading it). */
  readonly running?: FaithfulnessRunning;
}

export interface FaithfulnessSnapshot {
  readonly type: 'faithfulnessSnapshot';
  readonly provenance: Provenance | null;
  readonly dataset: string;
  /** The run the panel is for. */
  readonly run: FaithfulnessSideView;
  /** The run on the same dataset whose configuration differs only in attention: the control. */
  readonly twin: FaithfulnessSideView | null;
  /** Without a twin: what to do about it. */
  readonly twinNote?: string;
}

/** Webview state kept across reloads. */
export interface FaithfulnessPanelState {
  readonly runId: string;
}
