/**
 * The receptive field of one node's prediction, its edges drawn by one importance method: the node
 * in the centre, its neighbours on a ring around it, the nodes two hops out on a ring outside that
 * (one ring per hop). Each edge's width and opacity follow its score under the chosen method (a
 * negative score, an edge that works against the prediction, is dashed); the top edges are
 * highlighted, numbered by rank, and focusable, so the keyboard reaches them. Pure: positions and
 * markup from the EdgeImportance alone (tested in Node); colours come from the panel's stylesheet
 * (classes), with `currentColor` defaults.
 */
import type { EdgeImportance, ImportanceMethod } from '../protocol/explanation';
import { formatScore, METHOD_LABELS, rankUnits, TOP_EDGES } from './importanceModel';

export interface FieldNode {
  readonly id: number;
  /** Hops from the explained node (0: the node itself). */
  readonly ring: number;
  readonly x: number;
  readonly y: number;
}

export interface FieldEdge {
  readonly unit: number;
  readonly source: number;
  readonly target: number;
  readonly hop: number;
  /** The end farther from the centre (where a click goes), the source when both are as far. */
  readonly far: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly score: number | null;
  /** |score| / the largest |score| of the method, in [0, 1]. */
  readonly strength: number;
  /** 1-based rank among the top edges; absent for the others. */
  readonly rank?: number;
}

export interface FieldLayout {
  readonly node: number;
  readonly method: ImportanceMethod;
  readonly size: number;
  readonly nodes: readonly FieldNode[];
  /** Weakest first, so the strong edges are drawn on top; the top edges last. */
  readonly edges: readonly FieldEdge[];
  /** Edges in the field (more than `edges` when a big field is cut to the strongest). */
  readonly total: number;
  readonly rings: number;
}

export interface FieldOptions {
  /** Width and height, px. */
  readonly size?: number;
  /** How many edges are highlighted and numbered. */
  readonly top?: number;
  /** At most this many edges are drawn (the strongest); a PubMed hub's field has thousands. */
  readonly maxEdges?: number;
}

const TAU = 2 * Math.PI;

/** Hops from the explained node over the field's edges (either direction), breadth first. */
function ringsOf(imp: EdgeImportance): Map<number, number> {
  const adjacent = new Map<number, number[]>();
  const link = (a: number, b: number): void => void (adjacent.get(a) ?? adjacent.set(a, []).get(a)!).push(b);
  for (const u of imp.units) {
    if (u.source === u.target) continue;
    link(u.source, u.target);
    link(u.target, u.source);
  }
  const ring = new Map<number, number>([[imp.node, 0]]);
  for (let frontier = [imp.node], d = 1; frontier.length > 0; d++) {
    const next: number[] = [];
    for (const a of frontier)
      for (const b of adjacent.get(a) ?? [])
        if (!ring.has(b)) {
          ring.set(b, d);
          next.push(b);
        }
    frontier = next;
  }
  return ring;
}

/**
 * Angles: the first ring evenly by node id; each ring further out sorted by the mean direction of its
 * nodes' neighbours one ring in, then spread evenly, turned to sit as close as it can to those means
 * (so an edge between rings stays short and the rings do not tangle). Depends on the field, not the
 * method: switching methods redraws the edges over the same nodes.
 */
function anglesOf(imp: EdgeImportance, ring: Map<number, number>, rings: number): Map<number, number> {
  const angle = new Map<number, number>([[imp.node, 0]]);
  const inner = new Map<number, number[]>();
  for (const u of imp.units) {
    const [rs, rt] = [ring.get(u.source)!, ring.get(u.target)!];
    if (rt === rs - 1) (inner.get(u.source) ?? inner.set(u.source, []).get(u.source)!).push(u.target);
    if (rs === rt - 1) (inner.get(u.target) ?? inner.set(u.target, []).get(u.target)!).push(u.source);
  }
  for (let d = 1; d <= rings; d++) {
    const ids = [...ring].filter(([, r]) => r === d).map(([id]) => id);
    const n = ids.length;
    if (d === 1) {
      ids.sort((a, b) => a - b).forEach((id, k) => angle.set(id, -Math.PI / 2 + (TAU * k) / n));
      continue;
    }
    const mean = new Map(ids.map((id) => [id, meanAngle((inner.get(id) ?? []).map((p) => angle.get(p)!))]));
    ids.sort((a, b) => mean.get(a)! - mean.get(b)! || a - b);
    const offset = meanAngle(ids.map((id, k) => mean.get(id)! - (TAU * k) / n));
    ids.forEach((id, k) => angle.set(id, offset + (TAU * k) / n));
  }
  return angle;
}

/** The circular mean of angles, in [−π, π) (0 for none). */
function meanAngle(as: readonly number[]): number {
  let [s, c] = [0, 0];
  for (const a of as) {
    s += Math.sin(a);
    c += Math.cos(a);
  }
  return s === 0 && c === 0 ? 0 : Math.atan2(s, c);
}

/** The field laid out, and the edges to draw for `method` with their strengths and the top ranks. */
export function fieldLayout(imp: EdgeImportance, method: ImportanceMethod, o: FieldOptions = {}): FieldLayout {
  const size = o.size ?? 400;
  const top = o.top ?? TOP_EDGES;
  const maxEdges = Math.max(top, o.maxEdges ?? 1500);
  const ring = ringsOf(imp);
  const rings = Math.max(0, ...ring.values());
  const angle = anglesOf(imp, ring, rings);
  const c = size / 2;
  const outer = c - 14;
  const inner = rings > 1 ? 0.48 * outer : 0.8 * outer;
  const radius = (d: number): number => (d === 0 ? 0 : rings > 1 ? inner + ((outer - inner) * (d - 1)) / (rings - 1) : inner);
  const at = new Map<number, FieldNode>();
  for (const [id, d] of ring) at.set(id, { id, ring: d, x: round(c + radius(d) * Math.cos(angle.get(id)!)), y: round(c + radius(d) * Math.sin(angle.get(id)!)) });
  const scores = imp.methods.find((s) => s.method === method)?.scores ?? [];
  const score = (u: number): number | null => (Number.isFinite(scores[u]) ? scores[u] : null);
  let max = 0;
  for (let u = 0; u < imp.units.length; u++) max = Math.max(max, Math.abs(score(u) ?? 0));
  const ranked = rankUnits(imp, method).filter((u) => imp.units[u].source !== imp.units[u].target);
  const rankOf = new Map(ranked.slice(0, top).map((u, i) => [u, i + 1]));
  // The strongest by |score| (a strongly negative edge matters too), the top ones always among them.
  const byMagnitude = ranked.length ? [...ranked].sort((a, b) => Math.abs(score(b) ?? 0) - Math.abs(score(a) ?? 0) || a - b) : imp.units.map((_, u) => u);
  const shown = new Set(rankOf.keys());
  for (const u of byMagnitude) {
    if (shown.size >= maxEdges) break;
    shown.add(u);
  }
  const edges = [...shown]
    .map((unit): FieldEdge => {
      const u = imp.units[unit];
      const [a, b] = [at.get(u.source)!, at.get(u.target)!];
      const s = score(unit);
      const rank = rankOf.get(unit);
      return { unit, source: u.source, target: u.target, hop: u.hop, far: b.ring > a.ring ? b.id : a.id === imp.node ? b.id : a.id, x1: a.x, y1: a.y, x2: b.x, y2: b.y, score: s, strength: max > 0 && s !== null ? Math.abs(s) / max : 0, ...(rank ? { rank } : {}) };
    })
    .sort((p, q) => (q.rank ?? Infinity) - (p.rank ?? Infinity) || p.strength - q.strength || p.unit - q.unit);
  const drawnNodes = new Set([imp.node, ...[...ring].filter(([, d]) => d === 1).map(([id]) => id), ...edges.flatMap((e) => [e.source, e.target])]);
  const nodes = [...at.values()].filter((n) => drawnNodes.has(n.id)).sort((p, q) => q.ring - p.ring || p.id - q.id);
  return { node: imp.node, method, size, nodes, edges, total: imp.units.length, rings };
}

const round = (v: number): number => Math.round(v * 10) / 10;
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** How an edge's name reads ("919 — 1358", or "919 → 1358" for directed units). */
function edgeName(e: FieldEdge, directed: boolean): string {
  return `${e.source} ${directed ? '→' : '—'} ${e.target}`;
}

/**
 * The layout as SVG markup. Edges carry their unit, far end and score in data attributes; the top edges
 * are `<g tabindex="0" role="button">` with a wide transparent stroke to hit, named for a screen
 * reader, and open the far end's record (the panel wires the clicks); every node is a circle with
 * its id in a <title> and `data-node`.
 */
export function fieldFigure(layout: FieldLayout, directed: boolean): string {
  const label = METHOD_LABELS[layout.method];
  // Hundreds of edges: the plain ones are one <line> each, their data on it (the markup stays small).
  const line = (e: FieldEdge, attributes: string, width: number, opacity?: number): string =>
    `<line ${attributes} x1="${e.x1}" y1="${e.y1}" x2="${e.x2}" y2="${e.y2}" stroke-width="${width.toFixed(1)}"${opacity !== undefined ? ` stroke-opacity="${opacity.toFixed(2)}"` : ''}${e.score !== null && e.score < 0 ? ' stroke-dasharray="3 2"' : ''}></line>`;
  const data = (e: FieldEdge): string => `data-unit="${e.unit}" data-node="${e.far}" data-score="${e.score ?? ''}"`;
  const negative = (e: FieldEdge): string => (e.score !== null && e.score < 0 ? ' negative' : '');
  const edges = layout.edges.map((e) => {
    if (e.rank === undefined) return line(e, `class="field-edge edge-line${negative(e)}" ${data(e)}`, 0.4 + 2.6 * e.strength, 0.12 + 0.78 * e.strength);
    const name = `${e.rank}. edge ${edgeName(e, directed)} (${e.hop} hop${e.hop === 1 ? '' : 's'}), ${label} ${formatScore(e.score)}: opens node ${e.far}'s record`;
    return `<g class="field-edge top${negative(e)}" tabindex="0" role="button" data-rank="${e.rank}" ${data(e)} aria-label="${escape(name)}"><title>${escape(name)}</title>${line(e, 'class="edge-hit"', 9, 0)}${line(e, 'class="edge-line"', 1.5 + 2.5 * e.strength)}</g>`;
  });
  // A crowded ring gets smaller dots (168 neighbours of a hub share one circle).
  const c = layout.size / 2;
  const crowd = new Map<number, number>();
  for (const n of layout.nodes) crowd.set(n.ring, (crowd.get(n.ring) ?? 0) + 1);
  const dot = (n: FieldNode): number => {
    if (n.ring === 0) return 7;
    const room = (Math.PI * Math.hypot(n.x - c, n.y - c)) / crowd.get(n.ring)!;
    return round(Math.max(1, Math.min(n.ring === 1 ? 3.5 : 2.5, 0.8 * room)));
  };
  const nodes = layout.nodes.map((n) => {
    const r = dot(n);
    const what = n.ring === 0 ? 'the node explained' : `${n.ring} hop${n.ring === 1 ? '' : 's'}`;
    return `<circle class="field-node ring-${Math.min(n.ring, 3)}" cx="${n.x}" cy="${n.y}" r="${r}" data-node="${n.id}"><title>node ${n.id} (${what})</title></circle>`;
  });
  const position = new Map(layout.nodes.map((n) => [n.id, n]));
  const ranks = layout.edges
    .filter((e) => e.rank !== undefined)
    .map((e) => {
      // The rank sits just outside the far end, away from the centre.
      const p = position.get(e.far)!;
      const [dx, dy] = [p.x - c, p.y - c];
      const d = Math.hypot(dx, dy) || 1;
      return `<text class="field-rank" x="${round(p.x + (8 * dx) / d)}" y="${round(p.y + (8 * dy) / d + 3)}" text-anchor="middle" font-size="9" fill="currentColor" aria-hidden="true">${e.rank}</text>`;
    });
  const centre = position.get(layout.node)!;
  const cut = layout.edges.length < layout.total ? `, the ${layout.edges.length} strongest drawn` : '';
  const name = `Receptive field of node ${layout.node}: ${layout.total} edges${cut}, drawn by ${label} (width and opacity follow the score; dashed: against the prediction); the ${layout.edges.filter((e) => e.rank !== undefined).length} top edges are numbered`;
  return [
    `<svg class="field-figure" data-method="${layout.method}" data-drawn="${layout.edges.length}" width="${layout.size}" height="${layout.size}" viewBox="0 0 ${layout.size} ${layout.size}" xmlns="http://www.w3.org/2000/svg" role="group" aria-label="${escape(name)}">`,
    `<g class="field-edges" stroke="currentColor">${edges.join('')}</g>`,
    `<g class="field-nodes" fill="currentColor">${nodes.join('')}</g>`,
    `<text class="field-centre-label" x="${centre.x}" y="${round(centre.y - 10)}" text-anchor="middle" font-size="10" fill="currentColor" aria-hidden="true">${layout.node}</text>`,
    `<g class="field-ranks">${ranks.join('')}</g>`,
    '</svg>',
  ].join('');
}
