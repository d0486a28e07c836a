import { hasLabel, labelCount } from '../protocol/graphScope';
import { AGREEMENT_NAMES, agreementCategory } from '../protocol/compareSnapshot';
import type { GraphColourMode, GraphSnapshot } from '../protocol/webviewMessages';

/**
 * The graph panel's view-model: typed arrays for drawing, adjacency for highlighting and
 * keyboard moves, categories for colouring and the legend, and the tooltip text. Pure: no
 * DOM, unit-tested in Node.
 */
export interface GraphModel {
  readonly snapshot: GraphSnapshot;
  readonly n: number;
  readonly x: Float32Array; // (N) world units
  readonly y: Float32Array; // (N)
  readonly r: Float32Array; // (N) radius in world units, area ~ degree
  readonly edgeU: Int32Array; // (E)
  readonly edgeV: Int32Array; // (E)
  readonly edgeWidth: Float32Array; // (E) world units
  /** Neighbours of node i: neighbours[offsets[i] .. offsets[i + 1]). */
  readonly offsets: Int32Array; // (N + 1)
  readonly neighbours: Int32Array; // (2E)
  readonly bounds: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  readonly maxRadius: number;
}

export interface Transform {
  readonly k: number;
  readonly x: number;
  readonly y: number;
}

export interface Category {
  readonly key: number;
  readonly name: string;
  readonly count: number;
  readonly colour: string;
}

/** Node size by degree: area grows with degree, so a 168-neighbour hub is big but not a blanket. */
export function nodeRadius(degree: number): number {
  return 2 + 1.1 * Math.sqrt(degree);
}

/** Edge width from the original's thickness (log betweenness normalised to [0, 1]). */
export function edgeWidth(thickness: number): number {
  return 0.3 + 2.4 * thickness;
}

/** ≤ 1: how much to shrink radii so the median radius is at most 0.3 × the mean spacing of the layout. */
export function radiusScale(x: Float32Array, y: Float32Array, r: Float32Array): number {
  const n = x.length;
  if (n < 2) return 1;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, y[i]);
    y1 = Math.max(y1, y[i]);
  }
  const spacing = Math.sqrt(((x1 - x0) * (y1 - y0)) / n);
  const median = Float32Array.from(r).sort()[n >> 1];
  return spacing > 0 && median > 0 ? Math.min(1, (0.3 * spacing) / median) : 1;
}

export function buildGraphModel(s: GraphSnapshot): GraphModel {
  const n = s.labels.length;
  const x = Float32Array.from(s.x);
  const y = Float32Array.from(s.y);
  const r = Float32Array.from(s.degree, nodeRadius);
  // Dense graphs (a PPI graph: 3,000 nodes, 35,000 edges) lay out tighter than Cora: shrink the
  // radii so a typical node stays well inside its share of the area, instead of a solid blob.
  const k = radiusScale(x, y, r);
  if (k < 1) for (let i = 0; i < n; i++) r[i] *= k;
  const edgeU = Int32Array.from(s.edgeU);
  const edgeV = Int32Array.from(s.edgeV);
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < edgeU.length; e++) {
    offsets[edgeU[e] + 1]++;
    offsets[edgeV[e] + 1]++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const neighbours = new Int32Array(2 * edgeU.length);
  for (let e = 0; e < edgeU.length; e++) {
    neighbours[fill[edgeU[e]]++] = edgeV[e];
    neighbours[fill[edgeV[e]]++] = edgeU[e];
  }
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let maxRadius = 0;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, x[i] - r[i]);
    y0 = Math.min(y0, y[i] - r[i]);
    x1 = Math.max(x1, x[i] + r[i]);
    y1 = Math.max(y1, y[i] + r[i]);
    maxRadius = Math.max(maxRadius, r[i]);
  }
  if (n === 0) [x0, y0, x1, y1] = [-1, -1, 1, 1];
  return { snapshot: s, n, x, y, r, edgeU, edgeV, edgeWidth: Float32Array.from(s.edgeThickness, edgeWidth), offsets, neighbours, bounds: { x0, y0, x1, y1 }, maxRadius };
}

/** What a view of width × height CSS pixels shows under t, in world units, grown by `pad` on every side. */
export function viewRect(t: Transform, width: number, height: number, pad = 0): { x0: number; y0: number; x1: number; y1: number } {
  return { x0: -t.x / t.k - pad, y0: -t.y / t.k - pad, x1: (width - t.x) / t.k + pad, y1: (height - t.y) / t.k + pad };
}

export function neighboursOf(m: GraphModel, node: number): Int32Array {
  return m.neighbours.subarray(m.offsets[node], m.offsets[node + 1]);
}

/** Colourings offered: predictions need a run; multi-label datasets colour by labels. */
export function colourModes(s: Pick<GraphSnapshot, 'run' | 'multiLabel' | 'comparison'>): GraphColourMode[] {
  if (s.multiLabel) return s.multiLabel.predicted ? ['labelCount', 'label', 'predictedLabel', 'labelF1'] : ['labelCount', 'label'];
  if (s.run && s.comparison) return ['agreement', 'class', 'predicted', 'correct'];
  return s.run ? ['class', 'predicted', 'correct'] : ['class'];
}

export const COLOUR_MODE_LABELS: Readonly<Record<GraphColourMode, string>> = {
  class: 'true class',
  predicted: 'predicted class',
  correct: 'correct / wrong',
  label: 'has the label',
  predictedLabel: 'predicted to have the label',
  labelCount: 'number of labels',
  labelF1: 'F1 of the predicted labels',
  agreement: 'agreement of runs A and B',
};

/** Whether a colouring is about one chosen label (the panel then shows a label picker). */
export function needsLabel(mode: GraphColourMode): boolean {
  return mode === 'label' || mode === 'predictedLabel';
}

/** Bins of the multi-label colourings, in legend order. */
const COUNT_BINS: ReadonlyArray<readonly [number, string]> = [[0, 'no labels'], [15, '1–15 labels'], [30, '16–30 labels'], [45, '31–45 labels'], [Infinity, 'over 45 labels']];
const F1_BINS: ReadonlyArray<readonly [number, string]> = [[0.9, 'F1 ≥ 0.9'], [0.75, 'F1 0.75–0.9'], [0.5, 'F1 0.5–0.75'], [-Infinity, 'F1 < 0.5']];

/** A node's own F1 over its labels: 2·TP / (2·TP + FP + FN); 1 when it has and is predicted none. */
export function nodeF1(s: Pick<GraphSnapshot, 'multiLabel'>, i: number): { tp: number; fp: number; fn: number; predicted: number; f1: number } {
  const m = s.multiLabel!;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let k = 0; k < m.labels; k++) {
    const t = hasLabel(m.targets, m.labels, i, k);
    const p = m.predicted ? hasLabel(m.predicted, m.labels, i, k) : false;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const d = 2 * tp + fp + fn;
  return { tp, fp, fn, predicted: tp + fp, f1: d === 0 ? 1 : (2 * tp) / d };
}

/** Category index of every node under a colouring (class index; 0 correct / 1 wrong; 0 has / 1 lacks the label; a bin). */
export function nodeCategories(s: GraphSnapshot, mode: GraphColourMode, label = 0): Uint8Array {
  const run = s.run;
  const m = s.multiLabel;
  const n = s.labels.length;
  if (m) {
    if (mode === 'label') return Uint8Array.from({ length: n }, (_, i) => (hasLabel(m.targets, m.labels, i, label) ? 0 : 1));
    if (mode === 'predictedLabel' && m.predicted) return Uint8Array.from({ length: n }, (_, i) => (hasLabel(m.predicted!, m.labels, i, label) ? 0 : 1));
    if (mode === 'labelF1' && m.predicted) return Uint8Array.from({ length: n }, (_, i) => F1_BINS.findIndex(([lo]) => nodeF1(s, i).f1 >= lo));
    return Uint8Array.from({ length: n }, (_, i) => COUNT_BINS.findIndex(([hi]) => labelCount(m.targets, m.labels, i) <= hi));
  }
  const b = s.comparison;
  if (mode === 'agreement' && run && b) return Uint8Array.from(s.labels, (label, i) => agreementCategory(run.predictions[i] === label, b.predictions[i] === label));
  if (mode === 'predicted' && run) return Uint8Array.from(run.predictions);
  if (mode === 'correct' && run) return Uint8Array.from(s.labels, (label, i) => (run.predictions[i] === label ? 0 : 1));
  return Uint8Array.from(s.labels);
}

/** The legend: names, node counts and colours of the categories of a colouring. */
export function categories(s: GraphSnapshot, mode: GraphColourMode, category: Uint8Array, classColours: readonly string[], outcome: readonly [string, string], label = 0, agreement: readonly string[] = []): Category[] {
  let names: string[];
  let colours: readonly string[] = classColours;
  if (mode === 'agreement' && s.comparison) {
    names = [...AGREEMENT_NAMES];
    colours = agreement;
  } else if (s.multiLabel && (mode === 'label' || mode === 'predictedLabel')) {
    const verb = mode === 'label' ? 'has' : 'predicted';
    names = [`${verb} ${s.classNames[label] ?? `label ${label}`}`, mode === 'label' ? 'does not' : 'not predicted'];
    colours = outcome;
  } else if (s.multiLabel && mode === 'labelF1') names = F1_BINS.map(([, name]) => name);
  else if (s.multiLabel) names = COUNT_BINS.map(([, name]) => name);
  else if (mode === 'correct' && s.run) {
    names = ['correct', 'wrong'];
    colours = outcome;
  } else names = [...s.classNames];
  const counts = new Array<number>(names.length).fill(0);
  for (const c of category) counts[c]++;
  return names.map((name, key) => ({ key, name, count: counts[key], colour: colours[key] }));
}

/** 1 where the node's category is shown. */
export function visibleMask(category: Uint8Array, hidden: readonly number[]): Uint8Array {
  const off = new Set(hidden);
  return Uint8Array.from(category, (c) => (off.has(c) ? 0 : 1));
}

export function toggleHidden(hidden: readonly number[], key: number): number[] {
  return hidden.includes(key) ? hidden.filter((k) => k !== key) : [...hidden, key].sort((a, b) => a - b);
}

/** Show only `key`; soloing the only shown category shows everything again. */
export function soloHidden(hidden: readonly number[], key: number, count: number): number[] {
  const others = Array.from({ length: count }, (_, k) => k).filter((k) => k !== key);
  const alreadySolo = !hidden.includes(key) && others.every((k) => hidden.includes(k));
  return alreadySolo ? [] : others;
}

/** The dataset's id of a node of the snapshot (graphs of an inductive dataset number their nodes locally). */
export function datasetNodeId(s: Pick<GraphSnapshot, 'scope'>, node: number): number {
  return (s.scope?.nodeOffset ?? 0) + node;
}

/** The record summary, worded as node records' hovers are (formatSummary in src/gat/records). */
export function tooltipText(s: GraphSnapshot, node: number): string {
  const id = datasetNodeId(s, node);
  const graph = s.scope && s.scope.selected !== null ? ` graph ${s.scope.graphs[s.scope.selected].id}` : '';
  const m = s.multiLabel;
  if (m) {
    const first = `node ${id} · ${labelCount(m.targets, m.labels, node)} labels · ${s.split[node]}${graph} · degree ${s.degree[node]}`;
    if (!m.predicted) return first;
    const f = nodeF1(s, node);
    return `${first}\npredicted ${f.predicted} labels: ${f.tp} right, ${f.fp} extra, ${f.fn} missed (F1 ${f.f1.toFixed(2)})`;
  }
  const first = `node ${id} · ${s.classNames[s.labels[node]]} · ${s.split[node]}${graph} · degree ${s.degree[node]}`;
  if (!s.run) return first;
  const line = (who: string, r: NonNullable<GraphSnapshot['run']>): string => {
    const predicted = r.predictions[node];
    return `${who}predicted ${s.classNames[predicted]} (${(100 * r.confidence[node]).toFixed(1)}%) ${predicted === s.labels[node] ? '✓ correct' : '✗ wrong'}`;
  };
  return s.comparison ? `${first}\n${line('A ', s.run)}\n${line('B ', s.comparison)}` : `${first}\n${line('', s.run)}`;
}

/** The transform that fits the whole graph into width × height with a margin. */
export function fitTransform(m: Pick<GraphModel, 'bounds'>, width: number, height: number, margin = 16): Transform {
  const { x0, y0, x1, y1 } = m.bounds;
  const k = Math.min((width - 2 * margin) / Math.max(x1 - x0, 1e-6), (height - 2 * margin) / Math.max(y1 - y0, 1e-6));
  return { k, x: width / 2 - k * ((x0 + x1) / 2), y: height / 2 - k * ((y0 + y1) / 2) };
}

/** Centres a world point at zoom k. */
export function centreOn(wx: number, wy: number, k: number, width: number, height: number): Transform {
  return { k, x: width / 2 - k * wx, y: height / 2 - k * wy };
}

/** A node id typed in the search box (the dataset's id), as a node of the snapshot, or undefined. */
export function parseNodeQuery(text: string, n: number, nodeOffset = 0): number | undefined {
  const t = text.trim().replace(/^node\s*/i, '');
  if (!/^\d+$/.test(t)) return undefined;
  const id = Number(t) - nodeOffset;
  return id >= 0 && id < n ? id : undefined;
}

export type Direction = 'left' | 'right' | 'up' | 'down';
const DIRECTIONS: Readonly<Record<Direction, readonly [number, number]>> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };

/**
 * Keyboard move: the visible neighbour lying most in that direction (within 60° of it),
 * else the nearest visible node in that direction. Undefined when there is none.
 */
export function stepFocus(m: GraphModel, visible: Uint8Array, from: number, direction: Direction): number | undefined {
  const [dx, dy] = DIRECTIONS[direction];
  const score = (j: number): number => {
    const vx = m.x[j] - m.x[from];
    const vy = m.y[j] - m.y[from];
    const dist = Math.hypot(vx, vy);
    if (j === from || !visible[j] || dist === 0) return Infinity;
    const cos = (vx * dx + vy * dy) / dist;
    return cos < 0.5 ? Infinity : dist * (2 - cos);
  };
  const best = (candidates: Iterable<number>): number | undefined => {
    let pick: number | undefined;
    let bestScore = Infinity;
    for (const j of candidates) {
      const s = score(j);
      if (s < bestScore) [pick, bestScore] = [j, s];
    }
    return pick;
  };
  return best(neighboursOf(m, from)) ?? best(Array.from({ length: m.n }, (_, i) => i));
}

/** The node to start keyboard navigation from: the visible node nearest the view's centre. */
export function nodeNearest(m: GraphModel, visible: Uint8Array, wx: number, wy: number): number | undefined {
  let pick: number | undefined;
  let best = Infinity;
  for (let i = 0; i < m.n; i++) {
    const d = (m.x[i] - wx) ** 2 + (m.y[i] - wy) ** 2;
    if (visible[i] && d < best) [pick, best] = [i, d];
  }
  return pick;
}
