/**
 * IEEE 754 half precision (binary16), which Node 20 has no typed array for: conversions between
 * float32 values and half bit patterns, rounding to nearest with ties to even as numpy and PyTorch
 * do, so a snapshot's F16 tensors read back in Python exactly as `.astype(np.float16)` would write.
 *
 * half: 1 sign bit | 5 exponent bits (bias 15) | 10 mantissa bits.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The half bit pattern nearest to `value` (after rounding `value` to float32). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0); // Inf, NaN (kept quiet)
  // ── the value's exponent, re-biased for half precision ──
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: ±Inf
  if (e <= 0) {
    // ── subnormal half (or zero): shift the full significand (implicit 1 included) into 10 bits ──
    if (e < -10) return sign; // below half the smallest subnormal: ±0
    const significand = mantissa | 0x800000;
    const shift = 14 - e; // 13 bits dropped for the mantissa width, 1 - e more for the exponent
    const half = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && (half & 1)) ? 1 : 0));
  }
  // ── normal half: keep 10 mantissa bits, round the dropped 13 to nearest, ties to even ──
  const bits = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa rolls into the exponent, which is the correctly rounded result (up to Inf).
  return sign | (bits + (rest > 0x1000 || (rest === 0x1000 && (bits & 1)) ? 1 : 0));
}

/** The float value of a half bit pattern. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // subnormal or zero
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]);
  return out;
}

/** Decoding goes through a 65,536-entry table: a snapshot holds millions of halves. */
let table: Float32Array | undefined;

export function fromFloat16(bits: Uint16Array): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) table[b] = float16Value(b);
  }
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  return out;
}

/** `values` as they read back after a trip through half precision. */
export function roundToFloat16(values: Float32Array): Float32Array {
  return fromFloat16(toFloat16(values));
}
