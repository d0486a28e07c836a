/**
 * WGSL shared by the kernels: the flat invocation index of one-dimensional grids, the counter-based
 * RNG of model/random.ts in u32 arithmetic (so dropout masks are bit-identical to the CPU engines'),
 * and the float helpers WGSL lacks (expm1).
 */
import { WG } from './gpuKernel';

/** `const WG` and `flatIndex`: pairs with grid1d (x up to 65,535 workgroups, then y). */
export const WGSL_INDEX = /* wgsl */ `
const WG: u32 = ${WG}u;

fn flatIndex(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid;
}
`;

/**
 * mix32 (murmur3's finaliser) and randomWord exactly as random.ts: WGSL's u32 multiply wraps like
 * Math.imul. An element is dropped when the top 16 bits of its word are below `threshold`
 * (((w >> 16) − threshold) >> 31 is 1 then, as the TypeScript's branch-free form).
 */
export const WGSL_RANDOM = /* wgsl */ `
fn mix32(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> 16u;
  x *= 0x85ebca6bu;
  x ^= x >> 13u;
  x *= 0xc2b2ae35u;
  x ^= x >> 16u;
  return x;
}

fn randomWord(key: u32, index: u32) -> u32 {
  return mix32(key ^ (index * 0x9e3779b1u));
}

// 0 or scale: inverted dropout's mask value of element index of stream key.
fn dropMask(key: u32, index: u32, threshold: u32, scale: f32) -> f32 {
  let drop = ((randomWord(key, index) >> 16u) - threshold) >> 31u;
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
