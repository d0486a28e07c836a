/**
 * The static-attention diagnostic (Brody, Alon and Yahav 2022, "How Attentive are Graph Attention
 * Networks?"): does a head rank a node's neighbours by the node, or by one global ranking of keys?
 *
 * GAT scores e_ij = LeakyReLU(s_j + t_i) with s_j = a_srcᵀ W h_j. LeakyReLU is monotonic, so every
 * node ranks its neighbours by the same s_j: the attention is static, and the τ below is exactly 1
 * for every GAT head, by construction. GATv2 scores e_ij = aᵀ LeakyReLU(W_l h_j + W_r h_i) and can
 * rank by the query (dynamic attention).
 *
 * Per layer and head:
 * - Query-dependence: for each node with at least two incoming edges (self-loop included, as the
 *   softmax has it), Kendall's τ-b between its ranking of its neighbours by e_ij (the softmax is
 *   monotonic in it; float32 α can tie where e does not) and their ranking by a global key score:
 *   GAT's s_j; for GATv2, the mean logit a key receives over the nodes it sends to (its self-loop
 *   included), the key's average "pull". τ's histogram over [−1, 1]; nodes whose neighbours all tie
 *   on one side have no τ and are counted apart.
 * - How often a node's top neighbour (highest e_ij) is its neighbour with the best global score.
 * - Hubs: the nodes most often ranked first, with counts (a GAT head's hubs are the argmax of s_j
 *   over each neighbourhood).
 * - Collapse: the share of those nodes whose attention entropy is under 10 % of the uniform one
 *   (ln of the incoming edges: near one-hot) or over 99 % (near uniform), flagged past 90 %.
 */
import { kendallTauB } from '../stats/kendall';

export const TAU_BINS = 20;
export const HUBS_LISTED = 10;
/** Entropy under this share of the uniform one: near one-hot. */
export const ONE_HOT_ENTROPY = 0.1;
/** Entropy over this share of the uniform one: near uniform. */
export const UNIFORM_ENTROPY = 0.99;
/** A head is flagged when more than this share of its nodes is near one-hot, or near uniform. */
export const COLLAPSE_FLAG = 0.9;

export interface HeadDiagnostic {
  readonly layer: number;
  readonly head: number;
  /** Nodes with at least two incoming edges (self-loop included): the ones ranked. */
  readonly nodes: number;
  readonly tau: {
    /** TAU_BINS counts over [−1, 1], bin b = [−1 + b·w, −1 + (b+1)·w), the last closed (τ = 1). */
    readonly histogram: number[];
    /** Nodes whose neighbours tie on every pair in either ranking (τ-b undefined). */
    readonly undefined: number;
    /** Nodes with τ exactly 1: ranked as the global score ranks. */
    readonly exactlyOne: number;
    readonly mean: number | null;
    readonly min: number | null;
  };
  /** Share of the nodes whose top neighbour is (one of) its neighbours with the best global score; null for no nodes. */
  readonly topIsGlobalBest: number | null;
  /** The nodes most often ranked first, most first (ties: lower id first). */
  readonly hubs: Array<{ readonly node: number; readonly count: number }>;
  readonly collapse: {
    readonly nearOneHot: number | null;
    readonly nearUniform: number | null;
    readonly flag: 'one-hot' | 'uniform' | null;
  };
}

export interface StaticAttentionReport {
  readonly model: 'gat' | 'gatv2';
  /** How the global key ranking was made. */
  readonly globalScore: string;
  readonly tauBins: number;
  readonly heads: HeadDiagnostic[];
}

/** One layer's inputs: logits (E', NH) and, for GAT, each node's source score (N, NH). */
export interface LayerInput {
  readonly heads: number;
  readonly logits: Float64Array;
  readonly sourceScores: Float64Array | null;
  /** The saved attention entropy per node and head (N, NH). */
  readonly entropy: Float32Array;
}

export const GLOBAL_SCORE = {
  gat: 's_j = a_src·W h_j (every node ranks its neighbours by it: τ = 1 by construction)',
  gatv2: "the mean logit e_ij a key j receives over the nodes i it sends to (self-loop included)",
} as const;

export function staticAttention(
  model: 'gat' | 'gatv2',
  edges: { readonly source: Int32Array; readonly target: Int32Array },
  numNodes: number,
  uniformEntropy: Float32Array,
  layers: readonly LayerInput[],
): StaticAttentionReport {
  const rowPtr = targetOffsets(edges.target, numNodes);
  const heads: HeadDiagnostic[] = [];
  layers.forEach((layer, l) => {
    for (let h = 0; h < layer.heads; h++) {
      const logit = (e: number): number => layer.logits[e * layer.heads + h];
      const key = layer.sourceScores ? Float64Array.from({ length: numNodes }, (_, j) => layer.sourceScores![j * layer.heads + h]) : meanReceived(edges, numNodes, logit);
      heads.push(diagnoseHead(l, h, edges.source, rowPtr, logit, key, (i) => layer.entropy[i * layer.heads + h], uniformEntropy));
    }
  });
  return { model, globalScore: GLOBAL_SCORE[model], tauBins: TAU_BINS, heads };
}

function diagnoseHead(
  layer: number, head: number, source: Int32Array, rowPtr: Int32Array, logit: (e: number) => number, key: Float64Array,
  entropy: (i: number) => number, uniformEntropy: Float32Array,
): HeadDiagnostic {
  const n = rowPtr.length - 1;
  const histogram = new Array<number>(TAU_BINS).fill(0);
  const firsts = new Map<number, number>();
  let nodes = 0;
  let undefinedTau = 0;
  let exactlyOne = 0;
  let tauSum = 0;
  let tauMin = Infinity;
  let topBest = 0;
  let oneHot = 0;
  let uniform = 0;
  for (let i = 0; i < n; i++) {
    const e0 = rowPtr[i];
    const e1 = rowPtr[i + 1];
    if (e1 - e0 < 2) continue;
    nodes++;
    const local = new Float64Array(e1 - e0);
    const global = new Float64Array(e1 - e0);
    let top = e0;
    let best = -Infinity;
    for (let e = e0; e < e1; e++) {
      local[e - e0] = logit(e);
      global[e - e0] = key[source[e]];
      if (logit(e) > logit(top)) top = e;
      best = Math.max(best, key[source[e]]);
    }
    const tau = kendallTauB(local, global);
    if (tau === null) undefinedTau++;
    else {
      histogram[Math.min(TAU_BINS - 1, Math.floor(((tau + 1) / 2) * TAU_BINS))]++;
      if (tau === 1) exactlyOne++;
      tauSum += tau;
      tauMin = Math.min(tauMin, tau);
    }
    if (key[source[top]] === best) topBest++;
    firsts.set(source[top], (firsts.get(source[top]) ?? 0) + 1);
    const ratio = entropy(i) / uniformEntropy[i];
    if (ratio < ONE_HOT_ENTROPY) oneHot++;
    if (ratio > UNIFORM_ENTROPY) uniform++;
  }
  const defined = nodes - undefinedTau;
  const share = (count: number): number | null => (nodes > 0 ? count / nodes : null);
  const nearOneHot = share(oneHot);
  const nearUniform = share(uniform);
  const hubs = [...firsts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, HUBS_LISTED).map(([node, count]) => ({ node, count }));
  return {
    layer,
    head,
    nodes,
    tau: { histogram, undefined: undefinedTau, exactlyOne, mean: defined > 0 ? tauSum / defined : null, min: defined > 0 ? tauMin : null },
    topIsGlobalBest: share(topBest),
    hubs,
    collapse: { nearOneHot, nearUniform, flag: (nearOneHot ?? 0) > COLLAPSE_FLAG ? 'one-hot' : (nearUniform ?? 0) > COLLAPSE_FLAG ? 'uniform' : null },
  };
}

/** GATv2's key score: the mean logit each node receives over its outgoing edges (−∞ for none). */
function meanReceived(edges: { readonly source: Int32Array }, n: number, logit: (e: number) => number): Float64Array {
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  for (let e = 0; e < edges.source.length; e++) {
    sum[edges.source[e]] += logit(e);
    count[edges.source[e]]++;
  }
  return Float64Array.from(sum, (s, j) => (count[j] > 0 ? s / count[j] : -Infinity));
}

/** CSR offsets of edges grouped by target (they are sorted by target). */
function targetOffsets(target: Int32Array, n: number): Int32Array {
  const rowPtr = new Int32Array(n + 1);
  for (let e = 0; e < target.length; e++) rowPtr[target[e] + 1]++;
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  return rowPtr;
}

/** A few lines for `gat analyze`: per head, τ, top-is-global-best, the first hubs and any collapse. */
export function formatStaticAttention(r: StaticAttentionReport): string {
  const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  const lines = [`static attention (${r.model === 'gat' ? 'GAT' : 'GATv2'}; global key score: ${r.globalScore}):`];
  for (const h of r.heads) {
    const ranked = h.nodes - h.tau.undefined;
    const tau = h.tau.mean === null ? 'τ n/a' : `τ mean ${h.tau.mean.toFixed(3)}, min ${h.tau.min!.toFixed(3)}, τ = 1 for ${pct(ranked > 0 ? h.tau.exactlyOne / ranked : null)}`;
    const hubs = h.hubs.slice(0, 3).map((x) => `${x.node} (×${x.count})`).join(', ');
    const collapse = h.collapse.flag ? `; COLLAPSED: ${h.collapse.flag} (${pct(h.collapse.flag === 'one-hot' ? h.collapse.nearOneHot : h.collapse.nearUniform)} of nodes)` : '';
    lines.push(`  layer ${h.layer} head ${h.head}: ${h.nodes} nodes, ${tau}; top = global best ${pct(h.topIsGlobalBest)}; hubs ${hubs || 'none'}${collapse}`);
  }
  return lines.join('\n') + '\n';
}
