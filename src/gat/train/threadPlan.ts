/**
 * How many threads a session runs on, decided in this one place from its back end, its engine, its
 * config and the machine, and handed to the session as arguments. Results never depend on it: the
 * threads split work whose pieces are computed exactly as one thread would.
 */
import { availableParallelism } from 'node:os';
import type { BackendSpec, EngineKind } from '../backend/registry';
import { hasGemmLayers } from '../model/fusedEngine';
import type { LayerShape } from '../model/parameters';
import type { TrainConfig } from './trainConfig';

export interface ThreadPlan {
  /** Threads for the fused engine's hot kernels (a pool of workers splits each kernel by rows or columns). */
  readonly kernels: number;
  /** Threads for the dense products of wide layers (a worker takes half of each product's rows). */
  readonly gemm: number;
}

export function planThreads(
  backend: Pick<BackendSpec, 'needs'>,
  engine: EngineKind,
  config: Pick<TrainConfig, 'threads' | 'gemmThreads'>,
  shapes: readonly LayerShape[],
  cpus: number = availableParallelism(),
): ThreadPlan {
  if (!backend.needs.threads || engine !== 'fused') return { kernels: 1, gemm: 1 };
  return {
    // Every core unless asked: idle pool workers sleep, so they leave the cores to the GEMM between kernels.
    kernels: config.threads ?? cpus,
    // Only wide layers have products worth splitting: on as many threads as the kernels, up to what
    // the back end's GEMM runs on (wasm's: 2; onnxruntime's: every core).
    gemm: hasGemmLayers(shapes) ? Math.min(config.gemmThreads ?? config.threads ?? cpus, backend.needs.gemmThreads) : 1,
  };
}
