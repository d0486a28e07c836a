/**
 * The element loop of an Adam update (PyTorch's torch.optim.Adam: weight decay added to the gradient,
 * bias correction folded into the step's scalars). The kernels own it so that their WebAssembly twin
 * and the TypeScript loop stay side by side; model/adam.ts holds the optimizer around it.
 */

/** One Adam update's scalars (the same for every element). */
export interface AdamStep {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly stepSize: number; // lr / (1 − β1^t)
  readonly invSqrtBc2: number; // 1 / sqrt(1 − β2^t)
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
