/**
 * Adam on the GPU, PyTorch's semantics as model/adam.ts (torch.optim.Adam, not AdamW): weight decay
 * is added to the gradient before the moments; bias correction divides the step and sqrt(v). One
 * invocation per element of the parameter, gradient and moment buffers (which share one layout).
 * The CPU loop runs in double precision; this one in f32, which agrees to ~1e-7 relative per step.
 */
import type { AdamStep } from '../kernels/adamUpdate';
import { f32Bits, grid1d, type KernelDef } from './gpuKernel';
import { WGSL_INDEX, wgslMain1d, wgslParams } from './wgslCommon';

export interface AdamParams extends AdamStep {
  readonly count: number;
}

export const ADAM_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('count: u32, weightDecay: f32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, eps: f32, stepSize: f32, invSqrtBc2: f32')}
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

${wgslMain1d('i', 'P.count', /* wgsl */ `
  let p = param[i];
  let g = grad[i] + P.weightDecay * p;
  let mi = P.beta1 * m[i] + P.oneMinusBeta1 * g;
  let vi = P.beta2 * v[i] + P.oneMinusBeta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] = p - (P.stepSize * mi) / (sqrt(vi) * P.invSqrtBc2 + P.eps);
`)}`;

export const adam: KernelDef<'grad' | 'param' | 'm' | 'v', AdamParams> = {
  label: 'adam',
  code: ADAM_WGSL,
  buffers: [['grad', 'read'], ['param', 'write'], ['m', 'write'], ['v', 'write']],
  params: (p) => [p.count, ...[p.weightDecay, p.beta1, 1 - p.beta1, p.beta2, 1 - p.beta2, p.eps, p.stepSize, p.invSqrtBc2].map(f32Bits)],
  grid: (p) => grid1d(p.count),
};
