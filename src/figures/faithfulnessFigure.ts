import { axisMarkup, linearScale, linearTicks, tickFormat } from './axis';
import type { FidelityChart } from './faithfulnessModel';
import type { RankingMethod } from '../protocol/faithfulness';

export interface FidelityFigureOptions {
  readonly width: number;
  readonly height: number;
  /** Each method's line colour, read from the theme by the panel (so an export keeps it). */
  readonly colours: Readonly<Record<RankingMethod, string>>;
  readonly foreground: string;
  /** Half a pixel on 1× screens, 0 on denser ones (d3-axis's crisp-line offset). */
  readonly offset?: number;
  /** Says which run the chart is of, for its accessible name ("run X" or "uniform twin Y"). */
  readonly subject: string;
}

const M = { top: 22, right: 12, bottom: 34, left: 44 };
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One measure against k as SVG markup: a line per ranking method (random dashed), a dot per k with
 * its exact value in a <title> (the hover) and in data attributes (tests, exports). The k sit evenly
 * along x. Lines break where a value is undefined (a characterization score at fid+ = 0).
 */
export function fidelityFigure(chart: FidelityChart, o: FidelityFigureOptions): string {
  const offset = o.offset ?? 0.5;
  const n = chart.ks.length;
  const [x0, x1] = [M.left + 14, o.width - M.right - 14];
  const xAt = (k: number): number => (n <= 1 ? (x0 + x1) / 2 : x0 + ((x1 - x0) * chart.ks.indexOf(k)) / (n - 1));
  const yRange: [number, number] = [o.height - M.bottom, M.top];
  const y = linearScale(chart.yDomain, yRange);
  const lines = chart.series.map((s) => {
    const colour = o.colours[s.method];
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    let d = '';
    let pen = false;
    for (const [k, v] of s.points) {
      if (v === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${xAt(k).toFixed(2)},${y(v).toFixed(2)}`;
      pen = true;
    }
    const dots = s.points
      .filter((p): p is readonly [number, number] => p[1] !== null)
      .map(([k, v]) => `<circle cx="${xAt(k).toFixed(2)}" cy="${y(v).toFixed(2)}" r="3" fill="${colour}" data-k="${k}" data-value="${v}"><title>${escape(`${s.label} · k = ${k} · ${v.toFixed(3)}`)}</title></circle>`)
      .join('');
    return `<g class="fidelity-series" data-method="${s.method}"><path d="${d}" fill="none" stroke="${colour}" stroke-width="1.75"${dash}></path>${dots}</g>`;
  });
  const name = `${chart.title}, ${o.subject}: ${chart.yLabel} against k (the table below lists the numbers)`;
  return [
    `<svg class="fidelity-figure" data-chart="${chart.key}" width="${o.width}" height="${o.height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escape(name)}">`,
    axisMarkup({ orient: 'bottom', scale: xAt, range: [M.left, o.width - M.right], ticks: chart.ks, format: String, transform: `translate(0,${o.height - M.bottom})`, offset }),
    axisMarkup({ orient: 'left', scale: y, range: yRange, ticks: linearTicks(chart.yDomain[0], chart.yDomain[1], 5), format: tickFormat(chart.yDomain[0], chart.yDomain[1], 5), transform: `translate(${M.left},0)`, offset }),
    ...lines,
    `<text x="${M.left}" y="14" fill="${o.foreground}" font-size="11" class="chart-title">${escape(chart.title)}</text>`,
    `<text x="${o.width - M.right}" y="${o.height - 4}" text-anchor="end" fill="${o.foreground}" font-size="10">k (top edges)</text>`,
    '</svg>',
  ].join('');
}
