/**
 * GAT on WebGPU compute kernels: the fused engine's maths (FusedEngine, pytorch-GAT's GAT.py) with
 * the parameters, gradient and Adam moments resident in GPU memory. A training step is one compute
 * pass (forward, loss, backward) and one submission; it reads back 16 bytes (the loss sum and the
 * accuracy or micro-F1 counts), plus the gradient only when the caller asks for it. Adam runs on
 * the GPU too, so a training loop uploads nothing but each step's dropout keys.
 *
 * Readback is asynchronous on WebGPU, so trainStep, predict and analyze return promises: the engine
 * implements AsyncGatEngine below, GatEngine with Promise results (see the note there).
 *
 * Parameters: uploaded from `input.params` at creation, then resident. After changing parameters on
 * the host (loading a checkpoint, a CPU optimizer), call uploadParameters; readParameters and the
 * moment read/write serve checkpoints and resume.
 */
import { adamStepScalars, type AdamOptions } from '../model/adam';
import { capacityOf, checkBatchFits, type AnalyzeResult, type BatchCapacity, type EngineInput, type GraphBatch, type StepResult } from '../model/engine';
import { microF1 } from '../model/loss';
import type { LayerShape } from '../model/parameters';
import { STREAM, dropoutSpec, layerStream, streamKey } from '../kernels/random';
import type { AdamParams } from './adamKernels';
import type { GraphOffsets } from './attentionKernels';
import { cscOf, graphOffsets, graphPieces, packedTargets } from './gpuBatch';
import { allocateEngineBuffers, type EngineBuffers } from './gpuEngineBuffers';
import { UniformArena, type GpuOp } from './gpuKernel';
import { adamOp, backwardOps, compileGatKernels, forwardOps, lossOps, type Encode, type OpContext, type PassState } from './gpuLayerOps';
import { fromGpuLayout, gpuParameterLayout, toGpuLayout, type GpuParameterLayout } from './gpuParameters';
import { BufferUsage, type GpuBuffer } from './gpuTypes';
import type { WebGpuDevice } from './webgpuDevice';

/**
 * GatEngine with asynchronous results. engine.ts's GatEngine would take it in with
 * `kind: 'fused' | 'generic' | 'webgpu'` and `StepResult | Promise<StepResult>` (likewise for
 * predict and analyze), the trainer awaiting each result.
 */
export interface AsyncGatEngine {
  readonly kind: 'webgpu';
  bind(batch: GraphBatch): void;
  trainStep(step: number, grad: Float32Array): Promise<StepResult>;
  predict(nodes: Int32Array): Promise<Float32Array>;
  analyze(): Promise<AnalyzeResult>;
  dispose(): void;
}

/** Adam's moments and update count, in the flat parameter layout (for checkpoints). */
export interface AdamMoments {
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly step: number;
}

/** Builds a WebGPU engine on `gpu`: compiles the kernels, allocates for the capacity, uploads parameters and the batch. */
export async function createWebGpuEngine(input: EngineInput, gpu: WebGpuDevice): Promise<WebGpuEngine> {
  gpu.check();
  const shapes = input.shapes;
  const capacity = input.capacity ?? capacityOf(input);
  const layout = gpuParameterLayout(shapes);
  if (input.params.flat.length !== layout.flatFloats) throw new RangeError(`parameters have ${input.params.flat.length} floats; the model needs ${layout.flatFloats}`);
  dropoutSpec(input.dropout); // validates the rate
  const dropping = input.dropout > 0;
  const multiLabel = input.multiLabels !== undefined;
  const [kernels, buffers] = await Promise.all([compileGatKernels(gpu), allocateEngineBuffers(gpu, shapes, capacity, layout, dropping, multiLabel)]);
  const arena = new UniformArena(gpu);
  const ctx: OpContext = { gpu, kernels, arena, shapes, layout, buffers, graph: graphOffsets(capacity), multiLabel };
  const engine = new WebGpuEngine(input, gpu, ctx, capacity);
  try {
    engine.uploadParameters(input.params.flat);
    engine.bind(input);
  } catch (e) {
    engine.dispose();
    throw e;
  }
  return engine;
}

export class WebGpuEngine implements AsyncGatEngine {
  readonly kind = 'webgpu' as const;
  private readonly shapes: readonly LayerShape[];
  private readonly layout: GpuParameterLayout;
  private readonly buffers: EngineBuffers;
  private readonly graph: GraphOffsets;
  private readonly arena: UniformArena;
  private readonly evalOps: Encode[];
  private readonly trainOps: Encode[];
  private readonly adam: GpuOp<AdamParams>;
  private readonly staging: StagingPool;
  private readonly multiLabel: boolean;
  private bound = { n: 0, e: 0, nnz: 0, trainCount: 0 };
  private adamSteps = 0;
  private disposed = false;

  /** Use createWebGpuEngine. */
  constructor(
    private readonly input: EngineInput,
    private readonly gpu: WebGpuDevice,
    ctx: OpContext,
    private readonly capacity: BatchCapacity,
  ) {
    this.shapes = ctx.shapes;
    this.layout = ctx.layout;
    this.buffers = ctx.buffers;
    this.graph = ctx.graph;
    this.arena = ctx.arena;
    this.multiLabel = ctx.multiLabel;
    const dropping = input.dropout > 0;
    this.evalOps = forwardOps(ctx, false);
    const trainForward = dropping ? forwardOps(ctx, true) : this.evalOps;
    this.trainOps = [...trainForward, ...lossOps(ctx), ...backwardOps(ctx, dropping)];
    this.adam = adamOp(ctx);
    this.staging = new StagingPool(gpu);
  }

  /** Dispatches one training step encodes (forward, loss, backward). */
  get dispatchesPerStep(): number {
    return this.trainOps.length;
  }

  /** Adam updates applied so far (the `t` of the next update is this + 1). */
  get optimizerSteps(): number {
    return this.adamSteps;
  }

  /**
   * Uploads `batch` (graph with out-edge lists, features with a CSC copy, targets, the training
   * mask); the next calls run on it. Throws a RangeError when it exceeds the capacity.
   */
  bind(batch: GraphBatch): void {
    this.live();
    const g = batch.graph;
    const x = batch.features;
    checkBatchFits(batch, this.capacity);
    if (x.cols !== this.shapes[0].fin) throw new RangeError(`features have ${x.cols} columns; the model's first layer takes ${this.shapes[0].fin}`);
    if ((batch.multiLabels !== undefined) !== this.multiLabel) throw new RangeError(`this engine was built for ${this.multiLabel ? 'multi' : 'single'}-label batches`);
    const n = g.numNodes;
    const classes = this.shapes[this.shapes.length - 1].fout;
    const b = this.buffers.batch;
    const write = (buffer: GpuBuffer, data: ArrayBufferView, offsetWords = 0): void => {
      if (data.byteLength > 0) this.gpu.device.queue.writeBuffer(buffer, 4 * offsetWords, data);
    };
    for (const piece of graphPieces(g, this.graph)) write(b.graph, piece.data, piece.offset);
    write(b.indptr, x.indptr);
    write(b.indices, x.indices);
    write(b.values, x.values);
    const csc = cscOf(x);
    write(b.colPtr, csc.colPtr);
    write(b.cscRow, csc.row);
    write(b.cscPos, csc.pos);
    write(b.targets, batch.multiLabels ? packedTargets(batch.multiLabels, n * classes) : batch.labels.subarray(0, n));
    const mask = new Uint32Array(n);
    for (const i of batch.trainNodes) {
      if (!(i >= 0 && i < n)) throw new RangeError(`training node ${i} is not in the batch's ${n} nodes`);
      mask[i] = 1;
    }
    write(b.mask, mask);
    this.bound = { n, e: g.numEdges, nnz: x.values.length, trainCount: batch.trainNodes.length };
  }

  /**
   * Training forward with the dropout masks of `step`, loss over the training nodes, backward into
   * the resident gradient. `grad`: zero-length to skip the gradient's readback, else it receives it.
   */
  async trainStep(step: number, grad: Float32Array): Promise<StepResult> {
    this.live();
    if (grad.length !== 0 && grad.length !== this.layout.flatFloats) throw new RangeError(`gradient array has ${grad.length} floats; the model needs ${this.layout.flatFloats} (or 0 to skip the readback)`);
    const st = this.passState(step);
    const encoder = this.gpu.device.createCommandEncoder({ label: `trainStep ${step}` });
    const pass = encoder.beginComputePass({ label: 'gat step' });
    for (const encode of this.trainOps) encode(pass, st);
    pass.end();
    const results = this.staging.take(16);
    encoder.copyBufferToBuffer(this.buffers.results, 0, results, 0, 16);
    const gradBytes = 4 * this.layout.gpuFloats;
    const gradStage = grad.length > 0 ? this.staging.take(gradBytes) : null;
    if (gradStage) encoder.copyBufferToBuffer(this.buffers.grad, 0, gradStage, 0, gradBytes);
    this.arena.flush();
    this.gpu.device.queue.submit([encoder.finish()]);

    const [words, padded] = await Promise.all([this.staging.read(results, Uint32Array), gradStage ? this.staging.read(gradStage, Float32Array) : null]);
    if (padded) fromGpuLayout(this.layout, padded, grad);
    const lossSum = new Float32Array(words.buffer)[0];
    const { trainCount } = this.bound;
    if (!this.multiLabel) return { loss: lossSum / trainCount, acc: words[1] / trainCount };
    const classes = this.shapes[this.shapes.length - 1].fout;
    const counts = { tp: words[1], fp: words[2], fn: words[3] };
    return { loss: lossSum / (trainCount * classes), acc: microF1(counts), counts };
  }

  /** One Adam update of the resident parameters from the resident gradient (PyTorch's Adam, as model/adam.ts). */
  adamStep(opts: AdamOptions): void {
    this.live();
    const s = adamStepScalars(opts, ++this.adamSteps);
    const encoder = this.gpu.device.createCommandEncoder({ label: 'adam' });
    // Uniform attention: the scoring vectors are held at zero, so their gradient never reaches Adam.
    this.layout.layers.forEach((l, i) => {
      if (this.shapes[i].attention === 'uniform') encoder.clearBuffer(this.buffers.grad, 4 * l.att.gpu, 4 * l.att.length);
    });
    const pass = encoder.beginComputePass({ label: 'adam' });
    this.adam.encode(pass, { count: this.layout.gpuFloats, ...s });
    pass.end();
    this.arena.flush();
    this.gpu.device.queue.submit([encoder.finish()]);
  }

  /** Eval-mode (no dropout) logits of `nodes`, row i for nodes[i]: (|nodes|, C). */
  async predict(nodes: Int32Array): Promise<Float32Array> {
    const c = this.shapes[this.shapes.length - 1].fout;
    const { n } = this.bound;
    for (const i of nodes) if (!(i >= 0 && i < n)) throw new RangeError(`node ${i} is not in the batch's ${n} nodes`);
    const [logits] = await this.evalForward([{ buffer: this.buffers.layers[this.shapes.length - 1].out, floats: n * c }]);
    if (nodes.length === n && nodes.every((v, i) => v === i)) return logits;
    const rows = new Float32Array(nodes.length * c);
    for (let r = 0; r < nodes.length; r++) rows.set(logits.subarray(nodes[r] * c, nodes[r] * c + c), r * c);
    return rows;
  }

  /** Eval-mode forward over every node, with the attention coefficients (E', NH) of every layer. */
  async analyze(): Promise<AnalyzeResult> {
    const { n, e } = this.bound;
    const last = this.shapes.length - 1;
    const reads = [{ buffer: this.buffers.layers[last].out, floats: n * this.shapes[last].fout }, ...this.shapes.map((s, l) => ({ buffer: this.buffers.layers[l].alpha, floats: e * s.heads }))];
    const [logits, ...attention] = await this.evalForward(reads);
    return { logits, attention };
  }

  /** Replaces the resident parameters (flat layout). */
  uploadParameters(flat: Float32Array): void {
    this.live();
    this.gpu.device.queue.writeBuffer(this.buffers.params, 0, toGpuLayout(this.layout, flat));
  }

  /** The resident parameters, flat layout. */
  async readParameters(): Promise<Float32Array> {
    return fromGpuLayout(this.layout, await this.readPadded(this.buffers.params));
  }

  /** The gradient of the last training step, flat layout. */
  async readGradient(): Promise<Float32Array> {
    return fromGpuLayout(this.layout, await this.readPadded(this.buffers.grad));
  }

  /** Adam's moments and update count (for a checkpoint). */
  async readMoments(): Promise<AdamMoments> {
    const step = this.adamSteps;
    const [m, v] = await Promise.all([this.readPadded(this.buffers.m), this.readPadded(this.buffers.v)]);
    return { m: fromGpuLayout(this.layout, m), v: fromGpuLayout(this.layout, v), step };
  }

  /** Restores Adam's moments and update count (resume). */
  writeMoments(moments: AdamMoments): void {
    this.live();
    this.gpu.device.queue.writeBuffer(this.buffers.m, 0, toGpuLayout(this.layout, moments.m));
    this.gpu.device.queue.writeBuffer(this.buffers.v, 0, toGpuLayout(this.layout, moments.v));
    this.adamSteps = moments.step;
  }

  /** Destroys the engine's buffers (the device stays, shared). Later calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers.all) b.destroy();
    this.arena.destroy();
    this.staging.destroy();
  }

  private live(): void {
    if (this.disposed) throw new Error('the WebGPU engine was disposed');
    this.gpu.check();
  }

  private passState(step: number): PassState {
    const { n, e, nnz, trainCount } = this.bound;
    const classes = this.shapes[this.shapes.length - 1].fout;
    const lossInv = 1 / (this.multiLabel ? trainCount * classes : trainCount);
    if (step < 0) {
      const zeros = this.shapes.map(() => 0);
      return { n, e, nnz, threshold: 0, scale: 1, inKeys: zeros, attKeys: zeros, lossInv };
    }
    const { threshold, scale } = dropoutSpec(this.input.dropout);
    const seed = this.input.seed;
    return {
      n, e, nnz, threshold, scale, lossInv,
      inKeys: this.shapes.map((_, l) => streamKey(seed, step, layerStream(STREAM.inputDropout, l))),
      attKeys: this.shapes.map((_, l) => streamKey(seed, step, layerStream(STREAM.attentionDropout, l))),
    };
  }

  /** Runs the eval forward and reads back the given buffer prefixes, in one submission. */
  private async evalForward(reads: readonly { buffer: GpuBuffer; floats: number }[]): Promise<Float32Array[]> {
    this.live();
    const st = this.passState(-1);
    const encoder = this.gpu.device.createCommandEncoder({ label: 'eval forward' });
    const pass = encoder.beginComputePass({ label: 'gat eval' });
    for (const encode of this.evalOps) encode(pass, st);
    pass.end();
    const total = reads.reduce((a, r) => a + r.floats, 0);
    const stage = this.staging.take(4 * Math.max(total, 1));
    let at = 0;
    for (const r of reads) {
      if (r.floats > 0) encoder.copyBufferToBuffer(r.buffer, 0, stage, 4 * at, 4 * r.floats);
      at += r.floats;
    }
    this.arena.flush();
    this.gpu.device.queue.submit([encoder.finish()]);
    const all = await this.staging.read(stage, Float32Array);
    at = 0;
    return reads.map((r) => all.slice(at, (at += r.floats)));
  }

  private async readPadded(buffer: GpuBuffer): Promise<Float32Array> {
    this.live();
    return new Float32Array(await this.gpu.read(buffer, 0, 4 * this.layout.gpuFloats));
  }
}

/**
 * Map-read staging buffers by size, reused across steps: a step takes one per readback, and gives it
 * back once read, so calls that overlap (not awaited) each get their own.
 */
class StagingPool {
  private readonly free = new Map<number, GpuBuffer[]>();
  private readonly made: GpuBuffer[] = [];

  constructor(private readonly gpu: WebGpuDevice) {}

  take(bytes: number): GpuBuffer {
    const size = Math.ceil(bytes / 4) * 4;
    const reuse = this.free.get(size)?.pop();
    if (reuse) return reuse;
    const b = this.gpu.device.createBuffer({ label: `staging ${size}`, size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    this.made.push(b);
    return b;
  }

  /** Maps `buffer`, copies its contents out, unmaps it and returns it to the pool. */
  async read<T extends Float32Array | Uint32Array>(buffer: GpuBuffer, kind: { new (data: ArrayBuffer): T }): Promise<T> {
    await this.gpu.mapRead(buffer);
    const data = new kind(buffer.getMappedRange().slice(0));
    buffer.unmap();
    const list = this.free.get(buffer.size) ?? [];
    list.push(buffer);
    this.free.set(buffer.size, list);
    return data;
  }

  destroy(): void {
    for (const b of this.made) b.destroy();
    this.free.clear();
  }
}
