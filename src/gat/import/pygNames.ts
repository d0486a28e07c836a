/**
 * PyTorch Geometric's GATConv parameters under pytorch-GAT's names, for a model that is a stack of
 * GATConv layers (`conv1`, `conv2`, … or `convs.0`, …, in the state_dict's order):
 *
 *   <conv>.lin.weight (PyG ≥ 2.5) or lin_src.weight (= lin_dst.weight)  →  gat_net.L.linear_proj.weight
 *   <conv>.att_src [1, H, C]  →  scoring_fn_source        <conv>.att_dst  →  scoring_fn_target
 *   <conv>.bias               →  bias
 *
 * What we do not model is refused by name: edge features (lin_edge, att_edge), separate source and
 * target projections (bipartite input, share_weights=False), residual connections (res), and
 * GATv2 (whose att vector is applied after the nonlinearity). Between layers the model is assumed
 * to be the GAT paper's: ELU, with dropout only in training (as PyG's GAT example and our model).
 */
import { PthError, type PthTensor } from './pthArchive';

export function isPygStateDict(keys: readonly string[]): boolean {
  return keys.some((k) => /(^|\.)att_src$/.test(k));
}

export function pygToGatNames(stateDict: ReadonlyMap<string, PthTensor>, file: string): Map<string, PthTensor> {
  const fail = (message: string): never => {
    throw new PthError(`${file}: ${message}`);
  };
  const prefixes: string[] = [];
  for (const k of stateDict.keys()) {
    const m = /^(.*)\.att_src$/.exec(k) ?? (k === 'att_src' ? ['', ''] : null);
    if (m) prefixes.push(m[1]);
  }
  const out = new Map<string, PthTensor>();
  const used = new Set<string>();
  const take = (key: string): PthTensor | undefined => {
    const t = stateDict.get(key);
    if (t) used.add(key);
    return t;
  };
  prefixes.forEach((p, l) => {
    const at = (name: string): string => (p ? `${p}.${name}` : name);
    for (const unsupported of ['lin_edge.weight', 'att_edge', 'res.weight']) {
      if (stateDict.has(at(unsupported))) fail(`tensor '${at(unsupported)}': ${unsupported.startsWith('res') ? 'residual connections (residual=True)' : 'edge features (edge_dim)'} are not modeled by GAT Explorer`);
    }
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
  const rest = [...stateDict.keys()].filter((k) => !used.has(k));
  if (rest.length) fail(`has tensors that are not part of a stack of GATConv layers: ${rest.map((k) => `'${k}'`).join(', ')}`);
  return out;
}

