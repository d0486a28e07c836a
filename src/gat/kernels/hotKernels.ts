/**
 * The kernels that dominate an epoch, behind one interface with two implementations: TypeScript
 * loops (the cpu back end) and WebAssembly SIMD (the wasm back end, see wasmKernels.ts). Buffers
 * the engine passes to them come from `alloc`, so the wasm ones can work on them in place.
 */
import type { CsrMatrix } from '../data/graph';
import { adamUpdate } from './adamUpdate';
import type { GatGraph } from './gatGraph';
import { aggregate, attentionBackward, edgeSoftmax, nodeScores, nodeScoresBackward } from './attention';
import { applyHeadsBackward, applyHeadsForward } from './elementwise';
import { denseProject, denseProjectGrad, dropDense, dropSparseInput, sparseProject, sparseProjectGradW } from './projection';

export interface HotKernels {
  readonly name: 'typescript' | 'wasm-simd';
  allocF32(n: number): Float32Array;
  sparseProject(x: CsrMatrix, xd: Float32Array, rows: Int32Array, wT: Float32Array, hf: number, out: Float32Array): void;
  sparseProjectGradW(x: CsrMatrix, xd: Float32Array, rows: Int32Array, dOut: Float32Array, hf: number, dwT: Float32Array): void;
  aggregate(g: GatGraph, targets: Int32Array, heads: number, fout: number, alphaD: Float32Array, p: Float32Array, out: Float32Array): void;
  nodeScores: typeof nodeScores;
  edgeSoftmax: typeof edgeSoftmax;
  attentionBackward: typeof attentionBackward;
  nodeScoresBackward: typeof nodeScoresBackward;
  applyHeadsForward: typeof applyHeadsForward;
  applyHeadsBackward: typeof applyHeadsBackward;
  dropSparseInput: typeof dropSparseInput;
  dropDense: typeof dropDense;
  denseProject: typeof denseProject;
  denseProjectGrad: typeof denseProjectGrad;
  adamUpdate: typeof adamUpdate;
  /** Whether `a` lives in this implementation's memory (always true for TypeScript). */
  owns(a: Float32Array): boolean;
  /** Threads the kernels run on (1, or this thread and a pool of workers; 1 again after dispose). */
  readonly threads: number;
  /** Stops the worker pool, if any; the kernels must not be used afterwards. */
  dispose(): void;
}

export const typescriptKernels: HotKernels = {
  name: 'typescript',
  allocF32: (n) => new Float32Array(n),
  sparseProject,
  sparseProjectGradW,
  aggregate,
  nodeScores,
  edgeSoftmax,
  attentionBackward,
  nodeScoresBackward,
  applyHeadsForward,
  applyHeadsBackward,
  dropSparseInput,
  dropDense,
  denseProject,
  denseProjectGrad,
  adamUpdate,
  owns: () => true,
  threads: 1,
  dispose: () => undefined,
};
