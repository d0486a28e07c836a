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
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(
    size: number,
    private readonly opts: AdamOptions,
    private readonly kernels: AdamKernels = plainKernels,
  ) {
    this.m = kernels.allocF32(size);
    this.v = kernels.allocF32(size);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
  }

  /** One update of `params` in place from `grad` (which is left unchanged). */
  update(params: Float32Array, grad: Float32Array): void {
    this.step++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    this.kernels.adamUpdate(params, grad, this.m, this.v, {
      weightDecay: this.opts.weightDecay,
      beta1: b1,
      beta2: b2,
      eps: this.eps,
      stepSize: this.opts.lr / (1 - b1 ** this.step),
      invSqrtBc2: 1 / Math.sqrt(1 - b2 ** this.step),
    });
  }
}
