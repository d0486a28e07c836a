/**
 * Projection kernels over typed arrays (step 1 of the layer stated in gatLayer.ts, with its input
 * dropout): sparse × dense for the bag-of-words layer, dense × dense for the layers after it.
 * Rows are processed only for the listed nodes (the receptive field).
 * Output columns go in blocks of 8 held in locals: V8 keeps them in registers, which made the
 * sparse product 2.7× faster than accumulating into memory.
 */
import type { CsrMatrix } from '../data/graph';
import { dropped } from './random';

/**
 * xd[p] = x.values[p] · mask(p) for the non-zeros of `rows` (dropout on the sparse input: only
 * non-zeros can survive it). With `threshold` 0 and `scale` 1 this is a copy.
 */
export function dropSparseInput(x: CsrMatrix, rows: Int32Array, key: number, threshold: number, scale: number, xd: Float32Array): void {
  const { indptr, values } = x;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let p = indptr[i], end = indptr[i + 1]; p < end; p++) {
      const drop = dropped(key, p, threshold); // branch-free: 1 when dropped
      xd[p] = values[p] * scale * (1 - drop);
    }
  }
}

/** out[i, :] = Σ_p xd[p] · wT[col(p), :] for i in rows.   wT (FIN, HF), out (N, HF). */
// explain: projection (the Computation panel links this step here; resolved by scripts/build.mjs)
export function sparseProject(x: CsrMatrix, xd: Float32Array, rows: Int32Array, wT: Float32Array, hf: number, out: Float32Array): void {
  const { indptr, indices } = x;
  const blocked = hf - (hf % 8);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const p0 = indptr[i];
    const p1 = indptr[i + 1];
    const o = i * hf;
    for (let c = 0; c < blocked; c += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let p = p0; p < p1; p++) {
        const v = xd[p];
        const w = indices[p] * hf + c;
        a0 += v * wT[w]; a1 += v * wT[w + 1]; a2 += v * wT[w + 2]; a3 += v * wT[w + 3];
        a4 += v * wT[w + 4]; a5 += v * wT[w + 5]; a6 += v * wT[w + 6]; a7 += v * wT[w + 7];
      }
      out[o + c] = a0; out[o + c + 1] = a1; out[o + c + 2] = a2; out[o + c + 3] = a3;
      out[o + c + 4] = a4; out[o + c + 5] = a5; out[o + c + 6] = a6; out[o + c + 7] = a7;
    }
    for (let c = blocked; c < hf; c++) {
      let a = 0;
      for (let p = p0; p < p1; p++) a += xd[p] * wT[indices[p] * hf + c];
      out[o + c] = a;
    }
  }
}

/** dwT[col(p), :] += xd[p] · dOut[i, :] for i in rows (the weight gradient of `sparseProject`). */
export function sparseProjectGradW(x: CsrMatrix, xd: Float32Array, rows: Int32Array, dOut: Float32Array, hf: number, dwT: Float32Array): void {
  const { indptr, indices } = x;
  const blocked = hf - (hf % 8);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const p0 = indptr[i];
    const p1 = indptr[i + 1];
    const o = i * hf;
    for (let c = 0; c < blocked; c += 8) {
      const g0 = dOut[o + c], g1 = dOut[o + c + 1], g2 = dOut[o + c + 2], g3 = dOut[o + c + 3];
      const g4 = dOut[o + c + 4], g5 = dOut[o + c + 5], g6 = dOut[o + c + 6], g7 = dOut[o + c + 7];
      for (let p = p0; p < p1; p++) {
        const v = xd[p];
        const w = indices[p] * hf + c;
        dwT[w] += v * g0; dwT[w + 1] += v * g1; dwT[w + 2] += v * g2; dwT[w + 3] += v * g3;
        dwT[w + 4] += v * g4; dwT[w + 5] += v * g5; dwT[w + 6] += v * g6; dwT[w + 7] += v * g7;
      }
    }
    for (let c = blocked; c < hf; c++) {
      const g = dOut[o + c];
      for (let p = p0; p < p1; p++) dwT[indices[p] * hf + c] += xd[p] * g;
    }
  }
}

/** xd[i, :] = x[i, :] · mask for i in rows (dropout on a dense input, mask index i·FIN + k). */
export function dropDense(x: Float32Array, rows: Int32Array, fin: number, key: number, threshold: number, scale: number, xd: Float32Array): void {
  for (let r = 0; r < rows.length; r++) {
    const xo = rows[r] * fin;
    for (let k = 0; k < fin; k++) {
      const drop = dropped(key, xo + k, threshold);
      xd[xo + k] = x[xo + k] * scale * (1 - drop);
    }
  }
}

/** out[i, :] = xd[i, :] · wT for i in rows.   xd (N, FIN), wT (FIN, HF), out (N, HF). */
export function denseProject(xd: Float32Array, rows: Int32Array, fin: number, wT: Float32Array, hf: number, out: Float32Array): void {
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const xo = i * fin;
    const o = i * hf;
    for (let c = 0; c < hf; c++) {
      let a = 0;
      for (let k = 0; k < fin; k++) a += xd[xo + k] * wT[k * hf + c];
      out[o + c] = a;
    }
  }
}

/**
 * Gradients of `denseProject`: dwT += xdᵀ · dOut and dx[i, :] = (dOut[i, :] · wTᵀ) ⊙ mask for i in rows
 * (the mask is recomputed from its key: cheaper than storing it).
 */
export function denseProjectGrad(
  xd: Float32Array, rows: Int32Array, fin: number, key: number, threshold: number, scale: number,
  wT: Float32Array, hf: number, dOut: Float32Array, dwT: Float32Array, dx: Float32Array,
): void {
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const xo = i * fin;
    const o = i * hf;
    for (let k = 0; k < fin; k++) {
      const v = xd[xo + k];
      const w = k * hf;
      let acc = 0;
      for (let c = 0; c < hf; c++) {
        const g = dOut[o + c];
        dwT[w + c] += v * g;
        acc += g * wT[w + c];
      }
      const drop = dropped(key, xo + k, threshold);
      dx[xo + k] = acc * scale * (1 - drop);
    }
  }
}
