/**
 * Every layer's attention logits, recomputed from a model's parameters in eval mode (no dropout):
 * the numbers the static-attention diagnostic ranks by (staticAttention.ts). The attention a run
 * saves is the softmax of these; the logits themselves, and GAT's per-node source scores, are not
 * saved, and the diagnostic needs both: GAT's global key score s_j = a_srcᵀ W h_j depends on the
 * layer input h, so it is recomputed here layer by layer. The layers are the ones stated in
 * kernels/gatLayer.ts (GAT) and kernels/gatV2Layer.ts (GATv2); the attention recomputed here is
 * returned too, so a caller can check it against the saved one.
 *
 * Shapes: N nodes, E' edges with self-loops (grouped by target, the analysis artifact's order),
 * NH heads, FOUT per head, HF = NH·FOUT. Rows are float32 (as the engines keep them), sums float64.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import type { CsrMatrix, GraphDataset } from '../data/graph';
import { typescriptProducts, type DenseProducts } from '../kernels/denseProducts';
import { buildGatGraph, type GatGraph } from '../kernels/gatGraph';
import { LEAKY_RELU_SLOPE } from '../kernels/gatLayer';
import { allocateParameters, fromNamedTensors, parameterCount, type GatParameters, type LayerParams, type LayerShape } from '../model/parameters';
import { scopeDataset } from '../panels/graphScope';

export interface LayerScores {
  readonly heads: number;
  /** e_ij, the attention logit of each edge and head before the softmax: (E', NH). */
  readonly logits: Float64Array;
  /** GAT: s_j = a_srcᵀ W h_j of each node and head, the score every target ranks j by: (N, NH). GATv2: null. */
  readonly sourceScores: Float64Array | null;
  /** softmax of the logits over each target's incoming edges: (E', NH). */
  readonly attention: Float32Array;
}

/** The parameters of a model of `shapes` from its named tensors (checked by name and shape). */
export function parametersOf(shapes: readonly LayerShape[], tensors: readonly NamedTensor[]): GatParameters {
  const flat = new Float32Array(parameterCount(shapes));
  fromNamedTensors(shapes, tensors, flat);
  return allocateParameters(shapes, flat);
}

/**
 * The scores of every layer on the whole dataset, in the order of buildGatGraph(g)'s edges. An
 * inductive dataset runs graph by graph (its graphs are disjoint), so a layer's rows take the memory
 * of one graph at a time.
 */
export function attentionScores(g: GraphDataset, params: GatParameters, products: DenseProducts = typescriptProducts): LayerScores[] {
  const whole = buildGatGraph(g);
  const layers = params.layers.map((l) => ({
    heads: l.shape.heads,
    logits: new Float64Array(whole.numEdges * l.shape.heads),
    sourceScores: l.v2 ? null : new Float64Array(g.numNodes * l.shape.heads),
    attention: new Float32Array(whole.numEdges * l.shape.heads),
  }));
  const parts = g.graphs ?? [{ nodeStart: 0, numNodes: g.numNodes }];
  for (const part of parts) {
    const piece = g.graphs ? scopeDataset(g, { ...part, id: 0, split: 'train' }) : g;
    const scores = forward(buildGatGraph(piece), piece.features, params, products);
    const edgeStart = whole.rowPtr[part.nodeStart];
    scores.forEach((s, l) => {
      const nh = layers[l].heads;
      layers[l].logits.set(s.logits, edgeStart * nh);
      layers[l].attention.set(s.attention, edgeStart * nh);
      if (s.sourceScores) layers[l].sourceScores?.set(s.sourceScores, part.nodeStart * nh);
    });
  }
  return layers;
}

/** Eval-mode forward over one graph, keeping each layer's logits and GAT's source scores. */
function forward(graph: GatGraph, features: CsrMatrix, params: GatParameters, products: DenseProducts): LayerScores[] {
  const out: LayerScores[] = [];
  let input: Float32Array | CsrMatrix = features;
  for (const layer of params.layers) {
    const r = layerForward(graph, input, layer, products);
    out.push(r.scores);
    input = r.output;
  }
  return out;
}

function layerForward(g: GatGraph, x: Float32Array | CsrMatrix, l: LayerParams, products: DenseProducts): { scores: LayerScores; output: Float32Array } {
  const { fin, heads: nh, fout } = l.shape;
  const hf = nh * fout;
  const n = g.numNodes;
  // Step 1: projections                                                        (N, HF)
  const project = (wT: Float32Array, bias: Float32Array | null): Float32Array => {
    const p = multiply(x, wT, n, fin, hf, products);
    if (bias) for (let i = 0; i < n; i++) for (let c = 0; c < hf; c++) p[i * hf + c] += bias[c];
    return p;
  };
  const left = project(l.weightT, l.v2 ? l.v2.biasL : null); // GAT: W h; GATv2: x_l = W_l h + b_l
  const right = l.v2 ? (l.shape.shareWeights ? left : project(l.v2.weightRT, l.v2.biasR)) : null; // GATv2: x_r
  // Step 2: edge logits                                                        (E', NH)
  const logits = new Float64Array(g.numEdges * nh);
  let sourceScores: Float64Array | null = null;
  if (!l.v2) {
    const s = headDots(left, l.attSource, n, nh, fout);
    const t = headDots(left, l.attTarget, n, nh, fout);
    for (let e = 0; e < g.numEdges; e++) for (let h = 0; h < nh; h++) logits[e * nh + h] = leakyRelu(s[g.source[e] * nh + h] + t[g.target[e] * nh + h]);
    sourceScores = s;
  } else {
    const att = l.v2.att;
    for (let e = 0; e < g.numEdges; e++) {
      const j = g.source[e] * hf;
      const i = g.target[e] * hf;
      for (let h = 0; h < nh; h++) {
        let sum = 0;
        for (let c = h * fout; c < (h + 1) * fout; c++) sum += att[c] * leakyRelu(left[j + c] + right![i + c]);
        logits[e * nh + h] = sum;
      }
    }
  }
  const attention = softmaxByTarget(g, logits, nh);
  // Step 3: aggregation and skip connection                                    (N, HF)
  const agg = new Float64Array(n * hf);
  for (let e = 0; e < g.numEdges; e++) {
    const i = g.target[e] * hf;
    const j = g.source[e] * hf;
    for (let c = 0; c < hf; c++) agg[i + c] += attention[e * nh + Math.floor(c / fout)] * left[j + c];
  }
  if (l.shape.skip === 'proj') {
    const skip = multiply(x, l.skipT!, n, fin, hf, products);
    for (let k = 0; k < n * hf; k++) agg[k] += skip[k];
  } else if (l.shape.skip === 'identity') {
    const row = new Float32Array(fin);
    for (let i = 0; i < n; i++) {
      readRow(x, i, fin, row);
      for (let c = 0; c < hf; c++) agg[i * hf + c] += row[c % fout];
    }
  }
  // Step 4: heads: ELU(concat + b) for hidden layers, mean + b for the output layer
  const d = l.shape.concat ? hf : fout;
  const output = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      let v: number;
      if (l.shape.concat) v = agg[i * hf + c] + l.bias[c];
      else {
        v = 0;
        for (let h = 0; h < nh; h++) v += agg[i * hf + h * fout + c];
        v = v / nh + l.bias[c];
      }
      output[i * d + c] = l.shape.concat ? (v > 0 ? v : Math.expm1(v)) : v;
    }
  }
  return { scores: { heads: nh, logits, sourceScores, attention }, output };
}

function leakyRelu(v: number): number {
  return v > 0 ? v : LEAKY_RELU_SLOPE * v;
}

/** x · wT for sparse (CSR) or dense (N, FIN) rows: (N, HF). */
function multiply(x: Float32Array | CsrMatrix, wT: Float32Array, n: number, fin: number, hf: number, products: DenseProducts): Float32Array {
  const out = new Float32Array(n * hf);
  if (x instanceof Float32Array) {
    products.matmul(x, wT, n, fin, hf, {}, out);
    return out;
  }
  for (let i = 0; i < n; i++) {
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
      const v = x.values[p];
      const w = x.indices[p] * hf;
      for (let c = 0; c < hf; c++) out[i * hf + c] += v * wT[w + c];
    }
  }
  return out;
}

function readRow(x: Float32Array | CsrMatrix, i: number, fin: number, row: Float32Array): void {
  if (x instanceof Float32Array) {
    row.set(x.subarray(i * fin, (i + 1) * fin));
    return;
  }
  row.fill(0);
  for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) row[x.indices[p]] += x.values[p];
}

/** ⟨p[i, h], a[h]⟩ for every node and head: (N, NH). */
function headDots(p: Float32Array, a: Float32Array, n: number, nh: number, fout: number): Float64Array {
  const out = new Float64Array(n * nh);
  for (let i = 0; i < n; i++) {
    for (let h = 0; h < nh; h++) {
      let sum = 0;
      for (let c = h * fout; c < (h + 1) * fout; c++) sum += p[i * nh * fout + c] * a[c];
      out[i * nh + h] = sum;
    }
  }
  return out;
}

/** α_ij = exp(e_ij − m_i) / Σ_k exp(e_ik − m_i) over each target's incoming edges. */
function softmaxByTarget(g: GatGraph, logits: Float64Array, nh: number): Float32Array {
  const alpha = new Float32Array(logits.length);
  for (let i = 0; i < g.numNodes; i++) {
    for (let h = 0; h < nh; h++) {
      let m = -Infinity;
      for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) m = Math.max(m, logits[e * nh + h]);
      let sum = 0;
      for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) sum += Math.exp(logits[e * nh + h] - m);
      for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) alpha[e * nh + h] = Math.exp(logits[e * nh + h] - m) / sum;
    }
  }
  return alpha;
}
