/**
 * GATv2 in float64, written straight from PyG's GATv2Conv one edge and one feature at a time, from
 * the state_dict-layout tensors (toNamedTensors: W as [NH·FOUT, FIN], att as [1, NH, FOUT]) and the
 * dataset's own edge list. It shares no code with the engines (no projection kernels, no
 * TensorFlow.js), so agreeing with it checks their layer, not a copy of it. Eval mode: no dropout.
 */
import type { NamedTensor } from '../../src/gat/artifacts/namedTensor';
import type { GraphDataset } from '../../src/gat/data/graph';
import type { LayerShape } from '../../src/gat/model/parameters';

export interface ReferenceOutput {
  readonly logits: Float64Array; // (N, C)
  /** Per layer, α over (target i, source j) pairs: edges[l][k] with alpha[l][k·NH + h]. */
  readonly edges: Array<Array<readonly [number, number]>>;
  readonly alpha: Float64Array[];
}

const SLOPE = 0.2; // PyG's GATv2Conv default negative_slope, the paper's 0.2

export function gatV2Reference(g: GraphDataset, shapes: readonly LayerShape[], tensors: readonly NamedTensor[]): ReferenceOutput {
  const byName = new Map(tensors.map((t) => [t.name, t.data as Float32Array]));
  const get = (name: string): Float32Array => {
    const t = byName.get(name);
    if (!t) throw new Error(`no tensor ${name}`);
    return t;
  };
  const n = g.numNodes;
  // In-neighbours of each node from the dataset's edges (j → i), plus one self-loop, as PyG's add_self_loops.
  const incoming: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < g.edgeSource.length; k++) if (g.edgeSource[k] !== g.edgeTarget[k]) incoming[g.edgeTarget[k]].push(g.edgeSource[k]);
  for (let i = 0; i < n; i++) incoming[i].push(i);

  // Dense float64 input.
  let h: Float64Array[] = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(g.numFeatures);
    for (let k = g.features.indptr[i]; k < g.features.indptr[i + 1]; k++) row[g.features.indices[k]] = g.features.values[k];
    return row;
  });
  const edges: Array<Array<readonly [number, number]>> = [];
  const alphas: Float64Array[] = [];
  shapes.forEach((s, l) => {
    const p = `gat_net.${l}.`;
    const hf = s.heads * s.fout;
    const linear = (w: Float32Array, b: Float32Array | null, x: Float64Array): Float64Array =>
      Float64Array.from({ length: hf }, (_, c) => {
        let acc = b ? b[c] : 0;
        for (let k = 0; k < s.fin; k++) acc += w[c * s.fin + k] * x[k];
        return acc;
      });
    const wl = get(`${p}lin_l.weight`);
    const bl = get(`${p}lin_l.bias`);
    const wr = s.shareWeights ? wl : get(`${p}lin_r.weight`);
    const br = s.shareWeights ? bl : get(`${p}lin_r.bias`);
    const att = s.attention === 'uniform' ? new Float32Array(hf) : get(`${p}att`);
    const bias = get(`${p}bias`);
    const xl = h.map((x) => linear(wl, bl, x));
    const xr = h.map((x) => linear(wr, br, x));
    const layerEdges: Array<readonly [number, number]> = [];
    const alpha: number[] = [];
    const out = h.map((x, i) => {
      const agg = new Float64Array(hf);
      const js = incoming[i];
      const a = Array.from({ length: js.length }, () => new Float64Array(s.heads));
      for (let hd = 0; hd < s.heads; hd++) {
        const e = js.map((j) => {
          let acc = 0;
          for (let d = 0; d < s.fout; d++) {
            const z = xl[j][hd * s.fout + d] + xr[i][hd * s.fout + d];
            acc += att[hd * s.fout + d] * (z > 0 ? z : SLOPE * z);
          }
          return acc;
        });
        const max = Math.max(...e);
        const ex = e.map((v) => Math.exp(v - max));
        const sum = ex.reduce((u, v) => u + v, 0);
        js.forEach((j, k) => {
          a[k][hd] = ex[k] / sum;
          for (let d = 0; d < s.fout; d++) agg[hd * s.fout + d] += a[k][hd] * xl[j][hd * s.fout + d];
        });
      }
      js.forEach((j, k) => {
        layerEdges.push([i, j]);
        alpha.push(...a[k]);
      });
      if (s.skip === 'proj') {
        const ws = get(`${p}skip_proj.weight`);
        const sk = linear(ws, null, x);
        for (let c = 0; c < hf; c++) agg[c] += sk[c];
      } else if (s.skip === 'identity') {
        for (let hd = 0; hd < s.heads; hd++) for (let d = 0; d < s.fout; d++) agg[hd * s.fout + d] += x[d];
      }
      if (s.concat) return Float64Array.from(agg, (v, c) => (v + bias[c] > 0 ? v + bias[c] : Math.expm1(v + bias[c])));
      return Float64Array.from({ length: s.fout }, (_, d) => {
        let acc = 0;
        for (let hd = 0; hd < s.heads; hd++) acc += agg[hd * s.fout + d];
        return acc / s.heads + bias[d];
      });
    });
    edges.push(layerEdges);
    alphas.push(Float64Array.from(alpha));
    h = out;
  });
  const c = shapes[shapes.length - 1].fout;
  const logits = new Float64Array(n * c);
  h.forEach((row, i) => logits.set(row, i * c));
  return { logits, edges, alpha: alphas };
}
