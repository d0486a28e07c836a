import type { Histogram } from './entropyModel';

export interface EntropyFigureOptions {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly learnedColour: string;
  readonly uniformColour: string;
  readonly foreground: string;
}

const M = { top: 22, right: 10, bottom: 30, left: 40 };
const f = (v: number): string => (Math.round(v * 100) / 100).toString();

/** Round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * A static entropy histogram as SVG markup (for `gat visualize`): learned entropies filled,
 * uniform ones outlined over them, sharing bins, with axes. Bars carry `data-count`.
 */
export function entropyFigure(h: Histogram, o: EntropyFigureOptions): string {
  const x0 = h.edges[0];
  const x1 = h.edges[h.edges.length - 1];
  const maxCount = Math.max(1, ...h.learned, ...h.uniform);
  const yTicks = ticks(0, maxCount, 4);
  const yMax = Math.max(maxCount, yTicks[yTicks.length - 1]);
  const sx = (v: number): number => M.left + ((v - x0) / (x1 - x0)) * (o.width - M.left - M.right);
  const sy = (c: number): number => o.height - M.bottom - (c / yMax) * (o.height - M.top - M.bottom);
  const bars = (counts: number[], cls: string, filled: boolean, colour: string): string =>
    `<g class="${cls}">` +
    counts
      .map((c, i) => {
        const x = sx(h.edges[i]) + 0.5;
        const w = Math.max(1, sx(h.edges[i + 1]) - sx(h.edges[i]) - 1);
        const paint = filled ? `fill="${colour}" fill-opacity="0.75"` : `fill="none" stroke="${colour}" stroke-width="1.5"`;
        return `<rect x="${f(x)}" y="${f(sy(c))}" width="${f(w)}" height="${f(sy(0) - sy(c))}" ${paint} data-bin="${i}" data-count="${c}"/>`;
      })
      .join('') +
    '</g>';
  const axisY = o.height - M.bottom;
  const xAxis = ticks(x0, x1, 5)
    .map((t) => `<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${axisY}" y2="${axisY + 4}" stroke="${o.foreground}"/><text x="${f(sx(t))}" y="${axisY + 15}" text-anchor="middle" font-size="10" fill="${o.foreground}">${t}</text>`)
    .join('');
  const yAxis = yTicks
    .map((t) => `<line x1="${M.left - 4}" x2="${M.left}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="${o.foreground}"/><text x="${M.left - 6}" y="${f(sy(t) + 3)}" text-anchor="end" font-size="10" fill="${o.foreground}">${t}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}" viewBox="0 0 ${o.width} ${o.height}" role="img" aria-label="${o.title}">`,
    bars(h.learned, 'learned-bars', true, o.learnedColour),
    bars(h.uniform, 'uniform-bars', false, o.uniformColour),
    `<line x1="${M.left}" x2="${o.width - M.right}" y1="${axisY}" y2="${axisY}" stroke="${o.foreground}"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${axisY}" stroke="${o.foreground}"/>`,
    xAxis,
    yAxis,
    `<text x="${M.left}" y="14" font-size="11" fill="${o.foreground}">${o.title}</text>`,
    `<text x="${o.width - M.right}" y="${o.height - 4}" text-anchor="end" font-size="10" fill="${o.foreground}">entropy (nats)</text>`,
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
