/**
 * What a webview may post to the extension host, declared once: each message type with its fields.
 * The union type `WebviewToHost` and the guard the host runs on every message are both derived
 * from this declaration. A page can be tricked by the data it shows, so the host trusts nothing
 * else: unknown types, extra fields, wrong types, out-of-range numbers and overlong strings are
 * refused before any handler runs. A new message type is one entry here plus its handler.
 */
import { EXPLAIN_STEPS } from './explanation';
import { panelEdit, scenarioName } from './whatIf';
import { messageGuard, nonNegInt, nullable, num, object, oneOf, optional, posInt, str, type FieldValue, type MessageShapes, type MessageUnion } from './fieldSchema';

/** The commands a page may ask the host to run (the metrics panel's buttons). */
export const WEBVIEW_COMMANDS = ['gat.trainCora', 'gat.cancelTraining', 'gat.showTrainingMetrics'] as const;

/**
 * Run ids and dataset names: a name, never a path (the host joins them under the output folder),
 * so letters, digits, `.`, `_` and `-` only, no `..`, and far longer than any real one.
 */
const id = str({ max: 256, pattern: /^(?!.*\.\.)[A-Za-z0-9][\w.-]*$/ });
/** A node id of the dataset (a panel showing one graph of an inductive dataset sends local ids). */
const node = nonNegInt;
/** An exported figure: a big graph's PNG as a data: URL runs to tens of megabytes. */
const MAX_FIGURE_CHARS = 2 ** 28;

/** t-SNE settings (a request's, and what the embedding map saves). */
export const embeddingSettings = object({ perplexity: num(), iterations: num(), seed: num() });

export const WEBVIEW_TO_HOST = {
  /** The page has loaded and listens: the host posts its complete snapshot. */
  ready: {},
  /** Open a file the provenance header links to (spec, checkpoint, model, run record). */
  openFile: { path: str({ max: 4096 }) },
  /** Open a node's record; with a run, its prediction and attention; with a second run, their agreement. */
  openRecord: { dataset: id, node, runId: optional(id), compareRunId: optional(id) },
  /** Run one of the few commands a page may ask for. */
  runCommand: { command: oneOf(...WEBVIEW_COMMANDS) },
  /** Save a figure through a save dialog (PNG as a data: URL, SVG as text). */
  exportImage: { format: oneOf('png', 'svg'), data: str({ max: MAX_FIGURE_CHARS }), suggestedName: str({ max: 255 }) },
  /** Open (or reveal) the graph panel focused on a node. */
  showInGraph: { dataset: id, node },
  /** Attention panel: show another node or layer (the host answers with a new snapshot). */
  attentionRequest: { node, layer: posInt },
  /** Entropy panel: show another layer. */
  entropyRequest: { layer: posInt },
  /** Open the attention panel for a node (from the entropy panel or the graph). */
  showAttention: { node },
  /** Embedding panel: run t-SNE again with these settings (their ranges depend on the graph: the panel checks them). */
  embeddingRequest: { settings: embeddingSettings },
  /** Inductive datasets: show another graph (an index into the scope's graphs), or all of them (null). */
  selectGraph: { index: nullable(nonNegInt) },
  /** Compare panel: swap A and B (the table, curves and agreement are drawn again). */
  swapRuns: {},
  /** Compare panel: open the graph coloured by where A and B agree. */
  showAgreementGraph: {},
  /** The timeline shows `epoch` (null: the trained model), so the run's metrics panel marks it. */
  timelineEpoch: { runId: id, epoch: nullable(nonNegInt) },
  /** Open the run's metrics panel beside this one, where the timeline's epoch is marked. */
  showRunMetrics: { runId: id },
  /** Computation panel: open the code of a step. */
  openSource: { step: oneOf(...EXPLAIN_STEPS) },
  /** Computation panel: expand a neighbour (its computation one layer down). */
  explainNeighbour: { node },
  /** Open the Computation panel of a node (from the graph and attention panels). */
  stepThrough: { node },
  /** Computation panel: a what-if edit of the node shown (an edge from `node` to it, or one of its features); all of it is recomputed. */
  whatIfEdit: { edit: panelEdit },
  /** Computation panel: undo the what-if edit at `index` of the list (the others stay). */
  whatIfUndo: { index: nonNegInt },
  /** Computation panel: back to the run's own graph and features. */
  whatIfReset: {},
  /** Computation panel: score every edge of the node's receptive field with every importance method, the edits applied. */
  whatIfImportance: {},
  /**
   * Graph panel: open `node`'s Computation panel at its what-if section; with `removeEdgeFrom` (a
   * neighbour of it), that edge removed first.
   */
  whatIfInComputation: { node, removeEdgeFrom: optional(node) },
  /** Computation panel: save the edits as a named scenario in the run folder. */
  saveScenario: { name: scenarioName },
  /** Computation panel: open a scenario saved in the run folder. */
  openScenario: { name: scenarioName },
  /** Faithfulness panel: measure the run (or its uniform-attention twin) with GAT: Faithfulness…. */
  faithfulnessRun: { target: oneOf('run', 'twin') },
  /** Faithfulness panel: stop the measurement under way (nothing saved changes). */
  faithfulnessCancel: { target: oneOf('run', 'twin') },
  /** Faithfulness panel: save the numbers, one row per node and method, where the user chooses. */
  faithfulnessExport: { target: oneOf('run', 'twin'), format: oneOf('csv', 'json') },
  /** Faithfulness panel: open Compare Runs on the run and its uniform-attention twin. */
  compareWithTwin: {},
} as const satisfies MessageShapes;

/** Every message a webview may post, derived from WEBVIEW_TO_HOST. */
export type WebviewToHost = MessageUnion<typeof WEBVIEW_TO_HOST>;

/** One message type of WebviewToHost. */
export type WebviewMessage<K extends WebviewToHost['type']> = Extract<WebviewToHost, { readonly type: K }>;

export type ExportImage = WebviewMessage<'exportImage'>;
export type EmbeddingSettingsMessage = FieldValue<typeof embeddingSettings>;

const guard = messageGuard(WEBVIEW_TO_HOST);

/** Why `value` is not a message the host accepts (for the log), or undefined when it is one. */
export const webviewToHostProblem = guard.problem;

export const isWebviewToHost = guard.is;
