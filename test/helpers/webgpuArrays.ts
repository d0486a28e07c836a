/** Random inputs and tolerant comparisons for the engine tests (GPU sums run in another order, in f32). */
import assert from 'node:assert/strict';
import { mix32 } from '../../src/gat/kernels/random';

/** `length` floats uniform in ±scale, reproducible from `seed`. */
export function randomArray(length: number, seed: number, scale = 1): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length }, (_, i) => scale * (((state = mix32(state + i + 0x9e3779b9)) / 4294967296) * 2 - 1));
}

/** |actual − expected| ≤ tol · (1 + |expected|) element by element, naming the first mismatch. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * (1 + Math.abs(expected[i])))) assert.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`);
  }
}

/**
 * Relative agreement of two vectors as a whole: ‖a − b‖∞ ≤ tol · max(‖b‖∞, floor). For gradients,
 * whose small entries are sums with cancellation and so carry the absolute error of the large ones.
 */
export function assertCloseToScale(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string, floor = 1e-6): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = floor;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * scale)) assert.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (tolerance ${tol} × ${scale})`);
  }
}
