/**
 * A session on the CPU engines: parameters and Adam state in plain Float32Arrays (in the fused
 * kernels' WebAssembly memory when they run there, so Adam updates them in place), and an engine
 * (fused kernels or generic TensorFlow.js ops) that computes the gradients.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import type { BackendName } from '../backend/backends';
import type { GraphDataset } from '../data/graph';
import { tfjsProducts, type DenseProducts } from '../kernels/denseProducts';
import type { ThreadedProducts } from '../kernels/gemmThreads';
import { typescriptKernels, type HotKernels } from '../kernels/hotKernels';
import { wasmSimdSupported } from '../kernels/wasmKernels';
import { Adam } from '../model/adam';
import type { AnalyzeResult, EngineInput, GatEngine, GraphBatch, StepResult } from '../model/engine';
import { FusedEngine, createFusedKernels } from '../model/fusedEngine';
import { GenericEngine } from '../model/genericEngine';
import { allocateParameters, fromNamedTensors, frozenRanges, initParameters, parameterCount, toNamedTensors, type GatParameters } from '../model/parameters';
import { SessionBase } from './sessionBase';
import type { TrainConfig } from './trainConfig';
import type { Trainer, TrainerTimings } from './trainer';

export class CpuTrainer extends SessionBase implements Trainer {
  readonly engine: 'fused' | 'generic';
  private readonly params: GatParameters;
  private readonly grad: Float32Array;
  private readonly adam: Adam;
  private readonly impl: GatEngine;
  private readonly input: { -readonly [K in keyof EngineInput]: EngineInput[K] };
  private best: Float32Array | null = null;
  private readonly kernels: HotKernels;
  private readonly frozen: ReturnType<typeof frozenRanges>;

  constructor(
    graph: GraphDataset,
    config: TrainConfig,
    readonly backend: BackendName,
    engine: 'fused' | 'generic',
    /** Two-thread dense products, when started; else TensorFlow.js's on this thread. */
    private readonly products: ThreadedProducts | null = null,
  ) {
    super(graph, config);
    this.engine = engine;
    const hotKernels = backend === 'wasm' && wasmSimdSupported() ? 'wasm-simd' : 'typescript';
    // Fused engine: parameters, gradient and Adam moments live in the kernels' memory, so the
    // kernels (Adam included) work on them in place.
    const size = parameterCount(this.shapes);
    const threads = config.threads ?? 1;
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
    this.impl = engine === 'fused' ? new FusedEngine(this.input, timed(products ?? tfjsProducts, this.timings)) : new GenericEngine(this.input);
  }

  get hotKernels(): 'typescript' | 'wasm-simd' | null {
    return this.impl instanceof FusedEngine ? this.impl.hotKernels : null;
  }

  get threads(): number {
    return this.kernels.threads;
  }

  get gemmThreads(): number {
    return this.products?.threads ?? 1;
  }

  get step(): number {
    return this.adam.step;
  }

  protected bindBatch(batch: GraphBatch): void {
    this.impl.bind(batch);
  }

  protected async trainStep(): Promise<StepResult> {
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
    return {
      step: this.adam.step,
      tensors: [
        ...toNamedTensors(this.shapes, this.adam.m, 'adam.m.'),
        ...toNamedTensors(this.shapes, this.adam.v, 'adam.v.'),
        // The dropout masks are a hash of (seed, step): that pair is the whole RNG state.
        { name: 'rng.state', shape: [2], data: Int32Array.of(this.input.seed, this.adam.step) },
      ],
    };
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
    this.products?.dispose();
  }
}

/** Parameters (and optimizer state) from named tensors, checked against the model's shapes. */
export function readState(
  shapes: Parameters<typeof toNamedTensors>[0],
  params: NamedTensor[],
  optimizer?: { step: number; tensors: NamedTensor[] },
): { params: Float32Array; optimizer?: { m: Float32Array; v: Float32Array; step: number; seed?: number } } {
  const flat = new Float32Array(parameterCount(shapes));
  fromNamedTensors(shapes, params, flat);
  if (!optimizer) return { params: flat };
  if (!Number.isInteger(optimizer.step) || optimizer.step < 0) throw new RangeError(`optimizer step must be a non-negative integer; got ${optimizer.step}`);
  const m = new Float32Array(flat.length);
  const v = new Float32Array(flat.length);
  fromNamedTensors(shapes, optimizer.tensors, m, 'adam.m.');
  fromNamedTensors(shapes, optimizer.tensors, v, 'adam.v.');
  const rng = optimizer.tensors.find((t) => t.name === 'rng.state');
  if (rng && (!(rng.data instanceof Int32Array) || rng.data.length !== 2)) throw new RangeError(`'rng.state' must be an int32 tensor of 2 values (seed, step)`);
  return { params: flat, optimizer: { m, v, step: optimizer.step, seed: rng ? rng.data[0] : undefined } };
}

/** The `best.` parameters of a checkpoint, or null when it has none. */
export function readBest(shapes: Parameters<typeof toNamedTensors>[0], tensors: readonly NamedTensor[], floats: number): Float32Array | null {
  if (!tensors.some((t) => t.name.startsWith('best.'))) return null;
  const best = new Float32Array(floats);
  fromNamedTensors(shapes, tensors, best, 'best.');
  return best;
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
