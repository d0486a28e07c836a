/**
 * GAT on fused typed-array kernels with hand-written gradients (the cpu and wasm back ends).
 * Follows pytorch-GAT's GAT.py step by step (the layer stated in kernels/gatLayer.ts), but computes
 * only the receptive field of the nodes asked for: the last layer runs for those nodes, each
 * earlier layer for the in-neighbourhood of the next one's targets.
 *
 * Shape legend: N nodes of the bound batch, FIN input features, NH heads, FOUT features per head,
 * E' edges including self-loops, C classes (FOUT of the last layer). Node arrays are (capacity, ·)
 * buffers indexed by node id; only the rows of the current plan are valid.
 *
 * Narrow layers (Cora's) run on the hot kernels; wide layers and layers with a skip connection run
 * their products as dense GEMMs (see denseProducts.ts), on every row of the plan at once.
 */
import type { CsrMatrix } from '../data/graph';
import { typescriptProducts, type DenseProducts } from '../kernels/denseProducts';
import { typescriptKernels, type HotKernels } from '../kernels/hotKernels';
import { addIdentitySkip, addSkip, addSparseIdentitySkip, gatherRows, identitySkipBackward, scatterRows } from '../kernels/skip';
import { createWasmKernels } from '../kernels/wasmKernels';
import { capacityOf, checkBatchFits, type AnalyzeResult, type BatchCapacity, type EngineInput, type GatEngine, type GraphBatch, type StepResult } from './engine';
import { inNeighbourhood, type GatGraph } from '../kernels/gatGraph';
import { binaryCrossEntropy, crossEntropy, microF1 } from './loss';
import { allocateParameters, type GatParameters, type LayerParams, type LayerShape } from './parameters';
import { STREAM, dropoutSpec, layerStream, streamKey } from '../kernels/random';

/** A layer whose projection has at least this many weights runs as a dense GEMM. */
const GEMM_WEIGHTS = 16_384;

/** Whether layer `l` runs its products as GEMMs (always a dense input: never the sparse first layer). */
function usesGemm(s: LayerShape, l: number): boolean {
  return l > 0 && (s.skip !== undefined || s.fin * s.heads * s.fout >= GEMM_WEIGHTS);
}

/** Whether a model has layers whose products run as GEMMs (then a faster GEMM is worth starting). */
export function hasGemmLayers(shapes: readonly LayerShape[]): boolean {
  return shapes.some((s, l) => usesGemm(s, l));
}

/** Floats of each layer's buffers (see LayerBuffers), for batches up to `cap`. */
function bufferSizes(cap: BatchCapacity, shapes: readonly LayerShape[]): Record<keyof LayerBuffers, number>[] {
  const n = cap.nodes;
  const e = cap.edges;
  return shapes.map((s, l) => {
    const hf = s.heads * s.fout;
    const width = s.concat ? hf : s.fout;
    return {
      xd: l === 0 ? cap.nonZeros : n * s.fin,
      p: n * hf, sSrc: n * s.heads, sTrg: n * s.heads, alpha: e * s.heads, alphaD: e * s.heads,
      agg: n * hf, out: n * width, dP: n * hf, dsSrc: n * s.heads, dsTrg: n * s.heads, dAgg: n * hf, dOut: n * width,
      skip: s.skip === 'proj' ? n * hf : 0,
    };
  });
}

/** Floats of the kernel-memory copy of a batch's graph (both indexes) and features (see Bound). */
function batchFloats(cap: BatchCapacity): number {
  return 5 * (cap.nodes + 1) + 3 * cap.edges + 2 * cap.nonZeros + cap.nodes + 64;
}

/**
 * The hot kernels for a fused engine over `input`, with room in their memory for every buffer, the
 * inputs, a few node plans, and `paramCopies` arrays of `paramFloats` (the engine's parameter and
 * gradient copies, or the trainer's parameters, gradient and Adam moments allocated there).
 * `grain`: the least work per thread of a split call (tests pass 1 so tiny graphs split too).
 */
export function createFusedKernels(input: Pick<EngineInput, 'graph' | 'features' | 'shapes' | 'hotKernels' | 'threads' | 'capacity'>, paramFloats: number, paramCopies = 4, grain?: number): HotKernels {
  if (input.hotKernels !== 'wasm-simd') return typescriptKernels;
  const { shapes } = input;
  const cap = input.capacity ?? capacityOf(input);
  const sizes = bufferSizes(cap, shapes);
  const tmp = cap.edges * Math.max(...shapes.map((s) => s.heads));
  const floats = sizes.reduce((a, sz) => a + Object.values(sz).reduce((p, q) => p + q + 4, 0), 0) + tmp + batchFloats(cap) + paramCopies * (paramFloats + 4);
  const n = cap.nodes;
  const maxW = Math.max(...shapes.map((s) => s.fin * s.heads * s.fout));
  // The first batch's graph (both indexes) and features, node plans, the attention backward's
  // reverse index restricted to a plan's targets (per layer, for two plans), the widest weight.
  const constants = 3 * (cap.nodes + 1) + 3 * cap.edges + 2 * cap.nonZeros + 8 * 2 * shapes.length * n + 2 * shapes.length * (2 * n + 1 + cap.edges) + maxW;
  return createWasmKernels(4 * floats, 4 * constants + 64 * 1024, input.threads ?? 1, grain);
}

/** Which nodes each layer computes so that the last layer's `targets` get outputs. */
interface Plan {
  readonly targets: Int32Array[]; // per layer: nodes whose aggregation runs
  readonly rows: Int32Array[]; // per layer: nodes whose projection runs (in-neighbourhood of targets)
}

interface LayerBuffers {
  readonly xd: Float32Array; // dropped-out input in training: (nnz) for the sparse layer, (N, FIN) otherwise
  readonly p: Float32Array; // (N, NH·FOUT) projected features
  readonly sSrc: Float32Array; // (N, NH)
  readonly sTrg: Float32Array; // (N, NH)
  readonly alpha: Float32Array; // (E', NH) attention before dropout
  readonly alphaD: Float32Array; // (E', NH) attention after dropout
  readonly agg: Float32Array; // (N, NH·FOUT) aggregated messages (+ skip)
  readonly out: Float32Array; // (N, NH·FOUT) or (N, FOUT) layer output (after bias and ELU)
  readonly dP: Float32Array;
  readonly dsSrc: Float32Array;
  readonly dsTrg: Float32Array;
  readonly dAgg: Float32Array; // (N, NH·FOUT)
  readonly dOut: Float32Array; // same shape as out
  readonly skip: Float32Array; // (N, NH·FOUT) skip_proj(input) when the layer has one
}

/** The batch the engine runs on, with the arrays the kernels read. */
interface Bound {
  readonly graph: GatGraph;
  readonly x: CsrMatrix; // the features, values in kernel memory
  readonly labels: Int32Array;
  readonly multiLabels: Uint8Array | undefined;
  readonly trainNodes: Int32Array;
  readonly everyone: Int32Array; // 0..N-1
}

interface Mode {
  readonly step: number; // −1 in eval mode
  readonly threshold: number;
  readonly scale: number;
}

const EVAL: Mode = { step: -1, threshold: 0, scale: 1 };

/** One layer's view of a pass (FusedEngine.layerAt). */
interface LayerAt {
  readonly s: LayerShape;
  readonly b: LayerBuffers;
  readonly w: LayerParams;
  readonly hf: number; // NH·FOUT
  readonly rows: Int32Array; // nodes whose projection runs
  readonly targets: Int32Array; // nodes whose aggregation runs
  readonly inKey: number; // input dropout's stream
  readonly attKey: number; // attention dropout's stream
  readonly x: CsrMatrix; // the bound features
}

type LayerGrad = Pick<LayerParams, 'weightT' | 'attSource' | 'attTarget' | 'bias' | 'skipT'>;

export class FusedEngine implements GatEngine {
  readonly kind = 'fused';
  private readonly shapes: readonly LayerShape[];
  private readonly capacity: BatchCapacity;
  private readonly buf: LayerBuffers[];
  private readonly tmp: Float32Array; // (E', max NH) scratch for the softmax backward
  private plans = new Map<Int32Array, Plan>();
  private bound!: Bound;
  private trainPlan!: Plan;
  private readonly kernels: HotKernels;
  private readonly dense: DenseProducts;
  private readonly ownKernels: boolean; // made here (so disposed here), not passed in
  /** Kernel-memory home of a bound batch's arrays (batches after the first are copied here). */
  private readonly batchArea: { f32: Float32Array; i32: Int32Array };
  /** The parameters the kernels read: input.params itself, or (wasm) a copy in kernel memory refreshed per call. */
  private readonly params: GatParameters;
  /** wasm: the gradient is computed in kernel memory, then copied out; null when kernels write the caller's buffer. */
  private readonly gradBuf: Float32Array | null;
  private bindings = 0;

  constructor(
    private readonly input: EngineInput,
    dense: DenseProducts = typescriptProducts,
  ) {
    this.shapes = input.shapes;
    this.dense = dense;
    this.capacity = input.capacity ?? capacityOf(input);
    const sizes = bufferSizes(this.capacity, this.shapes);
    this.ownKernels = !input.kernels;
    this.kernels = input.kernels ?? createFusedKernels(input, input.params.flat.length);
    const alloc = this.kernels.allocF32;
    this.buf = sizes.map((sz) => ({
      xd: alloc(sz.xd), p: alloc(sz.p), sSrc: alloc(sz.sSrc), sTrg: alloc(sz.sTrg), alpha: alloc(sz.alpha), alphaD: alloc(sz.alphaD),
      agg: alloc(sz.agg), out: alloc(sz.out), dP: alloc(sz.dP), dsSrc: alloc(sz.dsSrc), dsTrg: alloc(sz.dsTrg), dAgg: alloc(sz.dAgg), dOut: alloc(sz.dOut),
      skip: alloc(sz.skip),
    }));
    this.tmp = alloc(this.capacity.edges * Math.max(...this.shapes.map((s) => s.heads)));
    const area = alloc(batchFloats(this.capacity));
    this.batchArea = { f32: area, i32: new Int32Array(area.buffer, area.byteOffset, area.length) };
    const mirrored = !this.kernels.owns(input.params.flat);
    this.params = mirrored ? allocateParameters(this.shapes, alloc(input.params.flat.length)) : input.params;
    this.gradBuf = mirrored ? alloc(input.params.flat.length) : null;
    this.bind(input);
  }

  /**
   * Runs the next calls on `batch`. The first batch's arrays are used in place (the kernels copy
   * what they need once); later ones are copied into one kernel-memory area, so binding batch after
   * batch never grows memory.
   */
  bind(batch: GraphBatch): void {
    const g = batch.graph;
    const x = batch.features;
    checkBatchFits(batch, this.capacity);
    const n = g.numNodes;
    const { f32, i32 } = this.batchArea;
    let at = 0;
    const ints = (src: ArrayLike<number>): Int32Array => {
      const view = i32.subarray(at, at + src.length);
      view.set(src);
      at += src.length;
      return view;
    };
    const first = this.bindings++ === 0;
    const values = f32.subarray(at, (at += x.values.length));
    values.set(x.values);
    const graph: GatGraph = first
      ? g
      : { numNodes: n, numEdges: g.numEdges, rowPtr: ints(g.rowPtr), source: ints(g.source), target: ints(g.target), outPtr: ints(g.outPtr), outEdge: ints(g.outEdge) };
    const features: CsrMatrix = first ? { ...x, values } : { rows: x.rows, cols: x.cols, indptr: ints(x.indptr), indices: ints(x.indices), values };
    const everyone = i32.subarray(at, at + n);
    for (let i = 0; i < n; i++) everyone[i] = i;
    this.bound = { graph, x: features, labels: batch.labels, multiLabels: batch.multiLabels, trainNodes: batch.trainNodes, everyone };
    this.plans = new Map();
    this.trainPlan = this.planOf(batch.trainNodes);
  }

  /**
   * The plan for `nodes`. A batch bound after the first runs every node of the batch: the kernels
   * copy a node list into their memory once and keep it, so a plan per batch (DictionaryLookup
   * scores only its queries) would fill that memory; the loss still counts only the batch's nodes.
   */
  private planOf(nodes: Int32Array): Plan {
    return this.planFor(nodes.length === this.bound.graph.numNodes || this.bindings > 1 ? this.bound.everyone : nodes);
  }

  trainStep(step: number, grad: Float32Array): StepResult {
    const { threshold, scale } = dropoutSpec(this.input.dropout);
    const mode: Mode = { step, threshold, scale };
    const plan = this.trainPlan;
    this.syncParameters();
    for (let l = 0; l < this.shapes.length; l++) this.forwardLayer(l, plan, mode);
    const last = this.shapes.length - 1;
    const logits = this.buf[last].out;
    const dLogits = this.buf[last].dOut;
    const result = this.loss(logits, this.bound.trainNodes, true, dLogits);
    const gradOut = this.kernels.owns(grad) ? grad : (this.gradBuf ?? this.kernels.allocF32(grad.length));
    gradOut.fill(0);
    const g = allocateParameters(this.shapes, gradOut);
    for (let l = last; l >= 0; l--) this.backwardLayer(l, plan, mode, g.layers[l]);
    if (gradOut !== grad) grad.set(gradOut);
    return result;
  }

  predict(nodes: Int32Array): Float32Array {
    const plan = this.planOf(nodes);
    this.syncParameters();
    for (let l = 0; l < this.shapes.length; l++) this.forwardLayer(l, plan, EVAL);
    const c = this.shapes[this.shapes.length - 1].fout;
    const logits = this.buf[this.shapes.length - 1].out;
    const rows = new Float32Array(nodes.length * c);
    for (let r = 0; r < nodes.length; r++) rows.set(logits.subarray(nodes[r] * c, nodes[r] * c + c), r * c);
    return rows;
  }

  analyze(): AnalyzeResult {
    const logits = this.predict(this.bound.everyone);
    const e = this.bound.graph.numEdges;
    return { logits, attention: this.buf.map((b, l) => b.alpha.slice(0, e * this.shapes[l].heads)) };
  }

  dispose(): void {
    this.plans.clear();
    if (this.ownKernels) this.kernels.dispose();
  }

  /** Threads the hot kernels run on. */
  get threads(): number {
    return this.kernels.threads;
  }

  /** Which hot-kernel implementation runs. */
  get hotKernels(): HotKernels['name'] {
    return this.kernels.name;
  }

  /** Softmax cross-entropy (single-label) or binary cross-entropy with micro-F1 (multi-label). */
  private loss(logits: Float32Array, nodes: Int32Array, rowOfNode: boolean, dLogits?: Float32Array): StepResult {
    const c = this.shapes[this.shapes.length - 1].fout;
    if (!this.bound.multiLabels) return crossEntropy(logits, c, nodes, this.bound.labels, rowOfNode, dLogits);
    const { loss, counts } = binaryCrossEntropy(logits, c, nodes, this.bound.multiLabels, rowOfNode, dLogits);
    return { loss, acc: microF1(counts), counts };
  }

  /** Copies the caller's parameters into kernel memory (wasm), once per step or prediction. */
  private syncParameters(): void {
    if (this.params !== this.input.params) this.params.flat.set(this.input.params.flat);
  }

  private planFor(nodes: Int32Array): Plan {
    const cached = this.plans.get(nodes);
    if (cached) return cached;
    const layers = this.shapes.length;
    const targets: Int32Array[] = new Array(layers);
    const rows: Int32Array[] = new Array(layers);
    const everyone = this.bound.everyone;
    let t = nodes;
    for (let l = layers - 1; l >= 0; l--) {
      targets[l] = t;
      // Every node's in-neighbourhood is every node: skip the search (and keep the kernel-memory array).
      rows[l] = t === everyone ? everyone : inNeighbourhood(this.bound.graph, t);
      t = rows[l];
    }
    const plan = { targets, rows };
    this.plans.set(nodes, plan);
    return plan;
  }

  /** What layer l's forward and backward read: its shape, buffers and weights, the plan's nodes, the mode's dropout keys. */
  private layerAt(l: number, plan: Plan, mode: Mode): LayerAt {
    const s = this.shapes[l];
    const seed = this.input.seed;
    return {
      s, b: this.buf[l], w: this.params.layers[l], hf: s.heads * s.fout, rows: plan.rows[l], targets: plan.targets[l], x: this.bound.x,
      inKey: streamKey(seed, mode.step, layerStream(STREAM.inputDropout, l)),
      attKey: streamKey(seed, mode.step, layerStream(STREAM.attentionDropout, l)),
    };
  }

  private forwardLayer(l: number, plan: Plan, mode: Mode): void {
    const { s, b, w, hf, rows, targets, inKey, attKey, x } = this.layerAt(l, plan, mode);

    // explain: input (the Computation panel links this step here; resolved by scripts/build.mjs)
    // Step 1: input dropout + linear projection                      x (N, FIN) -> p (N, NH·FOUT)
    // (eval mode has no dropout: the input is used as it is)
    const dropping = mode.threshold > 0;
    let input: Float32Array; // layers > 0: the (dropped) dense input (N, FIN)
    if (l === 0) {
      if (dropping) this.kernels.dropSparseInput(x, rows, inKey, mode.threshold, mode.scale, b.xd); // xd (nnz)
      const xv = dropping ? b.xd : x.values;
      this.kernels.sparseProject(x, xv, rows, w.weightT, hf, b.p); // p (N, NH·FOUT)
      if (s.skip === 'proj') this.kernels.sparseProject(x, xv, targets, w.skipT as Float32Array, hf, b.skip); // skip (N, NH·FOUT)
      input = xv;
    } else {
      const prev = this.buf[l - 1].out; // (N, FIN)
      if (dropping) this.kernels.dropDense(prev, rows, s.fin, inKey, mode.threshold, mode.scale, b.xd); // xd (N, FIN)
      input = dropping ? b.xd : prev;
      if (usesGemm(s, l)) {
        this.gemmRows(input, rows, s.fin, w.weightT, hf, b.p); // p (N, NH·FOUT)
        if (s.skip === 'proj') this.gemmRows(input, targets, s.fin, w.skipT as Float32Array, hf, b.skip); // skip (N, NH·FOUT)
      } else {
        this.kernels.denseProject(input, rows, s.fin, w.weightT, hf, b.p); // p (N, NH·FOUT)
      }
    }
    // Step 2: edge attention: per-node scores, LeakyReLU per edge, softmax per neighbourhood, dropout
    this.kernels.nodeScores(b.p, rows, s.heads, s.fout, w.attSource, w.attTarget, b.sSrc, b.sTrg); // (N, NH) each
    this.kernels.edgeSoftmax(this.bound.graph, targets, s.heads, b.sSrc, b.sTrg, attKey, mode.threshold, mode.scale, b.alpha, b.alphaD); // (E', NH)
    // Step 3: neighbourhood aggregation                              agg (N, NH, FOUT)
    this.kernels.aggregate(this.bound.graph, targets, s.heads, s.fout, b.alphaD, b.p, b.agg);
    // Step 3b: skip connection (before concat/mean, as GAT.py)        agg (N, NH, FOUT) += skip
    if (s.skip === 'proj') addSkip(targets, hf, b.skip, b.agg);
    else if (s.skip === 'identity' && l === 0) addSparseIdentitySkip(x.indptr, x.indices, input, targets, s.heads, s.fout, b.agg);
    else if (s.skip === 'identity') addIdentitySkip(targets, s.heads, s.fout, input, b.agg);
    // Step 4: concat (hidden) or mean over heads (last), + bias, ELU on hidden layers
    this.kernels.applyHeadsForward(targets, s.heads, s.fout, s.concat, b.agg, w.bias, b.out); // (N, NH·FOUT) or (N, FOUT)
  }

  private backwardLayer(l: number, plan: Plan, mode: Mode, g: LayerGrad): void {
    const { s, b, w, hf, rows, targets, inKey, attKey, x } = this.layerAt(l, plan, mode);
    const dropping = mode.threshold > 0;

    // Step 4 backward: ELU / mean and bias                           dOut -> dAgg (N, NH·FOUT)
    this.kernels.applyHeadsBackward(targets, s.heads, s.fout, s.concat, b.out, b.dOut, b.dAgg, g.bias);
    // Steps 3 + 2 backward: messages into dP, scores into dsSrc/dsTrg
    b.dP.fill(0);
    b.dsSrc.fill(0);
    b.dsTrg.fill(0);
    this.kernels.attentionBackward(
      this.bound.graph, targets, s.heads, s.fout, b.p, b.dAgg, b.alpha, b.alphaD, b.sSrc, b.sTrg,
      attKey, mode.threshold, mode.scale, b.dP, b.dsSrc, b.dsTrg, this.tmp,
    );
    this.kernels.nodeScoresBackward(b.p, rows, s.heads, s.fout, w.attSource, w.attTarget, b.dsSrc, b.dsTrg, b.dP, g.attSource, g.attTarget);
    // Step 1 backward (and the skip's): weight gradients, and the input gradient for the layer below
    if (l === 0) {
      const xv = dropping ? b.xd : x.values;
      this.kernels.sparseProjectGradW(x, xv, rows, b.dP, hf, g.weightT);
      if (s.skip === 'proj') this.kernels.sparseProjectGradW(x, xv, targets, b.dAgg, hf, g.skipT as Float32Array);
      return;
    }
    const prevOut = this.buf[l - 1].out;
    const dPrev = this.buf[l - 1].dOut;
    if (!usesGemm(s, l)) {
      this.kernels.denseProjectGrad(dropping ? b.xd : prevOut, rows, s.fin, inKey, mode.threshold, mode.scale, w.weightT, hf, b.dP, g.weightT, dPrev);
      return;
    }
    const input = dropping ? b.xd : prevOut; // (N, FIN)
    // dW += xdᵀ · dP and dxd = dP · Wᵀ over the projected rows, written into dPrev
    this.gemmGrad(input, rows, s.fin, w.weightT, hf, b.dP, g.weightT, dPrev, false);
    if (s.skip === 'proj') this.gemmGrad(input, targets, s.fin, w.skipT as Float32Array, hf, b.dAgg, g.skipT as Float32Array, dPrev, true);
    else if (s.skip === 'identity') identitySkipBackward(targets, s.heads, s.fout, b.dAgg, dPrev);
    // dx = dxd ⊙ mask (the mask recomputed from its key)
    if (dropping) this.kernels.dropDense(dPrev, rows, s.fin, inKey, mode.threshold, mode.scale, dPrev);
  }

  /** out[rows] = x[rows] · wT: one GEMM over the rows (gathered first unless they are every node). */
  private gemmRows(x: Float32Array, rows: Int32Array, fin: number, wT: Float32Array, hf: number, out: Float32Array): void {
    const m = rows.length;
    if (rows === this.bound.everyone) return this.dense.matmul(x, wT, m, fin, hf, {}, out); // (N, FIN) · (FIN, HF)
    const product = new Float32Array(m * hf);
    this.dense.matmul(gatherRows(x, rows, fin, new Float32Array(m * fin)), wT, m, fin, hf, {}, product);
    scatterRows(product, rows, hf, out);
  }

  /**
   * Gradients of gemmRows: dwT += x[rows]ᵀ · dOut[rows] and dx[rows] = dOut[rows] · wTᵀ (added to
   * dx instead when `accumulate`).
   */
  private gemmGrad(x: Float32Array, rows: Int32Array, fin: number, wT: Float32Array, hf: number, dOut: Float32Array, dwT: Float32Array, dx: Float32Array, accumulate: boolean): void {
    const m = rows.length;
    const all = rows === this.bound.everyone;
    const xr = all ? x : gatherRows(x, rows, fin, new Float32Array(m * fin)); // (M, FIN)
    const gr = all ? dOut : gatherRows(dOut, rows, hf, new Float32Array(m * hf)); // (M, HF)
    this.dense.matmul(xr, gr, fin, m, hf, { transposeA: true, accumulate: true }, dwT); // (FIN, HF)
    if (all) return this.dense.matmul(gr, wT, m, hf, fin, { transposeB: true, accumulate }, dx); // (M, FIN)
    const dxr = new Float32Array(m * fin);
    this.dense.matmul(gr, wT, m, hf, fin, { transposeB: true }, dxr);
    if (!accumulate) return scatterRows(dxr, rows, fin, dx);
    for (let r = 0; r < m; r++) for (let k = 0; k < fin; k++) dx[rows[r] * fin + k] += dxr[r * fin + k];
  }
}
