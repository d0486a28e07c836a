/**
 * A training session over one graph: parameters and Adam state in plain Float32Arrays (exportable
 * without TensorFlow.js), and an engine (fused kernels or generic ops) that computes the gradients.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import { BackendError, usesFusedKernels, type BackendName } from '../backend/backends';
import type { GraphDataset } from '../data/graph';
import { Adam } from '../model/adam';
import type { EngineInput, GatEngine } from '../model/engine';
import { FusedEngine, createFusedKernels } from '../model/fusedEngine';
import { buildGatGraph } from '../model/gatGraph';
import { GenericEngine } from '../model/genericEngine';
import { crossEntropy } from '../model/loss';
import { allocateParameters, fromNamedTensors, initParameters, layerShapes, parameterCount, parameterNames, toNamedTensors, type GatParameters, type LayerShape } from '../model/parameters';
import { validateDataset } from '../model/validateDataset';
import { typescriptKernels, type HotKernels } from '../kernels/hotKernels';
import { wasmSimdSupported } from '../kernels/wasmKernels';
import { validateTrainConfig, type TrainConfig } from './trainConfig';

export interface AnalyzeOutput {
  readonly logits: Float32Array; // (N, C)
  readonly edgeSource: Int32Array; // (E') incl. self-loops
  readonly edgeTarget: Int32Array; // (E')
  readonly attention: Float32Array[]; // per layer (E', NH), head-minor
  readonly heads: number[];
}

export interface Trainer {
  readonly backend: BackendName;
  /** 'fused' (typed-array kernels) or 'generic' (TensorFlow.js ops). */
  readonly engine: 'fused' | 'generic';
  /** Fused engine: whether its hot kernels run as TypeScript loops or WebAssembly SIMD; null for generic. */
  readonly hotKernels: 'typescript' | 'wasm-simd' | null;
  /** Threads the fused engine's kernels run on (1 for the generic engine and TypeScript kernels). */
  readonly threads: number;
  /** Optimisation steps taken so far (restored by importState). */
  readonly step: number;
  trainEpoch(): { trainLoss: number; trainAcc: number };
  evaluate(split: 'val' | 'test'): { loss: number; acc: number };
  exportParameters(): NamedTensor[];
  exportOptimizerState(): { step: number; tensors: NamedTensor[] };
  importState(params: NamedTensor[], optimizer?: { step: number; tensors: NamedTensor[] }): void;
  analyze(): AnalyzeOutput;
  /** Remembers the current parameters as the best so far (see runTrainingLoop). */
  keepBest(): void;
  /** Puts the remembered best parameters back; false if none were kept. */
  restoreBest(): boolean;
  /** The remembered best parameters (names prefixed `best.`), for checkpoints; empty if none. */
  exportBest(): NamedTensor[];
  /** Restores what exportBest() gave, when resuming. */
  importBest(tensors: readonly NamedTensor[]): void;
  dispose(): void;
}

/** Builds a session; the back end must already be active (see selectBackend). */
export async function createTrainer(graph: GraphDataset, config: TrainConfig, backend: BackendName): Promise<Trainer> {
  validateTrainConfig(config);
  validateDataset(graph);
  const engineKind = config.engine === 'fused' || config.engine === 'generic' ? config.engine : usesFusedKernels(backend) ? 'fused' : 'generic';
  if (engineKind === 'fused' && !usesFusedKernels(backend)) throw new BackendError(`fused kernels run on cpu or wasm, not on ${backend}`);
  return new GatTrainer(graph, config, backend, engineKind);
}

class GatTrainer implements Trainer {
  readonly engine: 'fused' | 'generic';
  private readonly shapes: LayerShape[];
  private readonly params: GatParameters;
  private readonly grad: Float32Array;
  private readonly adam: Adam;
  private readonly impl: GatEngine;
  private readonly input: { -readonly [K in keyof EngineInput]: EngineInput[K] };
  private best: Float32Array | null = null;
  private readonly kernels: HotKernels;

  constructor(
    private readonly graph: GraphDataset,
    config: TrainConfig,
    readonly backend: BackendName,
    engine: 'fused' | 'generic',
  ) {
    this.engine = engine;
    this.shapes = layerShapes(graph.numFeatures, graph.numClasses, config.heads, config.hidden);
    const gatGraph = buildGatGraph(graph);
    const hotKernels = backend === 'wasm' && wasmSimdSupported() ? 'wasm-simd' : 'typescript';
    // Fused engine: parameters, gradient and Adam moments live in the kernels' memory, so the
    // kernels (Adam included) work on them in place.
    const size = parameterCount(this.shapes);
    const threads = config.threads ?? 1;
    const kernels = engine === 'fused' ? createFusedKernels({ graph: gatGraph, features: graph.features, shapes: this.shapes, hotKernels, threads }, size) : typescriptKernels;
    this.kernels = kernels;
    this.params = allocateParameters(this.shapes, kernels.allocF32(size));
    initParameters(this.params, config.seed);
    this.grad = kernels.allocF32(size);
    this.adam = new Adam(size, { lr: config.lr, weightDecay: config.weightDecay }, kernels);
    this.input = {
      graph: gatGraph,
      features: graph.features,
      labels: graph.labels,
      trainNodes: graph.split.train,
      shapes: this.shapes,
      params: this.params,
      dropout: config.dropout,
      seed: config.seed,
      hotKernels,
      kernels: engine === 'fused' ? kernels : undefined,
    };
    this.impl = engine === 'fused' ? new FusedEngine(this.input) : new GenericEngine(this.input);
  }

  get hotKernels(): 'typescript' | 'wasm-simd' | null {
    return this.impl instanceof FusedEngine ? this.impl.hotKernels : null;
  }

  get threads(): number {
    return this.kernels.threads;
  }

  get step(): number {
    return this.adam.step;
  }

  trainEpoch(): { trainLoss: number; trainAcc: number } {
    const { loss, acc } = this.impl.trainStep(this.adam.step, this.grad);
    this.adam.update(this.params.flat, this.grad);
    return { trainLoss: loss, trainAcc: acc };
  }

  evaluate(split: 'val' | 'test'): { loss: number; acc: number } {
    const nodes = this.graph.split[split];
    const logits = this.impl.predict(nodes);
    return crossEntropy(logits, this.graph.numClasses, nodes, this.graph.labels, false);
  }

  exportParameters(): NamedTensor[] {
    return toNamedTensors(this.shapes, this.params.flat);
  }

  exportOptimizerState(): { step: number; tensors: NamedTensor[] } {
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

  importState(params: NamedTensor[], optimizer?: { step: number; tensors: NamedTensor[] }): void {
    const flat = new Float32Array(this.params.flat.length);
    fromNamedTensors(this.shapes, params, flat);
    if (optimizer) {
      if (!Number.isInteger(optimizer.step) || optimizer.step < 0) throw new RangeError(`optimizer step must be a non-negative integer; got ${optimizer.step}`);
      const m = new Float32Array(flat.length);
      const v = new Float32Array(flat.length);
      fromNamedTensors(this.shapes, optimizer.tensors, m, 'adam.m.');
      fromNamedTensors(this.shapes, optimizer.tensors, v, 'adam.v.');
      const rng = optimizer.tensors.find((t) => t.name === 'rng.state');
      if (rng && (!(rng.data instanceof Int32Array) || rng.data.length !== 2)) throw new RangeError(`'rng.state' must be an int32 tensor of 2 values (seed, step)`);
      this.adam.m.set(m);
      this.adam.v.set(v);
      this.adam.step = optimizer.step;
      if (rng) this.input.seed = rng.data[0];
    }
    this.params.flat.set(flat);
    this.best = null;
  }

  analyze(): AnalyzeOutput {
    const { logits, attention } = this.impl.analyze();
    const g = this.input.graph;
    return { logits, edgeSource: g.source.slice(), edgeTarget: g.target.slice(), attention, heads: this.shapes.map((s) => s.heads) };
  }

  keepBest(): void {
    if (!this.best) this.best = new Float32Array(this.params.flat.length);
    this.best.set(this.params.flat);
  }

  exportBest(): NamedTensor[] {
    return this.best ? toNamedTensors(this.shapes, this.best, 'best.') : [];
  }

  importBest(tensors: readonly NamedTensor[]): void {
    if (!tensors.some((t) => t.name.startsWith('best.'))) return;
    const best = new Float32Array(this.params.flat.length);
    fromNamedTensors(this.shapes, tensors, best, 'best.');
    this.best = best;
  }

  restoreBest(): boolean {
    if (!this.best) return false;
    this.params.flat.set(this.best);
    return true;
  }

  dispose(): void {
    this.impl.dispose();
    this.kernels.dispose();
  }
}

/** Float32 bytes of all parameters, as safetensors stores them (without its header). */
export function parameterBytes(graph: Pick<GraphDataset, 'numFeatures' | 'numClasses'>, config: Pick<TrainConfig, 'heads' | 'hidden'>): number {
  const shapes = layerShapes(graph.numFeatures, graph.numClasses, config.heads, config.hidden);
  return parameterNames(shapes).reduce((a, t) => a + 4 * t.shape.reduce((x, y) => x * y, 1), 0);
}
