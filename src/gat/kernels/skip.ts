/**
 * Skip connections (GAT.py's add_skip_connection; step 3 of the layer stated in gatLayer.ts), added
 * to the aggregated messages before the heads are concatenated or averaged, and their gradients. Elementwise: cheap next to the products.
 * Shapes: agg, skip (N, NH·FOUT); x (N, FIN) with FIN == FOUT for the identity skip.
 */

/** agg[i, :] += skip[i, :] for i in targets. */
// explain: skip (the Computation panel links this step here; resolved by scripts/build.mjs)
export function addSkip(targets: Int32Array, hf: number, skip: Float32Array, agg: Float32Array): void {
  for (let r = 0; r < targets.length; r++) {
    const o = targets[r] * hf;
    for (let c = 0; c < hf; c++) agg[o + c] += skip[o + c];
  }
}

/** Identity skip: agg[i, h, :] += x[i, :] for every head h, i in targets. */
export function addIdentitySkip(targets: Int32Array, heads: number, fout: number, x: Float32Array, agg: Float32Array): void {
  const hf = heads * fout;
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    for (let h = 0; h < heads; h++) for (let d = 0; d < fout; d++) agg[i * hf + h * fout + d] += x[i * fout + d];
  }
}

/** Identity skip backward: dx[i, :] += Σ_h dAgg[i, h, :] for i in targets. */
export function identitySkipBackward(targets: Int32Array, heads: number, fout: number, dAgg: Float32Array, dx: Float32Array): void {
  const hf = heads * fout;
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    for (let h = 0; h < heads; h++) for (let d = 0; d < fout; d++) dx[i * fout + d] += dAgg[i * hf + h * fout + d];
  }
}

/** Identity skip on the sparse first layer: agg[i, h, col] += xd[p] for the non-zeros p of row i. */
export function addSparseIdentitySkip(indptr: Int32Array, indices: Int32Array, xd: Float32Array, targets: Int32Array, heads: number, fout: number, agg: Float32Array): void {
  const hf = heads * fout;
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    for (let p = indptr[i]; p < indptr[i + 1]; p++) for (let h = 0; h < heads; h++) agg[i * hf + h * fout + indices[p]] += xd[p];
  }
}

/** Copies rows `rows` of a (·, width) matrix into consecutive rows of `out`. */
export function gatherRows(src: Float32Array, rows: Int32Array, width: number, out: Float32Array): Float32Array {
  for (let r = 0; r < rows.length; r++) out.set(src.subarray(rows[r] * width, rows[r] * width + width), r * width);
  return out;
}

/** The reverse: consecutive rows of `src` into rows `rows` of `out`. */
export function scatterRows(src: Float32Array, rows: Int32Array, width: number, out: Float32Array): void {
  for (let r = 0; r < rows.length; r++) out.set(src.subarray(r * width, r * width + width), rows[r] * width);
}
