/**
 * A GAT model's parameters per layer, read by name from pytorch-GAT's layout, for the float64
 * reference passes (explainNode, the receptive-field model behind edge importance and what-if edits).
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import type { LayerShape } from '../model/parameters';

export interface LayerWeights {
  readonly shape: LayerShape;
  readonly w: Float32Array; // (NH·FOUT, FIN)
  readonly aSrc: Float32Array; // (NH, FOUT)
  readonly aTrg: Float32Array; // (NH, FOUT)
  readonly bias: Float32Array;
  readonly skipW: Float32Array | null; // (NH·FOUT, FIN)
  /** GATv2 (PyG's GATv2Conv): w and bL are lin_l, wR and bR lin_r (the same arrays with shared weights), att in aSrc. */
  readonly v2: { readonly bL: Float32Array; readonly wR: Float32Array; readonly bR: Float32Array } | null;
}

export function weightsOf(shapes: readonly LayerShape[], params: readonly NamedTensor[]): LayerWeights[] {
  const byName = new Map(params.map((p) => [p.name, p.data as Float32Array]));
  const get = (name: string, size: number): Float32Array => {
    const t = byName.get(name);
    if (!t || t.length !== size) throw new RangeError(`the model has no tensor '${name}' of ${size} values`);
    return t;
  };
  return shapes.map((s, l) => {
    const hf = s.heads * s.fout;
    const zeros = new Float32Array(hf); // uniform attention: no scoring vectors, every score 0
    if (s.model === 'gatv2') {
      const w = get(`gat_net.${l}.lin_l.weight`, hf * s.fin);
      const bL = get(`gat_net.${l}.lin_l.bias`, hf);
      return {
        shape: s,
        w,
        aSrc: s.attention === 'uniform' ? zeros : get(`gat_net.${l}.att`, hf),
        aTrg: zeros,
        bias: get(`gat_net.${l}.bias`, s.concat ? hf : s.fout),
        skipW: s.skip === 'proj' ? get(`gat_net.${l}.skip_proj.weight`, hf * s.fin) : null,
        v2: s.shareWeights ? { bL, wR: w, bR: bL } : { bL, wR: get(`gat_net.${l}.lin_r.weight`, hf * s.fin), bR: get(`gat_net.${l}.lin_r.bias`, hf) },
      };
    }
    return {
      shape: s,
      w: get(`gat_net.${l}.linear_proj.weight`, hf * s.fin),
      aSrc: s.attention === 'uniform' ? zeros : get(`gat_net.${l}.scoring_fn_source`, hf),
      aTrg: s.attention === 'uniform' ? zeros : get(`gat_net.${l}.scoring_fn_target`, hf),
      bias: get(`gat_net.${l}.bias`, s.concat ? hf : s.fout),
      skipW: s.skip === 'proj' ? get(`gat_net.${l}.skip_proj.weight`, hf * s.fin) : null,
      v2: null,
    };
  });
}
