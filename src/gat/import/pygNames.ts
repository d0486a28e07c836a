/**
 * PyTorch Geometric's GATConv parameters under pytorch-GAT's names, for a model that is a stack of
 * GATConv layers (`conv1`, `conv2`, … or `convs.0`, …, in the state_dict's order):
 *
 *   <conv>.lin.weight (PyG ≥ 2.5) or lin_src.weight (= lin_dst.weight)  →  gat_net.L.linear_proj.weight
 *   <conv>.att_src [1, H, C]  →  scoring_fn_source        <conv>.att_dst  →  scoring_fn_target
 *   <conv>.bias               →  bias
 *
 * What we do not model is refused by name: edge features (lin_edge, att_edge), separate source and
 * target projections (bipartite input, share_weights=False) and residual connections (res).
 * Between layers the model is assumed to be the GAT paper's: ELU, with dropout only in training
 * (as PyG's GAT example, its GAT(v2=True) and our model).
 *
 * A stack of GATv2Conv layers (PyG's GATv2Conv, or GAT(v2=True)'s convs.N) maps onto our GATv2
 * layer, whose tensors carry PyG's own names:
 *
 *   <conv>.lin_l.weight / .bias  →  gat_net.L.lin_l.weight / .bias      <conv>.att [1, H, C]  →  gat_net.L.att
 *   <conv>.lin_r.weight / .bias  →  gat_net.L.lin_r.weight / .bias      <conv>.bias  →  gat_net.L.bias
 *
 * With share_weights PyG's lin_r is lin_l itself, saved under both names: equal values mean one
 * map, stored once as lin_l (the model's shareWeights).
 */
import { PthError, type PthTensor } from './pthArchive';

/**
 * What both mappers share: the layers' prefixes in the state_dict's order (each layer named by its
 * one `marker` tensor), a `take` that records which tensors were used, a `fail` naming the file, and
 * the refusal of what neither layer models (edge features, residual connections).
 */
function layerReader(stateDict: ReadonlyMap<string, PthTensor>, file: string, marker: string) {
  const fail = (message: string): never => {
    throw new PthError(`${file}: ${message}`);
  };
  const prefixes: string[] = [];
  for (const k of stateDict.keys()) {
    if (k === marker) prefixes.push('');
    else if (k.endsWith(`.${marker}`)) prefixes.push(k.slice(0, -marker.length - 1));
  }
  const used = new Set<string>();
  const take = (key: string): PthTensor | undefined => {
    const t = stateDict.get(key);
    if (t) used.add(key);
    return t;
  };
  const at = (p: string, name: string): string => (p ? `${p}.${name}` : name);
  const refuseUnmodeled = (p: string, names: readonly string[]): void => {
    for (const unsupported of names) {
      if (stateDict.has(at(p, unsupported))) fail(`tensor '${at(p, unsupported)}': ${unsupported.startsWith('res') ? 'residual connections (residual=True)' : 'edge features (edge_dim)'} are not modeled by GAT Explorer`);
    }
  };
  const unused = (): string[] => [...stateDict.keys()].filter((k) => !used.has(k));
  return { fail, prefixes, take, at, refuseUnmodeled, unused };
}

export function isPygStateDict(keys: readonly string[]): boolean {
  return keys.some((k) => /(^|\.)att_src$/.test(k));
}

/** A stack of PyG GATv2Conv layers: lin_l and att in each. */
export function isPygV2StateDict(keys: readonly string[]): boolean {
  return keys.some((k) => /(^|\.)lin_l\.weight$/.test(k)) && keys.some((k) => /(^|\.)att$/.test(k));
}

const sameValues = (a: PthTensor, b: PthTensor): boolean => a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);

/** GATv2Conv layers under our GATv2 names; `shared` when every layer's lin_r equals its lin_l. */
export function pygV2ToGatNames(stateDict: ReadonlyMap<string, PthTensor>, file: string): { tensors: Map<string, PthTensor>; shared: boolean } {
  const { fail, prefixes, take, at: atIn, refuseUnmodeled, unused } = layerReader(stateDict, file, 'att');
  const out = new Map<string, PthTensor>();
  const sharedLayers = prefixes.map((p, l) => {
    const at = (name: string): string => atIn(p, name);
    refuseUnmodeled(p, ['lin_edge.weight', 'res.weight']);
    const [lw, lb, rw, rb, att, bias] = ['lin_l.weight', 'lin_l.bias', 'lin_r.weight', 'lin_r.bias', 'att', 'bias'].map((n) => take(at(n)));
    if (!lw || !lb || !att || !bias) return fail(`GATv2 layer '${p}' needs tensors '${at('lin_l.weight')}', '${at('lin_l.bias')}', '${at('att')}' and '${at('bias')}' (a GATv2Conv with bias=True)`);
    if (!rw !== !rb) return fail(`GATv2 layer '${p}' has only one of '${at('lin_r.weight')}' and '${at('lin_r.bias')}'`);
    const shared = !rw || (sameValues(lw, rw) && sameValues(lb, rb!));
    out.set(`gat_net.${l}.lin_l.weight`, lw);
    out.set(`gat_net.${l}.lin_l.bias`, lb);
    if (!shared) {
      out.set(`gat_net.${l}.lin_r.weight`, rw!);
      out.set(`gat_net.${l}.lin_r.bias`, rb!);
    }
    out.set(`gat_net.${l}.att`, att);
    out.set(`gat_net.${l}.bias`, bias);
    return shared;
  });
  const rest = unused();
  if (rest.length) fail(`has tensors that are not part of a stack of GATv2Conv layers: ${rest.map((k) => `'${k}'`).join(', ')}`);
  const shared = sharedLayers.every(Boolean);
  if (!shared && sharedLayers.some(Boolean)) {
    // one model shares in every layer or in none (a layer that merely happens to share keeps its own lin_r)
    sharedLayers.forEach((s, l) => {
      if (!s) return;
      const p = prefixes[l];
      out.set(`gat_net.${l}.lin_r.weight`, stateDict.get(p ? `${p}.lin_r.weight` : 'lin_r.weight') ?? out.get(`gat_net.${l}.lin_l.weight`)!);
      out.set(`gat_net.${l}.lin_r.bias`, stateDict.get(p ? `${p}.lin_r.bias` : 'lin_r.bias') ?? out.get(`gat_net.${l}.lin_l.bias`)!);
    });
  }
  return { tensors: out, shared };
}

export function pygToGatNames(stateDict: ReadonlyMap<string, PthTensor>, file: string): Map<string, PthTensor> {
  const { fail, prefixes, take, at: atIn, refuseUnmodeled, unused } = layerReader(stateDict, file, 'att_src');
  const out = new Map<string, PthTensor>();
  prefixes.forEach((p, l) => {
    const at = (name: string): string => atIn(p, name);
    refuseUnmodeled(p, ['lin_edge.weight', 'att_edge', 'res.weight']);
    const lin = take(at('lin.weight')) ?? take(at('lin_src.weight'));
    const dst = take(at('lin_dst.weight'));
    if (!lin) return fail(`layer '${p}' has no tensor '${at('lin.weight')}' or '${at('lin_src.weight')}'`);
    if (dst && (dst.data.length !== lin.data.length || dst.data.some((v, i) => v !== lin.data[i]))) fail(`layer '${p}': tensor '${at('lin_dst.weight')}' differs from its source projection (bipartite input or share_weights=False), which is not modeled`);
    const src = take(at('att_src'));
    const trg = take(at('att_dst'));
    const bias = take(at('bias'));
    if (!src || !trg || !bias) return fail(`layer '${p}' needs tensors '${at('att_src')}', '${at('att_dst')}' and '${at('bias')}'`);
    out.set(`gat_net.${l}.linear_proj.weight`, lin);
    out.set(`gat_net.${l}.scoring_fn_source`, src);
    out.set(`gat_net.${l}.scoring_fn_target`, trg);
    out.set(`gat_net.${l}.bias`, bias);
  });
  const rest = unused();
  if (rest.length) fail(`has tensors that are not part of a stack of GATConv layers: ${rest.map((k) => `'${k}'`).join(', ')}`);
  return out;
}

