/**
 * What `gat explain` computes for one node and the Computation panel draws: every number of the
 * node's forward pass, layer by layer and head by head (evaluation mode: no dropout). Plain JSON.
 */
import type { Provenance } from './provenance';

/** The steps of a GAT layer (and a GATv2 layer's own: v2…), each linked to the source that computes it (see explainSources.ts). */
export const EXPLAIN_STEPS = ['input', 'projection', 'scores', 'attention', 'aggregate', 'skip', 'combine', 'output', 'v2Projection', 'v2Scores', 'v2Attention', 'v2Aggregate'] as const;
export type ExplainStep = (typeof EXPLAIN_STEPS)[number];

export interface NeighbourTerm {
  readonly node: number;
  readonly isSelf: boolean;
  /** s_j = a_src · W h_j (GATv2: the pair's score, e_ij itself) */
  readonly sourceScore: number;
  /** e_ij = LeakyReLU(s_j + t_i, 0.2) */
  readonly e: number;
  /** α_ij = softmax over the neighbourhood */
  readonly weight: number;
  /** 1 / (in-degree + 1): uniform attention over the same neighbourhood */
  readonly uniform: number;
}

export interface HeadComputation {
  readonly head: number; // 0-based
  /** W h_i for this head (FOUT values) */
  readonly projection: number[];
  /** t_i = a_trg · W h_i (GATv2: 0, its score is per pair) */
  readonly targetScore: number;
  /** GATv2: x_r = W_r h_i + b_r (FOUT values), added to each neighbour's x_l before the LeakyReLU. */
  readonly targetProjection?: number[];
  readonly neighbours: NeighbourTerm[];
  /** Σ_j α_ij W h_j (FOUT values) */
  readonly aggregated: number[];
}

export interface LayerComputation {
  readonly layer: number; // 1-based
  /** 'gatv2': a GATv2 layer (projection = x_l = W_l h + b_l; e_ij = att · LeakyReLU(x_l[j] + x_r[i])). Absent: GAT. */
  readonly model?: 'gatv2';
  readonly fin: number;
  readonly fout: number;
  readonly heads: number;
  readonly concat: boolean;
  readonly skip: 'none' | 'identity' | 'proj';
  readonly activation: 'elu' | 'none';
  /** The node's input to this layer: layer 1 lists the non-zero features, later layers every value. */
  readonly input: { readonly size: number; readonly nonZero: Array<{ readonly index: number; readonly value: number }> };
  readonly perHead: HeadComputation[];
  /** What the skip connection adds to every head (NH·FOUT values), when the layer has one. */
  readonly skipAdded?: number[];
  /** Concatenation (hidden) or mean (output) over heads, before the bias. */
  readonly combined: number[];
  readonly bias: number[];
  /** After the bias and the activation: the layer's output for the node. */
  readonly output: number[];
}

export interface NodeExplanation {
  readonly format: 'gat-explorer/explanation/1';
  readonly runId: string;
  readonly dataset: string;
  readonly node: number;
  readonly classNames: string[];
  readonly multiLabel: boolean;
  /** The node's true class (single-label) or labels (multi-label). */
  readonly truth: number[];
  readonly split: 'train' | 'val' | 'test' | 'none';
  readonly degree: number;
  readonly layers: LayerComputation[];
  readonly result: {
    readonly logits: number[];
    /** softmax (single-label) or one sigmoid per label (multi-label) */
    readonly probabilities: number[];
    /** argmax, or every label with probability > 0.5 */
    readonly predicted: number[];
    readonly correct: boolean;
  };
  /** What-if edits applied before this computation (absent: the run's own graph and features). */
  readonly edits?: AppliedEdits;
  /** Edge importance for the prediction, when asked for. */
  readonly importance?: EdgeImportance;
}

export interface AppliedEdits {
  /** One line per edit, in order ("remove edge 12 — 1358"). */
  readonly applied: string[];
  /** Edge edits touched one direction only (--directed-edits, or a directed dataset). */
  readonly directed: boolean;
  /** The unedited prediction, to show the change. */
  readonly before: { readonly probabilities: number[]; readonly predicted: number[] };
}

/** Where each step's code is, resolved at build time (dist/explainSources.json). */
export type ExplainSources = Partial<Record<ExplainStep, { readonly file: string; readonly line: number }>>;

/** Host → Computation panel: one node's computation, and where each step's code is. */
export interface ComputationSnapshot {
  readonly type: 'computationSnapshot';
  readonly provenance: Provenance;
  readonly explanation: NodeExplanation;
  readonly sources: ExplainSources;
}

/** Host → Computation panel: a neighbour's own computation, asked for to expand its row. */
export interface ComputationNeighbour {
  readonly type: 'computationNeighbour';
  readonly explanation: NodeExplanation;
}

/** What the Computation panel keeps across reloads. */
export interface ComputationPanelState {
  readonly runId: string;
  readonly node: number;
  readonly layer: number;
  readonly head: number;
}

/** The edge-importance methods, each scoring every edge unit of a node's receptive field. */
export const IMPORTANCE_METHODS = ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'gnnexplainer'] as const;
export type ImportanceMethod = (typeof IMPORTANCE_METHODS)[number];

/** One edge (undirected pair, or directed edge with --directed-edits) of the receptive field. */
export interface ImportanceUnit {
  readonly source: number;
  readonly target: number;
  /** Hops from the explained node: 1 for its own edges. */
  readonly hop: number;
}

export interface MethodScores {
  readonly method: ImportanceMethod;
  /** Per unit, higher = more important (saliency: |∂p/∂m|; the signed values are in `signed`). */
  readonly scores: number[];
  readonly signed?: number[];
  readonly seconds: number;
  /** Integrated Gradients: |Σ attributions − (p(all edges) − p(no edge messages))|. */
  readonly completenessError?: number;
  /** Attention of a uniform-attention run: every neighbour of a node weighs the same. */
  readonly uniform?: boolean;
  /** How the method was run (steps, epochs, coefficients). */
  readonly settings?: Readonly<Record<string, number | string>>;
}

/** Kendall's τ-b between attention's ranking and a method's; null (with why) when there is none. */
export interface RankAgreement {
  readonly method: ImportanceMethod;
  readonly tau: number | null;
  readonly reason?: string;
}

export interface EdgeImportance {
  readonly format: 'gat-explorer/edge-importance/1';
  readonly node: number;
  /** The output explained: the predicted class, or the chosen label of a multi-label dataset. */
  readonly objective: { readonly index: number; readonly name: string; readonly probability: number; readonly kind: 'softmax' | 'sigmoid' };
  /** Edge units are directed edges (true) or undirected pairs (false). */
  readonly directed: boolean;
  readonly units: ImportanceUnit[];
  readonly methods: MethodScores[];
  readonly agreement: RankAgreement[];
}
