/**
 * A training session over one graph: parameters and Adam state in plain Float32Arrays (exportable
 * without TensorFlow.js), and an engine (fused kernels or generic ops) that computes the gradients.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import { availableParallelism } from 'node:os';
import { BackendError, usesFusedKernels, wasmDirectory, type BackendName } from '../backend/backends';
import { startThreadedProducts, type ThreadedProducts } from '../kernels/gemmThreads';
import type { GraphDataset } from '../data/graph';
import { Adam } from '../model/adam';
import type { EngineInput, GatEngine } from '../model/engine';
import { tfjsProducts, type DenseProducts } from '../kernels/denseProducts';
import { FusedEngine, createFusedKernels, hasGemmLayers } from '../model/fusedEngine';
import { buildGatGraph } from '../model/gatGraph';
import { GenericEngine } from '../model/genericEngine';
import { capacityOf, type GraphBatch } from '../model/engine';
import { binaryCrossEntropy, crossEntropy, microF1, type LabelCounts } from '../model/loss';
import { allocateParameters, fromNamedTensors, initParameters, layerShapes, parameterCount, parameterNames, toNamedTensors, type GatParameters, type LayerShape } from '../model/parameters';
import { validateDataset } from '../model/validateDataset';
import { typescriptKernels, type HotKernels } from '../kernels/hotKernels';
import { wasmSimdSupported } from '../kernels/wasmKernels';
import { capacityFor, cutGraphs, evaluationBatches, mergeBatch, trainingBatches, type GraphPiece } from './graphBatches';
import { validateTrainConfig, type TrainConfig } from './trainConfig';

/** Where training time goes (milliseconds since the trainer was made), for benchmarks. */
export interface TrainerTimings {
  products: number; // dense GEMMs of the wide layers
  optimizer: number; // Adam
  batching: number; // cutting and merging graphs into batches
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
  /** 'fused' (typed-array kernels) or 'generic' (TensorFlow.js ops). */
  readonly engine: 'fused' | 'generic';
  /** Fused engine: whether its hot kernels run as TypeScript loops or WebAssembly SIMD; null for generic. */
  readonly hotKernels: 'typescript' | 'wasm-simd' | null;
  /** Threads the fused engine's kernels run on (1 for the generic engine and TypeScript kernels). */
  readonly threads: number;
  /** Threads the dense products of wide layers run on. */
  readonly gemmThreads: number;
  /** Optimisation steps taken so far (restored by importState). */
  readonly step: number;
  /** What trainAcc / valAcc measure: accuracy, or micro-F1 on multi-label datasets. */
  readonly metric: 'accuracy' | 'micro-F1';
  /** Optimisation steps per epoch: 1, or the number of batches of an inductive dataset. */
  readonly stepsPerEpoch: number;
  readonly timings: TrainerTimings;
  trainEpoch(onBatch?: (b: BatchProgress) => void): { trainLoss: number; trainAcc: number };
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
  const shapes = layerShapes(graph.numFeatures, graph.numClasses, config.heads, config.hidden, config.skipConnection ?? false);
  const gemmThreads = config.gemmThreads ?? (availableParallelism() >= 2 ? 2 : 1);
  const products = engineKind === 'fused' && backend === 'wasm' && gemmThreads === 2 && hasGemmLayers(shapes) ? await startThreadedProducts(wasmDirectory()) : null;
  return new GatTrainer(graph, config, backend, engineKind, products);
}

class GatTrainer implements Trainer {
  readonly engine: 'fused' | 'generic';
  readonly metric: 'accuracy' | 'micro-F1';
  private readonly shapes: LayerShape[];
  private readonly params: GatParameters;
  private readonly grad: Float32Array;
  private readonly adam: Adam;
  private readonly impl: GatEngine;
  private readonly input: { -readonly [K in keyof EngineInput]: EngineInput[K] };
  private best: Float32Array | null = null;
  private readonly kernels: HotKernels;
  /** The whole dataset's graph (every edge, self-loops included): the order analysis outputs use. */
  private readonly whole: ReturnType<typeof buildGatGraph>;
  /** Inductive datasets: the graphs, cut out with local ids; empty for one transductive graph. */
  private readonly pieces: GraphPiece[];
  private readonly batchSize: number;
  readonly timings: TrainerTimings = { products: 0, optimizer: 0, batching: 0 };

  constructor(
    private readonly graph: GraphDataset,
    config: TrainConfig,
    readonly backend: BackendName,
    engine: 'fused' | 'generic',
    /** Two-thread dense products, when started; else TensorFlow.js's on this thread. */
    private readonly products: ThreadedProducts | null = null,
  ) {
    this.engine = engine;
    this.metric = graph.multiLabels ? 'micro-F1' : 'accuracy';
    this.shapes = layerShapes(graph.numFeatures, graph.numClasses, config.heads, config.hidden, config.skipConnection ?? false);
    this.whole = buildGatGraph(graph);
    this.pieces = graph.graphs ? cutGraphs(graph, this.whole) : [];
    this.batchSize = config.batchSize ?? 2;
    // Transductive: the whole graph, training on the training split. Inductive: a batch of graphs at
    // a time, every node of a training graph a training node; buffers sized for the largest batch.
    const first: GraphBatch = this.pieces.length > 0
      ? mergeBatch(this.pieces.filter((p) => p.part.split === 'train').slice(0, this.batchSize), graph)
      : { graph: this.whole, features: graph.features, labels: graph.labels, multiLabels: graph.multiLabels, trainNodes: graph.split.train };
    const capacity = this.pieces.length > 0 ? capacityFor(this.pieces, this.batchSize) : capacityOf(first);
    const hotKernels = backend === 'wasm' && wasmSimdSupported() ? 'wasm-simd' : 'typescript';
    // Fused engine: parameters, gradient and Adam moments live in the kernels' memory, so the
    // kernels (Adam included) work on them in place.
    const size = parameterCount(this.shapes);
    const threads = config.threads ?? 1;
    const kernels = engine === 'fused' ? createFusedKernels({ ...first, shapes: this.shapes, hotKernels, threads, capacity }, size) : typescriptKernels;
    this.kernels = kernels;
    this.params = allocateParameters(this.shapes, kernels.allocF32(size));
    initParameters(this.params, config.seed);
    this.grad = kernels.allocF32(size);
    this.adam = new Adam(size, { lr: config.lr, weightDecay: config.weightDecay }, kernels);
    this.input = {
      ...first,
      shapes: this.shapes,
      params: this.params,
      dropout: config.dropout,
      seed: config.seed,
      capacity,
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

  get stepsPerEpoch(): number {
    if (this.pieces.length === 0) return 1;
    return Math.ceil(this.pieces.filter((p) => p.part.split === 'train').length / this.batchSize);
  }

  trainEpoch(onBatch?: (b: BatchProgress) => void): { trainLoss: number; trainAcc: number } {
    if (this.pieces.length === 0) {
      const { loss, acc } = this.impl.trainStep(this.adam.step, this.grad);
      this.optimizerStep();
      return { trainLoss: loss, trainAcc: acc };
    }
    // The epoch follows from the step count, so a resumed run shuffles as the uninterrupted one did.
    const epoch = Math.floor(this.adam.step / this.stepsPerEpoch);
    const batches = trainingBatches(this.pieces, this.batchSize, this.input.seed, epoch);
    const pooled = new Pooled();
    batches.forEach((pieces, i) => {
      const batch = this.merge(pieces);
      this.impl.bind(batch);
      const r = this.impl.trainStep(this.adam.step, this.grad);
      this.optimizerStep();
      pooled.add(r.loss, batch.trainNodes.length, r.counts, r.acc);
      onBatch?.({ batch: i, batches: batches.length, loss: r.loss, acc: r.acc });
    });
    const { loss, acc } = pooled.result(this.metric);
    return { trainLoss: loss, trainAcc: acc };
  }

  evaluate(split: 'val' | 'test'): { loss: number; acc: number } {
    if (this.pieces.length === 0) {
      const nodes = this.graph.split[split];
      const logits = this.impl.predict(nodes);
      if (!this.graph.multiLabels) return crossEntropy(logits, this.graph.numClasses, nodes, this.graph.labels, false);
      const { loss, counts } = binaryCrossEntropy(logits, this.graph.numClasses, nodes, this.graph.multiLabels, false);
      return { loss, acc: microF1(counts) };
    }
    const pooled = new Pooled();
    for (const pieces of evaluationBatches(this.pieces, split, this.input.capacity as NonNullable<EngineInput['capacity']>)) {
      const batch = this.merge(pieces);
      this.impl.bind(batch);
      const logits = this.impl.predict(batch.trainNodes);
      const c = this.graph.numClasses;
      if (batch.multiLabels) {
        const { loss, counts } = binaryCrossEntropy(logits, c, batch.trainNodes, batch.multiLabels, false);
        pooled.add(loss, batch.trainNodes.length, counts, microF1(counts));
      } else {
        const r = crossEntropy(logits, c, batch.trainNodes, batch.labels, false);
        pooled.add(r.loss, batch.trainNodes.length, undefined, r.acc);
      }
    }
    return pooled.result(this.metric);
  }

  private optimizerStep(): void {
    const t0 = performance.now();
    this.adam.update(this.params.flat, this.grad);
    this.timings.optimizer += performance.now() - t0;
  }

  private merge(pieces: readonly GraphPiece[]): GraphBatch {
    const t0 = performance.now();
    const batch = mergeBatch(pieces, this.graph);
    this.timings.batching += performance.now() - t0;
    return batch;
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
    const g = this.whole;
    const heads = this.shapes.map((s) => s.heads);
    if (this.pieces.length === 0) {
      const { logits, attention } = this.impl.analyze();
      return { logits, edgeSource: g.source.slice(), edgeTarget: g.target.slice(), attention, heads };
    }
    // Graph by graph, each into its place: its node rows and its range of the whole edge list.
    const c = this.graph.numClasses;
    const logits = new Float32Array(this.graph.numNodes * c);
    const attention = heads.map((h) => new Float32Array(g.numEdges * h));
    for (const piece of this.pieces) {
      this.impl.bind(mergeBatch([piece], this.graph));
      const r = this.impl.analyze();
      logits.set(r.logits, piece.part.nodeStart * c);
      r.attention.forEach((a, l) => attention[l].set(a, piece.edgeStart * heads[l]));
    }
    return { logits, edgeSource: g.source.slice(), edgeTarget: g.target.slice(), attention, heads };
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
    this.products?.dispose();
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

/** Pools an epoch's (or split's) batches: node-weighted mean loss; micro-F1 from pooled counts, or node-weighted accuracy. */
class Pooled {
  private lossSum = 0;
  private nodes = 0;
  private accSum = 0;
  private counts: LabelCounts = { tp: 0, fp: 0, fn: 0 };

  add(loss: number, nodes: number, counts: LabelCounts | undefined, acc: number): void {
    this.lossSum += loss * nodes;
    this.accSum += acc * nodes;
    this.nodes += nodes;
    if (counts) this.counts = { tp: this.counts.tp + counts.tp, fp: this.counts.fp + counts.fp, fn: this.counts.fn + counts.fn };
  }

  result(metric: 'accuracy' | 'micro-F1'): { loss: number; acc: number } {
    return { loss: this.lossSum / this.nodes, acc: metric === 'micro-F1' ? microF1(this.counts) : this.accSum / this.nodes };
  }
}

/** Float32 bytes of all parameters, as safetensors stores them (without its header). */
export function parameterBytes(graph: Pick<GraphDataset, 'numFeatures' | 'numClasses'>, config: Pick<TrainConfig, 'heads' | 'hidden' | 'skipConnection'>): number {
  const shapes = layerShapes(graph.numFeatures, graph.numClasses, config.heads, config.hidden, config.skipConnection ?? false);
  return parameterNames(shapes).reduce((a, t) => a + 4 * t.shape.reduce((x, y) => x * y, 1), 0);
}
