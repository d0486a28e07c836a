/** Step 4 of the layer stated in gatLayer.ts and its gradient: concat (with ELU) or mean over heads, plus bias. */

/**
 * concat: out[i, c] = ELU(agg[i, c] + bias[c]) over c < NH·FOUT;
 * mean:   out[i, d] = mean_h agg[i, h, d] + bias[d] (the output layer has no activation).
 */
// explain: combine (the Computation panel links this step here; resolved by scripts/build.mjs)
export function applyHeadsForward(targets: Int32Array, heads: number, fout: number, concat: boolean, agg: Float32Array, bias: Float32Array, out: Float32Array): void {
  const hf = heads * fout;
  if (concat) {
    for (let r = 0; r < targets.length; r++) {
      const o = targets[r] * hf;
      for (let c = 0; c < hf; c++) {
        const v = agg[o + c] + bias[c];
        out[o + c] = v > 0 ? v : Math.expm1(v);
      }
    }
    return;
  }
  const inv = 1 / heads;
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    for (let d = 0; d < fout; d++) {
      let sum = 0;
      for (let h = 0; h < heads; h++) sum += agg[i * hf + h * fout + d];
      out[i * fout + d] = sum * inv + bias[d];
    }
  }
}

/** Gradient of `applyHeadsForward`: dAgg from dOut, and dBias accumulated. ELU' = min(out + 1, 1). */
export function applyHeadsBackward(targets: Int32Array, heads: number, fout: number, concat: boolean, out: Float32Array, dOut: Float32Array, dAgg: Float32Array, dBias: Float32Array): void {
  const hf = heads * fout;
  if (concat) {
    for (let r = 0; r < targets.length; r++) {
      const o = targets[r] * hf;
      for (let c = 0; c < hf; c++) {
        const g = dOut[o + c] * Math.min(out[o + c] + 1, 1);
        dAgg[o + c] = g;
        dBias[c] += g;
      }
    }
    return;
  }
  const inv = 1 / heads;
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    for (let d = 0; d < fout; d++) {
      const g = dOut[i * fout + d];
      dBias[d] += g;
      for (let h = 0; h < heads; h++) dAgg[i * hf + h * fout + d] = g * inv;
    }
  }
}
