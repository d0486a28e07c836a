/**
 * The engines' analytic gradients against finite differences, with one tolerance policy.
 *
 * Central differences with ε = 1e-3, (L(θ + ε·d) − L(θ − ε·d)) / 2ε, along single coordinates and
 * along unit directions d, against the analytic ⟨∇L, d⟩, must agree to
 *
 *   |numeric − analytic| ≤ ATOL + RTOL · |analytic|,   ATOL = 2e-4, RTOL = 5e-3,
 *
 * for every float32 engine (fused TypeScript and WebAssembly kernels, TensorFlow.js autodiff). Why
 * these numbers: ATOL is about the float32 noise of a loss difference over 2ε (2 · 2⁻²⁴ · |L| / 2ε
 * ≈ 1.2e-4 for |L| ≈ 2); RTOL leaves room for the truncation error (ε²/6 · L''') and for a ±ε step
 * that crosses a LeakyReLU or ELU kink. Over the 106 checks of gatEngines, gatEnginesInductive and
 * uniformAttention the largest error is 1.7e-5, 5% of its tolerance. The tests used to allow
 * 1e-3 + 0.02·|analytic| (one 2e-3 + 0.02·|analytic|): this is 5× stricter on both terms. The float64
 * reference (explainNode) has no gradients.
 *
 * Both sides of a difference run the same training step, so the dropout masks are the same.
 */
import assert from 'node:assert/strict';
import type { GatEngine } from '../../src/gat/model/engine';

export const GRADIENT_TOLERANCE = { atol: 2e-4, rtol: 5e-3 } as const;
const EPS = 1e-3;

/** What a check needs: the parameters (changed and restored in place), their gradient, the loss there. */
export interface GradientProbe {
  readonly params: Float32Array;
  readonly grad: Float32Array;
  readonly loss: () => number;
}

/** The analytic gradient of `engine`'s training step `step` at `params`, and that step's loss as a function of them. */
export function engineProbe(engine: GatEngine, params: Float32Array, step: number): GradientProbe {
  const grad = new Float32Array(params.length);
  engine.trainStep(step, grad);
  const scratch = new Float32Array(params.length);
  return { params, grad, loss: () => engine.trainStep(step, scratch).loss };
}

/** Indices of the `count` largest gradients by magnitude (ties in index order), among those `include` keeps. */
export function largestGradients(grad: Float32Array, count: number, include: (i: number) => boolean = () => true): number[] {
  return Array.from(grad.keys()).filter(include).sort((a, b) => Math.abs(grad[b]) - Math.abs(grad[a])).slice(0, count);
}

function assertAgree(numeric: number, analytic: number, what: string): void {
  const { atol, rtol } = GRADIENT_TOLERANCE;
  assert.ok(Math.abs(numeric - analytic) <= atol + rtol * Math.abs(analytic), `${what}: analytic ${analytic}, numeric ${numeric}`);
}

/** Central difference of the loss along dir / norm, parameters restored afterwards. */
function slopeAlong(p: GradientProbe, dir: Float32Array, norm: number): number {
  const base = Float32Array.from(p.params);
  for (let i = 0; i < base.length; i++) p.params[i] = base[i] + (EPS * dir[i]) / norm;
  const up = p.loss();
  for (let i = 0; i < base.length; i++) p.params[i] = base[i] - (EPS * dir[i]) / norm;
  const down = p.loss();
  p.params.set(base);
  return (up - down) / (2 * EPS);
}

/** Checks the gradient along each of `coordinates`, one parameter at a time. */
export function assertCoordinateGradients(p: GradientProbe, coordinates: readonly number[]): void {
  assert.ok(coordinates.some((i) => p.grad[i] !== 0), 'the gradients checked are not all zero');
  for (const i of coordinates) {
    const keep = p.params[i];
    p.params[i] = keep + EPS;
    const up = p.loss();
    p.params[i] = keep - EPS;
    const down = p.loss();
    p.params[i] = keep;
    assertAgree((up - down) / (2 * EPS), p.grad[i], `param ${i}`);
  }
}

/** Checks the gradient along `count` fixed pseudo-random unit directions over every parameter. */
export function assertDirectionalGradients(p: GradientProbe, count: number): void {
  for (let k = 0; k < count; k++) {
    const dir = Float32Array.from(p.params, (_, i) => Math.sin(13.7 * i + k));
    const norm = Math.sqrt(dir.reduce((s, v) => s + v * v, 0));
    let analytic = 0;
    for (let i = 0; i < dir.length; i++) analytic += (p.grad[i] * dir[i]) / norm;
    assertAgree(slopeAlong(p, dir, norm), analytic, `direction ${k}`);
  }
}
