/**
 * What-if edits in the Computation panel: what the host posts (the explanation of the edited graph
 * with the edit list, the unedited attention to compare with, the saved scenarios) and the scenario
 * file a user saves in the run folder (runs/<id>/scenarios/<name>.json), read back as untrusted data.
 */
import type { ComputationSnapshot, EdgeImportance } from './explanation';
import { graphEdit, MAX_EDITS, type WhatIfEdit } from './explainServer';
import { arrayOf, bool, nonNegInt, oneOf, str, tagged, type FieldValue, type Infer } from './fieldSchema';

/**
 * An edit as the panel asks for it, always about the node shown: the edge from a neighbour (or any
 * node) to it, or one of its input features. The host turns it into the engine's edit.
 */
export const panelEdit = tagged('kind', {
  'remove-edge': { node: nonNegInt },
  'add-edge': { node: nonNegInt },
  'feature-off': { feature: nonNegInt },
  'feature-on': { feature: nonNegInt },
});
export type PanelEdit = FieldValue<typeof panelEdit>;

/** The unedited graph's attention for the node: per layer, per head, every neighbour's weight. */
export type BaselineAttention = ReadonlyArray<ReadonlyArray<{ readonly nodes: readonly number[]; readonly weights: readonly number[] }>>;

export interface WhatIfView {
  /** The edits applied, in order (explanation.edits.applied describes the same ones). */
  readonly edits: readonly WhatIfEdit[];
  readonly directed: boolean;
  /** The attention before any edit, for the "before" column. */
  readonly baseline: BaselineAttention;
  /** For the page's own checks of typed ids (the host checks them again). */
  readonly numNodes: number;
  readonly numFeatures: number;
  /** The scenarios saved for this run, by name. */
  readonly scenarios: readonly string[];
  /** The scenario these edits were opened from or saved as (null once they change). */
  readonly scenario: string | null;
  /** What the last action did, or why it could not (one line). */
  readonly message?: { readonly kind: 'error' | 'info'; readonly text: string };
  /** Every importance method's scores for exactly these edits, once asked for (absent: not computed for them). */
  readonly importance?: EdgeImportance;
  /** An importance request is queued or being computed. */
  readonly importanceBusy?: boolean;
  /** Why the last importance request for these edits failed (one line). */
  readonly importanceError?: string;
}

/** Host → Computation panel: a complete snapshot with what-if editing (the panel redraws all of it). */
export interface WhatIfSnapshot extends Omit<ComputationSnapshot, 'type'> {
  readonly type: 'computationWhatIf';
  readonly whatIf: WhatIfView;
}

/** Host → Computation panel: move the keyboard to the what-if section (opened from the graph panel's "What If"). */
export interface ComputationFocus {
  readonly type: 'computationFocus';
  readonly target: 'what-if';
}

/**
 * A scenario's name is its file's name: letters, digits, `_`, `-` and `.`, no `..`, no trailing dot,
 * none of the device names Windows reserves, at most 64 characters.
 */
export const scenarioName = str({ max: 64, pattern: /^(?!(con|prn|aux|nul|com\d|lpt\d)(\.|$))(?!.*\.\.)(?!.*\.$)[A-Za-z0-9][\w.-]*$/i });

export const SCENARIO_FORMAT = 'gat-explorer/scenario/1';

/** A scenario file: the run and node it was saved for, and its edits. */
export const SCENARIO_FILE = {
  format: oneOf(SCENARIO_FORMAT),
  name: scenarioName,
  runId: str({ max: 256 }),
  dataset: str({ max: 256 }),
  node: nonNegInt,
  directed: bool,
  edits: arrayOf(graphEdit, MAX_EDITS),
  savedAt: str({ max: 64 }),
} as const;
export type ScenarioFile = Infer<typeof SCENARIO_FILE>;
