/**
 * What a training session is, whatever engine computes its gradients: the interface the training
 * loop, the runs and the benchmarks use. The factory (trainer.ts) makes one; the CPU and WebGPU
 * sessions (cpuTrainer.ts, gpuTrainer.ts) implement it.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import type { BackendName, EngineKind } from '../backend/registry';

/** Where training time goes (milliseconds since the trainer was made), for benchmarks. */
export interface TrainerTimings {
  products: number; // dense GEMMs of the wide layers
  optimizer: number; // Adam
  batching: number; // cutting and merging graphs into batches
  upload: number; // WebGPU: copying a batch (graph, features, targets) to the GPU
  kernels: number; // WebGPU: a step's or a prediction's dispatches, until the GPU has finished them
  readback: number; // WebGPU: copying results back (a step's loss and counts, predictions, parameters)
}

/** Progress inside an epoch of an inductive dataset (one optimisation step per batch of graphs). */
export interface BatchProgress {
  readonly batch: number; // 0-based
  readonly batches: number;
  readonly loss: number;
  readonly acc: number;
}

export interface AnalyzeOutput {
  readonly logits: Float32Array; // (N, C)
  readonly edgeSource: Int32Array; // (E') incl. self-loops
  readonly edgeTarget: Int32Array; // (E')
  readonly attention: Float32Array[]; // per layer (E', NH), head-minor
  readonly heads: number[];
}

export interface Trainer {
  readonly backend: BackendName;
  /** 'fused' (typed-array kernels), 'generic' (TensorFlow.js ops) or 'webgpu' (WGSL kernels). */
  readonly engine: EngineKind;
  /** Fused engine: whether its hot kernels run as TypeScript loops or WebAssembly SIMD; null otherwise. */
  readonly hotKernels: 'typescript' | 'wasm-simd' | null;
  /** Threads the fused engine's kernels run on (1 for the other engines and TypeScript kernels). */
  readonly threads: number;
  /** Threads the dense products of wide layers run on. */
  readonly gemmThreads: number;
  /** The library of those products (DenseProducts' name); null without wide layers or off the fused engine. */
  readonly products: string | null;
  /** Optimisation steps taken so far (restored by importState). */
  readonly step: number;
  /** What trainAcc / valAcc measure: accuracy, or micro-F1 on multi-label datasets. */
  readonly metric: 'accuracy' | 'micro-F1';
  /** Optimisation steps per epoch: 1, or the number of batches of an inductive dataset. */
  readonly stepsPerEpoch: number;
  readonly timings: TrainerTimings;
  trainEpoch(onBatch?: (b: BatchProgress) => void): Promise<{ trainLoss: number; trainAcc: number }>;
  /** Eval-mode (no dropout) loss and accuracy (or micro-F1) of a split's nodes. */
  evaluate(split: 'train' | 'val' | 'test'): Promise<{ loss: number; acc: number }>;
  exportParameters(): Promise<NamedTensor[]>;
  exportOptimizerState(): Promise<{ step: number; tensors: NamedTensor[] }>;
  importState(params: NamedTensor[], optimizer?: { step: number; tensors: NamedTensor[] }): Promise<void>;
  analyze(): Promise<AnalyzeOutput>;
  /** Remembers the current parameters as the best so far (see runTrainingLoop). */
  keepBest(): Promise<void>;
  /** Puts the remembered best parameters back; false if none were kept. */
  restoreBest(): Promise<boolean>;
  /** The remembered best parameters (names prefixed `best.`), for checkpoints; empty if none. */
  exportBest(): NamedTensor[];
  /** Restores what exportBest() gave, when resuming. */
  importBest(tensors: readonly NamedTensor[]): void;
  dispose(): void;
}
