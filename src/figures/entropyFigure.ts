import { axisMarkup, linearScale, linearTicks, niceDomain, tickFormat } from './axis';
import type { Histogram } from './entropyModel';

export interface EntropyFigureOptions {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly learnedColour: string;
  readonly uniformColour: string;
  readonly foreground: string;
  /** The axes' colour; without it they take the page's text colour (currentColor), as in a panel. */
  readonly axisColour?: string;
  /** Half a pixel on 1× screens, 0 on denser ones (d3-axis's crisp-line offset); 0.5 off screen. */
  readonly offset?: number;
  /** Which head the figure is (the panel finds a clicked bar's head from it). */
  readonly head?: number;
}

const M = { top: 22, right: 10, bottom: 30, left: 40 };
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The original's entropy plot as SVG markup, for the entropy panel and `gat visualize` alike: the
 * histogram of learned attention entropy (filled) over the one for uniform attention on the same
 * neighbourhoods (outlined on top: where the two coincide, as on Cora, both stay visible), sharing
 * bins, with d3's axes. Bars carry `data-bin` and `data-count`; learned bars take the pointer, so a
 * click can list that bin's nodes.
 */
export function entropyFigure(h: Histogram, o: EntropyFigureOptions): string {
  const offset = o.offset ?? 0.5;
  const x0 = h.edges[0];
  const x1 = h.edges[h.edges.length - 1];
  const x = linearScale([x0, x1], [M.left, o.width - M.right]);
  const maxCount = Math.max(1, ...h.learned, ...h.uniform);
  const yDomain = niceDomain(0, maxCount);
  const yRange: [number, number] = [o.height - M.bottom, M.top];
  const y = linearScale(yDomain, yRange);
  const bars = (cls: string, counts: readonly number[], colour: string, filled: boolean): string => {
    const paint = filled ? `fill="${colour}" fill-opacity="0.75" stroke="none" stroke-width="0" pointer-events="all"` : `fill="none" fill-opacity="0" stroke="${colour}" stroke-width="1.5" pointer-events="none"`;
    const rects = counts.map((c, i) => `<rect x="${x(h.edges[i]) + 0.5}" width="${Math.max(1, x(h.edges[i + 1]) - x(h.edges[i]) - 1)}" y="${y(c)}" height="${y(0) - y(c)}" ${paint} data-bin="${i}" data-count="${c}"></rect>`);
    return `<g class="${cls}">${rects.join('')}</g>`;
  };
  const head = o.head === undefined ? '' : ` data-head="${o.head}"`;
  const colour = o.axisColour === undefined ? '' : ` color="${o.axisColour}"`;
  return [
    `<svg${head} width="${o.width}" height="${o.height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escape(o.title)}"${colour}>`,
    bars('learned-bars', h.learned, o.learnedColour, true),
    bars('uniform-bars', h.uniform, o.uniformColour, false),
    axisMarkup({ orient: 'bottom', scale: x, range: [M.left, o.width - M.right], ticks: linearTicks(x0, x1, 5), format: tickFormat(x0, x1, 5), transform: `translate(0,${o.height - M.bottom})`, offset }),
    axisMarkup({ orient: 'left', scale: y, range: yRange, ticks: linearTicks(yDomain[0], yDomain[1], 4), format: tickFormat(yDomain[0], yDomain[1], 4), transform: `translate(${M.left},0)`, offset }),
    `<text x="${M.left}" y="14" fill="${o.foreground}" font-size="11" class="chart-title">${escape(o.title)}</text>`,
    `<text x="${o.width - M.right}" y="${o.height - 4}" text-anchor="end" fill="${o.foreground}" font-size="10">entropy (nats)</text>`,
    '</svg>',
  ].join('');
}

/** Several figures (SVG markup) side by side in rows, as one SVG document with a background. */
export function gridFigure(figures: readonly { markup: string; width: number; height: number }[], perRow: number, background: string): string {
  const rows = Math.ceil(figures.length / perRow);
  const cellW = Math.max(...figures.map((g) => g.width));
  const cellH = Math.max(...figures.map((g) => g.height));
  const width = cellW * Math.min(perRow, figures.length);
  const height = cellH * rows;
  const cells = figures.map((g, i) => g.markup.replace('<svg ', `<svg x="${(i % perRow) * cellW}" y="${Math.floor(i / perRow) * cellH}" `)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${background}"/>${cells}</svg>`;
}
