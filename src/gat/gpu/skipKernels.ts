/**
 * Skip connections on the GPU (step 3 of the layer stated in kernels/gatLayer.ts; kernels/skip.ts,
 * GAT.py's add_skip_connection): added to the aggregated messages before the heads are concatenated
 * or averaged, and their input gradients.
 * The projected skip's product itself runs on the projection kernels (sparse or GEMM).
 *
 * Shape legend: N nodes, NH heads, FOUT, HF = NH·FOUT; agg, skip (N, HF); x (N, FIN) with FIN == FOUT
 * for the identity skip.
 */
import { grid1d, type KernelDef } from './gpuKernel';
import { WGSL_INDEX, wgslMain1d, wgslParams } from './wgslCommon';

export interface SkipParams {
  readonly n: number;
  readonly heads: number;
  readonly fout: number;
}

const SKIP_PARAMS = wgslParams('n: u32, heads: u32, fout: u32');

const skipWords = (p: SkipParams): number[] => [p.n, p.heads, p.fout];

/** Projected skip: agg[i, c] += skip[i, c]. */
export const ADD_SKIP_WGSL = /* wgsl */ `
${WGSL_INDEX}
${SKIP_PARAMS}
@group(0) @binding(1) var<storage, read> skip: array<f32>;       // (N, HF)
@group(0) @binding(2) var<storage, read_write> agg: array<f32>;  // (N, HF)

${wgslMain1d('t', 'P.n * P.heads * P.fout', /* wgsl */ `
  agg[t] += skip[t];
`)}`;

export const addSkip: KernelDef<'skip' | 'agg', SkipParams> = {
  label: 'addSkip',
  code: ADD_SKIP_WGSL,
  buffers: [['skip', 'read'], ['agg', 'write']],
  params: skipWords,
  grid: (p) => grid1d(p.n * p.heads * p.fout),
};

/** Identity skip: agg[i, h, d] += x[i, d] for every head h. */
export const ADD_IDENTITY_SKIP_WGSL = /* wgsl */ `
${WGSL_INDEX}
${SKIP_PARAMS}
@group(0) @binding(1) var<storage, read> x: array<f32>;          // (N, FOUT)
@group(0) @binding(2) var<storage, read_write> agg: array<f32>;  // (N, HF)

${wgslMain1d('t', 'P.n * P.heads * P.fout', /* wgsl */ `
  let hf = P.heads * P.fout;
  agg[t] += x[(t / hf) * P.fout + t % P.fout];
`)}`;

export const addIdentitySkip: KernelDef<'x' | 'agg', SkipParams> = {
  label: 'addIdentitySkip',
  code: ADD_IDENTITY_SKIP_WGSL,
  buffers: [['x', 'read'], ['agg', 'write']],
  params: skipWords,
  grid: (p) => grid1d(p.n * p.heads * p.fout),
};

/** Identity skip on the sparse first layer: agg[i, h, col(p)] += xd[p] over row i's non-zeros; one invocation per (i, h). */
export const ADD_SPARSE_IDENTITY_SKIP_WGSL = /* wgsl */ `
${WGSL_INDEX}
${SKIP_PARAMS}
@group(0) @binding(1) var<storage, read> indptr: array<u32>;     // (N + 1)
@group(0) @binding(2) var<storage, read> indices: array<u32>;    // (nnz)
@group(0) @binding(3) var<storage, read> xd: array<f32>;         // (nnz)
@group(0) @binding(4) var<storage, read_write> agg: array<f32>;  // (N, HF)

${wgslMain1d('t', 'P.n * P.heads', /* wgsl */ `
  // t = i·NH + h
  let i = t / P.heads;
  let o = t * P.fout;
  for (var p = indptr[i]; p < indptr[i + 1u]; p++) {
    agg[o + indices[p]] += xd[p];
  }
`)}`;

export const addSparseIdentitySkip: KernelDef<'indptr' | 'indices' | 'xd' | 'agg', SkipParams> = {
  label: 'addSparseIdentitySkip',
  code: ADD_SPARSE_IDENTITY_SKIP_WGSL,
  buffers: [['indptr', 'read'], ['indices', 'read'], ['xd', 'read'], ['agg', 'write']],
  params: skipWords,
  grid: (p) => grid1d(p.n * p.heads),
};

/** Identity skip backward: dx[i, d] += Σ_h dAgg[i, h, d]. */
export const IDENTITY_SKIP_BACKWARD_WGSL = /* wgsl */ `
${WGSL_INDEX}
${SKIP_PARAMS}
@group(0) @binding(1) var<storage, read> dAgg: array<f32>;      // (N, HF)
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;  // (N, FOUT)

${wgslMain1d('t', 'P.n * P.fout', /* wgsl */ `
  let i = t / P.fout;
  let d = t % P.fout;
  let hf = P.heads * P.fout;
  var acc = dx[t];
  for (var h = 0u; h < P.heads; h++) {
    acc += dAgg[i * hf + h * P.fout + d];
  }
  dx[t] = acc;
`)}`;

export const identitySkipBackward: KernelDef<'dAgg' | 'dx', SkipParams> = {
  label: 'identitySkipBackward',
  code: IDENTITY_SKIP_BACKWARD_WGSL,
  buffers: [['dAgg', 'read'], ['dx', 'write']],
  params: skipWords,
  grid: (p) => grid1d(p.n * p.fout),
};
