import type { DegreeSnapshot } from '../../protocol/webviewMessages';

/**
 * The degree panel's view-model: the original's three plots (in-degree per node id,
 * out-degree per node id, the degree distribution), hit testing by pixel, the node lists a
 * bar or point leads to, and tooltip text. Pure: unit-tested in Node.
 */
export type DegreePlotKind = 'in' | 'out' | 'dist';

export interface Bar {
  readonly degree: number;
  readonly count: number;
}

export interface NodeEntry {
  readonly node: number;
  readonly degree: number;
  readonly className: string;
}

/** counts[d] of nodes with degree d, as bars (only degrees that occur). */
export function distributionBars(degrees: readonly number[]): Bar[] {
  const counts = new Map<number, number>();
  for (const d of degrees) counts.set(d, (counts.get(d) ?? 0) + 1);
  return [...counts].map(([degree, count]) => ({ degree, count })).sort((a, b) => a.degree - b.degree);
}

/** The most common degree (the distribution's peak). */
export function peakDegree(bars: readonly Bar[]): number {
  return bars.reduce((best, b) => (b.count > best.count ? b : best), bars[0] ?? { degree: 0, count: 0 }).degree;
}

/** Node ids covered by pixel column `px` of a per-node plot `width` pixels wide (at least one id). */
export function idRangeAt(px: number, width: number, n: number): { from: number; to: number } {
  const clamped = Math.min(Math.max(px, 0), width - 1e-9);
  const from = Math.min(n - 1, Math.floor((clamped / width) * n));
  const to = Math.max(from, Math.min(n - 1, Math.ceil(((clamped + 1) / width) * n) - 1));
  return { from, to };
}

/** The node with the largest value in [from, to] (what a pixel column shows on top). */
export function peakIn(values: readonly number[], from: number, to: number): number {
  let best = from;
  for (let i = from + 1; i <= to; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function perNodeValues(s: DegreeSnapshot, plot: 'in' | 'out'): readonly number[] {
  return plot === 'in' ? s.inDegree : s.outDegree;
}

/** The nodes a selection leads to: a range of ids (per-node plots) or a degree (distribution). */
export function selectedNodes(s: DegreeSnapshot, plot: DegreePlotKind, from: number, to: number): NodeEntry[] {
  const degreeOf = plot === 'out' ? s.outDegree : s.inDegree;
  const entry = (node: number): NodeEntry => ({ node, degree: degreeOf[node], className: s.classNames[s.labels[node]] });
  if (plot === 'dist') {
    const out: NodeEntry[] = [];
    for (let i = 0; i < degreeOf.length; i++) if (degreeOf[i] >= from && degreeOf[i] <= to) out.push(entry(i));
    return out;
  }
  return Array.from({ length: to - from + 1 }, (_, k) => entry(from + k)).sort((a, b) => b.degree - a.degree || a.node - b.node);
}

export function pointTooltip(s: DegreeSnapshot, plot: 'in' | 'out', from: number, to: number): string {
  const values = perNodeValues(s, plot);
  const top = peakIn(values, from, to);
  const label = plot === 'in' ? 'in-degree' : 'out-degree';
  const o = s.scope?.nodeOffset ?? 0; // one graph of an inductive dataset: show the dataset's ids
  const range = from === to ? `node ${from + o}` : `nodes ${from + o}–${to + o}`;
  return `${range}: ${from === to ? '' : `max `}${label} ${values[top]}${from === to ? '' : ` (node ${top + o})`}`;
}

export function barTooltip(bar: Bar, total: number): string {
  return `degree ${bar.degree}: ${bar.count} node${bar.count === 1 ? '' : 's'} (${((100 * bar.count) / total).toFixed(1)}%)`;
}

export function selectionTitle(plot: DegreePlotKind, from: number, to: number, count: number, offset = 0): string {
  if (plot === 'dist') return `${count} node${count === 1 ? '' : 's'} with degree ${from}`;
  const label = plot === 'in' ? 'in-degree' : 'out-degree';
  return from === to ? `node ${from + offset} (${label})` : `nodes ${from + offset}–${to + offset} by ${label}`;
}
