/**
 * Counter-based randomness: every random number is a hash of (key, index), so a dropout mask
 * element can be computed anywhere (in any kernel, on any thread, for any subset of nodes) and
 * always has the same value. The whole RNG state of a run is (seed, step).
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixed integer hash. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const GOLDEN = 0x9e3779b1;

/** A key for one stream of numbers (e.g. "layer 1 attention dropout at step 17"). */
export function streamKey(seed: number, step: number, stream: number): number {
  return mix32(mix32(mix32(seed ^ 0x5bd1e995) ^ Math.imul(step + 1, GOLDEN)) ^ Math.imul(stream + 1, 0x27d4eb2f));
}

/** The random 32-bit word at `index` of stream `key`. */
export function randomWord(key: number, index: number): number {
  return mix32(key ^ Math.imul(index, GOLDEN));
}

/** Uniform in [0, 1) at `index` of stream `key`. */
export function uniformAt(key: number, index: number): number {
  return randomWord(key, index) / 4294967296;
}

/**
 * Dropout as integers: an element is dropped when the top 16 bits of its word are below
 * `threshold`, and kept ones are scaled by `scale`, so E[mask] = 1 as in inverted dropout.
 */
export interface DropoutSpec {
  readonly threshold: number; // round(p · 65536)
  readonly scale: number; // 65536 / (65536 − threshold)
}

export function dropoutSpec(p: number): DropoutSpec {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout must be in [0, 1); got ${p}`);
  const threshold = Math.round(p * 65536);
  return { threshold, scale: 65536 / (65536 - threshold) };
}

/** The mask value (0 or scale) of element `index`; branch-free. */
export function maskAt(key: number, index: number, spec: DropoutSpec): number {
  const drop = ((randomWord(key, index) >>> 16) - spec.threshold) >>> 31; // 1 when below threshold
  return spec.scale * (1 - drop);
}

/** Fills `out` with the mask values of elements 0..out.length-1 (used by the generic ops path). */
export function fillMask(key: number, spec: DropoutSpec, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = maskAt(key, i, spec);
  return out;
}

/** Stream ids, one per use of randomness. */
export const STREAM = {
  init: 0,
  inputDropout: 1, // + 16 · layer
  attentionDropout: 2, // + 16 · layer
  shuffle: 3, // the order of training graphs in an epoch (inductive datasets)
} as const;

export function layerStream(base: number, layer: number): number {
  return base + 16 * layer;
}
