/**
 * The one interface both implementations of the GAT graph operations satisfy: fused typed-array
 * kernels (cpu, wasm) and generic TensorFlow.js ops (tfjs-node, tfjs-node-gpu). Parameters live
 * outside the engine in a flat Float32Array; an engine reads them on every call.
 *
 * An engine runs on one bound graph at a time: the whole graph of a transductive dataset (Cora),
 * or a batch of graphs merged into one disconnected graph (PPI), bound with `bind`.
 */
import type { CsrMatrix } from '../data/graph';
import type { HotKernels } from '../kernels/hotKernels';
import type { GatGraph } from '../kernels/gatGraph';
import type { LabelCounts } from './loss';
import type { GatParameters, LayerShape } from './parameters';

/** What an engine computes on: a graph with node ids 0..N-1, its inputs and targets. */
export interface GraphBatch {
  readonly graph: GatGraph;
  readonly features: CsrMatrix;
  /** Single-label targets (N); for multi-label batches, each node's first positive label. */
  readonly labels: Int32Array;
  /** Multi-label targets (N, C) 0/1: the loss is binary cross-entropy with micro-F1. Absent: softmax cross-entropy. */
  readonly multiLabels?: Uint8Array;
  /** The nodes whose loss a training step minimises (Cora: the training split; a PPI batch: every node; DictionaryLookup: the queries). */
  readonly trainNodes: Int32Array;
}

/** The largest batch an engine will be bound to (buffers are sized once). */
export interface BatchCapacity {
  readonly nodes: number;
  readonly edges: number;
  readonly nonZeros: number;
}

export interface EngineInput extends GraphBatch {
  readonly shapes: readonly LayerShape[];
  readonly params: GatParameters;
  readonly dropout: number;
  readonly seed: number;
  /** Room for the largest batch `bind` will get; default: the batch given here. */
  readonly capacity?: BatchCapacity;
  /** Fused engine only: which implementation runs its hot kernels (default 'typescript'). */
  readonly hotKernels?: 'typescript' | 'wasm-simd';
  /**
   * Fused engine only: kernels made by createFusedKernels for this input, whose memory may already
   * hold `params` (then the engine reads them in place instead of copying them in per call).
   */
  readonly kernels?: HotKernels;
  /** Fused engine with wasm-simd kernels it makes itself: 2 splits layer 1 across a worker thread (default 1). */
  readonly threads?: number;
}

export interface StepResult {
  readonly loss: number;
  /** Accuracy (single-label) or micro-F1 (multi-label) over the step's nodes. */
  readonly acc: number;
  /** Multi-label only: the counts behind micro-F1, so an epoch's batches can be pooled. */
  readonly counts?: LabelCounts;
}

export interface AnalyzeResult {
  readonly logits: Float32Array; // (N, C)
  readonly attention: Float32Array[]; // per layer (E', NH), head-minor
}

export interface GatEngine {
  readonly kind: 'fused' | 'generic';
  /** Switches to another batch (within the capacity); the next calls run on it. */
  bind(batch: GraphBatch): void;
  /** Training forward with the dropout masks of `step`, then backward: writes dLoss/dθ into `grad`. */
  trainStep(step: number, grad: Float32Array): StepResult;
  /** Eval-mode (no dropout) logits of `nodes`, row i for nodes[i]: (|nodes|, C). */
  predict(nodes: Int32Array): Float32Array;
  /** Eval-mode forward over every node, with the attention coefficients captured. */
  analyze(): AnalyzeResult;
  dispose(): void;
}

/** The capacity that holds exactly this batch. */
export function capacityOf(b: Pick<GraphBatch, 'graph' | 'features'>): BatchCapacity {
  return { nodes: b.graph.numNodes, edges: b.graph.numEdges, nonZeros: b.features.values.length };
}

/** Throws a RangeError naming both sizes when `batch` does not fit `cap`, or its features do not fit its graph. */
export function checkBatchFits(batch: Pick<GraphBatch, 'graph' | 'features'>, cap: BatchCapacity): void {
  const g = batch.graph;
  const x = batch.features;
  if (g.numNodes > cap.nodes || g.numEdges > cap.edges || x.values.length > cap.nonZeros) {
    throw new RangeError(`batch of ${g.numNodes} nodes, ${g.numEdges} edges, ${x.values.length} non-zeros exceeds the engine's capacity (${cap.nodes}, ${cap.edges}, ${cap.nonZeros})`);
  }
  if (x.rows !== g.numNodes) throw new RangeError(`features have ${x.rows} rows but the batch graph has ${g.numNodes} nodes`);
}
