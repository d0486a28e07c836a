import { forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';

/**
 * Force-directed layout of a whole graph (d3-force, Barnes-Hut charge), run for a fixed number
 * of ticks with a seeded random source, so the same graph always gets the same picture.
 * Cora (2708 nodes, 5278 edges, 300 ticks) takes ~4 s: it runs in a worker and is cached.
 */
export interface LayoutOptions {
  readonly ticks: number;
  readonly seed: number;
  /** Start from these positions (a coarser level's, see multilevelLayout.ts) instead of a random disc. */
  readonly initial?: GraphLayout;
  /** d3's alpha to start from: below 1 a started layout is refined rather than shaken up. */
  readonly alpha?: number;
  /** Called with the positions so far, at most every `everyMs` (a big graph's ticks take seconds). */
  readonly progress?: { readonly everyMs: number; readonly report: (layout: GraphLayout, ticksDone: number) => void };
}

export const DEFAULT_LAYOUT: LayoutOptions = { ticks: 300, seed: 42 };

/** Bump when the forces change, so cached layouts are recomputed. */
export const LAYOUT_VERSION = 3; // 2: multilevel layout from 5,000 nodes, sampled betweenness above; 3: fewer refinement ticks above 20,000 nodes

export interface GraphLayout {
  readonly x: Float32Array; // (N)
  readonly y: Float32Array; // (N)
}

/** Mulberry32: a small, fast seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function forceLayout(numNodes: number, u: Int32Array, v: Int32Array, options: LayoutOptions = DEFAULT_LAYOUT): GraphLayout {
  // Seeded random start in a disc: the seed picks the picture, the same seed repeats it.
  const random = seededRandom(options.seed);
  const spread = 10 * Math.sqrt(numNodes);
  const nodes: SimulationNodeDatum[] = Array.from({ length: numNodes }, (_, i) => {
    if (options.initial) return { x: options.initial.x[i], y: options.initial.y[i] };
    const radius = spread * Math.sqrt(random());
    const angle = 2 * Math.PI * random();
    return { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
  });
  const links = Array.from(u, (s, k) => ({ source: s, target: v[k] }));
  // Weak centring forces keep the ~80 small components of Cora near the giant one.
  const simulation = forceSimulation(nodes)
    .randomSource(random)
    .force('link', forceLink(links).distance(18).strength(0.7))
    .force('charge', forceManyBody().strength(-14).theta(0.9).distanceMax(400))
    .force('x', forceX(0).strength(0.04))
    .force('y', forceY(0).strength(0.04))
    .alpha(options.alpha ?? 1)
    .stop();
  const positions = (): GraphLayout => {
    const x = new Float32Array(numNodes);
    const y = new Float32Array(numNodes);
    nodes.forEach((n, i) => {
      x[i] = n.x ?? 0;
      y[i] = n.y ?? 0;
    });
    return { x, y };
  };
  let reported = performance.now();
  for (let i = 0; i < options.ticks; i++) {
    simulation.tick();
    if (options.progress && i + 1 < options.ticks && performance.now() - reported >= options.progress.everyMs) {
      options.progress.report(positions(), i + 1);
      reported = performance.now();
    }
  }
  return positions();
}
