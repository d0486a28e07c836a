/**
 * The float64 reference forward pass over one node's receptive field, with two ways to weaken an
 * edge unit, and the exact gradient of the output with respect to the soft one:
 *
 *   removed:  the edge leaves the graph; every softmax renormalises over the neighbours left
 *             (what leave-one-out and fidelity measure, and what a what-if edit does);
 *   mask m_u: each message is scaled after the softmax, h_i' = Σ_j m_u(ij) · α_ij · W h_j + …,
 *             the soft edge mask of saliency, Integrated Gradients and GNNExplainer (as PyG's
 *             explain mode applies it: the same mask in every layer, self-loops unmasked).
 *
 * The layer is the one stated in kernels/gatLayer.ts and followed step by step in explainNode.ts;
 * tests check this pass against explainNode and its gradient against central differences.
 *
 * Shapes per layer: NH heads, FOUT per head, HF = NH·FOUT; E_l edges into the layer's targets;
 * node rows are indexed by local id (ReceptiveField.nodes).
 */
import type { CsrMatrix } from '../data/graph';
import { LEAKY_RELU_SLOPE as SLOPE } from '../kernels/gatLayer';
import type { LayerWeights } from './layerWeights';
import type { ReceptiveField } from './receptiveField';

export interface LayerRecord {
  readonly proj: Float64Array; // (nLocal, HF) W h_j, valid for the layer's inputs
  readonly sSrc: Float64Array; // (nLocal, NH) a_src · W h_j
  readonly tTrg: Float64Array; // (nLocal, NH) a_trg · W h_i
  readonly z: Float64Array; // (E_l, NH) s_j + t_i, before LeakyReLU
  readonly alpha: Float64Array; // (E_l, NH) softmax weights (0 for a removed edge)
  readonly out: Float64Array; // (nLocal, DOUT) the layer's output, valid for its targets
}

export interface ForwardRecord {
  readonly layers: readonly LayerRecord[];
  readonly logits: Float64Array;
}

export interface Weakening {
  /** Per unit, 1 = removed from the graph. */
  readonly removed?: Uint8Array;
  /** Per unit, the message scale m_u ∈ [0, 1]. */
  readonly mask?: Float64Array;
}

const outDim = (w: LayerWeights): number => (w.shape.concat ? w.shape.heads * w.shape.fout : w.shape.fout);

export class FieldModel {
  private readonly nLocal: number;
  private readonly target: number; // local id of the explained node

  constructor(
    readonly field: ReceptiveField,
    private readonly weights: readonly LayerWeights[],
    private readonly features: CsrMatrix,
  ) {
    this.nLocal = field.nodes.length;
    this.target = field.local.get(field.node)!;
  }

  get numUnits(): number {
    return this.field.units.length;
  }

  /** Every layer, every target: the record the gradient and the incremental passes start from. */
  forward(weak: Weakening = {}): ForwardRecord {
    const layers: LayerRecord[] = [];
    for (let l = 0; l < this.weights.length; l++) {
      const { shape: s } = this.weights[l];
      const fl = this.field.layers[l];
      const hf = s.heads * s.fout;
      const rec: LayerRecord = {
        proj: new Float64Array(this.nLocal * hf),
        sSrc: new Float64Array(this.nLocal * s.heads),
        tTrg: new Float64Array(this.nLocal * s.heads),
        z: new Float64Array(fl.source.length * s.heads),
        alpha: new Float64Array(fl.source.length * s.heads),
        out: new Float64Array(this.nLocal * outDim(this.weights[l])),
      };
      const below = l > 0 ? layers[l - 1].out : null;
      // Step 1–2: projections and per-node scores of every input                (HF), (NH) each
      for (const j of fl.inputs) this.projectRow(l, j, below, rec.proj.subarray(j * hf, (j + 1) * hf), rec.sSrc, rec.tTrg);
      // Step 3–6: attention, aggregation, skip, combine, activation per target
      for (let t = 0; t < fl.targets.length; t++) {
        const i = fl.targets[t];
        const inputOf = (v: number): Float64Array => this.inputRow(l, v, below);
        this.targetRow(l, t, (j) => rec.proj.subarray(j * hf, (j + 1) * hf), (j, h) => rec.sSrc[j * s.heads + h], rec.tTrg.subarray(i * s.heads, (i + 1) * s.heads), inputOf, weak, rec);
      }
      layers.push(rec);
    }
    const last = this.weights.length - 1;
    const d = outDim(this.weights[last]);
    return { layers, logits: layers[last].out.slice(this.target * d, (this.target + 1) * d) };
  }

  /**
   * The logits with `removed` units taken out, recomputing only what they change: the targets that
   * lose an edge and, layer by layer, every target that reads a changed row. `base` is an
   * unweakened forward().
   */
  logitsWithout(base: ForwardRecord, removed: Uint8Array): Float64Array {
    let changedBelow = new Map<number, Float64Array>(); // local id → new output of the layer below
    for (let l = 0; l < this.weights.length; l++) {
      const { shape: s } = this.weights[l];
      const fl = this.field.layers[l];
      const b = base.layers[l];
      const hf = s.heads * s.fout;
      // Inputs whose row changed get new projections and scores
      const proj = new Map<number, Float64Array>();
      const sSrc = new Map<number, Float64Array>();
      const tTrg = new Map<number, Float64Array>();
      for (const [j, row] of changedBelow) {
        const p = new Float64Array(hf);
        const ss = new Float64Array(s.heads);
        const tt = new Float64Array(s.heads);
        this.projectDense(l, row, p);
        this.scores(l, p, ss, tt);
        proj.set(j, p);
        sSrc.set(j, ss);
        tTrg.set(j, tt);
      }
      const before = changedBelow;
      const inputOf = (i: number): Float64Array => before.get(i) ?? this.inputRow(l, i, l > 0 ? base.layers[l - 1].out : null);
      const changed = new Map<number, Float64Array>();
      const d = outDim(this.weights[l]);
      for (let t = 0; t < fl.targets.length; t++) {
        const i = fl.targets[t];
        let dirty = proj.has(i);
        for (let k = fl.rowPtr[t]; k < fl.rowPtr[t + 1] && !dirty; k++) dirty = (fl.unit[k] >= 0 && removed[fl.unit[k]] === 1) || proj.has(fl.source[k]);
        if (!dirty) continue;
        const out = new Float64Array(d);
        this.targetRow(
          l,
          t,
          (j) => proj.get(j) ?? b.proj.subarray(j * hf, (j + 1) * hf),
          (j, h) => sSrc.get(j)?.[h] ?? b.sSrc[j * s.heads + h],
          tTrg.get(i) ?? b.tTrg.subarray(i * s.heads, (i + 1) * s.heads),
          inputOf,
          { removed },
          null,
          out,
        );
        changed.set(i, out);
      }
      changedBelow = changed;
    }
    return changedBelow.get(this.target) ?? base.logits.slice();
  }

  /**
   * ∂(Σ_c gLogits_c · logit_c)/∂m_u for every unit u, at the mask the record was made with: the
   * reverse of forward(), layer by layer, down to the first layer's messages (no input gradient).
   */
  maskGradient(rec: ForwardRecord, weak: Weakening, gLogits: Float64Array): Float64Array {
    const gMask = new Float64Array(this.numUnits);
    const L = this.weights.length;
    let gOut = new Float64Array(this.nLocal * outDim(this.weights[L - 1]));
    gOut.set(gLogits, this.target * gLogits.length);
    for (let l = L - 1; l >= 0; l--) {
      const { shape: s, w, aSrc, aTrg, skipW } = this.weights[l];
      const fl = this.field.layers[l];
      const r = rec.layers[l];
      const hf = s.heads * s.fout;
      const d = outDim(this.weights[l]);
      const gProj = new Float64Array(this.nLocal * hf);
      const gS = new Float64Array(this.nLocal * s.heads);
      const gT = new Float64Array(this.nLocal * s.heads);
      const gIn = l > 0 ? new Float64Array(this.nLocal * s.fin) : null;
      const gAgg = new Float64Array(hf);
      for (let t = 0; t < fl.targets.length; t++) {
        const i = fl.targets[t];
        const go = gOut.subarray(i * d, (i + 1) * d);
        if (!go.some((v) => v !== 0)) continue;
        // Step 6 back: activation, bias, concat or mean over heads              (HF)
        const out = r.out.subarray(i * d, (i + 1) * d);
        for (let c = 0; c < hf; c++) {
          if (s.concat) gAgg[c] = go[c] * (out[c] > 0 ? 1 : out[c] + 1); // ELU' = 1, or e^x = ELU(x) + 1
          else gAgg[c] = go[c % s.fout] / s.heads;
        }
        // Step 5 back: the skip connection reads the node's own input
        if (gIn && s.skip === 'identity') for (let c = 0; c < hf; c++) gIn[i * s.fin + (c % s.fout)] += gAgg[c];
        if (gIn && s.skip === 'proj') for (let c = 0; c < hf; c++) for (let k = 0; k < s.fin; k++) gIn[i * s.fin + k] += skipW![c * s.fin + k] * gAgg[c];
        // Step 4 back: Σ_j m_u α_ij W h_j → the mask, α and the projections
        for (let h = 0; h < s.heads; h++) {
          let weighted = 0; // Σ_k α_k ∂/∂α_k
          const row0 = fl.rowPtr[t];
          const gAlpha = new Float64Array(fl.rowPtr[t + 1] - row0);
          for (let k = row0; k < fl.rowPtr[t + 1]; k++) {
            const u = fl.unit[k];
            if (u >= 0 && weak.removed?.[u]) continue;
            const j = fl.source[k];
            const a = r.alpha[k * s.heads + h];
            const m = u >= 0 && weak.mask ? weak.mask[u] : 1;
            let dot = 0;
            for (let f = 0; f < s.fout; f++) {
              dot += gAgg[h * s.fout + f] * r.proj[j * hf + h * s.fout + f];
              gProj[j * hf + h * s.fout + f] += m * a * gAgg[h * s.fout + f];
            }
            if (u >= 0) gMask[u] += a * dot;
            gAlpha[k - row0] = m * dot;
            weighted += a * m * dot;
          }
          // Step 3 back: softmax, then LeakyReLU, then e_ij = s_j + t_i
          for (let k = row0; k < fl.rowPtr[t + 1]; k++) {
            const u = fl.unit[k];
            if (u >= 0 && weak.removed?.[u]) continue;
            const a = r.alpha[k * s.heads + h];
            const gE = a * (gAlpha[k - row0] - weighted);
            const gZ = gE * (r.z[k * s.heads + h] > 0 ? 1 : SLOPE);
            gS[fl.source[k] * s.heads + h] += gZ;
            gT[i * s.heads + h] += gZ;
          }
        }
      }
      if (!gIn) break; // the first layer's input is the data: no gradient needed below it
      // Step 2 back: scores s_j = a_src·W h_j, t_i = a_trg·W h_i → the projections; Step 1 back: W^T
      for (const j of fl.inputs) {
        const gp = gProj.subarray(j * hf, (j + 1) * hf);
        for (let h = 0; h < s.heads; h++) {
          const gs = gS[j * s.heads + h];
          const gt = gT[j * s.heads + h];
          if (gs === 0 && gt === 0) continue;
          for (let f = 0; f < s.fout; f++) gp[h * s.fout + f] += gs * aSrc[h * s.fout + f] + gt * aTrg[h * s.fout + f];
        }
        const gi = gIn.subarray(j * s.fin, (j + 1) * s.fin);
        for (let c = 0; c < hf; c++) {
          const g = gp[c];
          if (g === 0) continue;
          const row = c * s.fin;
          for (let k = 0; k < s.fin; k++) gi[k] += w[row + k] * g;
        }
      }
      gOut = gIn;
    }
    return gMask;
  }

  // ── Step 1–2 for one input row: W h_j (HF), s_j = a_src·W h_j and t_j = a_trg·W h_j (NH) ──
  private projectRow(l: number, j: number, below: Float64Array | null, into: Float64Array, sSrc: Float64Array, tTrg: Float64Array): void {
    const { shape: s } = this.weights[l];
    if (l === 0) this.projectSparse(j, into);
    else this.projectDense(l, below!.subarray(j * s.fin, (j + 1) * s.fin), into);
    this.scores(l, into, sSrc.subarray(j * s.heads, (j + 1) * s.heads), tTrg.subarray(j * s.heads, (j + 1) * s.heads));
  }

  private projectSparse(j: number, into: Float64Array): void {
    const { shape: s, w } = this.weights[0];
    const f = this.features;
    const g = this.field.nodes[j];
    for (let c = 0; c < s.heads * s.fout; c++) {
      let acc = 0;
      for (let k = f.indptr[g]; k < f.indptr[g + 1]; k++) acc += w[c * s.fin + f.indices[k]] * f.values[k];
      into[c] = acc;
    }
  }

  private projectDense(l: number, x: Float64Array | Float32Array, into: Float64Array): void {
    const { shape: s, w } = this.weights[l];
    for (let c = 0; c < s.heads * s.fout; c++) {
      let acc = 0;
      for (let k = 0; k < s.fin; k++) acc += w[c * s.fin + k] * x[k];
      into[c] = acc;
    }
  }

  private scores(l: number, p: Float64Array, sSrc: Float64Array, tTrg: Float64Array): void {
    const { shape: s, aSrc, aTrg } = this.weights[l];
    for (let h = 0; h < s.heads; h++) {
      let a = 0;
      let b = 0;
      for (let f = 0; f < s.fout; f++) {
        a += p[h * s.fout + f] * aSrc[h * s.fout + f];
        b += p[h * s.fout + f] * aTrg[h * s.fout + f];
      }
      sSrc[h] = a;
      tTrg[h] = b;
    }
  }

  /**
   * Steps 3–6 for target t of layer l: e_ij = LeakyReLU(s_j + t_i), α = softmax over the edges
   * left, Σ_j m·α·W h_j, skip, concat or mean, bias, ELU on hidden layers. Writes the output row
   * into `rec.out` (and α, z into rec) or into `into`.
   */
  private targetRow(
    l: number,
    t: number,
    projOf: (j: number) => Float64Array,
    sOf: (j: number, h: number) => number,
    tI: Float64Array,
    inputOf: (i: number) => Float64Array,
    weak: Weakening,
    rec: LayerRecord | null,
    into?: Float64Array,
  ): void {
    const { shape: s, bias, skipW } = this.weights[l];
    const fl = this.field.layers[l];
    const i = fl.targets[t];
    const hf = s.heads * s.fout;
    const agg = new Float64Array(hf);
    const row0 = fl.rowPtr[t];
    const deg = fl.rowPtr[t + 1] - row0;
    const e = new Float64Array(deg);
    for (let h = 0; h < s.heads; h++) {
      let max = -Infinity;
      for (let k = 0; k < deg; k++) {
        const u = fl.unit[row0 + k];
        if (u >= 0 && weak.removed?.[u]) {
          e[k] = -Infinity;
          continue;
        }
        const z = sOf(fl.source[row0 + k], h) + tI[h];
        if (rec) rec.z[(row0 + k) * s.heads + h] = z;
        e[k] = z > 0 ? z : SLOPE * z;
        if (e[k] > max) max = e[k];
      }
      let sum = 0;
      for (let k = 0; k < deg; k++) {
        e[k] = e[k] === -Infinity ? 0 : Math.exp(e[k] - max);
        sum += e[k];
      }
      for (let k = 0; k < deg; k++) {
        if (e[k] === 0) continue;
        const a = e[k] / sum;
        const u = fl.unit[row0 + k];
        if (rec) rec.alpha[(row0 + k) * s.heads + h] = a;
        const m = u >= 0 && weak.mask ? weak.mask[u] : 1;
        const pj = projOf(fl.source[row0 + k]);
        for (let f = 0; f < s.fout; f++) agg[h * s.fout + f] += m * a * pj[h * s.fout + f];
      }
    }
    // Step 5: skip connection, before concat/mean                             (HF)
    if (s.skip === 'identity' || s.skip === 'proj') {
      const x = inputOf(i);
      for (let c = 0; c < hf; c++) {
        if (s.skip === 'identity') agg[c] += x[c % s.fout];
        else {
          let acc = 0;
          for (let k = 0; k < s.fin; k++) acc += skipW![c * s.fin + k] * x[k];
          agg[c] += acc;
        }
      }
    }
    // Step 6: concat (hidden) or mean (output) over heads, + bias, ELU on hidden layers
    const d = s.concat ? hf : s.fout;
    const out = into ?? rec!.out.subarray(i * d, (i + 1) * d);
    for (let c = 0; c < d; c++) {
      let v: number;
      if (s.concat) v = agg[c];
      else {
        v = 0;
        for (let h = 0; h < s.heads; h++) v += agg[h * s.fout + c];
        v /= s.heads;
      }
      v += bias[c];
      out[c] = s.concat ? (v > 0 ? v : Math.expm1(v)) : v;
    }
  }

  /** A node's dense input to layer l (the data's sparse row for layer 1). */
  private inputRow(l: number, i: number, below: Float64Array | null): Float64Array {
    const { shape: s } = this.weights[l];
    if (l > 0) return below!.subarray(i * s.fin, (i + 1) * s.fin);
    const x = new Float64Array(s.fin);
    const f = this.features;
    const g = this.field.nodes[i];
    for (let k = f.indptr[g]; k < f.indptr[g + 1]; k++) x[f.indices[k]] = f.values[k];
    return x;
  }
}
