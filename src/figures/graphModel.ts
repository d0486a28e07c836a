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

export function buildGraphModel(s: GraphSnapshot): GraphModel {
  const n = s.labels.length;
  const x = Float32Array.from(s.x);
  const y = Float32Array.from(s.y);
  const r = Float32Array.from(s.degree, nodeRadius);
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

export function neighboursOf(m: GraphModel, node: number): Int32Array {
  return m.neighbours.subarray(m.offsets[node], m.offsets[node + 1]);
}

/** Colourings offered: predictions need a run. */
export function colourModes(s: Pick<GraphSnapshot, 'run'>): GraphColourMode[] {
  return s.run ? ['class', 'predicted', 'correct'] : ['class'];
}

export const COLOUR_MODE_LABELS: Readonly<Record<GraphColourMode, string>> = { class: 'true class', predicted: 'predicted class', correct: 'correct / wrong' };

/** Category index of every node under a colouring (class index, or 0 correct / 1 wrong). */
export function nodeCategories(s: GraphSnapshot, mode: GraphColourMode): Uint8Array {
  const run = s.run;
  if (mode === 'predicted' && run) return Uint8Array.from(run.predictions);
  if (mode === 'correct' && run) return Uint8Array.from(s.labels, (label, i) => (run.predictions[i] === label ? 0 : 1));
  return Uint8Array.from(s.labels);
}

/** The legend: names, node counts and colours of the categories of a colouring. */
export function categories(s: GraphSnapshot, mode: GraphColourMode, category: Uint8Array, classColours: readonly string[], outcome: readonly [string, string]): Category[] {
  const names = mode === 'correct' && s.run ? ['correct', 'wrong'] : [...s.classNames];
  const counts = new Array<number>(names.length).fill(0);
  for (const c of category) counts[c]++;
  return names.map((name, key) => ({ key, name, count: counts[key], colour: mode === 'correct' && s.run ? outcome[key] : classColours[key] }));
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

/** The record summary, worded as node records' hovers are (formatSummary in src/gat/records). */
export function tooltipText(s: GraphSnapshot, node: number): string {
  const first = `node ${node} · ${s.classNames[s.labels[node]]} · ${s.split[node]} · degree ${s.degree[node]}`;
  if (!s.run) return first;
  const predicted = s.run.predictions[node];
  const correct = predicted === s.labels[node];
  return `${first}\npredicted ${s.classNames[predicted]} (${(100 * s.run.confidence[node]).toFixed(1)}%) ${correct ? '✓ correct' : '✗ wrong'}`;
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

/** A node id typed in the search box, or undefined. */
export function parseNodeQuery(text: string, n: number): number | undefined {
  const t = text.trim().replace(/^node\s*/i, '');
  if (!/^\d+$/.test(t)) return undefined;
  const id = Number(t);
  return id < n ? id : undefined;
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
