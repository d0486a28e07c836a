/**
 * Step 1 of the layer stated in kernels/gatLayer.ts on the GPU: dropout on the input (sparse
 * non-zeros or a dense matrix) and the sparse projection of the bag-of-words layer with its weight
 * gradient (kernels/projection.ts).
 * Dense layers project with the GEMM (gemmKernels.ts).
 *
 * The weight gradient dWᵀ = xdᵀ · dP of the sparse layer runs over a CSC copy of the features made
 * once per batch on the CPU (gpuBatch.ts): one invocation per (feature f, output column c) walks
 * column f's non-zeros and owns dWᵀ[f, c], so no atomics and no scatter; the sum runs in ascending
 * row order, the order of the CPU kernel. Its work is nnz · NH·FOUT, the same as the forward's.
 *
 * Shape legend: N nodes, FIN input features, HF = NH·FOUT projected width, nnz non-zeros.
 */
import { f32Bits, grid1d, type KernelDef } from './gpuKernel';
import { WGSL_INDEX, WGSL_RANDOM, wgslMain1d, wgslParams } from './wgslCommon';

export interface DropoutParams {
  readonly count: number; // elements
  readonly key: number;
  readonly threshold: number;
  readonly scale: number;
}

const DROPOUT_PARAMS = wgslParams('count: u32, key: u32, threshold: u32, scale: u32');

const dropoutWords = (p: DropoutParams): number[] => [p.count, p.key >>> 0, p.threshold, f32Bits(p.scale)];

/** y[k] = x[k] · mask(key, k) over `count` elements: the sparse input's non-zeros or a dense (N, FIN). */
export const DROPOUT_WGSL = /* wgsl */ `
${WGSL_INDEX}
${WGSL_RANDOM}
${DROPOUT_PARAMS}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

${wgslMain1d('k', 'P.count', /* wgsl */ `
  y[k] = x[k] * dropMask(P.key, k, P.threshold, bitcast<f32>(P.scale));
`)}`;

export const dropout: KernelDef<'x' | 'y', DropoutParams> = {
  label: 'dropout',
  code: DROPOUT_WGSL,
  buffers: [['x', 'read'], ['y', 'write']],
  params: dropoutWords,
  grid: (p) => grid1d(p.count),
};

/** y[k] ·= mask(key, k): the backward of a dense dropout, applied to the input gradient in place. */
export const DROPOUT_IN_PLACE_WGSL = /* wgsl */ `
${WGSL_INDEX}
${WGSL_RANDOM}
${DROPOUT_PARAMS}
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

${wgslMain1d('k', 'P.count', /* wgsl */ `
  y[k] = y[k] * dropMask(P.key, k, P.threshold, bitcast<f32>(P.scale));
`)}`;

export const dropoutInPlace: KernelDef<'y', DropoutParams> = {
  label: 'dropoutInPlace',
  code: DROPOUT_IN_PLACE_WGSL,
  buffers: [['y', 'write']],
  params: dropoutWords,
  grid: (p) => grid1d(p.count),
};

export interface SparseProjectParams {
  readonly n: number;
  readonly hf: number;
}

/**
 * out[i, c] = Σ_p xd[p] · wT[col(p), c] over row i's non-zeros: one invocation per (i, c), so the
 * threads of a row read a contiguous row of Wᵀ per non-zero.      x (N, FIN) CSR, wT (FIN, HF), out (N, HF)
 */
export const SPARSE_PROJECT_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('n: u32, hf: u32')}
@group(0) @binding(1) var<storage, read> indptr: array<u32>;   // (N + 1)
@group(0) @binding(2) var<storage, read> indices: array<u32>;  // (nnz)
@group(0) @binding(3) var<storage, read> xd: array<f32>;       // (nnz) dropped-out values
@group(0) @binding(4) var<storage, read> wT: array<f32>;       // (FIN, HF)
@group(0) @binding(5) var<storage, read_write> out: array<f32>; // (N, HF)

${wgslMain1d('t', 'P.n * P.hf', /* wgsl */ `
  let i = t / P.hf;
  let c = t % P.hf;
  var acc = 0.0;
  for (var p = indptr[i]; p < indptr[i + 1u]; p++) {
    acc += xd[p] * wT[indices[p] * P.hf + c];
  }
  out[t] = acc;
`)}`;

export const sparseProject: KernelDef<'indptr' | 'indices' | 'xd' | 'wT' | 'out', SparseProjectParams> = {
  label: 'sparseProject',
  code: SPARSE_PROJECT_WGSL,
  buffers: [['indptr', 'read'], ['indices', 'read'], ['xd', 'read'], ['wT', 'read'], ['out', 'write']],
  params: (p) => [p.n, p.hf],
  grid: (p) => grid1d(p.n * p.hf),
};

export interface SparseGradWParams {
  readonly fin: number;
  readonly hf: number;
  /** Add into dwT instead of overwriting it. */
  readonly accumulate?: boolean;
}

/**
 * dwT[f, c] (+)= Σ_q xd[pos(q)] · dOut[row(q), c] over column f's non-zeros q (CSC, rows ascending;
 * pos(q) is the non-zero's CSR position, where its dropout mask and dropped value live).
 *                                                   dOut (N, HF) -> dwT (FIN, HF)
 */
export const SPARSE_GRAD_W_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('fin: u32, hf: u32, accumulate: u32')}
@group(0) @binding(1) var<storage, read> colPtr: array<u32>;  // (FIN + 1)
@group(0) @binding(2) var<storage, read> cscRow: array<u32>;  // (nnz)
@group(0) @binding(3) var<storage, read> cscPos: array<u32>;  // (nnz) CSR position of each CSC entry
@group(0) @binding(4) var<storage, read> xd: array<f32>;      // (nnz) in CSR order
@group(0) @binding(5) var<storage, read> dOut: array<f32>;    // (N, HF)
@group(0) @binding(6) var<storage, read_write> dwT: array<f32>; // (FIN, HF)

${wgslMain1d('t', 'P.fin * P.hf', /* wgsl */ `
  let f = t / P.hf;
  let c = t % P.hf;
  var acc = 0.0;
  for (var q = colPtr[f]; q < colPtr[f + 1u]; q++) {
    acc += xd[cscPos[q]] * dOut[cscRow[q] * P.hf + c];
  }
  if (P.accumulate != 0u) { acc += dwT[t]; }
  dwT[t] = acc;
`)}`;

export const sparseGradW: KernelDef<'colPtr' | 'cscRow' | 'cscPos' | 'xd' | 'dOut' | 'dwT', SparseGradWParams> = {
  label: 'sparseGradW',
  code: SPARSE_GRAD_W_WGSL,
  buffers: [['colPtr', 'read'], ['cscRow', 'read'], ['cscPos', 'read'], ['xd', 'read'], ['dOut', 'read'], ['dwT', 'write']],
  params: (p) => [p.fin, p.hf, p.accumulate ? 1 : 0],
  grid: (p) => grid1d(p.fin * p.hf),
};
