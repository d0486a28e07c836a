import type { GraphModel, Transform } from '../../figures/graphModel';
import { neighboursOf, viewRect } from '../../figures/graphModel';
import type { ThemeKind } from '../../figures/palette';

/** Colours read from VS Code's theme variables (re-read when the theme changes). */
export interface DrawTheme {
  readonly kind: ThemeKind;
  readonly background: string;
  readonly foreground: string;
  readonly focus: string;
}

export interface DrawView {
  readonly transform: Transform;
  readonly width: number; // CSS pixels
  readonly height: number;
  readonly dpr: number;
  readonly visible: Uint8Array; // (N)
  readonly category: Uint8Array; // (N)
  readonly colours: readonly string[]; // by category
  /** Hovered (or keyboard-focused) node: its neighbourhood is highlighted. */
  readonly highlight?: number;
  readonly focused?: number;
  readonly selected?: number;
  /** While zooming or panning: every edge as a hairline (cheap to rasterise); full widths after. */
  readonly fast?: boolean;
}

/** Screen widths up to this are drawn as hairlines with the ink in the alpha: wider strokes cost ~10x to rasterise. */
const HAIRLINE_PX = 2;
const MAX_EDGE_PX = 10;

const EDGE_BUCKETS = 6;

/**
 * Draws the graph on a 2-D canvas: edges batched into a few width buckets, nodes batched by
 * colour (one path each), everything outside the viewport skipped. Returns what it drew.
 */
export function drawGraph(ctx: CanvasRenderingContext2D, m: GraphModel, view: DrawView, theme: DrawTheme): { nodes: number; edges: number } {
  const focusSet = neighbourhoodOf(m, view);
  const drawn = drawScene(ctx, m, view, theme, focusSet.size > 0);
  drawOverlays(ctx, m, view, theme, focusSet);
  return drawn;
}

/** The highlighted node and its visible neighbours (empty when nothing is highlighted). */
export function neighbourhoodOf(m: GraphModel, view: DrawView): Set<number> {
  const focusSet = new Set<number>();
  if (view.highlight !== undefined) {
    focusSet.add(view.highlight);
    for (const j of neighboursOf(m, view.highlight)) if (view.visible[j]) focusSet.add(j);
  }
  return focusSet;
}

/**
 * Background, edges and nodes (dimmed while a neighbourhood is highlighted). The slow part on big
 * graphs: the view keeps the dimmed scene, so moving the highlight only redraws the overlays.
 */
export function drawScene(ctx: CanvasRenderingContext2D, m: GraphModel, view: DrawView, theme: DrawTheme, dimmed: boolean): { nodes: number; edges: number } {
  const { transform: t, width, height, dpr, visible } = view;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
  // Viewport in world units, grown by the largest radius so partly visible nodes are drawn.
  const { x0: vx0, y0: vy0, x1: vx1, y1: vy1 } = viewRect(t, width, height, m.maxRadius);
  const inView = (i: number): boolean => m.x[i] >= vx0 && m.x[i] <= vx1 && m.y[i] >= vy0 && m.y[i] <= vy1;
  // Edges: one stroke per width bucket; at least ~0.5 screen pixels so thin edges stay visible.
  const buckets = Array.from({ length: EDGE_BUCKETS }, () => [] as number[]);
  let maxWidth = 0;
  for (const w of m.edgeWidth) maxWidth = Math.max(maxWidth, w);
  let edges = 0;
  for (let e = 0; e < m.edgeU.length; e++) {
    const a = m.edgeU[e];
    const b = m.edgeV[e];
    if (!visible[a] || !visible[b]) continue;
    if ((m.x[a] < vx0 && m.x[b] < vx0) || (m.x[a] > vx1 && m.x[b] > vx1) || (m.y[a] < vy0 && m.y[b] < vy0) || (m.y[a] > vy1 && m.y[b] > vy1)) continue;
    buckets[Math.min(EDGE_BUCKETS - 1, Math.floor((m.edgeWidth[e] / (maxWidth || 1)) * EDGE_BUCKETS))].push(e);
    edges++;
  }
  ctx.strokeStyle = theme.foreground;
  const light = theme.kind === 'light' || theme.kind === 'high-contrast-light';
  // Denser graphs get fainter edges, so 35,000 edges on a PPI graph do not bury the nodes (Cora, mean degree 3.9: unchanged).
  const density = Math.min(1, 4 / Math.max(1, (2 * m.edgeU.length) / Math.max(1, m.n)));
  const edgeAlpha = (dimmed ? 0.12 : 0.35) * (light ? 0.7 : 1) * Math.max(0.25, density);
  // Edge widths grow with zoom only up to 1.2x: zoomed in, full-width edges would bury the nodes.
  const edgeScale = Math.min(t.k, 1.2);
  buckets.forEach((list, bucket) => {
    if (!list.length) return;
    const px = Math.max(((bucket + 1) / EDGE_BUCKETS) * maxWidth * edgeScale, 0.5);
    if (view.fast || px <= HAIRLINE_PX) {
      // One path of hairlines: Skia draws strokes at most 1 device pixel wide without a stroker
      // (~3 ms for all of Cora, ~40 ms with one). 0.95, not 1: (1 / k) * k can round above 1.
      // Up to 2 px, the extra width goes into the alpha (same ink, a hairline's cost).
      ctx.lineWidth = Math.min(px, 0.95) / t.k;
      ctx.globalAlpha = Math.min(1, edgeAlpha * Math.max(1, px / 0.95));
      ctx.beginPath();
      for (const e of list) {
        ctx.moveTo(m.x[m.edgeU[e]], m.y[m.edgeU[e]]);
        ctx.lineTo(m.x[m.edgeV[e]], m.y[m.edgeV[e]]);
      }
      ctx.stroke();
      return;
    }
    // Wide strokes one path each: a single path of thousands of wide segments rasterises 3-4x slower.
    ctx.globalAlpha = edgeAlpha;
    ctx.lineWidth = Math.min(px, MAX_EDGE_PX) / t.k;
    for (const e of list) {
      ctx.beginPath();
      ctx.moveTo(m.x[m.edgeU[e]], m.y[m.edgeU[e]]);
      ctx.lineTo(m.x[m.edgeV[e]], m.y[m.edgeV[e]]);
      ctx.stroke();
    }
  });

  // Nodes: one filled path per colour.
  const byColour = new Map<string, number[]>();
  let nodes = 0;
  for (let i = 0; i < m.n; i++) {
    if (!visible[i] || !inView(i)) continue;
    const colour = view.colours[view.category[i]];
    let list = byColour.get(colour);
    if (!list) byColour.set(colour, (list = []));
    list.push(i);
    nodes++;
  }
  ctx.globalAlpha = dimmed ? 0.3 : 1;
  const minR = 1 / t.k; // never smaller than a pixel
  for (const [colour, list] of byColour) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    for (const i of list) {
      const r = Math.max(m.r[i], minR);
      ctx.moveTo(m.x[i] + r, m.y[i]);
      ctx.arc(m.x[i], m.y[i], r, 0, 2 * Math.PI);
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  return { nodes, edges };
}

/** The highlighted neighbourhood and the selection and focus rings, in world coordinates. */
export function drawOverlays(ctx: CanvasRenderingContext2D, m: GraphModel, view: DrawView, theme: DrawTheme, focusSet: Set<number>): void {
  const { transform: t, dpr, visible } = view;
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
  if (view.highlight !== undefined && focusSet.size > 0) drawNeighbourhood(ctx, m, view, theme, view.highlight, focusSet);
  for (const [node, dash] of [
    [view.selected, [4, 3]],
    [view.focused, []],
  ] as const) {
    if (node === undefined || !visible[node]) continue;
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = 2 / t.k;
    ctx.setLineDash(dash.map((d) => d / t.k));
    ctx.beginPath();
    ctx.arc(m.x[node], m.y[node], m.r[node] + 3 / t.k, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

function drawNeighbourhood(ctx: CanvasRenderingContext2D, m: GraphModel, view: DrawView, theme: DrawTheme, centre: number, members: Set<number>): void {
  const t = view.transform;
  ctx.strokeStyle = theme.foreground;
  ctx.globalAlpha = 0.8;
  ctx.lineWidth = 1 / t.k;
  ctx.beginPath();
  for (const j of members) {
    if (j === centre) continue;
    ctx.moveTo(m.x[centre], m.y[centre]);
    ctx.lineTo(m.x[j], m.y[j]);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  for (const j of members) {
    ctx.fillStyle = view.colours[view.category[j]];
    ctx.beginPath();
    ctx.arc(m.x[j], m.y[j], Math.max(m.r[j], 1.5 / t.k), 0, 2 * Math.PI);
    ctx.fill();
    ctx.strokeStyle = theme.background;
    ctx.lineWidth = 1 / t.k;
    ctx.stroke();
  }
  ctx.strokeStyle = theme.foreground;
  ctx.lineWidth = 2 / t.k;
  ctx.beginPath();
  ctx.arc(m.x[centre], m.y[centre], m.r[centre] + 1.5 / t.k, 0, 2 * Math.PI);
  ctx.stroke();
}

/** Theme colours from the page's CSS variables, with fallbacks for a page outside VS Code. */
export function readTheme(kind: ThemeKind, style: CSSStyleDeclaration, fallbackBackground: string): DrawTheme {
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const light = kind === 'light' || kind === 'high-contrast-light';
  return {
    kind,
    background: v('--vscode-editor-background', fallbackBackground),
    foreground: v('--vscode-editor-foreground', v('--vscode-foreground', light ? '#333333' : '#cccccc')),
    focus: v('--vscode-focusBorder', light ? '#0090f1' : '#007fd4'),
  };
}
