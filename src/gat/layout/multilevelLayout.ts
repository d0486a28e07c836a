/**
 * A multilevel force layout for graphs too big for 300 ticks of d3-force on every node (≈ 230 ms a
 * tick at PubMed's 20 k nodes): coarsen the graph by matching each node with a neighbour until a
 * few thousand remain, lay out the coarsest fully, then at each finer level place every node at its
 * coarse node (with a small seeded offset) and refine with a few cooler ticks.
 */
import { forceLayout, seededRandom, type GraphLayout, type LayoutOptions } from './forceLayout';

/** A graph level: N nodes and undirected edges u[k]–v[k] (u < v). */
interface Level {
  readonly n: number;
  readonly u: Int32Array;
  readonly v: Int32Array;
  /** Fine node → coarse node of the next level (absent on the coarsest). */
  parent?: Int32Array;
}

export interface MultilevelOptions {
  readonly seed: number;
  /** Stop coarsening at this many nodes. */
  readonly coarsest: number;
  /** Ticks on the coarsest level (a full layout) and on every finer one (a refinement). */
  readonly coarseTicks: number;
  readonly refineTicks: number;
  /**
   * Above this many nodes a level gets fewer refinement ticks, in proportion (refineFullUpTo / n),
   * at least 4: a tick costs ~3 s at 200,000 nodes, and the levels below have placed the nodes well.
   */
  readonly refineFullUpTo: number;
}

/** The refinement ticks of a level of n nodes. */
export function refineTicksFor(n: number, options: MultilevelOptions): number {
  return n <= options.refineFullUpTo ? options.refineTicks : Math.max(4, Math.round((options.refineTicks * options.refineFullUpTo) / n));
}

/** A stage of the layout with every node placed (a coarse level's nodes at their coarse node). */
export interface LayoutProgress {
  readonly x: Float32Array; // (N)
  readonly y: Float32Array; // (N)
  readonly stage: string;
  /** Rough share of the work done, in [0, 1). */
  readonly fraction: number;
}

export const DEFAULT_MULTILEVEL: MultilevelOptions = { seed: 42, coarsest: 2000, coarseTicks: 300, refineTicks: 30, refineFullUpTo: 20_000 };

/* ── One coarsening step: match nodes in a seeded random order with an unmatched neighbour ── */
function coarsen(level: Level, random: () => number): Level {
  const { n, u, v } = level;
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < u.length; k++) {
    offsets[u[k] + 1]++;
    offsets[v[k] + 1]++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const adj = new Int32Array(2 * u.length);
  for (let k = 0; k < u.length; k++) {
    adj[fill[u[k]]++] = v[k];
    adj[fill[v[k]]++] = u[k];
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const parent = new Int32Array(n).fill(-1);
  let coarse = 0;
  for (const i of order) {
    if (parent[i] >= 0) continue;
    parent[i] = coarse;
    // the unmatched neighbour with the fewest neighbours: hubs stay unmatched longer, the levels balanced
    let best = -1;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const j = adj[k];
      if (parent[j] < 0 && (best < 0 || offsets[j + 1] - offsets[j] < offsets[best + 1] - offsets[best])) best = j;
    }
    if (best >= 0) parent[best] = coarse;
    coarse++;
  }
  // ── the coarse graph's edges, each pair once ──
  const seen = new Set<number>();
  const cu: number[] = [];
  const cv: number[] = [];
  for (let k = 0; k < u.length; k++) {
    const a = Math.min(parent[u[k]], parent[v[k]]);
    const b = Math.max(parent[u[k]], parent[v[k]]);
    if (a === b) continue;
    const key = a * coarse + b;
    if (seen.has(key)) continue;
    seen.add(key);
    cu.push(a);
    cv.push(b);
  }
  level.parent = parent;
  return { n: coarse, u: Int32Array.from(cu), v: Int32Array.from(cv) };
}

/**
 * `onProgress` sees the picture converge: the coarsest layout, then each finer level, every node
 * drawn at its ancestor's place on levels coarser than its own (and within a slow level, every
 * `progressMs`).
 */
export function multilevelLayout(numNodes: number, u: Int32Array, v: Int32Array, options: MultilevelOptions = DEFAULT_MULTILEVEL, onProgress?: (p: LayoutProgress) => void, progressMs = 1000): GraphLayout {
  const random = seededRandom(options.seed ^ 0x9e3779b9);
  const levels: Level[] = [{ n: numNodes, u, v }];
  // ── Coarsen while it still shrinks the graph by a tenth ──
  while (levels[levels.length - 1].n > options.coarsest) {
    const next = coarsen(levels[levels.length - 1], random);
    if (next.n > 0.9 * levels[levels.length - 1].n) {
      delete levels[levels.length - 1].parent;
      break;
    }
    levels.push(next);
  }
  // ── Where each node of the graph is on every level (for the progress pictures) ──
  const ancestors: Int32Array[] = [];
  if (onProgress) {
    ancestors.push(Int32Array.from({ length: numNodes }, (_, i) => i));
    for (let l = 1; l < levels.length; l++) ancestors.push(ancestors[l - 1].map((a) => levels[l - 1].parent![a]));
  }
  // Work is about nodes × ticks: the share done once level l is laid out.
  const work = levels.map((level, l) => level.n * (l === levels.length - 1 ? options.coarseTicks : refineTicksFor(level.n, options)));
  const total = work.reduce((a, b) => a + b, 0);
  const doneThrough = (l: number, partOfLevel = 1): number => (work.slice(l + 1).reduce((a, b) => a + b, 0) + partOfLevel * work[l]) / total;
  const report = (l: number, at: GraphLayout, partOfLevel = 1): void => {
    if (!onProgress) return;
    const map = ancestors[l];
    const stage = l === levels.length - 1 ? `coarsest level (${levels[l].n.toLocaleString('en-US')} nodes)` : `level ${levels.length - 1 - l} of ${levels.length - 1} (${levels[l].n.toLocaleString('en-US')} nodes)`;
    onProgress({ x: Float32Array.from(map, (a) => at.x[a]), y: Float32Array.from(map, (a) => at.y[a]), stage, fraction: Math.min(0.99, doneThrough(l, partOfLevel)) });
  };
  const progressOf = (l: number, ticks: number): LayoutOptions['progress'] => (onProgress ? { everyMs: progressMs, report: (at, done) => report(l, at, done / ticks) } : undefined);

  // ── The coarsest level: a full layout ──
  const top = levels.length - 1;
  const coarsest = levels[top];
  let layout = forceLayout(coarsest.n, coarsest.u, coarsest.v, { ticks: options.coarseTicks, seed: options.seed, progress: progressOf(top, options.coarseTicks) });
  if (top > 0) report(top, layout);
  // ── Finer levels: start at the coarse positions, refine with cooler ticks ──
  for (let l = levels.length - 2; l >= 0; l--) {
    const level = levels[l];
    const parent = level.parent!;
    const x = new Float32Array(level.n);
    const y = new Float32Array(level.n);
    for (let i = 0; i < level.n; i++) {
      x[i] = layout.x[parent[i]] + (random() - 0.5) * 4;
      y[i] = layout.y[parent[i]] + (random() - 0.5) * 4;
    }
    const ticks = refineTicksFor(level.n, options);
    layout = forceLayout(level.n, level.u, level.v, { ticks, seed: options.seed, initial: { x, y }, alpha: 0.3, progress: progressOf(l, ticks) });
    if (l > 0) report(l, layout);
  }
  return layout;
}
