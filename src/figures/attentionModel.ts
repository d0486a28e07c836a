import type { AttentionNeighbour, AttentionSnapshotData } from '../protocol/analysisSnapshots';

/** Pure view-model of the attention panel: layouts, edge widths and tooltip text. */

export interface PlacedNeighbour extends AttentionNeighbour {
  readonly x: number;
  readonly y: number;
}

/**
 * Radial layout (the original's circular tree of depth 1): the focus node in the centre, its
 * neighbours on a circle, grouped by class and, within a class, by descending attention so
 * strong edges sit together. Positions are in [-1, 1]².
 */
export function radialLayout(neighbours: readonly AttentionNeighbour[], head: number): PlacedNeighbour[] {
  const others = neighbours.filter((n) => !n.isSelf);
  const sorted = [...others].sort((a, b) => a.label - b.label || b.weights[head] - a.weights[head] || a.node - b.node);
  const placed: PlacedNeighbour[] = sorted.map((n, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, sorted.length) - Math.PI / 2;
    return { ...n, x: Math.cos(angle), y: Math.sin(angle) };
  });
  const self = neighbours.find((n) => n.isSelf);
  if (self) placed.unshift({ ...self, x: 0, y: 0 });
  return placed;
}

/**
 * Force layout in the spirit of Kamada-Kawai for a star: each neighbour's distance from the
 * centre shrinks with its attention (strong edges pull close), angles spread evenly by class.
 */
export function attentionDistanceLayout(neighbours: readonly AttentionNeighbour[], head: number): PlacedNeighbour[] {
  const radial = radialLayout(neighbours, head);
  const max = Math.max(...radial.filter((n) => !n.isSelf).map((n) => n.weights[head]), 1e-12);
  return radial.map((n) => {
    if (n.isSelf) return n;
    const r = 0.35 + 0.65 * (1 - n.weights[head] / max); // strongest at 0.35, weakest at 1
    return { ...n, x: n.x * r, y: n.y * r };
  });
}

/** 1 / (degree + 1): what every weight would be if attention were uniform. */
export function uniformWeight(snapshot: Pick<AttentionSnapshotData, 'neighbours'>): number {
  return 1 / snapshot.neighbours.length;
}

/**
 * Edge width in pixels. Absolute mode maps the weight linearly; relative mode maps the ratio to
 * uniform, so near-uniform attention (Cora's) shows as equal widths and deviations stand out.
 */
export function edgeWidth(weight: number, uniform: number, mode: 'absolute' | 'relative', maxWidth = 8): number {
  if (mode === 'absolute') return Math.max(0.5, Math.min(maxWidth, weight * maxWidth * 4));
  const ratio = weight / uniform; // 1 = uniform
  return Math.max(0.5, Math.min(maxWidth, ratio * 2));
}

export function attentionTooltip(n: AttentionNeighbour, head: number, uniform: number, classNames: readonly string[]): string {
  const w = n.weights[head];
  const ratio = w / uniform;
  return `node ${n.node}${n.isSelf ? ' (self-loop)' : ''} · ${classNames[n.label]}\nattention ${w.toFixed(4)} · uniform ${uniform.toFixed(4)} · ${ratio.toFixed(2)}× uniform`;
}
