/**
 * Adam as PyTorch implements it (torch.optim.Adam, not AdamW): weight decay is added to the
 * gradient before the moments, and bias correction divides the step and sqrt(v).
 */
import { adamUpdate, type AdamStep } from '../kernels/adamUpdate';

export interface AdamOptions {
  readonly lr: number;
  readonly weightDecay: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
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
