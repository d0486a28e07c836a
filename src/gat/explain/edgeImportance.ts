/**
 * Edge importance for one node's prediction, five ways, over every edge unit of its receptive
 * field (see receptiveField.ts), all from the float64 reference pass (fieldModel.ts):
 *
 *   attention             attention flow: the head-averaged α of each edge times the share of the
 *                         prediction its target carries, summed over layers (rollout along the
 *                         computation tree; the README says why this rule);
 *   leave-one-out         p_c(graph) − p_c(graph without the unit), everything recomputed;
 *   saliency              |∂p_c/∂m_u| at m = 1 (the soft edge mask scales each message);
 *   integrated-gradients  ∫₀¹ ∂p_c/∂m_u (t·1) dt, baseline m = 0, Gauss–Legendre;
 *   gnnexplainer          the mask σ(θ) that keeps −log p_c low with few, decisive edges
 *                         (Ying et al. 2019's size and entropy regularisers, PyG's defaults).
 *
 * p_c is the explained output: the predicted class's softmax probability, or one label's sigmoid.
 */
import { uniformAt, streamKey } from '../kernels/random';
import { allTied, kendallTauB } from '../stats/kendall';
import type { EdgeImportance, ImportanceMethod, ImportanceUnit, MethodScores, RankAgreement } from '../../protocol/explanation';
import type { FieldModel, ForwardRecord, Weakening } from './fieldModel';
import { gaussLegendre } from './quadrature';

export interface ImportanceSettings {
  /** Integrated Gradients: quadrature points (≥ 32). */
  readonly igSteps: number;
  readonly explainerEpochs: number;
  readonly explainerLr: number;
  /** GNNExplainer's coefficients on Σ m (size) and mean binary entropy of m. */
  readonly explainerSize: number;
  readonly explainerEntropy: number;
  readonly seed: number;
}

/** PyG's GNNExplainer defaults (epochs 100, lr 0.01, edge_size 0.005, edge_ent 1.0), Captum's 50 IG points. */
export const DEFAULT_IMPORTANCE: ImportanceSettings = { igSteps: 50, explainerEpochs: 100, explainerLr: 0.01, explainerSize: 0.005, explainerEntropy: 1.0, seed: 1 };

/** The output explained and its derivatives with respect to the logits. */
export interface Objective {
  readonly index: number;
  readonly kind: 'softmax' | 'sigmoid';
}

export function probability(o: Objective, logits: Float64Array): number {
  if (o.kind === 'sigmoid') return 1 / (1 + Math.exp(-logits[o.index]));
  let max = -Infinity;
  for (const z of logits) max = Math.max(max, z);
  let sum = 0;
  for (const z of logits) sum += Math.exp(z - max);
  return Math.exp(logits[o.index] - max) / sum;
}

/** The index of the largest logit (the first of equals). */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < logits.length; k++) if (logits[k] > logits[best]) best = k;
  return best;
}

/** The prediction the objective is about: the predicted class, or whether the label is on (1) or off (0). */
export function predictedOf(o: Objective, logits: Float64Array): number {
  return o.kind === 'sigmoid' ? (logits[o.index] > 0 ? 1 : 0) : argmax(logits);
}

/** ∂p/∂logits (or ∂log p/∂logits with `log`). */
function objectiveGradient(o: Objective, logits: Float64Array, log: boolean): Float64Array {
  const p = probability(o, logits);
  const g = new Float64Array(logits.length);
  if (o.kind === 'sigmoid') {
    g[o.index] = log ? 1 - p : p * (1 - p);
    return g;
  }
  const q = softmax(logits);
  for (let k = 0; k < logits.length; k++) g[k] = ((k === o.index ? 1 : 0) - q[k]) * (log ? 1 : p);
  return g;
}

function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** ∂p_c/∂m at a mask: one forward and one reverse pass. */
export function maskGradient(model: FieldModel, o: Objective, weak: Weakening, log = false): { p: number; grad: Float64Array; rec: ForwardRecord } {
  const rec = model.forward(weak);
  return { p: probability(o, rec.logits), grad: model.maskGradient(rec, weak, objectiveGradient(o, rec.logits, log)), rec };
}

// ── attention flow over the computation tree ──
export function attentionFlow(model: FieldModel, base: ForwardRecord): Float64Array {
  const f = model.field;
  const scores = new Float64Array(model.numUnits);
  let flow = new Map<number, number>([[f.local.get(f.node)!, 1]]);
  for (let l = f.layers.length - 1; l >= 0; l--) {
    const fl = f.layers[l];
    const heads = base.layers[l].alpha.length / Math.max(1, fl.source.length);
    const next = new Map<number, number>();
    for (let t = 0; t < fl.targets.length; t++) {
      const share = flow.get(fl.targets[t]);
      if (!share) continue;
      for (let k = fl.rowPtr[t]; k < fl.rowPtr[t + 1]; k++) {
        let a = 0;
        for (let h = 0; h < heads; h++) a += base.layers[l].alpha[k * heads + h];
        const through = (share * a) / heads;
        if (fl.unit[k] >= 0) scores[fl.unit[k]] += through;
        next.set(fl.source[k], (next.get(fl.source[k]) ?? 0) + through);
      }
    }
    flow = next;
  }
  return scores;
}

export function leaveOneOut(model: FieldModel, o: Objective, base: ForwardRecord): Float64Array {
  const p0 = probability(o, base.logits);
  const removed = new Uint8Array(model.numUnits);
  const out = new Float64Array(model.numUnits);
  for (let u = 0; u < model.numUnits; u++) {
    removed[u] = 1;
    out[u] = p0 - probability(o, model.logitsWithout(base, removed));
    removed[u] = 0;
  }
  return out;
}

export function saliency(model: FieldModel, o: Objective): Float64Array {
  return maskGradient(model, o, { mask: new Float64Array(model.numUnits).fill(1) }).grad;
}

export function integratedGradients(model: FieldModel, o: Objective, steps: number): { attributions: Float64Array; completenessError: number } {
  const q = gaussLegendre(steps);
  const attributions = new Float64Array(model.numUnits);
  const mask = new Float64Array(model.numUnits);
  for (let k = 0; k < steps; k++) {
    mask.fill(q.nodes[k]);
    const { grad } = maskGradient(model, o, { mask });
    for (let u = 0; u < attributions.length; u++) attributions[u] += q.weights[k] * grad[u]; // × (1 − 0), the path's length
  }
  const full = probability(o, model.forward({ mask: mask.fill(1) }).logits);
  const none = probability(o, model.forward({ mask: mask.fill(0) }).logits);
  const total = attributions.reduce((a, b) => a + b, 0);
  return { attributions, completenessError: Math.abs(total - (full - none)) };
}

/** GNNExplainer: Adam on θ, mask m = σ(θ), loss −log p_c(m) + size·Σm + entropy·mean H(m). */
export function gnnExplainer(model: FieldModel, o: Objective, s: ImportanceSettings, numNodes: number): Float64Array {
  const U = model.numUnits;
  const theta = new Float64Array(U);
  // PyG's start: N(0, σ²) with σ = gain(relu)·√(2 / 2N) over the graph's N nodes
  const std = Math.SQRT2 * Math.sqrt(2 / (2 * numNodes));
  const key = streamKey(s.seed, 0, 0x6e78);
  for (let u = 0; u < U; u++) {
    const r = Math.sqrt(-2 * Math.log(1 - uniformAt(key, 2 * u))) * Math.cos(2 * Math.PI * uniformAt(key, 2 * u + 1));
    theta[u] = std * r;
  }
  const m1 = new Float64Array(U);
  const m2 = new Float64Array(U);
  const mask = new Float64Array(U);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  for (let step = 1; step <= s.explainerEpochs; step++) {
    for (let u = 0; u < U; u++) mask[u] = 1 / (1 + Math.exp(-theta[u]));
    const { grad } = maskGradient(model, o, { mask }, true); // ∂ log p/∂m
    for (let u = 0; u < U; u++) {
      const m = Math.min(Math.max(mask[u], 1e-15), 1 - 1e-15);
      const gm = -grad[u] + s.explainerSize + (s.explainerEntropy * Math.log((1 - m) / m)) / U;
      const g = gm * m * (1 - m);
      m1[u] = b1 * m1[u] + (1 - b1) * g;
      m2[u] = b2 * m2[u] + (1 - b2) * g * g;
      theta[u] -= (s.explainerLr * (m1[u] / (1 - b1 ** step))) / (Math.sqrt(m2[u] / (1 - b2 ** step)) + eps);
    }
  }
  return theta.map((t) => 1 / (1 + Math.exp(-t)));
}

/** Hops from the explained node for each unit: 1 for its own edges (breadth-first over the field's layers). */
export function unitHops(model: FieldModel): number[] {
  const f = model.field;
  const hop = new Array<number>(model.numUnits).fill(Infinity);
  const dist = new Map<number, number>([[f.local.get(f.node)!, 0]]);
  for (let l = f.layers.length - 1; l >= 0; l--) {
    const fl = f.layers[l];
    for (let t = 0; t < fl.targets.length; t++) {
      const d = dist.get(fl.targets[t]);
      if (d === undefined) continue;
      for (let k = fl.rowPtr[t]; k < fl.rowPtr[t + 1]; k++) {
        const u = fl.unit[k];
        if (u >= 0) hop[u] = Math.min(hop[u], d + 1);
        if (!dist.has(fl.source[k])) dist.set(fl.source[k], d + 1);
      }
    }
  }
  return hop.map((h) => (Number.isFinite(h) ? h : f.layers.length));
}

export interface ImportanceRequest {
  readonly model: FieldModel;
  readonly objective: Objective;
  readonly objectiveName: string;
  readonly methods: readonly ImportanceMethod[];
  readonly settings: ImportanceSettings;
  /** Every layer of the run has uniform attention. */
  readonly uniformAttention: boolean;
  readonly numNodes: number;
}

export function edgeImportance(r: ImportanceRequest): EdgeImportance {
  const { model, objective: o } = r;
  const base = model.forward();
  const methods: MethodScores[] = [];
  for (const method of r.methods) {
    const t0 = performance.now();
    const done = (x: Omit<MethodScores, 'method' | 'seconds'>): void => {
      methods.push({ method, ...x, seconds: (performance.now() - t0) / 1000 });
    };
    switch (method) {
      case 'attention':
        done({ scores: Array.from(attentionFlow(model, base)), ...(r.uniformAttention ? { uniform: true } : {}), settings: { rule: 'attention flow (head mean, summed over layers)' } });
        break;
      case 'leave-one-out':
        done({ scores: Array.from(leaveOneOut(model, o, base)) });
        break;
      case 'saliency': {
        const g = saliency(model, o);
        done({ scores: Array.from(g, Math.abs), signed: Array.from(g) });
        break;
      }
      case 'integrated-gradients': {
        const ig = integratedGradients(model, o, r.settings.igSteps);
        done({ scores: Array.from(ig.attributions), completenessError: ig.completenessError, settings: { steps: r.settings.igSteps, rule: 'Gauss–Legendre', baseline: 'all edge messages off' } });
        break;
      }
      case 'gnnexplainer':
        done({
          scores: Array.from(gnnExplainer(model, o, r.settings, r.numNodes)),
          settings: { epochs: r.settings.explainerEpochs, lr: r.settings.explainerLr, edgeSize: r.settings.explainerSize, edgeEntropy: r.settings.explainerEntropy, seed: r.settings.seed },
        });
        break;
    }
  }
  const hops = unitHops(model);
  const units: ImportanceUnit[] = model.field.units.map((u, k) => ({ source: u.source, target: u.target, hop: hops[k] }));
  return {
    format: 'gat-explorer/edge-importance/1',
    node: model.field.node,
    objective: { index: o.index, name: r.objectiveName, probability: probability(o, base.logits), kind: o.kind },
    directed: model.field.directed,
    units,
    methods,
    agreement: agreementWithAttention(methods),
  };
}

/** Kendall's τ-b of attention against every other method; why not, where there is no ranking. */
export function agreementWithAttention(methods: readonly MethodScores[]): RankAgreement[] {
  const att = methods.find((m) => m.method === 'attention');
  if (!att) return [];
  return methods
    .filter((m) => m.method !== 'attention')
    .map((m): RankAgreement => {
      if (att.uniform) return { method: m.method, tau: null, reason: 'uniform attention: every neighbour of a node weighs the same, so attention ranks them all equally' };
      if (m.scores.length < 2) return { method: m.method, tau: null, reason: 'fewer than two edges to rank' };
      if (allTied(att.scores)) return { method: m.method, tau: null, reason: 'attention gives every edge the same score' };
      if (allTied(m.scores)) return { method: m.method, tau: null, reason: `${m.method} gives every edge the same score` };
      return { method: m.method, tau: kendallTauB(att.scores, m.scores) };
    });
}
