/**
 * A session on the CPU engines: parameters and Adam state in plain Float32Arrays (in the fused
 * kernels' WebAssembly memory when they run there, so Adam updates them in place), and an engine
 * (fused kernels or generic TensorFlow.js ops) that computes the gradients.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import type { BackendName } from '../backend/registry';
import type { GraphDataset } from '../data/graph';
import { tfjsProducts, type DenseProducts } from '../kernels/denseProducts';
import type { ThreadedProducts } from '../kernels/gemmThreads';
import { typescriptKernels, type HotKernels } from '../kernels/hotKernels';
import { kernelPoolOf } from '../kernels/wasmKernels';
import { Adam } from '../model/adam';
import type { AnalyzeResult, EngineInput, GatEngine, GraphBatch, StepResult } from '../model/engine';
import { FusedEngine, createFusedKernels, hasGemmLayers } from '../model/fusedEngine';
import { GenericEngine } from '../model/genericEngine';
import { allocateParameters, frozenRanges, initParameters, parameterCount, toNamedTensors, type GatParameters, type LayerShape } from '../model/parameters';
import { SessionBase } from './sessionBase';
import type { TrainConfig } from './trainConfig';
import type { Trainer, TrainerTimings } from './trainerTypes';
import { optimizerTensors, readBest, readState } from './trainerState';

/** Tests only: at this optimisation step a kernel worker thread is terminated, as a crashed thread would be. */
const KILL_KERNEL_THREAD_AT_STEP = Number(process.env.GAT_TEST_KILL_KERNEL_THREAD_AT_STEP ?? NaN);

/** How the factory (trainer.ts) made this session: its back end, engine, kernels and threads. */
export interface CpuSession {
  readonly backend: BackendName;
  readonly engine: 'fused' | 'generic';
  /** The fused engine's hot loops (the generic engine ignores it). */
  readonly hotKernels: 'typescript' | 'wasm-simd';
  /** Threads for the fused kernels (see threadPlan.ts); they run on fewer where they cannot start more. */
  readonly threads: number;
  /** Dense products on worker threads, when started; else TensorFlow.js's on this thread. */
  readonly products: ThreadedProducts | null;
}

export class CpuTrainer extends SessionBase implements Trainer {
  readonly backend: BackendName;
  readonly engine: 'fused' | 'generic';
  private readonly params: GatParameters;
  private readonly grad: Float32Array;
  private readonly adam: Adam;
  private readonly impl: GatEngine;
  private readonly input: { -readonly [K in keyof EngineInput]: EngineInput[K] };
  private best: Float32Array | null = null;
  private readonly kernels: HotKernels;
  private readonly frozen: ReturnType<typeof frozenRanges>;
  private readonly threadedProducts: ThreadedProducts | null;

  constructor(graph: GraphDataset, config: TrainConfig, shapes: readonly LayerShape[], session: CpuSession) {
    super(graph, config, shapes);
    this.backend = session.backend;
    this.engine = session.engine;
    this.threadedProducts = session.products;
    const { engine, hotKernels, threads } = session;
    // Fused engine: parameters, gradient and Adam moments live in the kernels' memory, so the
    // kernels (Adam included) work on them in place.
    const size = parameterCount(this.shapes);
    const kernels = engine === 'fused' ? createFusedKernels({ ...this.firstBatch, shapes: this.shapes, hotKernels, threads, capacity: this.capacity }, size) : typescriptKernels;
    this.kernels = kernels;
    this.params = allocateParameters(this.shapes, kernels.allocF32(size));
    initParameters(this.params, config.seed);
    this.grad = kernels.allocF32(size);
    this.frozen = frozenRanges(this.shapes);
    this.adam = new Adam(size, { lr: config.lr, weightDecay: config.weightDecay }, kernels);
    this.input = {
      ...this.firstBatch,
      shapes: this.shapes,
      params: this.params,
      dropout: config.dropout,
      seed: config.seed,
      capacity: this.capacity,
      hotKernels,
      kernels: engine === 'fused' ? kernels : undefined,
    };
    // Wide layers' products go to TensorFlow.js's active back end (XNNPACK on wasm).
    this.impl = engine === 'fused' ? new FusedEngine(this.input, timed(this.threadedProducts ?? tfjsProducts, this.timings)) : new GenericEngine(this.input);
  }

  get hotKernels(): 'typescript' | 'wasm-simd' | null {
    return this.impl instanceof FusedEngine ? this.impl.hotKernels : null;
  }

  get threads(): number {
    return this.kernels.threads;
  }

  get gemmThreads(): number {
    return this.threadedProducts?.threads ?? 1;
  }

  get products(): string | null {
    return this.engine === 'fused' && hasGemmLayers(this.shapes) ? (this.threadedProducts ?? tfjsProducts).name : null;
  }

  get step(): number {
    return this.adam.step;
  }

  protected bindBatch(batch: GraphBatch): void {
    this.impl.bind(batch);
  }

  protected async trainStep(): Promise<StepResult> {
    if (this.adam.step === KILL_KERNEL_THREAD_AT_STEP) await kernelPoolOf(this.kernels)?.workerOf(1).terminate();
    const r = this.impl.trainStep(this.adam.step, this.grad);
    // Uniform attention: the scoring vectors are held at zero, so their gradient never reaches Adam.
    for (const [offset, length] of this.frozen) this.grad.fill(0, offset, offset + length);
    this.timed('optimizer', () => this.adam.update(this.params.flat, this.grad));
    return r;
  }

  protected async predictNodes(nodes: Int32Array): Promise<Float32Array> {
    return this.impl.predict(nodes);
  }

  protected async analyzeBound(): Promise<AnalyzeResult> {
    return this.impl.analyze();
  }

  async exportParameters(): Promise<NamedTensor[]> {
    return toNamedTensors(this.shapes, this.params.flat);
  }

  async exportOptimizerState(): Promise<{ step: number; tensors: NamedTensor[] }> {
    return { step: this.adam.step, tensors: optimizerTensors(this.shapes, this.adam.m, this.adam.v, this.input.seed, this.adam.step) };
  }

  async importState(params: NamedTensor[], optimizer?: { step: number; tensors: NamedTensor[] }): Promise<void> {
    const state = readState(this.shapes, params, optimizer);
    if (state.optimizer) {
      this.adam.m.set(state.optimizer.m);
      this.adam.v.set(state.optimizer.v);
      this.adam.step = state.optimizer.step;
      if (state.optimizer.seed !== undefined) this.input.seed = state.optimizer.seed;
    }
    this.params.flat.set(state.params);
    this.best = null;
  }

  async keepBest(): Promise<void> {
    if (!this.best) this.best = new Float32Array(this.params.flat.length);
    this.best.set(this.params.flat);
  }

  exportBest(): NamedTensor[] {
    return this.best ? toNamedTensors(this.shapes, this.best, 'best.') : [];
  }

  importBest(tensors: readonly NamedTensor[]): void {
    this.best = readBest(this.shapes, tensors, this.params.flat.length) ?? this.best;
  }

  async restoreBest(): Promise<boolean> {
    if (!this.best) return false;
    this.params.flat.set(this.best);
    return true;
  }

  dispose(): void {
    this.impl.dispose();
    this.kernels.dispose();
    this.threadedProducts?.dispose();
  }
}

/** The products, timed into `timings.products`. */
function timed(inner: DenseProducts, timings: TrainerTimings): DenseProducts {
  return {
    name: inner.name,
    matmul(...args) {
      const t0 = performance.now();
      inner.matmul(...args);
      timings.products += performance.now() - t0;
    },
  };
}
