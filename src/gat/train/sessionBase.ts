/**
 * What every training session shares, whatever engine computes the gradients: the dataset's
 * whole graph, and for inductive datasets (PPI) the graphs cut out with local ids, shuffled into
 * batches each epoch (one optimisation step per batch, as pytorch-GAT's PPI script), evaluation
 * packed into batches that fit the engine, and analysis stitched together graph by graph.
 * Subclasses bind a batch, take a step, predict and analyse on their engine.
 */
import type { GraphDataset } from '../data/graph';
import { capacityOf, type AnalyzeResult, type BatchCapacity, type GraphBatch, type StepResult } from '../model/engine';
import { buildGatGraph, type GatGraph } from '../kernels/gatGraph';
import { binaryCrossEntropy, crossEntropy, microF1, type LabelCounts } from '../model/loss';
import type { LayerShape } from '../model/parameters';
import { capacityFor, cutGraphs, evaluationBatches, mergeBatch, trainingBatches, type GraphPiece } from './graphBatches';
import type { TrainConfig } from './trainConfig';
import type { AnalyzeOutput, BatchProgress, TrainerTimings } from './trainerTypes';

export abstract class SessionBase {
  readonly metric: 'accuracy' | 'micro-F1';
  readonly timings: TrainerTimings = { products: 0, optimizer: 0, batching: 0, upload: 0, kernels: 0, readback: 0 };
  /** The whole dataset's graph (every edge, self-loops included): the order analysis outputs use. */
  protected readonly whole: GatGraph;
  /** Inductive datasets: the graphs, cut out with local ids; empty for one transductive graph. */
  protected readonly pieces: GraphPiece[];
  protected readonly batchSize: number;
  /** The batch an engine starts on, and the largest it will be given. */
  protected readonly firstBatch: GraphBatch;
  protected readonly capacity: BatchCapacity;

  protected constructor(
    protected readonly graph: GraphDataset,
    protected readonly config: TrainConfig,
    /** The layers' shapes, computed from the config once by the factory (trainer.ts). */
    protected readonly shapes: readonly LayerShape[],
  ) {
    this.metric = graph.multiLabels ? 'micro-F1' : 'accuracy';
    this.whole = buildGatGraph(graph);
    this.pieces = graph.graphs ? cutGraphs(graph, this.whole) : [];
    this.batchSize = config.batchSize ?? 2;
    // Transductive: the whole graph, training on the training split. Inductive: a batch of graphs at
    // a time, the nodes its split lists scored (every node of a PPI graph, DictionaryLookup's queries); buffers sized for the largest batch.
    this.firstBatch = this.pieces.length > 0
      ? mergeBatch(this.pieces.filter((p) => p.part.split === 'train').slice(0, this.batchSize), graph)
      : { graph: this.whole, features: graph.features, labels: graph.labels, multiLabels: graph.multiLabels, trainNodes: graph.split.train };
    this.capacity = this.pieces.length > 0 ? capacityFor(this.pieces, this.batchSize) : capacityOf(this.firstBatch);
  }

  /** Optimisation steps taken so far. */
  abstract get step(): number;
  /** Runs the next calls on `batch`. */
  protected abstract bindBatch(batch: GraphBatch): void;
  /** One training step on the bound batch: gradients, then the optimizer's update. */
  protected abstract trainStep(): Promise<StepResult>;
  /** Eval-mode logits of `nodes` of the bound batch, row r for nodes[r]. */
  protected abstract predictNodes(nodes: Int32Array): Promise<Float32Array>;
  /** Eval-mode logits of every node of the bound batch, with its attention per layer. */
  protected abstract analyzeBound(): Promise<AnalyzeResult>;

  get stepsPerEpoch(): number {
    if (this.pieces.length === 0) return 1;
    return Math.ceil(this.pieces.filter((p) => p.part.split === 'train').length / this.batchSize);
  }

  async trainEpoch(onBatch?: (b: BatchProgress) => void): Promise<{ trainLoss: number; trainAcc: number }> {
    if (this.pieces.length === 0) {
      const { loss, acc } = await this.trainStep();
      return { trainLoss: loss, trainAcc: acc };
    }
    // The epoch follows from the step count, so a resumed run shuffles as the uninterrupted one did.
    const epoch = Math.floor(this.step / this.stepsPerEpoch);
    const batches = trainingBatches(this.pieces, this.batchSize, this.config.seed, epoch);
    const pooled = new Pooled();
    for (const [i, pieces] of batches.entries()) {
      const batch = this.merge(pieces);
      this.bindBatch(batch);
      const r = await this.trainStep();
      pooled.add(r.loss, batch.trainNodes.length, r.counts, r.acc);
      onBatch?.({ batch: i, batches: batches.length, loss: r.loss, acc: r.acc });
    }
    const { loss, acc } = pooled.result(this.metric);
    return { trainLoss: loss, trainAcc: acc };
  }

  async evaluate(split: 'train' | 'val' | 'test'): Promise<{ loss: number; acc: number }> {
    const c = this.graph.numClasses;
    if (this.pieces.length === 0) {
      const nodes = this.graph.split[split];
      const logits = await this.predictNodes(nodes);
      if (!this.graph.multiLabels) return crossEntropy(logits, c, nodes, this.graph.labels, false);
      const { loss, counts } = binaryCrossEntropy(logits, c, nodes, this.graph.multiLabels, false);
      return { loss, acc: microF1(counts) };
    }
    const pooled = new Pooled();
    for (const pieces of evaluationBatches(this.pieces, split, this.capacity)) {
      const batch = this.merge(pieces);
      this.bindBatch(batch);
      const logits = await this.predictNodes(batch.trainNodes);
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

  async analyze(): Promise<AnalyzeOutput> {
    const g = this.whole;
    const heads = this.shapes.map((s) => s.heads);
    if (this.pieces.length === 0) {
      const { logits, attention } = await this.analyzeBound();
      return { logits, edgeSource: g.source.slice(), edgeTarget: g.target.slice(), attention, heads };
    }
    // Graph by graph, each into its place: its node rows and its range of the whole edge list.
    const c = this.graph.numClasses;
    const logits = new Float32Array(this.graph.numNodes * c);
    const attention = heads.map((h) => new Float32Array(g.numEdges * h));
    for (const piece of this.pieces) {
      this.bindBatch(mergeBatch([piece], this.graph));
      const r = await this.analyzeBound();
      logits.set(r.logits, piece.part.nodeStart * c);
      r.attention.forEach((a, l) => attention[l].set(a, piece.edgeStart * heads[l]));
    }
    return { logits, edgeSource: g.source.slice(), edgeTarget: g.target.slice(), attention, heads };
  }

  /** Times a share of the work into `timings[what]`. */
  protected timed<T>(what: keyof TrainerTimings, work: () => T): T {
    const t0 = performance.now();
    const r = work();
    this.timings[what] += performance.now() - t0;
    return r;
  }

  protected async timedAsync<T>(what: keyof TrainerTimings, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const r = await work();
    this.timings[what] += performance.now() - t0;
    return r;
  }

  private merge(pieces: readonly GraphPiece[]): GraphBatch {
    const t0 = performance.now();
    const batch = mergeBatch(pieces, this.graph);
    this.timings.batching += performance.now() - t0;
    return batch;
  }
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
