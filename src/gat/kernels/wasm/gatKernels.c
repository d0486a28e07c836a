// Hot GAT kernels in WebAssembly SIMD (f32x4). Every kernel works on a part of its layer that the
// caller names: a contiguous range of a node list (pass the list's pointer at the first node and a
// count), a column range [c0, c1), or a head range [h0, h1); each element is computed the same way
// whatever the part, so a pool of threads (../kernelPool.ts) can split a layer and give the bits of
// one thread. Writes of different parts never overlap (see ../wasmKernels.ts for each split).
// Same maths as the TypeScript kernels in ../projection.ts, ../attention.ts and ../elementwise.ts;
// the layer they compute and its constants are stated once in ../gatLayer.ts, and gatLayer.h
// (generated from it) brings the constants here. Pointers are byte offsets into the imported memory.
// Shapes: N nodes, NH heads, FOUT features per head, HF = NH·FOUT, FIN input features, E' edges
// incl. self-loops; node arrays (N, ·) row-major, edge arrays (E', NH) head-minor.
// Build: node scripts/buildWasmKernels.mjs (needs clang + lld; writes gatLayer.h and gatKernelsWasm.ts).
#include <wasm_simd128.h>
#include "gatLayer.h"

typedef float f32;
typedef int i32;

// ---- Step 1: projection of the sparse input --------------------------------------------------
// Up to BLOCK_FIN input features (PPI's 50), both kernels go through the columns in blocks of 16
// (outermost) and copy the block of wT or dwT that every row reads (FIN × 16 floats) into a
// contiguous block on the stack, which stays in L1: read in place, rows HF floats apart (4 KiB for
// HF = 1024) would all fall into one L1 set and evict each other. Wider inputs (Cora's 1,433 bag of
// words, a few non-zeros per row) go row by row. Either way each element sums in the same order.
#define BLOCK_FIN 256

// Block c of wT (or dwT), FIN × 16, into blk (contiguous), or back.
static void block_in(f32 *blk, const f32 *w, i32 fin, i32 hf, i32 c) {
  for (i32 f = 0; f < fin; f++)
    for (i32 q = 0; q < 16; q += 4) wasm_v128_store(blk + f * 16 + q, wasm_v128_load(w + (long)f * hf + c + q));
}
static void block_out(const f32 *blk, f32 *w, i32 fin, i32 hf, i32 c) {
  for (i32 f = 0; f < fin; f++)
    for (i32 q = 0; q < 16; q += 4) wasm_v128_store(w + (long)f * hf + c + q, wasm_v128_load(blk + f * 16 + q));
}

// out[i, c] = Σ_p xd[p] · wT[col(p), c] for i in rows, c in [c0, c1).   wT (FIN, HF), out (N, HF); HF % 4 == 0
void sparse_project(const i32 *indptr, const i32 *indices, const f32 *xd, const i32 *rows, i32 nrows,
                    const f32 *wT, i32 fin, i32 hf, f32 *out, i32 c0, i32 c1) {
  if (fin > BLOCK_FIN) {
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      i32 p0 = indptr[i], p1 = indptr[i + 1];
      f32 *o = out + (long)i * hf;
      i32 c = c0;
      for (; c + 16 <= c1; c += 16) {
        v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
        for (i32 p = p0; p < p1; p++) {
          v128_t v = wasm_f32x4_splat(xd[p]);
          const f32 *w = wT + (long)indices[p] * hf + c;
          a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(v, wasm_v128_load(w)));
          a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(v, wasm_v128_load(w + 4)));
          a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(v, wasm_v128_load(w + 8)));
          a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(v, wasm_v128_load(w + 12)));
        }
        wasm_v128_store(o + c, a0);
        wasm_v128_store(o + c + 4, a1);
        wasm_v128_store(o + c + 8, a2);
        wasm_v128_store(o + c + 12, a3);
      }
      for (; c < c1; c += 4) {
        v128_t a = wasm_f32x4_splat(0);
        for (i32 p = p0; p < p1; p++) a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(xd[p]), wasm_v128_load(wT + (long)indices[p] * hf + c)));
        wasm_v128_store(o + c, a);
      }
    }
    return;
  }
  f32 blk[BLOCK_FIN * 16];
  i32 c = c0;
  for (; c + 16 <= c1; c += 16) {
    block_in(blk, wT, fin, hf, c);                             // block c of wT, contiguous (FIN × 16)
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
      for (i32 p = indptr[i], p1 = indptr[i + 1]; p < p1; p++) {
        v128_t v = wasm_f32x4_splat(xd[p]);
        const f32 *w = blk + indices[p] * 16;
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(v, wasm_v128_load(w)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(v, wasm_v128_load(w + 4)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(v, wasm_v128_load(w + 8)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(v, wasm_v128_load(w + 12)));
      }
      f32 *o = out + (long)i * hf + c;
      wasm_v128_store(o, a0);
      wasm_v128_store(o + 4, a1);
      wasm_v128_store(o + 8, a2);
      wasm_v128_store(o + 12, a3);
    }
  }
  for (; c < c1; c += 4) {
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      v128_t a = wasm_f32x4_splat(0);
      for (i32 p = indptr[i], p1 = indptr[i + 1]; p < p1; p++) {
        a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(xd[p]), wasm_v128_load(wT + (long)indices[p] * hf + c)));
      }
      wasm_v128_store(out + (long)i * hf + c, a);
    }
  }
}

// Its weight gradient: dwT[col(p), c] += xd[p] · dOut[i, c] for i in rows (in order), c in [c0, c1).   HF % 4 == 0
void sparse_project_grad_w(const i32 *indptr, const i32 *indices, const f32 *xd, const i32 *rows, i32 nrows,
                           const f32 *dOut, i32 fin, i32 hf, f32 *dwT, i32 c0, i32 c1) {
  if (fin > BLOCK_FIN) {
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      i32 p0 = indptr[i], p1 = indptr[i + 1];
      const f32 *g = dOut + (long)i * hf;
      i32 c = c0;
      for (; c + 16 <= c1; c += 16) {
        v128_t g0 = wasm_v128_load(g + c), g1 = wasm_v128_load(g + c + 4), g2 = wasm_v128_load(g + c + 8), g3 = wasm_v128_load(g + c + 12);
        for (i32 p = p0; p < p1; p++) {
          v128_t v = wasm_f32x4_splat(xd[p]);
          f32 *w = dwT + (long)indices[p] * hf + c;
          wasm_v128_store(w, wasm_f32x4_add(wasm_v128_load(w), wasm_f32x4_mul(v, g0)));
          wasm_v128_store(w + 4, wasm_f32x4_add(wasm_v128_load(w + 4), wasm_f32x4_mul(v, g1)));
          wasm_v128_store(w + 8, wasm_f32x4_add(wasm_v128_load(w + 8), wasm_f32x4_mul(v, g2)));
          wasm_v128_store(w + 12, wasm_f32x4_add(wasm_v128_load(w + 12), wasm_f32x4_mul(v, g3)));
        }
      }
      for (; c < c1; c += 4) {
        v128_t g0 = wasm_v128_load(g + c);
        for (i32 p = p0; p < p1; p++) {
          f32 *w = dwT + (long)indices[p] * hf + c;
          wasm_v128_store(w, wasm_f32x4_add(wasm_v128_load(w), wasm_f32x4_mul(wasm_f32x4_splat(xd[p]), g0)));
        }
      }
    }
    return;
  }
  f32 blk[BLOCK_FIN * 16];
  i32 c = c0;
  for (; c + 16 <= c1; c += 16) {
    block_in(blk, dwT, fin, hf, c);                            // block c of dwT, summed in blk and copied back
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      const f32 *g = dOut + (long)i * hf + c;
      v128_t g0 = wasm_v128_load(g), g1 = wasm_v128_load(g + 4), g2 = wasm_v128_load(g + 8), g3 = wasm_v128_load(g + 12);
      for (i32 p = indptr[i], p1 = indptr[i + 1]; p < p1; p++) {
        v128_t v = wasm_f32x4_splat(xd[p]);
        f32 *w = blk + indices[p] * 16;
        wasm_v128_store(w, wasm_f32x4_add(wasm_v128_load(w), wasm_f32x4_mul(v, g0)));
        wasm_v128_store(w + 4, wasm_f32x4_add(wasm_v128_load(w + 4), wasm_f32x4_mul(v, g1)));
        wasm_v128_store(w + 8, wasm_f32x4_add(wasm_v128_load(w + 8), wasm_f32x4_mul(v, g2)));
        wasm_v128_store(w + 12, wasm_f32x4_add(wasm_v128_load(w + 12), wasm_f32x4_mul(v, g3)));
      }
    }
    block_out(blk, dwT, fin, hf, c);
  }
  for (; c < c1; c += 4) {
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      v128_t g0 = wasm_v128_load(dOut + (long)i * hf + c);
      for (i32 p = indptr[i], p1 = indptr[i + 1]; p < p1; p++) {
        f32 *w = dwT + (long)indices[p] * hf + c;
        wasm_v128_store(w, wasm_f32x4_add(wasm_v128_load(w), wasm_f32x4_mul(wasm_f32x4_splat(xd[p]), g0)));
      }
    }
  }
}

// ---- Step 3: neighbourhood aggregation ---------------------------------------------------------
// out[i, h, :] = sum_{e into i} alphaD[e, h] * p[src(e), h, :] for i in targets.   FOUT >= 4
void aggregate(const i32 *rowPtr, const i32 *source, const i32 *targets, i32 ntargets, i32 heads, i32 fout,
               const f32 *alphaD, const f32 *p, f32 *out, i32 h0, i32 h1) {
  i32 hf = heads * fout;
  for (i32 r = 0; r < ntargets; r++) {
    i32 i = targets[r];
    i32 e0 = rowPtr[i], e1 = rowPtr[i + 1];
    for (i32 h = h0; h < h1; h++) {
      f32 *o = out + (long)i * hf + h * fout;
      i32 d = 0;
      for (; d + 8 <= fout; d += 8) {
        v128_t a0 = wasm_f32x4_splat(0), a1 = a0;
        for (i32 e = e0; e < e1; e++) {
          v128_t a = wasm_f32x4_splat(alphaD[e * heads + h]);
          const f32 *s = p + (long)source[e] * hf + h * fout + d;
          a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(a, wasm_v128_load(s)));
          a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(a, wasm_v128_load(s + 4)));
        }
        wasm_v128_store(o + d, a0);
        wasm_v128_store(o + d + 4, a1);
      }
      for (; d < fout; d += 4) {
        if (d + 4 > fout) d = fout - 4; // FOUT % 4 != 0: overlap the block before (same values again)
        v128_t a0 = wasm_f32x4_splat(0);
        for (i32 e = e0; e < e1; e++) {
          v128_t a = wasm_f32x4_splat(alphaD[e * heads + h]);
          a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(a, wasm_v128_load(p + (long)source[e] * hf + h * fout + d)));
        }
        wasm_v128_store(o + d, a0);
      }
    }
  }
}

// ---- Helpers of the attention, heads and layer-2 kernels -------------------------------------
// Those kernels vectorise across heads (edge arrays are head-minor) or across features; a scalar
// path covers shapes the vector one does not.

// exp(x) for f32x4 (Cephes expf: range reduction by ln 2, degree-6 polynomial; ~1 ulp).
// Inputs below -87.3 give 2^-126 · e^r (≈ 1e-38) instead of a denormal or 0.
static inline v128_t vexp_parts(v128_t x, v128_t *pow2n) {
  x = wasm_f32x4_pmin(wasm_f32x4_splat(88.3762626647949f), wasm_f32x4_pmax(wasm_f32x4_splat(-87.3365447505531f), x));
  v128_t fx = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(fx, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t y = wasm_f32x4_splat(1.9875691500E-4f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(1.3981999507E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(8.3334519073E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(4.1665795894E-2f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(1.6666665459E-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, r), wasm_f32x4_splat(5.0000001201E-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(y, r), r), r); // e^r − 1
  v128_t n = wasm_i32x4_trunc_sat_f32x4(fx);
  *pow2n = wasm_i32x4_shl(wasm_i32x4_add(n, wasm_i32x4_splat(127)), 23);
  return y;
}

static inline v128_t vexp(v128_t x) {
  v128_t p;
  v128_t q = vexp_parts(x, &p);
  return wasm_f32x4_mul(wasm_f32x4_add(q, wasm_f32x4_splat(1.0f)), p);
}

// expm1(x) = 2^n (e^r − 1) + (2^n − 1): exact to rounding near 0 (n = 0 there).
static inline v128_t vexpm1(v128_t x) {
  v128_t p;
  v128_t q = vexp_parts(x, &p);
  return wasm_f32x4_add(wasm_f32x4_mul(q, p), wasm_f32x4_sub(p, wasm_f32x4_splat(1.0f)));
}

static inline f32 sexp(f32 x) { return wasm_f32x4_extract_lane(vexp(wasm_f32x4_splat(x)), 0); }

// murmur3's finaliser on 4 lanes (gatLayer.ts mix32)
static inline v128_t vmix32(v128_t x) {
  x = wasm_v128_xor(x, wasm_u32x4_shr(x, HASH_SHIFT_1));
  x = wasm_i32x4_mul(x, wasm_i32x4_splat((i32)HASH_MUL_1));
  x = wasm_v128_xor(x, wasm_u32x4_shr(x, HASH_SHIFT_2));
  x = wasm_i32x4_mul(x, wasm_i32x4_splat((i32)HASH_MUL_2));
  return wasm_v128_xor(x, wasm_u32x4_shr(x, HASH_SHIFT_3));
}

static inline unsigned smix32(unsigned x) {
  x ^= x >> HASH_SHIFT_1;
  x *= HASH_MUL_1;
  x ^= x >> HASH_SHIFT_2;
  x *= HASH_MUL_2;
  return x ^ (x >> HASH_SHIFT_3);
}

// All-ones lanes where element k, k+1, k+2, k+3 of stream `key` survives dropout (gatLayer.ts's rule).
static inline v128_t vkeep(i32 key, i32 k, i32 threshold) {
  v128_t idx = wasm_i32x4_add(wasm_i32x4_splat(k), wasm_i32x4_make(0, 1, 2, 3));
  v128_t w = vmix32(wasm_v128_xor(wasm_i32x4_splat(key), wasm_i32x4_mul(idx, wasm_i32x4_splat((i32)HASH_GOLDEN))));
  return wasm_i32x4_ge(wasm_u32x4_shr(w, DROPOUT_SHIFT), wasm_i32x4_splat(threshold));
}

static inline i32 skeep(i32 key, i32 k, i32 threshold) {
  return (i32)(smix32((unsigned)key ^ ((unsigned)k * HASH_GOLDEN)) >> DROPOUT_SHIFT) >= threshold;
}

// The constants this module was built with (gatLayer.h's words): a unit test compares them with gatLayer.ts.
void gat_layer_constants(unsigned *out) { gat_layer_words(out); }

// [Σa, Σb, Σc, Σd]: the horizontal sums of four vectors
static inline v128_t hsum4(v128_t a, v128_t b, v128_t c, v128_t d) {
  v128_t ab = wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  v128_t cd = wasm_f32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

// Σ_d a[d] · b[d] over n floats, n % 4 == 0
static inline v128_t vdot(const f32 *a, const f32 *b, i32 n) {
  v128_t s = wasm_f32x4_mul(wasm_v128_load(a), wasm_v128_load(b));
  for (i32 d = 4; d < n; d += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(a + d), wasm_v128_load(b + d)));
  return s;
}

static inline f32 sdot(const f32 *a, const f32 *b, i32 n) {
  f32 s = 0;
  for (i32 d = 0; d < n; d++) s += a[d] * b[d];
  return s;
}

// ---- Step 2: edge attention (scores per node, LeakyReLU + softmax per neighbourhood, dropout) ----
// sSrc[i, h] = <p[i, h, :], aSrc[h, :]>, sTrg likewise, for i in rows.
void node_scores(const f32 *p, const i32 *rows, i32 nrows, i32 heads, i32 fout, const f32 *aSrc, const f32 *aTrg, f32 *sSrc, f32 *sTrg, i32 h0, i32 h1) {
  i32 hf = heads * fout;
  int vec = heads % 4 == 0 && fout % 4 == 0;
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    const f32 *pi = p + (long)i * hf;
    if (vec) {
      for (i32 h = h0; h < h1; h += 4) {
        const f32 *q = pi + h * fout;
        const f32 *as = aSrc + h * fout, *at = aTrg + h * fout;
        v128_t s = hsum4(vdot(q, as, fout), vdot(q + fout, as + fout, fout), vdot(q + 2 * fout, as + 2 * fout, fout), vdot(q + 3 * fout, as + 3 * fout, fout));
        v128_t t = hsum4(vdot(q, at, fout), vdot(q + fout, at + fout, fout), vdot(q + 2 * fout, at + 2 * fout, fout), vdot(q + 3 * fout, at + 3 * fout, fout));
        wasm_v128_store(sSrc + (long)i * heads + h, s);
        wasm_v128_store(sTrg + (long)i * heads + h, t);
      }
    } else {
      for (i32 h = h0; h < h1; h++) {
        sSrc[(long)i * heads + h] = sdot(pi + h * fout, aSrc + h * fout, fout);
        sTrg[(long)i * heads + h] = sdot(pi + h * fout, aTrg + h * fout, fout);
      }
    }
  }
}

// Per target i and head h: alpha = softmax over edges j → i of LeakyReLU(sSrc[j] + sTrg[i]);
// alphaD = alpha · dropout mask (index e·NH + h). threshold 0: no dropout.
void edge_softmax(const i32 *rowPtr, const i32 *source, const i32 *targets, i32 ntargets, i32 heads,
                  const f32 *sSrc, const f32 *sTrg, i32 key, i32 threshold, f32 scale, f32 *alpha, f32 *alphaD, i32 h0, i32 h1) {
  v128_t vscale = wasm_f32x4_splat(scale), slope = wasm_f32x4_splat(LEAKY_RELU_SLOPE);
  for (i32 r = 0; r < ntargets; r++) {
    i32 i = targets[r];
    i32 e0 = rowPtr[i], e1 = rowPtr[i + 1];
    i32 h = h0;
    for (; h + 4 <= h1; h += 4) {
      v128_t st = wasm_v128_load(sTrg + (long)i * heads + h);
      v128_t mx = wasm_f32x4_splat(-__builtin_inff());
      for (i32 e = e0; e < e1; e++) {
        v128_t z = wasm_f32x4_add(wasm_v128_load(sSrc + (long)source[e] * heads + h), st);
        v128_t y = wasm_f32x4_pmax(z, wasm_f32x4_mul(slope, z));
        wasm_v128_store(alpha + (long)e * heads + h, y);
        mx = wasm_f32x4_pmax(mx, y);
      }
      v128_t sum = wasm_f32x4_splat(0);
      for (i32 e = e0; e < e1; e++) {
        f32 *a = alpha + (long)e * heads + h;
        v128_t x = vexp(wasm_f32x4_sub(wasm_v128_load(a), mx));
        wasm_v128_store(a, x);
        sum = wasm_f32x4_add(sum, x);
      }
      v128_t inv = wasm_f32x4_div(wasm_f32x4_splat(1.0f), sum);
      for (i32 e = e0; e < e1; e++) {
        i32 k = e * heads + h;
        v128_t a = wasm_f32x4_mul(wasm_v128_load(alpha + k), inv);
        wasm_v128_store(alpha + k, a);
        if (threshold == 0) wasm_v128_store(alphaD + k, a);
        else wasm_v128_store(alphaD + k, wasm_v128_and(wasm_f32x4_mul(a, vscale), vkeep(key, k, threshold)));
      }
    }
    for (; h < h1; h++) {
      f32 st = sTrg[(long)i * heads + h];
      f32 mx = -__builtin_inff();
      for (i32 e = e0; e < e1; e++) {
        f32 z = sSrc[(long)source[e] * heads + h] + st;
        f32 y = z > LEAKY_RELU_SLOPE * z ? z : LEAKY_RELU_SLOPE * z;
        alpha[(long)e * heads + h] = y;
        mx = mx > y ? mx : y;
      }
      f32 sum = 0;
      for (i32 e = e0; e < e1; e++) {
        f32 x = sexp(alpha[(long)e * heads + h] - mx);
        alpha[(long)e * heads + h] = x;
        sum += x;
      }
      f32 inv = 1.0f / sum;
      for (i32 e = e0; e < e1; e++) {
        i32 k = e * heads + h;
        f32 a = alpha[k] * inv;
        alpha[k] = a;
        alphaD[k] = threshold == 0 ? a : skeep(key, k, threshold) ? a * scale : 0.0f;
      }
    }
  }
}

// Step 2 of the backward for 4 heads of edge e (k = e·NH + h): dZ = alpha · (dA − Σ alpha·dA) ·
// LeakyReLU'(z), z = sSrc[j] + sTrg[i]; tmp holds dA and is overwritten with dZ, which is returned.
static inline v128_t vdz(const f32 *alpha_k, f32 *tmp_k, v128_t s_src, v128_t st, v128_t dot, v128_t one, v128_t slope) {
  v128_t z = wasm_f32x4_add(s_src, st);
  v128_t lr = wasm_v128_bitselect(one, slope, wasm_f32x4_gt(z, wasm_f32x4_splat(0)));
  v128_t dZ = wasm_f32x4_mul(wasm_f32x4_mul(wasm_v128_load(alpha_k), wasm_f32x4_sub(wasm_v128_load(tmp_k), dot)), lr);
  wasm_v128_store(tmp_k, dZ);
  return dZ;
}

// The same for one head.
static inline f32 sdz(f32 alpha_k, f32 *tmp_k, f32 s_src, f32 st, f32 dot) {
  f32 z = s_src + st;
  f32 dZ = alpha_k * (*tmp_k - dot) * (z > 0 ? 1.0f : LEAKY_RELU_SLOPE);
  *tmp_k = dZ;
  return dZ;
}

// dA of one head and edge through attention dropout: <dOut[i, h, :], p[j, h, :]> · scale · mask(k).
static inline f32 sdrop_da(f32 dAD, i32 key, i32 k, i32 threshold, f32 scale) {
  return threshold == 0 ? dAD * scale : skeep(key, k, threshold) ? dAD * scale : 0.0f;
}

// ---- Steps 3 + 2 backward ---------------------------------------------------------------------
// Backward of edge_softmax + aggregate, in two passes that each write only their own rows, so
// threads can split either pass by rows with no atomics and every sum keeps one order.
//
// Pass 1, by target (CSR by target; split the targets): per edge e = j → i and head h
//   dA[e, h]  = <dOut[i, h, :], p[j, h, :]> · scale · mask(e·NH + h)
//   dZ[e, h]  = alpha[e, h] · (dA[e, h] − Σ_{e' → i} alpha[e', h] · dA[e', h]) · LeakyReLU'(z)
//   dsTrg[i, h] += Σ_{e → i} dZ[e, h]                      tmp (E', NH) ends holding dZ
// Vector path: heads % 4 == 0, fout % 4 == 0, heads <= 64 (4 heads' dot products at once).
void attention_backward_targets(const i32 *rowPtr, const i32 *source, const i32 *targets, i32 ntargets, i32 heads, i32 fout,
                                const f32 *p, const f32 *dOut, const f32 *alpha, const f32 *sSrc, const f32 *sTrg,
                                i32 key, i32 threshold, f32 scale, f32 *dsTrg, f32 *tmp) {
  i32 hf = heads * fout;
  v128_t vscale = wasm_f32x4_splat(scale), slope = wasm_f32x4_splat(LEAKY_RELU_SLOPE), one = wasm_f32x4_splat(1.0f);
  if (heads % 4 == 0 && fout % 4 == 0 && heads <= 64) {
    v128_t dot[16];
    for (i32 r = 0; r < ntargets; r++) {
      i32 i = targets[r];
      i32 e0 = rowPtr[i], e1 = rowPtr[i + 1];
      const f32 *g = dOut + (long)i * hf;                      // (NH·FOUT) this target's gradient
      for (i32 hb = 0; hb < heads / 4; hb++) dot[hb] = wasm_f32x4_splat(0);
      // Step 1: dA per edge and head (4 heads per vector), and Σ alpha · dA per head
      for (i32 e = e0; e < e1; e++) {
        const f32 *pj = p + (long)source[e] * hf;               // (NH·FOUT) the source's features
        for (i32 h = 0; h < heads; h += 4) {
          i32 k = e * heads + h;
          v128_t part[4];
          for (i32 q = 0; q < 4; q++) {
            i32 o = (h + q) * fout;
            v128_t s = wasm_f32x4_splat(0);
            for (i32 d = 0; d < fout; d += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(g + o + d), wasm_v128_load(pj + o + d)));
            part[q] = s;
          }
          v128_t dA = wasm_f32x4_mul(hsum4(part[0], part[1], part[2], part[3]), vscale);
          if (threshold != 0) dA = wasm_v128_and(dA, vkeep(key, k, threshold));
          wasm_v128_store(tmp + k, dA);
          dot[h / 4] = wasm_f32x4_add(dot[h / 4], wasm_f32x4_mul(wasm_v128_load(alpha + k), dA));
        }
      }
      // Step 2: dZ through the softmax and the LeakyReLU; dsTrg sums it over the neighbourhood
      for (i32 h = 0; h < heads; h += 4) {
        v128_t st = wasm_v128_load(sTrg + (long)i * heads + h);
        v128_t dT = wasm_f32x4_splat(0);
        for (i32 e = e0; e < e1; e++) {
          i32 k = e * heads + h;
          dT = wasm_f32x4_add(dT, vdz(alpha + k, tmp + k, wasm_v128_load(sSrc + (long)source[e] * heads + h), st, dot[h / 4], one, slope));
        }
        wasm_v128_store(dsTrg + (long)i * heads + h, wasm_f32x4_add(wasm_v128_load(dsTrg + (long)i * heads + h), dT));
      }
    }
    return;
  }
  for (i32 r = 0; r < ntargets; r++) {
    i32 i = targets[r];
    i32 e0 = rowPtr[i], e1 = rowPtr[i + 1];
    for (i32 h = 0; h < heads; h++) {
      const f32 *g = dOut + (long)i * hf + h * fout;
      f32 dot = 0;
      for (i32 e = e0; e < e1; e++) {
        i32 k = e * heads + h;
        const f32 *pj = p + (long)source[e] * hf + h * fout;
        f32 dAD = 0;
        for (i32 d = 0; d < fout; d++) dAD += g[d] * pj[d];
        f32 dA = sdrop_da(dAD, key, k, threshold, scale);
        tmp[k] = dA;
        dot += alpha[k] * dA;
      }
      f32 st = sTrg[(long)i * heads + h], dT = 0;
      for (i32 e = e0; e < e1; e++) {
        i32 k = e * heads + h;
        dT += sdz(alpha[k], tmp + k, sSrc[(long)source[e] * heads + h], st, dot);
      }
      dsTrg[(long)i * heads + h] += dT;
    }
  }
}

// Pass 2, by source (edges grouped by source: outPtr/outEdge, the graph's or only the edges into
// the targets of pass 1; split the sources): per source j, over its out-edges e = j → i in edge
// order (targets ascending), for each head h
//   dP[j, h, :]  += alphaD[e, h] · dOut[i, h, :]           (the message path)
//   dsSrc[j, h]  += dZ[e, h]                               (tmp from pass 1)
// Each element sums its edges in one order whatever the split: the result of one thread.
void attention_backward_sources(const i32 *outPtr, const i32 *outEdge, const i32 *target, const i32 *sources, i32 nsources,
                                i32 heads, i32 fout, const f32 *dOut, const f32 *alphaD, const f32 *tmp, f32 *dP, f32 *dsSrc) {
  i32 hf = heads * fout;
  int vec = fout % 4 == 0, vecHeads = vec && heads % 4 == 0;
  for (i32 r = 0; r < nsources; r++) {
    i32 j = sources[r];
    f32 *dPj = dP + (long)j * hf;                              // (NH·FOUT) this source's gradient, in L1
    f32 *dsj = dsSrc + (long)j * heads;                         // (NH)
    for (i32 q = outPtr[j]; q < outPtr[j + 1]; q++) {
      i32 e = outEdge[q];
      i32 i = target[e];
      const f32 *g = dOut + (long)i * hf;                      // (NH·FOUT) the target's gradient
      const f32 *aD = alphaD + (long)e * heads;                 // (NH)
      const f32 *dz = tmp + (long)e * heads;                    // (NH)
      if (vecHeads) {
        // 4 heads at a time: their dsSrc as one vector, their alphaD as lanes of one load
        for (i32 h = 0; h < heads; h += 4) {
          wasm_v128_store(dsj + h, wasm_f32x4_add(wasm_v128_load(dsj + h), wasm_v128_load(dz + h)));
          v128_t a4 = wasm_v128_load(aD + h);
          v128_t lane[4] = {wasm_i32x4_shuffle(a4, a4, 0, 0, 0, 0), wasm_i32x4_shuffle(a4, a4, 1, 1, 1, 1),
                            wasm_i32x4_shuffle(a4, a4, 2, 2, 2, 2), wasm_i32x4_shuffle(a4, a4, 3, 3, 3, 3)};
          for (i32 k = 0; k < 4; k++) {
            f32 *o = dPj + (h + k) * fout;
            const f32 *gk = g + (h + k) * fout;
            for (i32 d = 0; d < fout; d += 4) wasm_v128_store(o + d, wasm_f32x4_add(wasm_v128_load(o + d), wasm_f32x4_mul(lane[k], wasm_v128_load(gk + d))));
          }
        }
        continue;
      }
      for (i32 h = 0; h < heads; h++) {
        i32 o = h * fout;
        f32 a = aD[h];
        if (vec) {
          v128_t va = wasm_f32x4_splat(a);
          for (i32 d = 0; d < fout; d += 4) {
            wasm_v128_store(dPj + o + d, wasm_f32x4_add(wasm_v128_load(dPj + o + d), wasm_f32x4_mul(va, wasm_v128_load(g + o + d))));
          }
        } else {
          for (i32 d = 0; d < fout; d++) dPj[o + d] += a * g[o + d];
        }
        dsj[h] += dz[h];
      }
    }
  }
}

// Both passes in one, for one thread: per target i in ascending order, per edge e = j → i, the same
// terms as passes 1 and 2, dP[j] and dsSrc[j] accumulated as they come. With ascending targets each
// element of dP and dsSrc still sums its edges in edge order, so this gives the two passes' bits
// (the caller checks the order) with one walk over the edges instead of two.
void attention_backward(const i32 *rowPtr, const i32 *source, const i32 *targets, i32 ntargets, i32 heads, i32 fout,
                        const f32 *p, const f32 *dOut, const f32 *alpha, const f32 *alphaD, const f32 *sSrc, const f32 *sTrg,
                        i32 key, i32 threshold, f32 scale, f32 *dP, f32 *dsSrc, f32 *dsTrg, f32 *tmp) {
  i32 h0 = 0, h1 = heads;
  i32 hf = heads * fout;
  v128_t vscale = wasm_f32x4_splat(scale), slope = wasm_f32x4_splat(LEAKY_RELU_SLOPE), one = wasm_f32x4_splat(1.0f);
  if (heads % 4 == 0 && fout % 4 == 0 && heads <= 64) {
    v128_t dot[16];
    for (i32 r = 0; r < ntargets; r++) {
      i32 i = targets[r];
      i32 e0 = rowPtr[i], e1 = rowPtr[i + 1];
      const f32 *g = dOut + (long)i * hf;
      for (i32 hb = h0 / 4; hb < h1 / 4; hb++) dot[hb] = wasm_f32x4_splat(0);
      for (i32 e = e0; e < e1; e++) {
        i32 j = source[e];
        const f32 *pj = p + (long)j * hf;
        f32 *dPj = dP + (long)j * hf;
        for (i32 h = h0; h < h1; h += 4) {
          i32 k = e * heads + h;
          v128_t part[4];
          for (i32 q = 0; q < 4; q++) {
            i32 o = (h + q) * fout;
            v128_t a = wasm_f32x4_splat(alphaD[k + q]);
            v128_t s = wasm_f32x4_splat(0);
            for (i32 d = 0; d < fout; d += 4) {
              v128_t gd = wasm_v128_load(g + o + d);
              s = wasm_f32x4_add(s, wasm_f32x4_mul(gd, wasm_v128_load(pj + o + d)));
              wasm_v128_store(dPj + o + d, wasm_f32x4_add(wasm_v128_load(dPj + o + d), wasm_f32x4_mul(a, gd)));
            }
            part[q] = s;
          }
          v128_t dA = wasm_f32x4_mul(hsum4(part[0], part[1], part[2], part[3]), vscale);
          if (threshold != 0) dA = wasm_v128_and(dA, vkeep(key, k, threshold));
          wasm_v128_store(tmp + k, dA);
          dot[h / 4] = wasm_f32x4_add(dot[h / 4], wasm_f32x4_mul(wasm_v128_load(alpha + k), dA));
        }
      }
      for (i32 h = h0; h < h1; h += 4) {
        v128_t st = wasm_v128_load(sTrg + (long)i * heads + h);
        v128_t dT = wasm_f32x4_splat(0);
        for (i32 e = e0; e < e1; e++) {
          i32 k = e * heads + h;
          i32 j = source[e] * heads + h;
          v128_t dZ = vdz(alpha + k, tmp + k, wasm_v128_load(sSrc + j), st, dot[h / 4], one, slope);
          wasm_v128_store(dsSrc + j, wasm_f32x4_add(wasm_v128_load(dsSrc + j), dZ));
          dT = wasm_f32x4_add(dT, dZ);
        }
        wasm_v128_store(dsTrg + (long)i * heads + h, wasm_f32x4_add(wasm_v128_load(dsTrg + (long)i * heads + h), dT));
      }
    }
    return;
  }
  for (i32 r = 0; r < ntargets; r++) {
    i32 i = targets[r];
    i32 e0 = rowPtr[i], e1 = rowPtr[i + 1];
    for (i32 h = h0; h < h1; h++) {
      const f32 *g = dOut + (long)i * hf + h * fout;
      f32 dot = 0;
      for (i32 e = e0; e < e1; e++) {
        i32 k = e * heads + h;
        long s = (long)source[e] * hf + h * fout;
        f32 aD = alphaD[k], dAD = 0;
        for (i32 d = 0; d < fout; d++) {
          dAD += g[d] * p[s + d];
          dP[s + d] += aD * g[d];
        }
        f32 dA = sdrop_da(dAD, key, k, threshold, scale);
        tmp[k] = dA;
        dot += alpha[k] * dA;
      }
      f32 st = sTrg[(long)i * heads + h], dT = 0;
      for (i32 e = e0; e < e1; e++) {
        i32 k = e * heads + h;
        long j = (long)source[e] * heads + h;
        f32 dZ = sdz(alpha[k], tmp + k, sSrc[j], st, dot);
        dsSrc[j] += dZ;
        dT += dZ;
      }
      dsTrg[(long)i * heads + h] += dT;
    }
  }
}

// node_scores_backward for whole heads [h0, h1).
static void node_scores_backward_heads(const f32 *p, const i32 *rows, i32 nrows, i32 heads, i32 fout, const f32 *aSrc, const f32 *aTrg,
                                       const f32 *dsSrc, const f32 *dsTrg, f32 *dP, f32 *daSrc, f32 *daTrg, i32 h0, i32 h1) {
  i32 hf = heads * fout;
  int vec = fout % 4 == 0;
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    for (i32 h = h0; h < h1; h++) {
      f32 gs = dsSrc[(long)i * heads + h], gt = dsTrg[(long)i * heads + h];
      long o = (long)i * hf + h * fout;
      i32 a = h * fout;
      if (vec) {
        v128_t vgs = wasm_f32x4_splat(gs), vgt = wasm_f32x4_splat(gt);
        for (i32 d = 0; d < fout; d += 4) {
          v128_t v = wasm_v128_load(p + o + d);
          v128_t as = wasm_v128_load(aSrc + a + d), at = wasm_v128_load(aTrg + a + d);
          wasm_v128_store(dP + o + d, wasm_f32x4_add(wasm_v128_load(dP + o + d), wasm_f32x4_add(wasm_f32x4_mul(vgs, as), wasm_f32x4_mul(vgt, at))));
          wasm_v128_store(daSrc + a + d, wasm_f32x4_add(wasm_v128_load(daSrc + a + d), wasm_f32x4_mul(vgs, v)));
          wasm_v128_store(daTrg + a + d, wasm_f32x4_add(wasm_v128_load(daTrg + a + d), wasm_f32x4_mul(vgt, v)));
        }
      } else {
        for (i32 d = 0; d < fout; d++) {
          f32 v = p[o + d];
          dP[o + d] += gs * aSrc[a + d] + gt * aTrg[a + d];
          daSrc[a + d] += gs * v;
          daTrg[a + d] += gt * v;
        }
      }
    }
  }
}

// Backward of node_scores for rows (c = h·FOUT + d):
//   dP[i, c]  += dsSrc[i, h] · aSrc[c] + dsTrg[i, h] · aTrg[c]      per row: this part's rows
//   daSrc[c]  += Σ_i dsSrc[i, h] · p[i, c], daTrg likewise          a sum over every row, in order: columns [c0, c1)
// A part writes its rows of dP and its columns of the sums, so no two parts write one element.
// The whole call on one thread (its rows are every row, its columns every column) walks the rows once.
// Vector path: fout % 4 == 0 and c0, c1 multiples of 4 (each vector within one head).
void node_scores_backward(const f32 *p, const i32 *rows, i32 nrows, const i32 *partRows, i32 npart, i32 heads, i32 fout,
                          const f32 *aSrc, const f32 *aTrg, const f32 *dsSrc, const f32 *dsTrg, f32 *dP, f32 *daSrc, f32 *daTrg, i32 c0, i32 c1) {
  i32 hf = heads * fout;
  if (partRows == rows && npart == nrows && c0 == 0 && c1 == hf) {
    node_scores_backward_heads(p, rows, nrows, heads, fout, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg, 0, heads);
    return;
  }
  // dP for this part's rows, every column
  for (i32 r = 0; r < npart; r++) {
    i32 i = partRows[r];
    for (i32 h = 0; h < heads; h++) {
      f32 gs = dsSrc[(long)i * heads + h], gt = dsTrg[(long)i * heads + h];
      f32 *o = dP + (long)i * hf + h * fout;
      const f32 *as = aSrc + h * fout, *at = aTrg + h * fout;
      if (fout % 4 == 0) {
        v128_t vgs = wasm_f32x4_splat(gs), vgt = wasm_f32x4_splat(gt);
        for (i32 d = 0; d < fout; d += 4) {
          wasm_v128_store(o + d, wasm_f32x4_add(wasm_v128_load(o + d), wasm_f32x4_add(wasm_f32x4_mul(vgs, wasm_v128_load(as + d)), wasm_f32x4_mul(vgt, wasm_v128_load(at + d)))));
        }
      } else {
        for (i32 d = 0; d < fout; d++) o[d] += gs * as[d] + gt * at[d];
      }
    }
  }
  // daSrc, daTrg for columns [c0, c1), every row in order
  int vec = fout % 4 == 0 && c0 % 4 == 0 && c1 % 4 == 0;
  i32 hA = c0 / fout, hB = (c1 + fout - 1) / fout;             // the heads the columns touch
  for (i32 r = 0; r < nrows && c0 < c1; r++) {
    i32 i = rows[r];
    for (i32 h = hA; h < hB; h++) {
      f32 gs = dsSrc[(long)i * heads + h], gt = dsTrg[(long)i * heads + h];
      i32 d0 = h == hA ? c0 - h * fout : 0;                     // whole heads unless the range cuts one
      i32 d1 = h == hB - 1 ? c1 - h * fout : fout;
      const f32 *v = p + (long)i * hf + h * fout;
      f32 *ds = daSrc + h * fout, *dt = daTrg + h * fout;
      if (vec) {
        v128_t vgs = wasm_f32x4_splat(gs), vgt = wasm_f32x4_splat(gt);
        for (i32 d = d0; d < d1; d += 4) {
          v128_t x = wasm_v128_load(v + d);
          wasm_v128_store(ds + d, wasm_f32x4_add(wasm_v128_load(ds + d), wasm_f32x4_mul(vgs, x)));
          wasm_v128_store(dt + d, wasm_f32x4_add(wasm_v128_load(dt + d), wasm_f32x4_mul(vgt, x)));
        }
      } else {
        for (i32 d = d0; d < d1; d++) {
          ds[d] += gs * v[d];
          dt[d] += gt * v[d];
        }
      }
    }
  }
}

// ---- Step 4: heads (concat + ELU on hidden layers, mean on the output layer) + bias ------------
// out[i, c] = ELU(agg[i, c] + bias[c]) for i in targets (the concat step of hidden layers). hf % 4 == 0.
void heads_concat_elu(const i32 *targets, i32 ntargets, i32 hf, const f32 *agg, const f32 *bias, f32 *out, i32 c0, i32 c1) {
  v128_t zero = wasm_f32x4_splat(0);
  for (i32 r = 0; r < ntargets; r++) {
    long o = (long)targets[r] * hf;
    for (i32 c = c0; c < c1; c += 4) {
      v128_t v = wasm_f32x4_add(wasm_v128_load(agg + o + c), wasm_v128_load(bias + c));
      wasm_v128_store(out + o + c, wasm_v128_bitselect(v, vexpm1(v), wasm_f32x4_gt(v, zero)));
    }
  }
}

// Its gradient: dAgg = dOut · min(out + 1, 1); dBias += dAgg (dBias 0: dAgg only, for rows split
// across threads; column_sum then adds dBias by columns). hf % 4 == 0.
void heads_concat_elu_backward(const i32 *targets, i32 ntargets, i32 hf, const f32 *out, const f32 *dOut, f32 *dAgg, f32 *dBias, i32 c0, i32 c1) {
  v128_t one = wasm_f32x4_splat(1.0f);
  for (i32 r = 0; r < ntargets; r++) {
    long o = (long)targets[r] * hf;
    for (i32 c = c0; c < c1; c += 4) {
      v128_t g = wasm_f32x4_mul(wasm_v128_load(dOut + o + c), wasm_f32x4_pmin(wasm_f32x4_add(wasm_v128_load(out + o + c), one), one));
      wasm_v128_store(dAgg + o + c, g);
      if (dBias) wasm_v128_store(dBias + c, wasm_f32x4_add(wasm_v128_load(dBias + c), g));
    }
  }
}

// sum[c] += Σ_r x[rows[r], c] for c in [c0, c1), rows in order (a bias gradient by columns). width, c0, c1 % 4 == 0.
void column_sum(const i32 *rows, i32 nrows, i32 width, const f32 *x, f32 *sum, i32 c0, i32 c1) {
  for (i32 r = 0; r < nrows; r++) {
    const f32 *row = x + (long)rows[r] * width;
    for (i32 c = c0; c < c1; c += 4) wasm_v128_store(sum + c, wasm_f32x4_add(wasm_v128_load(sum + c), wasm_v128_load(row + c)));
  }
}

// The mean step of the output layer, in double precision as elementwise.ts computes it (so the
// same bits): out[i, d] = (Σ_h agg[i, h, d]) · (1 / NH) + bias[d] for i in targets.   out (N, FOUT)
void heads_mean(const i32 *targets, i32 ntargets, i32 heads, i32 fout, const f32 *agg, const f32 *bias, f32 *out) {
  i32 hf = heads * fout;
  double inv = 1.0 / heads;
  for (i32 r = 0; r < ntargets; r++) {
    i32 i = targets[r];
    for (i32 d = 0; d < fout; d++) {
      double sum = 0;
      for (i32 h = 0; h < heads; h++) sum += agg[(long)i * hf + h * fout + d];
      out[(long)i * fout + d] = (f32)(sum * inv + bias[d]);
    }
  }
}

// Its gradient: dAgg[i, h, d] = dOut[i, d] / NH for i in rows (this part's rows), and
// dBias[d] += Σ_i dOut[i, d] for d in [d0, d1) over every target in order (this part's columns):
// rows for the rows' outputs, columns for the sum over rows, so no two parts write one element.
void heads_mean_backward(const i32 *targets, i32 ntargets, const i32 *rows, i32 nrows, i32 heads, i32 fout,
                         const f32 *dOut, f32 *dAgg, f32 *dBias, i32 d0, i32 d1) {
  i32 hf = heads * fout;
  double inv = 1.0 / heads;
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    for (i32 d = 0; d < fout; d++) {
      f32 g = (f32)(dOut[(long)i * fout + d] * inv);
      for (i32 h = 0; h < heads; h++) dAgg[(long)i * hf + h * fout + d] = g;
    }
  }
  for (i32 r = 0; r < ntargets; r++) {
    const f32 *g = dOut + (long)targets[r] * fout;
    for (i32 d = d0; d < d1; d++) dBias[d] += g[d];
  }
}

// ---- Step 1: input dropout and the dense projection (narrow layers) ----------------------------
// Dropout on the sparse input: xd[p] = values[p] · mask(p) for the non-zeros of rows (projection.ts dropSparseInput).
void drop_sparse(const i32 *indptr, const i32 *rows, i32 nrows, const f32 *values, i32 key, i32 threshold, f32 scale, f32 *xd) {
  v128_t vscale = wasm_f32x4_splat(scale);
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    i32 p = indptr[i], p1 = indptr[i + 1];
    for (; p + 4 <= p1; p += 4) {
      wasm_v128_store(xd + p, wasm_v128_and(wasm_f32x4_mul(wasm_v128_load(values + p), vscale), vkeep(key, p, threshold)));
    }
    for (; p < p1; p++) xd[p] = skeep(key, p, threshold) ? values[p] * scale : 0.0f;
  }
}

// Dropout on a dense input: xd[i, :] = x[i, :] · mask (index i·FIN + k) for i in rows.
void drop_dense(const f32 *x, const i32 *rows, i32 nrows, i32 fin, i32 key, i32 threshold, f32 scale, f32 *xd) {
  v128_t vscale = wasm_f32x4_splat(scale);
  for (i32 r = 0; r < nrows; r++) {
    i32 xo = rows[r] * fin;
    i32 k = 0;
    for (; k + 4 <= fin; k += 4) {
      wasm_v128_store(xd + xo + k, wasm_v128_and(wasm_f32x4_mul(wasm_v128_load(x + xo + k), vscale), vkeep(key, xo + k, threshold)));
    }
    for (; k < fin; k++) xd[xo + k] = skeep(key, xo + k, threshold) ? x[xo + k] * scale : 0.0f;
  }
}

// out[i, :] = xd[i, :] · wT for i in rows. wT (FIN, HF). FIN % 4 == 0 and HF <= 64: with W = wTᵀ
// (HF, FIN) transposed into `scratch`, each output is a dot product over FIN in 4 lanes (independent
// chains for the HF outputs); otherwise plain loops.
void dense_project(const f32 *xd, const i32 *rows, i32 nrows, i32 fin, const f32 *wT, i32 hf, f32 *out, f32 *scratch) {
  if (fin % 4 != 0 || hf > 64) {
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      const f32 *x = xd + (long)i * fin;
      f32 *o = out + (long)i * hf;
      for (i32 c = 0; c < hf; c++) {
        f32 a = 0;
        for (i32 k = 0; k < fin; k++) a += x[k] * wT[k * hf + c];
        o[c] = a;
      }
    }
    return;
  }
  f32 *w = scratch;
  for (i32 k = 0; k < fin; k++)
    for (i32 c = 0; c < hf; c++) w[c * fin + k] = wT[k * hf + c];
  i32 hf4 = (hf + 3) & ~3;
  for (i32 c = hf; c < hf4; c++)
    for (i32 k = 0; k < fin; k++) w[c * fin + k] = 0;
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    const f32 *x = xd + (long)i * fin;
    f32 *o = out + (long)i * hf;
    for (i32 c = 0; c < hf4; c += 4) {
      const f32 *w0 = w + c * fin, *w1 = w0 + fin, *w2 = w1 + fin, *w3 = w2 + fin;
      v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
      for (i32 k = 0; k < fin; k += 4) {
        v128_t v = wasm_v128_load(x + k);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(v, wasm_v128_load(w0 + k)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(v, wasm_v128_load(w1 + k)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(v, wasm_v128_load(w2 + k)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(v, wasm_v128_load(w3 + k)));
      }
      v128_t s = hsum4(a0, a1, a2, a3);
      if (c + 4 <= hf) {
        wasm_v128_store(o + c, s);
      } else {
        f32 lanes[4];
        wasm_v128_store(lanes, s);
        for (i32 q = 0; c + q < hf; q++) o[c + q] = lanes[q];
      }
    }
  }
}

// Gradients of dense_project: dwT += xdᵀ · dOut and dx[i, :] = (dOut[i, :] · wTᵀ) ⊙ mask for i in rows.
// FIN % 4 == 0: vectorised over FIN with the weight and its gradient transposed to (HF, FIN) in
// `scratch` (2·HF·FIN floats); the gradient's elements still sum the rows in order, starting from dwT.
void dense_project_grad(const f32 *xd, const i32 *rows, i32 nrows, i32 fin, i32 key, i32 threshold, f32 scale,
                        const f32 *wT, i32 hf, const f32 *dOut, f32 *dwT, f32 *dx, f32 *scratch) {
  if (fin % 4 != 0) {
    for (i32 r = 0; r < nrows; r++) {
      i32 i = rows[r];
      i32 xo = i * fin;
      const f32 *g = dOut + (long)i * hf;
      for (i32 k = 0; k < fin; k++) {
        f32 v = xd[xo + k], acc = 0;
        f32 *dw = dwT + k * hf;
        const f32 *w = wT + k * hf;
        for (i32 c = 0; c < hf; c++) {
          dw[c] += v * g[c];
          acc += g[c] * w[c];
        }
        dx[xo + k] = skeep(key, xo + k, threshold) ? acc * scale : 0.0f;
      }
    }
    return;
  }
  f32 *w = scratch, *dw = scratch + hf * fin;
  for (i32 k = 0; k < fin; k++)
    for (i32 c = 0; c < hf; c++) {
      w[c * fin + k] = wT[k * hf + c];
      dw[c * fin + k] = dwT[k * hf + c];
    }
  v128_t vscale = wasm_f32x4_splat(scale);
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    i32 xo = i * fin;
    const f32 *x = xd + xo;
    const f32 *g = dOut + (long)i * hf;
    for (i32 k = 0; k < fin; k += 4) {
      v128_t v = wasm_v128_load(x + k);
      v128_t acc = wasm_f32x4_splat(0);
      for (i32 c = 0; c < hf; c++) {
        v128_t gc = wasm_f32x4_splat(g[c]);
        f32 *d = dw + c * fin + k;
        wasm_v128_store(d, wasm_f32x4_add(wasm_v128_load(d), wasm_f32x4_mul(v, gc)));
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(gc, wasm_v128_load(w + c * fin + k)));
      }
      wasm_v128_store(dx + xo + k, wasm_v128_and(wasm_f32x4_mul(acc, vscale), vkeep(key, xo + k, threshold)));
    }
  }
  for (i32 k = 0; k < fin; k++)
    for (i32 c = 0; c < hf; c++) dwT[k * hf + c] = dw[c * fin + k];
}

// ---- Adam ----------------------------------------------------------------------------------------
// Adam (adam.ts adamUpdate) in f64x2 with the TypeScript loop's operations in its order, so the
// results are the same bits: moments and step in double, stored as f32.
static inline void adam2(v128_t p, v128_t g, v128_t m, v128_t v, v128_t wd, v128_t b1, v128_t b2, v128_t c1, v128_t c2,
                         v128_t stepSize, v128_t invSqrtBc2, v128_t eps, v128_t *pOut, v128_t *mOut, v128_t *vOut) {
  g = wasm_f64x2_add(g, wasm_f64x2_mul(wd, p));
  v128_t mi = wasm_f64x2_add(wasm_f64x2_mul(b1, m), wasm_f64x2_mul(c1, g));
  v128_t vi = wasm_f64x2_add(wasm_f64x2_mul(b2, v), wasm_f64x2_mul(wasm_f64x2_mul(c2, g), g));
  *mOut = mi;
  *vOut = vi;
  *pOut = wasm_f64x2_sub(p, wasm_f64x2_div(wasm_f64x2_mul(stepSize, mi), wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_sqrt(vi), invSqrtBc2), eps)));
}

#define LO(x) wasm_f64x2_promote_low_f32x4(x)
#define HI(x) wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 0, 1))
#define JOIN(lo, hi) wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5)

void adam_update(f32 *params, const f32 *grad, f32 *m, f32 *v, i32 n, double wd, double b1, double b2, double c1, double c2,
                 double stepSize, double invSqrtBc2, double eps) {
  v128_t vwd = wasm_f64x2_splat(wd), vb1 = wasm_f64x2_splat(b1), vb2 = wasm_f64x2_splat(b2), vc1 = wasm_f64x2_splat(c1);
  v128_t vc2 = wasm_f64x2_splat(c2), vss = wasm_f64x2_splat(stepSize), vbc = wasm_f64x2_splat(invSqrtBc2), veps = wasm_f64x2_splat(eps);
  i32 i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t p = wasm_v128_load(params + i), g = wasm_v128_load(grad + i), mm = wasm_v128_load(m + i), vv = wasm_v128_load(v + i);
    v128_t p0, m0, v0, p1, m1, v1;
    adam2(LO(p), LO(g), LO(mm), LO(vv), vwd, vb1, vb2, vc1, vc2, vss, vbc, veps, &p0, &m0, &v0);
    adam2(HI(p), HI(g), HI(mm), HI(vv), vwd, vb1, vb2, vc1, vc2, vss, vbc, veps, &p1, &m1, &v1);
    wasm_v128_store(params + i, JOIN(p0, p1));
    wasm_v128_store(m + i, JOIN(m0, m1));
    wasm_v128_store(v + i, JOIN(v0, v1));
  }
  for (; i < n; i++) {
    double g = (double)grad[i] + wd * (double)params[i];
    double mi = b1 * (double)m[i] + c1 * g;
    double vi = b2 * (double)v[i] + c2 * g * g;
    m[i] = (f32)mi;
    v[i] = (f32)vi;
    params[i] = (f32)((double)params[i] - (stepSize * mi) / (__builtin_sqrt(vi) * invSqrtBc2 + eps));
  }
}
