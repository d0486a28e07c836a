/**
 * The one interface both implementations of the GAT graph operations satisfy: fused typed-array
 * kernels (cpu, wasm) and generic TensorFlow.js ops (tfjs-node, tfjs-node-gpu). Parameters live
 * outside the engine in a flat Float32Array; an engine reads them on every call.
 */
import type { CsrMatrix } from '../data/graph';
import type { HotKernels } from '../kernels/hotKernels';
import type { GatGraph } from './gatGraph';
import type { GatParameters, LayerShape } from './parameters';

export interface EngineInput {
  readonly graph: GatGraph;
  readonly features: CsrMatrix;
  readonly labels: Int32Array; // (N)
  readonly trainNodes: Int32Array;
  readonly shapes: readonly LayerShape[];
  readonly params: GatParameters;
  readonly dropout: number;
  readonly seed: number;
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
  readonly acc: number;
}

export interface AnalyzeResult {
  readonly logits: Float32Array; // (N, C)
  readonly attention: Float32Array[]; // per layer (E', NH), head-minor
}

export interface GatEngine {
  readonly kind: 'fused' | 'generic';
  /** Training forward with the dropout masks of `step`, then backward: writes dLoss/dθ into `grad`. */
  trainStep(step: number, grad: Float32Array): StepResult;
  /** Eval-mode (no dropout) logits of `nodes`, row i for nodes[i]: (|nodes|, C). */
  predict(nodes: Int32Array): Float32Array;
  /** Eval-mode forward over every node, with the attention coefficients captured. */
  analyze(): AnalyzeResult;
  dispose(): void;
}
