/**
 * Steps 2 and 3 of the layer stated in kernels/gatLayer.ts on the GPU, and their gradients
 * (kernels/attention.ts): node scores, edge softmax with LeakyReLU, max-subtraction and attention
 * dropout, neighbourhood aggregation, and the attention backward.
 *
 * The graph's index arrays live in one u32 buffer (gpuBatch.ts packs it): rowPtr/source group
 * edges by target (the forward's neighbourhoods), outPtr/outEdge by source. The backward is
 * atomics-free: per target neighbourhood (like the CPU kernel) it computes each edge's score
 * gradient dZ and the target's dsTrg; then per source node and column it gathers, over the source's
 * out-edges, the message gradient, dsSrc and the node-score backward, owning every value it writes.
 * Out-edges are listed in edge order (ascending targets), the CPU's order of accumulation.
 *
 * Shape legend: N nodes, NH heads, FOUT features per head, HF = NH·FOUT, E' edges incl. self-loops;
 * p (N, HF), node scores (N, NH), edge arrays (E', NH) head-minor, att (2, NH, FOUT) = [a_src; a_trg].
 */
import { f32Bits, grid1d, type KernelDef } from './gpuKernel';
import { WGSL_INDEX, WGSL_LEAKY_RELU_SLOPE, WGSL_RANDOM, wgslMain1d, wgslParams } from './wgslCommon';

/** Offsets (u32 elements) of the index arrays in the packed graph buffer. */
export interface GraphOffsets {
  readonly rowPtr: number; // (N + 1) edges into node i: rowPtr[i] .. rowPtr[i+1]-1
  readonly source: number; // (E')
  readonly target: number; // (E')
  readonly outPtr: number; // (N + 1) out-edges of node j: outEdge[outPtr[j] .. outPtr[j+1]-1]
  readonly outEdge: number; // (E') edge ids grouped by source, ascending
}

export interface ScoreParams {
  readonly n: number;
  readonly heads: number;
  readonly fout: number;
}

/** sSrc[i, h] = ⟨p[i, h, :], a_src[h, :]⟩ and sTrg likewise: one invocation per (i, h). */
export const NODE_SCORES_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('n: u32, heads: u32, fout: u32')}
@group(0) @binding(1) var<storage, read> p: array<f32>;           // (N, NH·FOUT)
@group(0) @binding(2) var<storage, read> att: array<f32>;         // (2, NH, FOUT)
@group(0) @binding(3) var<storage, read_write> sSrc: array<f32>;  // (N, NH)
@group(0) @binding(4) var<storage, read_write> sTrg: array<f32>;  // (N, NH)

${wgslMain1d('t', 'P.n * P.heads', /* wgsl */ `
  // t = i·NH + h
  let hf = P.heads * P.fout;
  let o = t * P.fout;  // i·HF + h·FOUT
  let a = (t % P.heads) * P.fout;
  var s = 0.0;
  var u = 0.0;
  for (var d = 0u; d < P.fout; d++) {
    let v = p[o + d];
    s += v * att[a + d];
    u += v * att[hf + a + d];
  }
  sSrc[t] = s;
  sTrg[t] = u;
`)}`;

export const nodeScores: KernelDef<'p' | 'att' | 'sSrc' | 'sTrg', ScoreParams> = {
  label: 'nodeScores',
  code: NODE_SCORES_WGSL,
  buffers: [['p', 'read'], ['att', 'read'], ['sSrc', 'write'], ['sTrg', 'write']],
  params: (p) => [p.n, p.heads, p.fout],
  grid: (p) => grid1d(p.n * p.heads),
};

export interface SoftmaxParams {
  readonly n: number;
  readonly heads: number;
  readonly graph: GraphOffsets;
  readonly key: number;
  readonly threshold: number;
  readonly scale: number;
}

/**
 * Per target i and head h (one invocation each): e = LeakyReLU(sSrc[j] + sTrg[i]) over edges
 * j → i, alpha = softmax over the neighbourhood (max-subtracted), alphaD = alpha · mask(e·NH + h).
 */
export const EDGE_SOFTMAX_WGSL = /* wgsl */ `
${WGSL_INDEX}
${WGSL_RANDOM}
${WGSL_LEAKY_RELU_SLOPE}
${wgslParams('n: u32, heads: u32, rowPtr: u32, source: u32, key: u32, threshold: u32, scale: u32')}
@group(0) @binding(1) var<storage, read> graph: array<u32>;
@group(0) @binding(2) var<storage, read> sSrc: array<f32>;          // (N, NH)
@group(0) @binding(3) var<storage, read> sTrg: array<f32>;          // (N, NH)
@group(0) @binding(4) var<storage, read_write> alpha: array<f32>;   // (E', NH)
@group(0) @binding(5) var<storage, read_write> alphaD: array<f32>;  // (E', NH)

${wgslMain1d('t', 'P.n * P.heads', /* wgsl */ `
  // t = i·NH + h
  let nh = P.heads;
  let i = t / nh;
  let h = t % nh;
  let e0 = graph[P.rowPtr + i];
  let e1 = graph[P.rowPtr + i + 1u];
  let st = sTrg[t];
  // LeakyReLU scores and their maximum
  var mx = -3.4e38;
  for (var e = e0; e < e1; e++) {
    let z = sSrc[graph[P.source + e] * nh + h] + st;
    let y = max(z, LEAKY_RELU_SLOPE * z);
    alpha[e * nh + h] = y;
    mx = max(mx, y);
  }
  // exp(y − max) and their sum
  var sum = 0.0;
  for (var e = e0; e < e1; e++) {
    let x = exp(alpha[e * nh + h] - mx);
    alpha[e * nh + h] = x;
    sum += x;
  }
  // normalise; attention dropout
  let inv = 1.0 / sum;
  let scale = bitcast<f32>(P.scale);
  for (var e = e0; e < e1; e++) {
    let k = e * nh + h;
    let a = alpha[k] * inv;
    alpha[k] = a;
    alphaD[k] = a * dropMask(P.key, k, P.threshold, scale);
  }
`)}`;

export const edgeSoftmax: KernelDef<'graph' | 'sSrc' | 'sTrg' | 'alpha' | 'alphaD', SoftmaxParams> = {
  label: 'edgeSoftmax',
  code: EDGE_SOFTMAX_WGSL,
  buffers: [['graph', 'read'], ['sSrc', 'read'], ['sTrg', 'read'], ['alpha', 'write'], ['alphaD', 'write']],
  params: (p) => [p.n, p.heads, p.graph.rowPtr, p.graph.source, p.key >>> 0, p.threshold, f32Bits(p.scale)],
  grid: (p) => grid1d(p.n * p.heads),
};

export interface AggregateParams extends ScoreParams {
  readonly graph: GraphOffsets;
}

/** out[i, h, d] = Σ_{j → i} alphaD[e, h] · p[j, h, d]: one invocation per (i, h·FOUT + d). */
export const AGGREGATE_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('n: u32, heads: u32, fout: u32, rowPtr: u32, source: u32')}
@group(0) @binding(1) var<storage, read> graph: array<u32>;
@group(0) @binding(2) var<storage, read> alphaD: array<f32>;      // (E', NH)
@group(0) @binding(3) var<storage, read> p: array<f32>;           // (N, NH·FOUT)
@group(0) @binding(4) var<storage, read_write> out: array<f32>;   // (N, NH·FOUT)

${wgslMain1d('t', 'P.n * P.heads * P.fout', /* wgsl */ `
  let hf = P.heads * P.fout;
  let i = t / hf;
  let c = t % hf;
  let h = c / P.fout;
  var acc = 0.0;
  for (var e = graph[P.rowPtr + i]; e < graph[P.rowPtr + i + 1u]; e++) {
    acc += alphaD[e * P.heads + h] * p[graph[P.source + e] * hf + c];
  }
  out[t] = acc;
`)}`;

export const aggregate: KernelDef<'graph' | 'alphaD' | 'p' | 'out', AggregateParams> = {
  label: 'aggregate',
  code: AGGREGATE_WGSL,
  buffers: [['graph', 'read'], ['alphaD', 'read'], ['p', 'read'], ['out', 'write']],
  params: (p) => [p.n, p.heads, p.fout, p.graph.rowPtr, p.graph.source],
  grid: (p) => grid1d(p.n * p.heads * p.fout),
};

export interface ScoreGradParams extends ScoreParams {
  readonly graph: GraphOffsets;
  readonly key: number;
  readonly threshold: number;
  readonly scale: number;
}

/**
 * Attention backward, per target neighbourhood (i, h): dA[e] = ⟨dAgg[i, h, :], p[j, h, :]⟩ · mask
 * (the forward's mask, recomputed), then the softmax and LeakyReLU backward
 * dZ[e] = alpha[e] · (dA[e] − Σ alpha·dA) · (z > 0 ? 1 : LEAKY_RELU_SLOPE), and dsTrg[i, h] = Σ_e dZ[e].
 */
export const SCORE_GRAD_WGSL = /* wgsl */ `
${WGSL_INDEX}
${WGSL_RANDOM}
${WGSL_LEAKY_RELU_SLOPE}
${wgslParams('n: u32, heads: u32, fout: u32, rowPtr: u32, source: u32, key: u32, threshold: u32, scale: u32')}
@group(0) @binding(1) var<storage, read> graph: array<u32>;
@group(0) @binding(2) var<storage, read> p: array<f32>;            // (N, NH·FOUT)
@group(0) @binding(3) var<storage, read> dAgg: array<f32>;         // (N, NH·FOUT)
@group(0) @binding(4) var<storage, read> alpha: array<f32>;        // (E', NH)
@group(0) @binding(5) var<storage, read> sSrc: array<f32>;         // (N, NH)
@group(0) @binding(6) var<storage, read> sTrg: array<f32>;         // (N, NH)
@group(0) @binding(7) var<storage, read_write> dZ: array<f32>;     // (E', NH)
@group(0) @binding(8) var<storage, read_write> dsTrg: array<f32>;  // (N, NH)

${wgslMain1d('t', 'P.n * P.heads', /* wgsl */ `
  // t = i·NH + h
  let nh = P.heads;
  let hf = nh * P.fout;
  let i = t / nh;
  let h = t % nh;
  let e0 = graph[P.rowPtr + i];
  let e1 = graph[P.rowPtr + i + 1u];
  let go = i * hf + h * P.fout;
  let scale = bitcast<f32>(P.scale);
  // dA through the dropout mask, and Σ alpha·dA
  var dot = 0.0;
  for (var e = e0; e < e1; e++) {
    let k = e * nh + h;
    let s = graph[P.source + e] * hf + h * P.fout;
    var dAD = 0.0;
    for (var d = 0u; d < P.fout; d++) {
      dAD += dAgg[go + d] * p[s + d];
    }
    let dA = dAD * dropMask(P.key, k, P.threshold, scale);
    dZ[k] = dA;
    dot += alpha[k] * dA;
  }
  // softmax and LeakyReLU backward
  let st = sTrg[t];
  var dT = 0.0;
  for (var e = e0; e < e1; e++) {
    let k = e * nh + h;
    let z = sSrc[graph[P.source + e] * nh + h] + st;
    let g = alpha[k] * (dZ[k] - dot) * select(LEAKY_RELU_SLOPE, 1.0, z > 0.0);
    dZ[k] = g;
    dT += g;
  }
  dsTrg[t] = dT;
`)}`;

export const scoreGrad: KernelDef<'graph' | 'p' | 'dAgg' | 'alpha' | 'sSrc' | 'sTrg' | 'dZ' | 'dsTrg', ScoreGradParams> = {
  label: 'scoreGrad',
  code: SCORE_GRAD_WGSL,
  buffers: [['graph', 'read'], ['p', 'read'], ['dAgg', 'read'], ['alpha', 'read'], ['sSrc', 'read'], ['sTrg', 'read'], ['dZ', 'write'], ['dsTrg', 'write']],
  params: (p) => [p.n, p.heads, p.fout, p.graph.rowPtr, p.graph.source, p.key >>> 0, p.threshold, f32Bits(p.scale)],
  grid: (p) => grid1d(p.n * p.heads),
};

/**
 * Per source node j and column (h, d), over j's out-edges e = j → i:
 *   dP[j, h, d] = Σ_e alphaD[e, h] · dAgg[i, h, d]          (message path)
 *               + dsSrc[j, h] · a_src[h, d] + dsTrg[j, h] · a_trg[h, d]   (node-score backward)
 * with dsSrc[j, h] = Σ_e dZ[e, h], written by the d = 0 invocation.
 */
export const MESSAGE_GRAD_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('n: u32, heads: u32, fout: u32, outPtr: u32, outEdge: u32, tgt: u32')}
@group(0) @binding(1) var<storage, read> graph: array<u32>;
@group(0) @binding(2) var<storage, read> alphaD: array<f32>;       // (E', NH)
@group(0) @binding(3) var<storage, read> dAgg: array<f32>;         // (N, NH·FOUT)
@group(0) @binding(4) var<storage, read> dZ: array<f32>;           // (E', NH)
@group(0) @binding(5) var<storage, read> att: array<f32>;          // (2, NH, FOUT)
@group(0) @binding(6) var<storage, read> dsTrg: array<f32>;        // (N, NH)
@group(0) @binding(7) var<storage, read_write> dP: array<f32>;     // (N, NH·FOUT)
@group(0) @binding(8) var<storage, read_write> dsSrc: array<f32>;  // (N, NH)

${wgslMain1d('t', 'P.n * P.heads * P.fout', /* wgsl */ `
  let nh = P.heads;
  let hf = nh * P.fout;
  let j = t / hf;
  let c = t % hf;
  let h = c / P.fout;
  var acc = 0.0;
  var ds = 0.0;
  for (var q = graph[P.outPtr + j]; q < graph[P.outPtr + j + 1u]; q++) {
    let e = graph[P.outEdge + q];
    let k = e * nh + h;
    acc += alphaD[k] * dAgg[graph[P.tgt + e] * hf + c];
    ds += dZ[k];
  }
  let jh = j * nh + h;
  dP[t] = acc + (ds * att[c] + dsTrg[jh] * att[hf + c]);
  if (c % P.fout == 0u) { dsSrc[jh] = ds; }
`)}`;

export interface MessageGradParams extends ScoreParams {
  readonly graph: GraphOffsets;
}

export const messageGrad: KernelDef<'graph' | 'alphaD' | 'dAgg' | 'dZ' | 'att' | 'dsTrg' | 'dP' | 'dsSrc', MessageGradParams> = {
  label: 'messageGrad',
  code: MESSAGE_GRAD_WGSL,
  buffers: [['graph', 'read'], ['alphaD', 'read'], ['dAgg', 'read'], ['dZ', 'read'], ['att', 'read'], ['dsTrg', 'read'], ['dP', 'write'], ['dsSrc', 'write']],
  params: (p) => [p.n, p.heads, p.fout, p.graph.outPtr, p.graph.outEdge, p.graph.target],
  grid: (p) => grid1d(p.n * p.heads * p.fout),
};
