/**
 * Edge-list attention kernels over typed arrays (edges grouped by target, see GatGraph): steps 2
 * and 3 of the layer stated in gatLayer.ts, and their gradients.
 * Shapes: N nodes, NH heads, FOUT features per head, E' edges incl. self-loops;
 * p (N, NH·FOUT) projected features, node scores (N, NH), edge arrays (E', NH) head-minor.
 */
import type { GatGraph } from './gatGraph';
import { dropped } from './random';
import { LEAKY_RELU_SLOPE as SLOPE } from './gatLayer';

/** sSrc[i, h] = ⟨p[i, h, :], aSrc[h, :]⟩ and the same for aTrg, for i in rows. */
// explain: scores (the Computation panel links this step here; resolved by scripts/build.mjs)
export function nodeScores(p: Float32Array, rows: Int32Array, heads: number, fout: number, aSrc: Float32Array, aTrg: Float32Array, sSrc: Float32Array, sTrg: Float32Array): void {
  const hf = heads * fout;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let h = 0; h < heads; h++) {
      const o = i * hf + h * fout;
      const a = h * fout;
      let s = 0;
      let t = 0;
      for (let d = 0; d < fout; d++) {
        const v = p[o + d];
        s += v * aSrc[a + d];
        t += v * aTrg[a + d];
      }
      sSrc[i * heads + h] = s;
      sTrg[i * heads + h] = t;
    }
  }
}

/**
 * Per target i and head h: e = LeakyReLU(sSrc[j] + sTrg[i]) over edges j → i, alpha = softmax of
 * e over the neighbourhood (max-subtracted), alphaD = alpha · dropout mask (index e·NH + h).
 */
// explain: attention (the Computation panel links this step here; resolved by scripts/build.mjs)
export function edgeSoftmax(
  g: GatGraph, targets: Int32Array, heads: number, sSrc: Float32Array, sTrg: Float32Array,
  key: number, threshold: number, scale: number, alpha: Float32Array, alphaD: Float32Array,
): void {
  const { rowPtr, source } = g;
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    const e0 = rowPtr[i];
    const e1 = rowPtr[i + 1];
    for (let h = 0; h < heads; h++) {
      const st = sTrg[i * heads + h];
      let max = -Infinity;
      for (let e = e0; e < e1; e++) {
        const z = sSrc[source[e] * heads + h] + st;
        const y = Math.max(z, SLOPE * z); // LeakyReLU, branch-free
        alpha[e * heads + h] = y;
        max = Math.max(max, y);
      }
      let sum = 0;
      for (let e = e0; e < e1; e++) {
        const x = Math.exp(alpha[e * heads + h] - max);
        alpha[e * heads + h] = x;
        sum += x;
      }
      const inv = 1 / sum;
      if (threshold === 0) {
        for (let e = e0; e < e1; e++) {
          const k = e * heads + h;
          const a = alpha[k] * inv;
          alpha[k] = a;
          alphaD[k] = a;
        }
        continue;
      }
      for (let e = e0; e < e1; e++) {
        const k = e * heads + h;
        const a = alpha[k] * inv;
        const drop = dropped(key, k, threshold);
        alpha[k] = a;
        alphaD[k] = a * scale * (1 - drop);
      }
    }
  }
}

/** out[i, h, :] = Σ_{j → i} alphaD[e, h] · p[j, h, :] for i in targets. */
// explain: aggregate (the Computation panel links this step here; resolved by scripts/build.mjs)
export function aggregate(g: GatGraph, targets: Int32Array, heads: number, fout: number, alphaD: Float32Array, p: Float32Array, out: Float32Array): void {
  const { rowPtr, source } = g;
  const hf = heads * fout;
  const blocked = fout - (fout % 8);
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    const e0 = rowPtr[i];
    const e1 = rowPtr[i + 1];
    for (let h = 0; h < heads; h++) {
      const oh = i * hf + h * fout;
      // 8 output features in locals per pass over the neighbourhood
      for (let d = 0; d < blocked; d += 8) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (let e = e0; e < e1; e++) {
          const a = alphaD[e * heads + h];
          const s = source[e] * hf + h * fout + d;
          a0 += a * p[s]; a1 += a * p[s + 1]; a2 += a * p[s + 2]; a3 += a * p[s + 3];
          a4 += a * p[s + 4]; a5 += a * p[s + 5]; a6 += a * p[s + 6]; a7 += a * p[s + 7];
        }
        out[oh + d] = a0; out[oh + d + 1] = a1; out[oh + d + 2] = a2; out[oh + d + 3] = a3;
        out[oh + d + 4] = a4; out[oh + d + 5] = a5; out[oh + d + 6] = a6; out[oh + d + 7] = a7;
      }
      for (let d = blocked; d < fout; d++) {
        let acc = 0;
        for (let e = e0; e < e1; e++) acc += alphaD[e * heads + h] * p[source[e] * hf + h * fout + d];
        out[oh + d] = acc;
      }
    }
  }
}

/**
 * Backward of `edgeSoftmax` + `aggregate` for targets: accumulates dP[j] += alphaD · dOut[i]
 * (the message path) and dsSrc[j], dsTrg[i] (the score path). `tmp` has E' · NH floats.
 * Two passes, as the threaded wasm kernels run it: by target, then by source over the reverse
 * index (edges out of each source in edge order), so every element sums in one fixed order.
 */
export function attentionBackward(
  g: GatGraph, targets: Int32Array, heads: number, fout: number, p: Float32Array, dOut: Float32Array,
  alpha: Float32Array, alphaD: Float32Array, sSrc: Float32Array, sTrg: Float32Array,
  key: number, threshold: number, scale: number,
  dP: Float32Array, dsSrc: Float32Array, dsTrg: Float32Array, tmp: Float32Array,
): void {
  const { rowPtr, source, target, outPtr, outEdge } = g;
  const hf = heads * fout;
  // Pass 1, by target i: dA per edge and head, dZ through softmax and LeakyReLU (left in tmp), dsTrg[i]
  for (let r = 0; r < targets.length; r++) {
    const i = targets[r];
    const e0 = rowPtr[i];
    const e1 = rowPtr[i + 1];
    for (let h = 0; h < heads; h++) {
      const go = i * hf + h * fout;
      let dot = 0;
      for (let e = e0; e < e1; e++) {
        const k = e * heads + h;
        const s = source[e] * hf + h * fout;
        let dAD = 0;
        for (let d = 0; d < fout; d++) dAD += dOut[go + d] * p[s + d];
        const drop = dropped(key, k, threshold); // the forward's mask, recomputed
        const dA = dAD * scale * (1 - drop);
        tmp[k] = dA;
        dot += alpha[k] * dA;
      }
      const st = sTrg[i * heads + h];
      let dT = 0;
      for (let e = e0; e < e1; e++) {
        const k = e * heads + h;
        const z = sSrc[source[e] * heads + h] + st;
        const dZ = alpha[k] * (tmp[k] - dot) * (z > 0 ? 1 : SLOPE);
        tmp[k] = dZ;
        dT += dZ;
      }
      dsTrg[i * heads + h] += dT;
    }
  }
  // Pass 2, by source j over its out-edges e = j → i whose target is in this pass: dP[j], dsSrc[j]
  const inPass = new Uint8Array(g.numNodes);
  for (const i of targets) inPass[i] = 1;
  for (let j = 0; j < g.numNodes; j++) {
    for (let q = outPtr[j]; q < outPtr[j + 1]; q++) {
      const e = outEdge[q];
      const i = target[e];
      if (!inPass[i]) continue;
      for (let h = 0; h < heads; h++) {
        const k = e * heads + h;
        const aD = alphaD[k];
        const go = i * hf + h * fout;
        const o = j * hf + h * fout;
        for (let d = 0; d < fout; d++) dP[o + d] += aD * dOut[go + d];
        dsSrc[j * heads + h] += tmp[k];
      }
    }
  }
}

/**
 * Backward of `nodeScores` for rows: dP[i, h, :] += dsSrc · aSrc + dsTrg · aTrg,
 * daSrc[h, :] += dsSrc · p[i, h, :], daTrg likewise.
 */
export function nodeScoresBackward(
  p: Float32Array, rows: Int32Array, heads: number, fout: number, aSrc: Float32Array, aTrg: Float32Array,
  dsSrc: Float32Array, dsTrg: Float32Array, dP: Float32Array, daSrc: Float32Array, daTrg: Float32Array,
): void {
  const hf = heads * fout;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let h = 0; h < heads; h++) {
      const gs = dsSrc[i * heads + h];
      const gt = dsTrg[i * heads + h];
      const o = i * hf + h * fout;
      const a = h * fout;
      for (let d = 0; d < fout; d++) {
        const v = p[o + d];
        dP[o + d] += gs * aSrc[a + d] + gt * aTrg[a + d];
        daSrc[a + d] += gs * v;
        daTrg[a + d] += gt * v;
      }
    }
  }
}
