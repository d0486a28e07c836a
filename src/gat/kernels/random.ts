/**
 * Counter-based randomness: every random number is a hash of (key, index), so a dropout mask
 * element can be computed anywhere (in any kernel, on any thread, for any subset of nodes) and
 * always has the same value. The whole RNG state of a run is (seed, step). The hash and the
 * dropout rule are stated, with their constants, in kernels/gatLayer.ts.
 */
import {
  DROPOUT_LEVELS, DROPOUT_SHIFT, HASH_GOLDEN, HASH_MUL_1, HASH_MUL_2, HASH_SHIFT_1, HASH_SHIFT_2, HASH_SHIFT_3, KEY_SEED_SALT, KEY_STREAM_MUL,
} from '../kernels/gatLayer';

/** murmur3's 32-bit finaliser: a cheap, well-mixed integer hash. */
export function mix32(x: number): number {
  x ^= x >>> HASH_SHIFT_1;
  x = Math.imul(x, HASH_MUL_1);
  x ^= x >>> HASH_SHIFT_2;
  x = Math.imul(x, HASH_MUL_2);
  x ^= x >>> HASH_SHIFT_3;
  return x >>> 0;
}

/** A key for one stream of numbers (e.g. "layer 1 attention dropout at step 17"). */
export function streamKey(seed: number, step: number, stream: number): number {
  return mix32(mix32(mix32(seed ^ KEY_SEED_SALT) ^ Math.imul(step + 1, HASH_GOLDEN)) ^ Math.imul(stream + 1, KEY_STREAM_MUL));
}

/** The random 32-bit word at `index` of stream `key`. */
export function randomWord(key: number, index: number): number {
  return mix32(key ^ Math.imul(index, HASH_GOLDEN));
}

/** Uniform in [0, 1) at `index` of stream `key`. */
export function uniformAt(key: number, index: number): number {
  return randomWord(key, index) / 4294967296;
}

/**
 * Dropout as integers: an element is dropped when the top bits of its word are below
 * `threshold`, and kept ones are scaled by `scale`, so E[mask] = 1 as in inverted dropout.
 */
export interface DropoutSpec {
  readonly threshold: number; // round(p · DROPOUT_LEVELS)
  readonly scale: number; // DROPOUT_LEVELS / (DROPOUT_LEVELS − threshold)
}

export function dropoutSpec(p: number): DropoutSpec {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout must be in [0, 1); got ${p}`);
  const threshold = Math.round(p * DROPOUT_LEVELS);
  return { threshold, scale: DROPOUT_LEVELS / (DROPOUT_LEVELS - threshold) };
}

/** 1 when element `index` of stream `key` is dropped (its word's top bits below `threshold`), else 0; branch-free. */
export function dropped(key: number, index: number, threshold: number): number {
  return ((randomWord(key, index) >>> DROPOUT_SHIFT) - threshold) >>> 31;
}

/** The mask value (0 or scale) of element `index`; branch-free. */
export function maskAt(key: number, index: number, spec: DropoutSpec): number {
  return spec.scale * (1 - dropped(key, index, spec.threshold));
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
