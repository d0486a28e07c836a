/**
 * GAT on fused typed-array kernels with hand-written gradients (the cpu and wasm back ends).
 * Follows pytorch-GAT's GAT.py step by step, but computes only the receptive field of the nodes
 * asked for: the last layer runs for those nodes, each earlier layer for the in-neighbourhood of
 * the next one's targets.
 *
 * Shape legend: N nodes, FIN input features, NH heads, FOUT features per head, E' edges including
 * self-loops, C classes (FOUT of the last layer). Node arrays are full (N, ·) buffers indexed by
 * node id; only the rows of the current plan are valid.
 */
import type { CsrMatrix } from '../data/graph';
import { typescriptKernels, type HotKernels } from '../kernels/hotKernels';
import { createWasmKernels } from '../kernels/wasmKernels';
import type { AnalyzeResult, EngineInput, GatEngine, StepResult } from './engine';
import { allNodes, inNeighbourhood, type GatGraph } from './gatGraph';
import { crossEntropy } from './loss';
import { allocateParameters, type GatParameters, type LayerShape } from './parameters';
import { STREAM, dropoutSpec, layerStream, streamKey } from './random';

/** Floats of each layer's buffers (see LayerBuffers). */
function bufferSizes(graph: GatGraph, x: CsrMatrix, shapes: readonly LayerShape[]): Record<keyof LayerBuffers, number>[] {
  const n = graph.numNodes;
  const e = graph.numEdges;
  return shapes.map((s, l) => {
    const hf = s.heads * s.fout;
    const width = s.concat ? hf : s.fout;
    return {
      xd: l === 0 ? x.values.length : n * s.fin,
      p: n * hf, sSrc: n * s.heads, sTrg: n * s.heads, alpha: e * s.heads, alphaD: e * s.heads,
      agg: n * hf, out: n * width, dP: n * hf, dsSrc: n * s.heads, dsTrg: n * s.heads, dAgg: n * hf, dOut: n * width,
    };
  });
}

/**
 * The hot kernels for a fused engine over `input`, with room in their memory for every buffer, the
 * inputs, a few node plans, and `paramCopies` arrays of `paramFloats` (the engine's parameter and
 * gradient copies, or the trainer's parameters, gradient and Adam moments allocated there).
 */
export function createFusedKernels(input: Pick<EngineInput, 'graph' | 'features' | 'shapes' | 'hotKernels' | 'threads'>, paramFloats: number, paramCopies = 4): HotKernels {
  if (input.hotKernels !== 'wasm-simd') return typescriptKernels;
  const { graph, features: x, shapes } = input;
  const sizes = bufferSizes(graph, x, shapes);
  const tmp = graph.numEdges * Math.max(...shapes.map((s) => s.heads));
  const floats = sizes.reduce((a, sz) => a + Object.values(sz).reduce((p, q) => p + q + 4, 0), 0) + tmp + x.values.length + paramCopies * (paramFloats + 4);
  const n = graph.numNodes;
  const maxW = Math.max(...shapes.map((s) => s.fin * s.heads * s.fout));
  const constants = x.indptr.length + x.indices.length + x.values.length + graph.rowPtr.length + graph.source.length + 8 * 2 * shapes.length * n + maxW;
  return createWasmKernels(4 * floats, 4 * constants + 64 * 1024, input.threads ?? 1);
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
  readonly agg: Float32Array; // (N, NH·FOUT) aggregated messages
  readonly out: Float32Array; // (N, NH·FOUT) or (N, FOUT) layer output (after bias and ELU)
  readonly dP: Float32Array;
  readonly dsSrc: Float32Array;
  readonly dsTrg: Float32Array;
  readonly dAgg: Float32Array; // (N, NH·FOUT)
  readonly dOut: Float32Array; // same shape as out
}

interface Mode {
  readonly step: number; // −1 in eval mode
  readonly threshold: number;
  readonly scale: number;
}

const EVAL: Mode = { step: -1, threshold: 0, scale: 1 };

export class FusedEngine implements GatEngine {
  readonly kind = 'fused';
  private readonly graph: GatGraph;
  private readonly x: CsrMatrix;
  private readonly shapes: readonly LayerShape[];
  private readonly buf: LayerBuffers[];
  private readonly tmp: Float32Array; // (E', max NH) scratch for the softmax backward
  private readonly plans = new Map<Int32Array, Plan>();
  private readonly trainPlan: Plan;
  private readonly kernels: HotKernels;
  private readonly ownKernels: boolean; // made here (so disposed here), not passed in
  private readonly xValues: Float32Array; // the features' non-zeros, in kernel memory (eval-mode input)
  private readonly xSparse: CsrMatrix; // the features with xValues as their values
  /** The parameters the kernels read: input.params itself, or (wasm) a copy in kernel memory refreshed per call. */
  private readonly params: GatParameters;
  /** wasm: the gradient is computed in kernel memory, then copied out; null when kernels write the caller's buffer. */
  private readonly gradBuf: Float32Array | null;

  constructor(private readonly input: EngineInput) {
    this.graph = input.graph;
    this.x = input.features;
    this.shapes = input.shapes;
    const e = this.graph.numEdges;
    const sizes = bufferSizes(this.graph, this.x, this.shapes);
    this.ownKernels = !input.kernels;
    this.kernels = input.kernels ?? createFusedKernels(input, input.params.flat.length);
    this.buf = sizes.map((sz) => {
      const alloc = this.kernels.allocF32;
      return {
        xd: alloc(sz.xd), p: alloc(sz.p), sSrc: alloc(sz.sSrc), sTrg: alloc(sz.sTrg), alpha: alloc(sz.alpha), alphaD: alloc(sz.alphaD),
        agg: alloc(sz.agg), out: alloc(sz.out), dP: alloc(sz.dP), dsSrc: alloc(sz.dsSrc), dsTrg: alloc(sz.dsTrg), dAgg: alloc(sz.dAgg), dOut: alloc(sz.dOut),
      };
    });
    this.xValues = this.kernels.allocF32(this.x.values.length);
    this.xValues.set(this.x.values);
    this.xSparse = { ...this.x, values: this.xValues };
    this.tmp = this.kernels.allocF32(e * Math.max(...this.shapes.map((s) => s.heads)));
    const mirrored = !this.kernels.owns(input.params.flat);
    this.params = mirrored ? allocateParameters(this.shapes, this.kernels.allocF32(input.params.flat.length)) : input.params;
    this.gradBuf = mirrored ? this.kernels.allocF32(input.params.flat.length) : null;
    this.trainPlan = this.planFor(input.trainNodes);
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
    const train = this.input.trainNodes;
    const result = crossEntropy(logits, this.shapes[last].fout, train, this.input.labels, true, dLogits);
    const gradOut = this.kernels.owns(grad) ? grad : (this.gradBuf ?? this.kernels.allocF32(grad.length));
    gradOut.fill(0);
    const g = allocateParameters(this.shapes, gradOut);
    for (let l = last; l >= 0; l--) this.backwardLayer(l, plan, mode, g.layers[l]);
    if (gradOut !== grad) grad.set(gradOut);
    return result;
  }

  predict(nodes: Int32Array): Float32Array {
    const plan = this.planFor(nodes);
    this.syncParameters();
    for (let l = 0; l < this.shapes.length; l++) this.forwardLayer(l, plan, EVAL);
    const c = this.shapes[this.shapes.length - 1].fout;
    const logits = this.buf[this.shapes.length - 1].out;
    const rows = new Float32Array(nodes.length * c);
    for (let r = 0; r < nodes.length; r++) rows.set(logits.subarray(nodes[r] * c, nodes[r] * c + c), r * c);
    return rows;
  }

  analyze(): AnalyzeResult {
    const everyone = allNodes(this.graph.numNodes);
    const logits = this.predict(everyone);
    return { logits, attention: this.buf.map((b) => b.alpha.slice()) };
  }

  dispose(): void {
    this.plans.clear();
    if (this.ownKernels) this.kernels.dispose();
  }

  /** Threads the hot kernels run on. */
  get threads(): number {
    return this.kernels.threads;
  }

  /** Copies the caller's parameters into kernel memory (wasm), once per step or prediction. */
  private syncParameters(): void {
    if (this.params !== this.input.params) this.params.flat.set(this.input.params.flat);
  }

  /** Which hot-kernel implementation runs. */
  get hotKernels(): HotKernels['name'] {
    return this.kernels.name;
  }

  private planFor(nodes: Int32Array): Plan {
    const cached = this.plans.get(nodes);
    if (cached) return cached;
    const layers = this.shapes.length;
    const targets: Int32Array[] = new Array(layers);
    const rows: Int32Array[] = new Array(layers);
    let t = nodes;
    for (let l = layers - 1; l >= 0; l--) {
      targets[l] = t;
      rows[l] = inNeighbourhood(this.graph, t);
      t = rows[l];
    }
    const plan = { targets, rows };
    this.plans.set(nodes, plan);
    return plan;
  }

  private forwardLayer(l: number, plan: Plan, mode: Mode): void {
    const s = this.shapes[l];
    const b = this.buf[l];
    const w = this.params.layers[l];
    const hf = s.heads * s.fout;
    const seed = this.input.seed;
    const rows = plan.rows[l];
    const targets = plan.targets[l];
    const inKey = streamKey(seed, mode.step, layerStream(STREAM.inputDropout, l));
    const attKey = streamKey(seed, mode.step, layerStream(STREAM.attentionDropout, l));

    // Step 1: input dropout + linear projection                      x (N, FIN) -> p (N, NH·FOUT)
    // (eval mode has no dropout: the input is used as it is)
    const dropping = mode.threshold > 0;
    if (l === 0) {
      if (dropping) this.kernels.dropSparseInput(this.xSparse, rows, inKey, mode.threshold, mode.scale, b.xd); // xd (nnz)
      this.kernels.sparseProject(this.x, dropping ? b.xd : this.xValues, rows, w.weightT, hf, b.p); // p (N, NH·FOUT)
    } else {
      const x = this.buf[l - 1].out; // (N, FIN)
      if (dropping) this.kernels.dropDense(x, rows, s.fin, inKey, mode.threshold, mode.scale, b.xd); // xd (N, FIN)
      this.kernels.denseProject(dropping ? b.xd : x, rows, s.fin, w.weightT, hf, b.p); // p (N, NH·FOUT)
    }
    // Step 2: edge attention: per-node scores, LeakyReLU per edge, softmax per neighbourhood, dropout
    this.kernels.nodeScores(b.p, rows, s.heads, s.fout, w.attSource, w.attTarget, b.sSrc, b.sTrg); // (N, NH) each
    this.kernels.edgeSoftmax(this.graph, targets, s.heads, b.sSrc, b.sTrg, attKey, mode.threshold, mode.scale, b.alpha, b.alphaD); // (E', NH)
    // Step 3: neighbourhood aggregation                              agg (N, NH, FOUT)
    this.kernels.aggregate(this.graph, targets, s.heads, s.fout, b.alphaD, b.p, b.agg);
    // Step 4: concat (hidden) or mean over heads (last), + bias, ELU on hidden layers
    this.kernels.applyHeadsForward(targets, s.heads, s.fout, s.concat, b.agg, w.bias, b.out); // (N, NH·FOUT) or (N, FOUT)
  }

  private backwardLayer(l: number, plan: Plan, mode: Mode, g: { weightT: Float32Array; attSource: Float32Array; attTarget: Float32Array; bias: Float32Array }): void {
    const s = this.shapes[l];
    const b = this.buf[l];
    const w = this.params.layers[l];
    const hf = s.heads * s.fout;
    const seed = this.input.seed;
    const rows = plan.rows[l];
    const targets = plan.targets[l];
    const inKey = streamKey(seed, mode.step, layerStream(STREAM.inputDropout, l));
    const attKey = streamKey(seed, mode.step, layerStream(STREAM.attentionDropout, l));

    // Step 4 backward: ELU / mean and bias                           dOut -> dAgg (N, NH·FOUT)
    this.kernels.applyHeadsBackward(targets, s.heads, s.fout, s.concat, b.out, b.dOut, b.dAgg, g.bias);
    // Steps 3 + 2 backward: messages into dP, scores into dsSrc/dsTrg
    b.dP.fill(0);
    b.dsSrc.fill(0);
    b.dsTrg.fill(0);
    this.kernels.attentionBackward(
      this.graph, targets, s.heads, s.fout, b.p, b.dAgg, b.alpha, b.alphaD, b.sSrc, b.sTrg,
      attKey, mode.threshold, mode.scale, b.dP, b.dsSrc, b.dsTrg, this.tmp,
    );
    this.kernels.nodeScoresBackward(b.p, rows, s.heads, s.fout, w.attSource, w.attTarget, b.dsSrc, b.dsTrg, b.dP, g.attSource, g.attTarget);
    // Step 1 backward: weight gradient, and the input gradient for the layer below
    if (l === 0) {
      this.kernels.sparseProjectGradW(this.x, b.xd, rows, b.dP, hf, g.weightT);
    } else {
      this.kernels.denseProjectGrad(b.xd, rows, s.fin, inKey, mode.threshold, mode.scale, w.weightT, hf, b.dP, g.weightT, this.buf[l - 1].dOut);
    }
  }
}
