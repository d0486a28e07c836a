// Hot GAT kernels in WebAssembly SIMD (f32x4). Same maths as the TypeScript kernels in
// ../projection.ts and ../attention.ts; pointers are byte offsets into the imported memory.
// Build: node scripts/buildWasmKernels.mjs (needs clang + lld; writes gatKernelsWasm.ts).
#include <wasm_simd128.h>

typedef float f32;
typedef int i32;

// out[i, :] = sum_p xd[p] * wT[col(p), :] for i in rows.   wT (FIN, HF), out (N, HF); HF % 4 == 0
void sparse_project(const i32 *indptr, const i32 *indices, const f32 *xd, const i32 *rows, i32 nrows,
                    const f32 *wT, i32 hf, f32 *out) {
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    i32 p0 = indptr[i], p1 = indptr[i + 1];
    f32 *o = out + (long)i * hf;
    i32 c = 0;
    for (; c + 16 <= hf; c += 16) {
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
    for (; c < hf; c += 4) {
      v128_t a = wasm_f32x4_splat(0);
      for (i32 p = p0; p < p1; p++) {
        a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(xd[p]), wasm_v128_load(wT + (long)indices[p] * hf + c)));
      }
      wasm_v128_store(o + c, a);
    }
  }
}

// dwT[col(p), :] += xd[p] * dOut[i, :] for i in rows.   HF % 4 == 0
void sparse_project_grad_w(const i32 *indptr, const i32 *indices, const f32 *xd, const i32 *rows, i32 nrows,
                           const f32 *dOut, i32 hf, f32 *dwT) {
  for (i32 r = 0; r < nrows; r++) {
    i32 i = rows[r];
    i32 p0 = indptr[i], p1 = indptr[i + 1];
    const f32 *g = dOut + (long)i * hf;
    i32 c = 0;
    for (; c + 16 <= hf; c += 16) {
      v128_t g0 = wasm_v128_load(g + c), g1 = wasm_v128_load(g + c + 4);
      v128_t g2 = wasm_v128_load(g + c + 8), g3 = wasm_v128_load(g + c + 12);
      for (i32 p = p0; p < p1; p++) {
        v128_t v = wasm_f32x4_splat(xd[p]);
        f32 *w = dwT + (long)indices[p] * hf + c;
        wasm_v128_store(w, wasm_f32x4_add(wasm_v128_load(w), wasm_f32x4_mul(v, g0)));
        wasm_v128_store(w + 4, wasm_f32x4_add(wasm_v128_load(w + 4), wasm_f32x4_mul(v, g1)));
        wasm_v128_store(w + 8, wasm_f32x4_add(wasm_v128_load(w + 8), wasm_f32x4_mul(v, g2)));
        wasm_v128_store(w + 12, wasm_f32x4_add(wasm_v128_load(w + 12), wasm_f32x4_mul(v, g3)));
      }
    }
    for (; c < hf; c += 4) {
      v128_t g0 = wasm_v128_load(g + c);
      for (i32 p = p0; p < p1; p++) {
        f32 *w = dwT + (long)indices[p] * hf + c;
        wasm_v128_store(w, wasm_f32x4_add(wasm_v128_load(w), wasm_f32x4_mul(wasm_f32x4_splat(xd[p]), g0)));
      }
    }
  }
}

// out[i, h, :] = sum_{e into i} alphaD[e, h] * p[src(e), h, :] for i in targets.   FOUT % 4 == 0
void aggregate(const i32 *rowPtr, const i32 *source, const i32 *targets, i32 ntargets, i32 heads, i32 fout,
               const f32 *alphaD, const f32 *p, f32 *out) {
  i32 hf = heads * fout;
  for (i32 r = 0; r < ntargets; r++) {
    i32 i = targets[r];
    i32 e0 = rowPtr[i], e1 = rowPtr[i + 1];
    for (i32 h = 0; h < heads; h++) {
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
