/**
 * Adam as PyTorch implements it (torch.optim.Adam, not AdamW): weight decay is added to the
 * gradient before the moments, and bias correction divides the step and sqrt(v).
 */
export interface AdamOptions {
  readonly lr: number;
  readonly weightDecay: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

/** One Adam update's scalars (the same for every element). */
export interface AdamStep {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly stepSize: number; // lr / (1 − β1^t)
  readonly invSqrtBc2: number; // 1 / sqrt(1 − β2^t)
}

/** PyTorch's defaults for the options left out. */
export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** The scalars of Adam's update number `t` (1-based), for every implementation of the element loop. */
export function adamStepScalars(opts: AdamOptions, t: number): AdamStep {
  const beta1 = opts.beta1 ?? ADAM_DEFAULTS.beta1;
  const beta2 = opts.beta2 ?? ADAM_DEFAULTS.beta2;
  return {
    weightDecay: opts.weightDecay,
    beta1,
    beta2,
    eps: opts.eps ?? ADAM_DEFAULTS.eps,
    stepSize: opts.lr / (1 - beta1 ** t),
    invSqrtBc2: 1 / Math.sqrt(1 - beta2 ** t),
  };
}

/** The element loop of an Adam update, in double precision (the wasm kernel repeats it bit for bit). */
export function adamUpdate(params: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void {
  const { weightDecay, beta1: b1, beta2: b2, eps, stepSize, invSqrtBc2 } = s;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i] + weightDecay * params[i];
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}

/** Where the moments live and which loop updates them (the fused engine's kernels, or plain arrays). */
export interface AdamKernels {
  allocF32(n: number): Float32Array;
  adamUpdate(params: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, s: AdamStep): void;
}

const plainKernels: AdamKernels = { allocF32: (n) => new Float32Array(n), adamUpdate };

export class Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  step = 0;

  constructor(
    size: number,
    private readonly opts: AdamOptions,
    private readonly kernels: AdamKernels = plainKernels,
  ) {
    this.m = kernels.allocF32(size);
    this.v = kernels.allocF32(size);
  }

  /** One update of `params` in place from `grad` (which is left unchanged). */
  update(params: Float32Array, grad: Float32Array): void {
    this.step++;
    this.kernels.adamUpdate(params, grad, this.m, this.v, adamStepScalars(this.opts, this.step));
  }
}
