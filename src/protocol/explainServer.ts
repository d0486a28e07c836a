/**
 * The explain server's line protocol (`gat explain-server --run RUN`), which the Computation panel
 * keeps alive per open run so that a what-if edit does not pay the CLI's start-up. The host writes
 * one JSON request per line on the child's stdin; the child answers each with one JSON line on
 * stdout, in order. Its first line says the run is loaded. Requests are untrusted input to the child
 * (any process may write them): every field is checked against this declaration before any work.
 */
import { IMPORTANCE_METHODS, type NodeExplanation } from './explanation';
import { arrayOf, bool, int, nonNegInt, object, oneOf, optional, tagged, type FieldValue, type Infer } from './fieldSchema';

/** More edits than anyone makes by hand, few enough that checking them is instant. */
export const MAX_EDITS = 1000;

/** A request line longer than this is refused unread (a thousand edits take about 60 kB). */
export const MAX_REQUEST_CHARS = 1 << 20;

/** One what-if edit, as the engine takes it (src/gat/explain/graphEdits.ts); ranges are checked against the graph there. */
export const graphEdit = tagged('kind', {
  'remove-edge': { source: nonNegInt, target: nonNegInt },
  'add-edge': { source: nonNegInt, target: nonNegInt },
  'feature-off': { node: nonNegInt, feature: nonNegInt },
  'feature-on': { node: nonNegInt, feature: nonNegInt },
});
export type WhatIfEdit = FieldValue<typeof graphEdit>;

/** One request: a node of the run, the edits applied first, and the importance methods asked for. */
export const EXPLAIN_REQUEST = {
  /** Echoed in the reply. */
  id: int(0, 2 ** 31 - 1),
  node: nonNegInt,
  edits: arrayOf(graphEdit, MAX_EDITS),
  /** Edge edits touch one direction only (as `gat explain --directed-edits`). */
  directed: bool,
  methods: arrayOf(oneOf(...IMPORTANCE_METHODS), IMPORTANCE_METHODS.length),
  /** Multi-label datasets: the label explained (as `gat explain --label`). */
  label: optional(nonNegInt),
} as const;
export type ExplainRequest = Infer<typeof EXPLAIN_REQUEST>;
export const explainRequest = object(EXPLAIN_REQUEST);

/** The first line out: the run is loaded and requests are served. */
export interface ExplainServerReady {
  readonly ready: { readonly runId: string; readonly dataset: string; readonly numNodes: number; readonly numFeatures: number; readonly undirected: boolean };
}

/** One reply per request line, in order: the explanation, or one line saying why not (id null: the line had no readable id). */
export type ExplainReply = { readonly id: number; readonly explanation: NodeExplanation } | { readonly id: number | null; readonly error: string };
