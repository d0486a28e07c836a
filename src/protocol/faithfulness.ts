/**
 * `gat faithfulness`'s report (runs/<id>/faithfulness.json): how faithful each edge ranking is
 * to the model's prediction, per node and summarised per method and k. Read by Compare Runs and
 * the Faithfulness panel; definitions in src/gat/explain/faithfulness.ts and the README.
 */
import type { ImportanceMethod } from './explanation';

export type RankingMethod = ImportanceMethod | 'random';

/** One node, one method: per k, whether the prediction changed and how much p fell. */
export interface NodeMethodFidelity {
  readonly node: number;
  readonly method: RankingMethod;
  readonly units: number;
  readonly seconds: number;
  readonly plusChanged: number[]; // per k, 0/1
  readonly minusChanged: number[];
  readonly plusDrop: number[]; // per k, p(G) − p(G without top k)
  readonly minusDrop: number[]; // per k, p(G) − p(only top k)
  /** Planted-motif datasets, nodes in a motif: AUROC of the scores against the motif edges (null: one class only). */
  readonly motifAuroc?: number | null;
}

/** Explanation accuracy on a planted-motif dataset (BA-Shapes): one method over the motif nodes. */
export interface MotifAccuracy {
  readonly method: RankingMethod;
  /** AUROC of every (edge, score) pair pooled over the nodes, as the GNNExplainer paper computes it. */
  readonly pooledAuroc: number | null;
  /** The mean of each node's own AUROC (nodes whose field has motif and other edges). */
  readonly meanNodeAuroc: number | null;
  readonly nodes: number;
}

/** One method at one k over every node. */
export interface FidelitySummary {
  readonly method: RankingMethod;
  readonly k: number;
  readonly nodes: number;
  readonly fidelityPlus: number;
  readonly fidelityMinus: number;
  /** null where fid+ = 0 or fid− = 1 (the score's harmonic mean is undefined there). */
  readonly characterization: number | null;
  readonly probabilityDropPlus: number;
  readonly probabilityDropMinus: number;
  /** Mean seconds per node for the ranking and its fidelity. */
  readonly secondsPerNode: number;
}

export interface FaithfulnessReport {
  readonly format: 'gat-explorer/faithfulness/1';
  readonly runId: string;
  readonly dataset: string;
  readonly selection: string;
  readonly nodes: number[];
  readonly ks: number[];
  readonly methods: RankingMethod[];
  readonly directed: boolean;
  readonly settings: { readonly seed: number; readonly igSteps: number; readonly explainerEpochs: number };
  readonly threads: number;
  readonly seconds: number;
  readonly summary: FidelitySummary[];
  /** Planted-motif datasets only. */
  readonly motifAccuracy?: MotifAccuracy[];
  readonly rows: NodeMethodFidelity[];
}

