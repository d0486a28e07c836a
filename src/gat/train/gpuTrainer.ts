/**
 * A session on WebGPU: parameters, gradient and Adam moments stay in GPU memory for the whole run;
 * a training step reads back only its loss and metric counts. Parameters come back to the host only
 * for what needs them there: checkpoints, the best model so far, the final model.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import type { BackendName } from '../backend/registry';
import type { GraphDataset } from '../data/graph';
import type { WebGpuDevice } from '../gpu/webgpuDevice';
import { createWebGpuEngine, type WebGpuEngine } from '../gpu/webgpuEngine';
import type { AnalyzeResult, GraphBatch, StepResult } from '../model/engine';
import { allocateParameters, initParameters, parameterCount, toNamedTensors, type LayerShape } from '../model/parameters';
import { SessionBase } from './sessionBase';
import type { TrainConfig } from './trainConfig';
import type { Trainer } from './trainerTypes';
import { optimizerTensors, readBest, readState } from './trainerState';

/** The gradient stays on the GPU: a zero-length array asks the engine not to read it back. */
const NO_GRADIENT = new Float32Array(0);

/**
 * Fault injection for the tests of what a lost device leaves behind: the device is destroyed (as a
 * driver reset would lose it) before the optimisation step of this number. Unset in normal use.
 */
const LOSE_DEVICE_AT_STEP = Number(process.env.GAT_TEST_LOSE_GPU_AT_STEP ?? NaN);

export class GpuTrainer extends SessionBase implements Trainer {
  readonly backend: BackendName;
  readonly engine = 'webgpu' as const;
  readonly hotKernels = null;
  readonly threads = 1;
  readonly gemmThreads = 1;
  readonly products = null;
  private impl!: WebGpuEngine;
  private best: Float32Array | null = null;
  /** The dropout seed (a resumed run continues its checkpoint's). */
  private seed: number;

  /** A session on `backend.device`, the device the webgpu back end opened (see selectBackend). */
  static async create(graph: GraphDataset, config: TrainConfig, shapes: readonly LayerShape[], backend: { readonly name: BackendName; readonly device: WebGpuDevice }): Promise<GpuTrainer> {
    const t = new GpuTrainer(graph, config, shapes, backend.name, backend.device);
    const params = allocateParameters(t.shapes);
    initParameters(params, config.seed); // the CPU engines' initial values, uploaded once
    t.impl = await createWebGpuEngine({ ...t.firstBatch, shapes: t.shapes, params, dropout: config.dropout, seed: config.seed, capacity: t.capacity }, backend.device);
    return t;
  }

  private constructor(
    graph: GraphDataset,
    config: TrainConfig,
    shapes: readonly LayerShape[],
    backend: BackendName,
    private readonly gpu: WebGpuDevice,
  ) {
    super(graph, config, shapes);
    this.backend = backend;
    this.seed = config.seed;
  }

  get step(): number {
    return this.impl.optimizerSteps;
  }

  /** Compute dispatches of one training step (for the benchmark). */
  get dispatchesPerStep(): number {
    return this.impl.dispatchesPerStep;
  }

  protected bindBatch(batch: GraphBatch): void {
    this.timed('upload', () => this.impl.bind(batch));
  }

  protected async trainStep(): Promise<StepResult> {
    if (this.impl.optimizerSteps === LOSE_DEVICE_AT_STEP) this.gpu.device.destroy(); // as a driver reset would
    // One submission and a 16-byte readback: the time until the loss is back is the kernels' time.
    const r = await this.timedAsync('kernels', () => this.impl.trainStep(this.impl.optimizerSteps, NO_GRADIENT));
    this.timed('optimizer', () => this.impl.adamStep({ lr: this.config.lr, weightDecay: this.config.weightDecay }));
    return r;
  }

  protected predictNodes(nodes: Int32Array): Promise<Float32Array> {
    return this.timedAsync('kernels', () => this.impl.predict(nodes));
  }

  protected analyzeBound(): Promise<AnalyzeResult> {
    return this.impl.analyze();
  }

  async exportParameters(): Promise<NamedTensor[]> {
    return toNamedTensors(this.shapes, await this.timedAsync('readback', () => this.impl.readParameters()));
  }

  async exportOptimizerState(): Promise<{ step: number; tensors: NamedTensor[] }> {
    const { m, v, step } = await this.timedAsync('readback', () => this.impl.readMoments());
    return { step, tensors: optimizerTensors(this.shapes, m, v, this.seed, step) };
  }

  async importState(params: NamedTensor[], optimizer?: { step: number; tensors: NamedTensor[] }): Promise<void> {
    const state = readState(this.shapes, params, optimizer);
    this.impl.uploadParameters(state.params);
    if (state.optimizer) {
      this.impl.writeMoments(state.optimizer);
      if (state.optimizer.seed !== undefined && state.optimizer.seed !== this.seed) {
        // The engine keys its dropout masks by the seed it was made with: a checkpoint of another seed needs a new engine.
        throw new RangeError(`this checkpoint was trained with seed ${state.optimizer.seed}, the session with ${this.seed}: resume with --seed ${state.optimizer.seed}`);
      }
    }
    this.best = null;
  }

  async keepBest(): Promise<void> {
    this.best = await this.timedAsync('readback', () => this.impl.readParameters());
  }

  exportBest(): NamedTensor[] {
    return this.best ? toNamedTensors(this.shapes, this.best, 'best.') : [];
  }

  importBest(tensors: readonly NamedTensor[]): void {
    this.best = readBest(this.shapes, tensors, parameterCount(this.shapes)) ?? this.best;
  }

  async restoreBest(): Promise<boolean> {
    if (!this.best) return false;
    this.impl.uploadParameters(this.best);
    return true;
  }

  dispose(): void {
    this.impl?.dispose();
  }
}
