/**
 * Dense GEMM for the layers after the first (PPI: 45,000 × 1,024 by 1,024 × 1,024 per batch pass):
 * C (M, N) (+)= op(A) · op(B), row-major, with op(A) = A or Aᵀ and op(B) = B or Bᵀ, the variants
 * the forward (x · Wᵀ), the weight gradient (xᵀ · dP) and the input gradient (dP · W) need.
 *
 * Tiling, chosen for real GPUs: a workgroup of 16 × 16 invocations computes a 64 × 64 tile of C,
 * each invocation a 4 × 4 block strided by 16 (so neighbouring invocations touch neighbouring
 * columns: conflict-free workgroup reads, coalesced stores). K advances 16 at a time through two
 * 64 × 16 tiles of A and B in workgroup memory (8 KiB), each loaded by all 256 invocations with the
 * consecutive ones reading consecutive addresses whichever way the operand is stored. Transposes
 * are `override` constants: four pipelines, no per-element branching on them at run time.
 */
import type { KernelDef } from './gpuKernel';
import { wgslParams } from './wgslCommon';

export interface GemmParams {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly accumulate?: boolean;
}

export const GEMM_TILE = 64;

export const GEMM_WGSL = /* wgsl */ `
override TRANS_A: bool = false;
override TRANS_B: bool = false;

const TM: u32 = 64u;  // tile rows (M)
const TN: u32 = 64u;  // tile columns (N)
const TK: u32 = 16u;  // tile depth (K)

${wgslParams('m: u32, n: u32, k: u32, accumulate: u32')}
@group(0) @binding(1) var<storage, read> a: array<f32>;        // (M, K), or (K, M) when TRANS_A
@group(0) @binding(2) var<storage, read> b: array<f32>;        // (K, N), or (N, K) when TRANS_B
@group(0) @binding(3) var<storage, read_write> c: array<f32>;  // (M, N)

var<workgroup> As: array<f32, 1024>;  // [TK][TM]: op(A) tile, k-major
var<workgroup> Bs: array<f32, 1024>;  // [TK][TN]: op(B) tile, k-major

fn loadA(row: u32, kk: u32) -> f32 {
  if (row >= P.m || kk >= P.k) { return 0.0; }
  if (TRANS_A) { return a[kk * P.m + row]; }
  return a[row * P.k + kk];
}

fn loadB(kk: u32, col: u32) -> f32 {
  if (kk >= P.k || col >= P.n) { return 0.0; }
  if (TRANS_B) { return b[col * P.k + kk]; }
  return b[kk * P.n + col];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let row0 = wid.y * TM;
  let col0 = wid.x * TN;
  var acc: array<f32, 16>;  // acc[4·i + j] = C[row0 + lid.y + 16i, col0 + lid.x + 16j]
  for (var k0 = 0u; k0 < P.k; k0 += TK) {
    // Step 1: stage the (TM, TK) tile of op(A) and the (TK, TN) tile of op(B), 4 elements each
    for (var q = 0u; q < 4u; q++) {
      let idx = tid + 256u * q;
      // consecutive invocations read consecutive addresses of the stored layout
      var r = idx / TK;
      var ka = idx % TK;
      if (TRANS_A) { r = idx % TM; ka = idx / TM; }
      As[ka * TM + r] = loadA(row0 + r, k0 + ka);
      var col = idx % TN;
      var kb = idx / TN;
      if (TRANS_B) { col = idx / TK; kb = idx % TK; }
      Bs[kb * TN + col] = loadB(k0 + kb, col0 + col);
    }
    workgroupBarrier();
    // Step 2: rank-1 updates of the 4 × 4 block from the staged tiles
    for (var kk = 0u; kk < TK; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        av[i] = As[kk * TM + lid.y + 16u * i];
        bv[i] = Bs[kk * TN + lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[4u * i + j] = fma(av[i], bv[j], acc[4u * i + j]);
        }
      }
    }
    workgroupBarrier();
  }
  // Step 3: write (or add into) C, skipping the tile's part past M or N
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y + 16u * i;
    if (r >= P.m) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + lid.x + 16u * j;
      if (col >= P.n) { continue; }
      let o = r * P.n + col;
      var v = acc[4u * i + j];
      if (P.accumulate != 0u) { v += c[o]; }
      c[o] = v;
    }
  }
}
`;

/** The GEMM variant for these transposes. */
export function gemm(transposeA: boolean, transposeB: boolean): KernelDef<'a' | 'b' | 'c', GemmParams> {
  return {
    label: `gemm${transposeA ? 'Ta' : ''}${transposeB ? 'Tb' : ''}`,
    code: GEMM_WGSL,
    constants: { TRANS_A: transposeA ? 1 : 0, TRANS_B: transposeB ? 1 : 0 },
    buffers: [['a', 'read'], ['b', 'read'], ['c', 'write']],
    params: (p) => [p.m, p.n, p.k, p.accumulate ? 1 : 0],
    grid: (p) => [Math.ceil(p.n / GEMM_TILE), Math.ceil(p.m / GEMM_TILE), 1],
  };
}
