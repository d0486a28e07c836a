import { edgeOrder } from './edgeDetail';
import { viewRect, type Category, type GraphModel, type Transform } from './graphModel';

/** Edges an SVG holds at most: beyond this a file is tens of MB and slow to open anywhere. */
export const SVG_EDGE_BUDGET = 100_000;

export interface SvgView {
  readonly transform: Transform;
  readonly width: number;
  readonly height: number;
  readonly visible: Uint8Array;
  readonly category: Uint8Array;
  readonly colours: readonly string[];
  readonly background: string;
  readonly foreground: string;
  readonly legend: readonly Category[];
  readonly title: string;
}

const f = (v: number): string => (Math.round(v * 100) / 100).toString();
const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The graph as an SVG document, from the same view-model and view as the canvas: every
 * visible node (`<circle class="node" data-node>`) and edge in view, under the current zoom,
 * plus the legend. Vector output for papers and slides. Zoomed out on a big graph, only the
 * widest SVG_EDGE_BUDGET edges in view (the document's <desc> says so).
 */
export function graphSvg(m: GraphModel, view: SvgView): string {
  const t = view.transform;
  // The view in world units, grown by the largest radius: what is outside is not on the page.
  const { x0: vx0, y0: vy0, x1: vx1, y1: vy1 } = viewRect(t, view.width, view.height, m.maxRadius);
  const inView = (i: number): boolean => m.x[i] >= vx0 && m.x[i] <= vx1 && m.y[i] >= vy0 && m.y[i] <= vy1;
  const edgeInView = (e: number): boolean => {
    const a = m.edgeU[e];
    const b = m.edgeV[e];
    if (!view.visible[a] || !view.visible[b]) return false;
    return !((m.x[a] < vx0 && m.x[b] < vx0) || (m.x[a] > vx1 && m.x[b] > vx1) || (m.y[a] < vy0 && m.y[b] < vy0) || (m.y[a] > vy1 && m.y[b] > vy1));
  };
  let edges: ArrayLike<number> = Int32Array.from({ length: m.edgeU.length }, (_, e) => e).filter(edgeInView);
  const inViewCount = edges.length;
  if (inViewCount > SVG_EDGE_BUDGET) edges = edgeOrder(m).order.filter(edgeInView).subarray(0, SVG_EDGE_BUDGET);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${view.width}" height="${view.height}" viewBox="0 0 ${view.width} ${view.height}">`);
  out.push(`<title>${esc(view.title)}</title>`);
  if (inViewCount > SVG_EDGE_BUDGET) out.push(`<desc>The widest ${SVG_EDGE_BUDGET} of the ${inViewCount} edges in view (all of them would make a file too big to open); zoom in to export every edge of a region.</desc>`);
  out.push(`<rect width="100%" height="100%" fill="${view.background}"/>`);
  out.push(`<g transform="translate(${f(t.x)} ${f(t.y)}) scale(${Number(t.k.toPrecision(6))})">`);
  out.push(`<g class="edges" stroke="${view.foreground}" stroke-opacity="0.35" stroke-linecap="round">`);
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k];
    const a = m.edgeU[e];
    const b = m.edgeV[e];
    out.push(`<line x1="${f(m.x[a])}" y1="${f(m.y[a])}" x2="${f(m.x[b])}" y2="${f(m.y[b])}" stroke-width="${f(m.edgeWidth[e])}"/>`);
  }
  out.push('</g><g class="nodes">');
  for (let i = 0; i < m.n; i++) {
    if (!view.visible[i] || !inView(i)) continue;
    out.push(`<circle class="node" data-node="${i}" cx="${f(m.x[i])}" cy="${f(m.y[i])}" r="${f(m.r[i])}" fill="${view.colours[view.category[i]]}"/>`);
  }
  out.push('</g></g>');
  out.push(`<g class="legend" font-family="sans-serif" font-size="11" fill="${view.foreground}">`);
  view.legend.forEach((c, row) => {
    const y = 14 + row * 16;
    out.push(`<circle cx="12" cy="${y - 4}" r="5" fill="${c.colour}"/><text x="22" y="${y}">${esc(`${c.name} (${c.count})`)}</text>`);
  });
  out.push('</g></svg>');
  return out.join('\n');
}
