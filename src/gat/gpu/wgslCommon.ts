/**
 * WGSL shared by the kernels: the flat invocation index of one-dimensional grids, the layer's
 * constants and counter-based RNG as kernels/gatLayer.ts states them, in u32 arithmetic (so dropout
 * masks are bit-identical to the CPU engines'), and the float helpers WGSL lacks (expm1).
 */
import {
  DROPOUT_SHIFT, HASH_GOLDEN, HASH_MUL_1, HASH_MUL_2, HASH_SHIFT_1, HASH_SHIFT_2, HASH_SHIFT_3, LEAKY_RELU_SLOPE,
} from '../kernels/gatLayer';
import { f32Literal, u32Literal } from '../kernels/gatLayerSource';
import { WG } from './gpuKernel';

/** `const WG` and `flatIndex`: pairs with grid1d (x up to 65,535 workgroups, then y). */
export const WGSL_INDEX = /* wgsl */ `
const WG: u32 = ${WG}u;

fn flatIndex(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid;
}
`;

/** The entry point of the one-dimensional kernels, whose builtins flatIndex reads (needs WGSL_INDEX). */
export const WGSL_MAIN_1D = /* wgsl */ `@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32)`;

/**
 * A one-dimensional kernel's `main` (needs WGSL_INDEX): `index` is the flat invocation index, and
 * the invocations at or past `count` (a WGSL expression) return before `body` runs.
 */
export function wgslMain1d(index: string, count: string, body: string): string {
  return `${WGSL_MAIN_1D} {
  let ${index} = flatIndex(wid, nwg, lid);
  if (${index} >= ${count}) { return; }
${body.replace(/^\n/, '')}}
`;
}

/** Binding 0 of every kernel: its parameter uniform P (see gpuKernel.ts), a struct of `fields` such as 'n: u32, heads: u32'. */
export function wgslParams(fields: string): string {
  return `struct Params { ${fields} }
@group(0) @binding(0) var<uniform> P: Params;
`;
}

/** LeakyReLU's negative slope of the edge scores (gatLayer.ts). */
export const WGSL_LEAKY_RELU_SLOPE = /* wgsl */ `
const LEAKY_RELU_SLOPE: f32 = ${f32Literal(LEAKY_RELU_SLOPE)};
`;

/**
 * mix32 (murmur3's finaliser), randomWord and the dropout rule of gatLayer.ts: WGSL's u32 multiply
 * wraps like Math.imul. (((w >> DROPOUT_SHIFT) − threshold) >> 31) is 1 when the element is dropped,
 * as the TypeScript's branch-free form.
 */
export const WGSL_RANDOM = /* wgsl */ `
fn mix32(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> ${HASH_SHIFT_1}u;
  x *= ${u32Literal(HASH_MUL_1)};
  x ^= x >> ${HASH_SHIFT_2}u;
  x *= ${u32Literal(HASH_MUL_2)};
  x ^= x >> ${HASH_SHIFT_3}u;
  return x;
}

fn randomWord(key: u32, index: u32) -> u32 {
  return mix32(key ^ (index * ${u32Literal(HASH_GOLDEN)}));
}

// 0 or scale: inverted dropout's mask value of element index of stream key.
fn dropMask(key: u32, index: u32, threshold: u32, scale: f32) -> f32 {
  let drop = ((randomWord(key, index) >> ${DROPOUT_SHIFT}u) - threshold) >> 31u;
  return scale * f32(1u - drop);
}
`;

/**
 * expm1 for ELU's negative side: a Taylor polynomial where exp(x) − 1 would cancel (WGSL's exp is
 * only accurate to a few ULP of exp(x), i.e. absolutely, near 0), exp(x) − 1 elsewhere.
 */
export const WGSL_EXPM1 = /* wgsl */ `
fn expm1(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    // x + x²/2! + … + x⁸/8!: the next term is below 2⁻²⁴ relative for |x| < 0.5.
    return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0 + x * (1.0 / 5040.0 + x * (1.0 / 40320.0))))))));
  }
  return exp(x) - 1.0;
}
`;
