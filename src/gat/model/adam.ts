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
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
  }

  /** One update of `params` in place from `grad` (which is left unchanged). */
  update(params: Float32Array, grad: Float32Array): void {
    this.step++;
    const { lr, weightDecay } = this.opts;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = lr / (1 - b1 ** this.step);
    const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** this.step);
    const m = this.m;
    const v = this.v;
    const eps = this.eps;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i] + weightDecay * params[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }
}
