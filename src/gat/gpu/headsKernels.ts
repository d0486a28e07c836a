/**
 * Step 4 of the layer stated in kernels/gatLayer.ts on the GPU, and its gradient
 * (kernels/elementwise.ts): concatenate the heads and apply ELU (hidden layers) or average them (the
 * output layer), plus the bias. The bias gradient is a column sum (reduceKernels.ts) of dAgg
 * (concat) or dOut (mean).
 *
 * Shape legend: N nodes, NH heads, FOUT, HF = NH·FOUT; agg (N, HF), out (N, HF) or (N, FOUT).
 */
import { grid1d, type KernelDef } from './gpuKernel';
import { WGSL_EXPM1, WGSL_INDEX, WGSL_MAIN_1D, wgslMain1d, wgslParams } from './wgslCommon';

export interface HeadsParams {
  readonly n: number;
  readonly heads: number;
  readonly fout: number;
  readonly concat: boolean;
}

const HEADS_PARAMS = wgslParams('n: u32, heads: u32, fout: u32, concat: u32');

const headsWords = (p: HeadsParams): number[] => [p.n, p.heads, p.fout, p.concat ? 1 : 0];

/**
 * concat: out[i, c] = ELU(agg[i, c] + bias[c]) over c < HF;
 * mean:   out[i, d] = (Σ_h agg[i, h, d]) / NH + bias[d].
 */
export const HEADS_FORWARD_WGSL = /* wgsl */ `
${WGSL_INDEX}
${WGSL_EXPM1}
${HEADS_PARAMS}
@group(0) @binding(1) var<storage, read> agg: array<f32>;        // (N, NH·FOUT)
@group(0) @binding(2) var<storage, read> bias: array<f32>;       // (NH·FOUT) or (FOUT)
@group(0) @binding(3) var<storage, read_write> out: array<f32>;  // (N, NH·FOUT) or (N, FOUT)

${WGSL_MAIN_1D} {
  let t = flatIndex(wid, nwg, lid);
  let hf = P.heads * P.fout;
  if (P.concat != 0u) {
    if (t >= P.n * hf) { return; }
    let v = agg[t] + bias[t % hf];
    out[t] = select(expm1(v), v, v > 0.0);
    return;
  }
  if (t >= P.n * P.fout) { return; }
  let i = t / P.fout;
  let d = t % P.fout;
  var sum = 0.0;
  for (var h = 0u; h < P.heads; h++) {
    sum += agg[i * hf + h * P.fout + d];
  }
  out[t] = sum * (1.0 / f32(P.heads)) + bias[d];
}
`;

export const headsForward: KernelDef<'agg' | 'bias' | 'out', HeadsParams> = {
  label: 'headsForward',
  code: HEADS_FORWARD_WGSL,
  buffers: [['agg', 'read'], ['bias', 'read'], ['out', 'write']],
  params: headsWords,
  grid: (p) => grid1d(p.n * (p.concat ? p.heads * p.fout : p.fout)),
};

/** dAgg = dOut · ELU'(·) with ELU' = min(out + 1, 1) (concat), or dOut / NH to every head (mean). */
export const HEADS_BACKWARD_WGSL = /* wgsl */ `
${WGSL_INDEX}
${HEADS_PARAMS}
@group(0) @binding(1) var<storage, read> out: array<f32>;          // (N, NH·FOUT) or (N, FOUT)
@group(0) @binding(2) var<storage, read> dOut: array<f32>;         // same shape as out
@group(0) @binding(3) var<storage, read_write> dAgg: array<f32>;   // (N, NH·FOUT)

${wgslMain1d('t', 'P.n * P.heads * P.fout', /* wgsl */ `
  let hf = P.heads * P.fout;
  if (P.concat != 0u) {
    dAgg[t] = dOut[t] * min(out[t] + 1.0, 1.0);
    return;
  }
  let i = t / hf;
  let d = t % P.fout;
  dAgg[t] = dOut[i * P.fout + d] * (1.0 / f32(P.heads));
`)}`;

export const headsBackward: KernelDef<'out' | 'dOut' | 'dAgg', HeadsParams> = {
  label: 'headsBackward',
  code: HEADS_BACKWARD_WGSL,
  buffers: [['out', 'read'], ['dOut', 'read'], ['dAgg', 'write']],
  params: headsWords,
  grid: (p) => grid1d(p.n * p.heads * p.fout),
};
