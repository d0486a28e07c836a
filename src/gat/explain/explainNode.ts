/**
 * A reference forward pass for one node over its receptive field, straight from the model's
 * parameters (pytorch-GAT's layout) and the dataset, in float64, recording every step for the node
 * itself. Independent of the training engines (they batch and fuse; this follows the paper's
 * formulas one node at a time: the layer stated in kernels/gatLayer.ts), and checked against them
 * through the analysis artifact.
 *
 * Shapes: FIN input features, NH heads, FOUT features per head; W [NH·FOUT, FIN],
 * a_src and a_trg [NH, FOUT], bias [NH·FOUT] (concat) or [FOUT] (mean), skip W_s [NH·FOUT, FIN].
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import { splitOf, type GraphDataset } from '../data/graph';
import { LEAKY_RELU_SLOPE as SLOPE } from '../kernels/gatLayer';
import type { GatGraph } from '../kernels/gatGraph';
import type { LayerShape } from '../model/parameters';
import { weightsOf } from './layerWeights';
import type { HeadComputation, LayerComputation, NodeExplanation } from '../../protocol/explanation';

export interface ExplainInput {
  readonly runId: string;
  readonly graph: GraphDataset;
  readonly gat: GatGraph;
  readonly shapes: readonly LayerShape[];
  readonly params: readonly NamedTensor[];
  readonly node: number;
}

/** A node's input to a layer: sparse (the dataset's features, layer 1) or dense (a layer's output). */
type Row = { readonly sparse: true; readonly indices: Int32Array; readonly values: Float32Array } | { readonly sparse: false; readonly values: Float64Array };

/* ── W x for one input row: (NH·FOUT, FIN) · (FIN) → (NH·FOUT) ── */
function project(w: Float32Array, fin: number, hf: number, x: Row): Float64Array {
  const out = new Float64Array(hf);
  for (let c = 0; c < hf; c++) {
    const row = c * fin;
    let acc = 0;
    if (x.sparse) for (let k = 0; k < x.indices.length; k++) acc += w[row + x.indices[k]] * x.values[k];
    else for (let k = 0; k < fin; k++) acc += w[row + k] * x.values[k];
    out[c] = acc;
  }
  return out;
}

function inNeighbours(g: GatGraph, i: number): Int32Array {
  return g.source.subarray(g.rowPtr[i], g.rowPtr[i + 1]);
}

export function explainNode(x: ExplainInput): NodeExplanation {
  const { graph, gat, shapes, node } = x;
  if (!Number.isInteger(node) || node < 0 || node >= graph.numNodes) throw new RangeError(`node ${node} does not exist: node ids are 0 to ${graph.numNodes - 1}`);
  const layers = weightsOf(shapes, x.params);
  const L = layers.length;

  // ── Receptive field: need[l] = the nodes whose layer-l output is needed (need[L] = {node}) ──
  const need: Array<Set<number>> = new Array(L + 1);
  need[L] = new Set([node]);
  for (let l = L; l >= 1; l--) {
    const below = new Set<number>();
    for (const i of need[l]) {
      below.add(i); // its own input (the skip connection, and the target score when it has no self-loop)
      for (const j of inNeighbours(gat, i)) below.add(j);
    }
    need[l - 1] = below;
  }

  // ── Layer 0: the dataset's features (sparse rows) ──
  const f = graph.features;
  let h = new Map<number, Row>();
  for (const i of need[0]) h.set(i, { sparse: true, indices: f.indices.subarray(f.indptr[i], f.indptr[i + 1]), values: f.values.subarray(f.indptr[i], f.indptr[i + 1]) });

  const computations: LayerComputation[] = [];
  for (let l = 1; l <= L; l++) {
    const { shape: s, w, aSrc, aTrg, bias, skipW, v2 } = layers[l - 1];
    const hf = s.heads * s.fout;
    // Step 1: projection W h_j (GATv2: x_l = W_l h_j + b_l) for every node this layer reads   (NH·FOUT) each
    const proj = new Map<number, Float64Array>();
    for (const j of need[l - 1]) {
      const p = project(w, s.fin, hf, h.get(j)!);
      if (v2) for (let c = 0; c < hf; c++) p[c] += v2.bL[c];
      proj.set(j, p);
    }
    // Step 2 (GAT): per-node scores s_j = a_src · W h_j, t_i = a_trg · W h_i   (NH) each
    const scoreOf = (v: Float64Array, a: Float32Array): Float64Array => {
      const out = new Float64Array(s.heads);
      for (let hd = 0; hd < s.heads; hd++) for (let d = 0; d < s.fout; d++) out[hd] += v[hd * s.fout + d] * a[hd * s.fout + d];
      return out;
    };
    const sSrc = new Map<number, Float64Array>();
    if (!v2) for (const [j, v] of proj) sSrc.set(j, scoreOf(v, aSrc));
    const next = new Map<number, Row>();
    for (const i of need[l]) {
      const nbrs = inNeighbours(gat, i);
      // GATv2: x_r = W_r h_i + b_r, the target's own map
      const right = v2 ? project(v2.wR, s.fin, hf, h.get(i)!).map((v, c) => v + v2.bR[c]) : null;
      const t = v2 ? new Float64Array(s.heads) : scoreOf(proj.get(i)!, aTrg);
      const agg = new Float64Array(hf);
      const perHead: HeadComputation[] = [];
      for (let hd = 0; hd < s.heads; hd++) {
        // Step 3: GAT   e_ij = LeakyReLU(s_j + t_i);
        //         GATv2 e_ij = att · LeakyReLU(x_l[j] + x_r[i]) (per pair, before the dot product);
        //         α_ij = softmax over j → i   (deg + 1)
        const e = Array.from(nbrs, (j) => {
          if (right) {
            const xl = proj.get(j)!;
            let acc = 0;
            for (let d = 0; d < s.fout; d++) {
              const z = xl[hd * s.fout + d] + right[hd * s.fout + d];
              acc += aSrc[hd * s.fout + d] * (z > 0 ? z : SLOPE * z);
            }
            return acc;
          }
          const z = sSrc.get(j)![hd] + t[hd];
          return z > 0 ? z : SLOPE * z;
        });
        const max = Math.max(...e);
        const ex = e.map((v) => Math.exp(v - max));
        const sum = ex.reduce((a, b) => a + b, 0);
        const alpha = ex.map((v) => v / sum);
        // Step 4: Σ_j α_ij W h_j (GATv2: Σ_j α_ij x_l[j])                     (FOUT)
        nbrs.forEach((j, k) => {
          const pj = proj.get(j)!;
          for (let d = 0; d < s.fout; d++) agg[hd * s.fout + d] += alpha[k] * pj[hd * s.fout + d];
        });
        if (i === node) {
          const p = proj.get(i)!;
          perHead.push({
            head: hd,
            projection: Array.from(p.subarray(hd * s.fout, (hd + 1) * s.fout)),
            targetScore: t[hd],
            ...(right ? { targetProjection: Array.from(right.subarray(hd * s.fout, (hd + 1) * s.fout)) } : {}),
            neighbours: Array.from(nbrs, (j, k) => ({ node: j, isSelf: j === i, sourceScore: right ? e[k] : sSrc.get(j)![hd], e: e[k], weight: alpha[k], uniform: 1 / nbrs.length })),
            aggregated: Array.from(agg.subarray(hd * s.fout, (hd + 1) * s.fout)),
          });
        }
      }
      // Step 5: skip connection, before concat/mean                       (NH·FOUT)
      let skipAdded: Float64Array | undefined;
      if (s.skip === 'proj') skipAdded = project(skipW!, s.fin, hf, h.get(i)!);
      else if (s.skip === 'identity') {
        const input = dense(h.get(i)!, s.fin);
        skipAdded = new Float64Array(hf);
        for (let hd = 0; hd < s.heads; hd++) skipAdded.set(input, hd * s.fout);
      }
      if (skipAdded) for (let c = 0; c < hf; c++) agg[c] += skipAdded[c];
      // Step 6: concat (hidden) or mean (output) over heads, + bias, ELU on hidden layers
      const combined = s.concat ? Float64Array.from(agg) : Float64Array.from({ length: s.fout }, (_, d) => {
        let acc = 0;
        for (let hd = 0; hd < s.heads; hd++) acc += agg[hd * s.fout + d];
        return acc / s.heads;
      });
      const out = Float64Array.from(combined, (v, c) => {
        const b = v + bias[c];
        return s.concat ? (b > 0 ? b : Math.expm1(b)) : b;
      });
      next.set(i, { sparse: false, values: out });
      if (i === node) {
        const input = h.get(i)!;
        computations.push({
          layer: l,
          ...(v2 ? { model: 'gatv2' as const } : {}),
          fin: s.fin,
          fout: s.fout,
          heads: s.heads,
          concat: s.concat,
          skip: s.skip ?? 'none',
          activation: s.concat ? 'elu' : 'none',
          input: { size: s.fin, nonZero: input.sparse ? Array.from(input.indices, (index, k) => ({ index, value: input.values[k] })) : Array.from(input.values, (value, index) => ({ index, value })).filter((v) => v.value !== 0) },
          perHead,
          ...(skipAdded ? { skipAdded: Array.from(skipAdded) } : {}),
          combined: Array.from(combined),
          bias: Array.from(bias),
          output: Array.from(out),
        });
      }
    }
    h = next;
  }

  // ── The output: logits, softmax (or one sigmoid per label), prediction against the truth ──
  const logits = computations[L - 1].output;
  const multi = graph.multiLabels !== undefined;
  const c = graph.numClasses;
  const probabilities = multi ? logits.map((z) => 1 / (1 + Math.exp(-z))) : softmax(logits);
  const predicted = multi ? probabilities.flatMap((p, k) => (p > 0.5 ? [k] : [])) : [probabilities.indexOf(Math.max(...probabilities))];
  const truth = multi ? Array.from({ length: c }, (_, k) => k).filter((k) => graph.multiLabels![node * c + k]) : [graph.labels[node]];
  return {
    format: 'gat-explorer/explanation/1',
    runId: x.runId,
    dataset: graph.name,
    node,
    classNames: [...graph.classNames],
    multiLabel: multi,
    truth,
    split: splitOf(graph, node),
    degree: inNeighbours(gat, node).filter((j) => j !== node).length,
    layers: computations,
    result: { logits, probabilities, predicted, correct: predicted.length === truth.length && predicted.every((p, k) => p === truth[k]) },
  };
}

function dense(r: Row, size: number): Float64Array {
  if (!r.sparse) return r.values;
  const out = new Float64Array(size);
  r.indices.forEach((k, i) => (out[k] = r.values[i]));
  return out;
}

function softmax(z: readonly number[]): number[] {
  const max = Math.max(...z);
  const ex = z.map((v) => Math.exp(v - max));
  const sum = ex.reduce((a, b) => a + b, 0);
  return ex.map((v) => v / sum);
}
