/**
 * The trainer factory: a training session over one dataset, on the engine its back end declares
 * (registry.ts): fused kernels or generic TensorFlow.js ops on the CPU, or WGSL on the WebGPU device
 * the back end opened. The layer shapes and the thread counts are decided here, once, and handed
 * to the session.
 */
import type { ActiveBackend } from '../backend/backendDriver';
import { BackendError } from '../backend/backends';
import { BACKENDS, MODEL_ENGINES, backendSpec, modelRefusal, type BackendSpec, type EngineKind } from '../backend/registry';
import type { GraphDataset } from '../data/graph';
import { wasmSimdSupported } from '../kernels/wasmKernels';
import { hasGemmLayers } from '../model/fusedEngine';
import type { ModelKind } from '../model/parameters';
import { validateDataset } from '../model/validateDataset';
import { CpuTrainer } from './cpuTrainer';
import { GpuTrainer } from './gpuTrainer';
import { planThreads } from './threadPlan';
import { configShapes, validateTrainConfig, type TrainConfig } from './trainConfig';
import type { Trainer } from './trainerTypes';

/** Builds a session on an active back end (see selectBackend), on the device it opened, if any. */
export async function createTrainer(graph: GraphDataset, config: TrainConfig, backend: ActiveBackend): Promise<Trainer> {
  validateTrainConfig(config);
  validateDataset(graph);
  const spec = backendSpec(backend.name);
  const refusal = modelRefusal(spec, config.model ?? 'gat');
  if (refusal) throw new BackendError(refusal);
  const engine = engineFor(spec, config.engine, config.model ?? 'gat');
  const shapes = configShapes(graph, config);
  if (engine === 'webgpu') {
    if (!backend.device) throw new BackendError(`the ${spec.name} back end is not active: select it first (selectBackend) and pass the device it opened`);
    return GpuTrainer.create(graph, config, shapes, { name: spec.name, device: backend.device });
  }
  const threads = planThreads(spec, engine, config, shapes);
  // Only wide layers have products; the back end decides whether a faster GEMM starts on these threads (wasm's needs 2).
  const products = engine === 'fused' && hasGemmLayers(shapes) && backend.startProducts ? await backend.startProducts(threads.gemm) : null;
  const hotKernels = spec.hotKernels === 'wasm-simd' && wasmSimdSupported() ? 'wasm-simd' : 'typescript';
  return new CpuTrainer(graph, config, shapes, { backend: spec.name, engine, hotKernels, threads: threads.kernels, products });
}

/** The back end's default engine for the model, or the one the config asks for among those it runs. */
function engineFor(spec: BackendSpec, requested: TrainConfig['engine'], model: ModelKind): EngineKind {
  const computing = spec.engines.filter((e) => MODEL_ENGINES[model].includes(e));
  if (model !== 'gat') {
    // Models other than GAT run only where an engine computes them; auto picks that engine.
    if (requested === undefined || requested === 'auto' || computing.includes(requested)) return computing[0];
    throw new BackendError(`--model ${model} runs on ${MODEL_ENGINES[model].join(' or ')} ops only, not on ${requested === 'fused' ? 'fused kernels' : requested}`);
  }
  const preferred = spec.engines[0];
  // TrainConfig.engine chooses between the CPU engines; a WebGPU session has only its own.
  if (preferred === 'webgpu' || requested === undefined || requested === 'auto') return preferred;
  if (spec.engines.includes(requested)) return requested;
  const where = BACKENDS.filter((b) => b.engines.includes(requested)).map((b) => b.name);
  throw new BackendError(`${requested === 'fused' ? 'fused kernels' : 'generic ops'} run on ${where.join(' or ')}, not on ${spec.name}`);
}
