import { axisBottom, axisLeft } from 'd3-axis';
import { scaleBand, scaleLinear, scaleLog, type ScaleBand } from 'd3-scale';
import { select } from 'd3-selection';
import type { Bar } from './degreeModel';

/** Colours resolved from the theme's CSS variables, written as attributes so exported SVG keeps them. */
export interface ChartTheme {
  readonly mark: string;
  readonly active: string;
  readonly axis: string;
  readonly text: string;
  readonly background: string;
  readonly font: string;
}

export const MARGIN = { top: 22, right: 12, bottom: 30, left: 44 };

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

function frame(svg: SVGSVGElement, size: ChartSize, title: string, theme: ChartTheme): void {
  const root = select(svg);
  root.selectAll('*').remove();
  root.attr('width', size.width).attr('height', size.height).attr('viewBox', `0 0 ${size.width} ${size.height}`).attr('font-family', theme.font);
  root.append('rect').attr('class', 'background').attr('width', size.width).attr('height', size.height).attr('fill', theme.background);
  root.append('text').attr('class', 'plot-title').attr('x', MARGIN.left).attr('y', 14).attr('fill', theme.text).attr('font-size', 12).attr('font-weight', 600).text(title);
}

function styleAxis(g: ReturnType<typeof select<SVGGElement, unknown>>, theme: ChartTheme): void {
  g.attr('class', 'axis').attr('font-size', 10);
  g.selectAll('path, line').attr('stroke', theme.axis);
  g.selectAll('text').attr('fill', theme.text);
}

/** Degree per node id: one spike per node (a single path), highlighted ids drawn on top. */
export function drawPerNodePlot(svg: SVGSVGElement, values: readonly number[], size: ChartSize, title: string, theme: ChartTheme, highlight?: { from: number; to: number }): void {
  frame(svg, size, title, theme);
  const innerW = size.width - MARGIN.left - MARGIN.right;
  const innerH = size.height - MARGIN.top - MARGIN.bottom;
  const x = scaleLinear().domain([0, values.length]).range([0, innerW]);
  const y = scaleLinear().domain([0, Math.max(1, ...values)]).nice().range([innerH, 0]);
  const g = select(svg).append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const spikes = (from: number, to: number): string => {
    const parts: string[] = [];
    for (let i = from; i <= to; i++) if (values[i] > 0) parts.push(`M${x(i + 0.5).toFixed(2)},${innerH}V${y(values[i]).toFixed(2)}`);
    return parts.join('');
  };
  g.append('path').attr('class', 'spikes').attr('d', spikes(0, values.length - 1)).attr('stroke', theme.mark).attr('stroke-width', 1).attr('fill', 'none');
  if (highlight) g.append('path').attr('class', 'spikes active').attr('d', spikes(highlight.from, highlight.to)).attr('stroke', theme.active).attr('stroke-width', 2).attr('fill', 'none');
  styleAxis(g.append('g').attr('transform', `translate(0,${innerH})`).call(axisBottom(x).ticks(8)), theme);
  styleAxis(g.append('g').call(axisLeft(y).ticks(5)), theme);
  g.append('text').attr('x', innerW).attr('y', innerH + 26).attr('text-anchor', 'end').attr('fill', theme.text).attr('font-size', 10).text('node id');
}

/** The degree distribution: one bar per degree that occurs; log or linear count axis. */
export function drawDistribution(svg: SVGSVGElement, bars: readonly Bar[], size: ChartSize, title: string, theme: ChartTheme, logScale: boolean, activeDegree?: number): ScaleBand<number> {
  frame(svg, size, title, theme);
  const innerW = size.width - MARGIN.left - MARGIN.right;
  const innerH = size.height - MARGIN.top - MARGIN.bottom;
  const maxDegree = bars.length ? bars[bars.length - 1].degree : 1;
  const x = scaleBand<number>()
    .domain(Array.from({ length: maxDegree + 1 }, (_, d) => d))
    .range([0, innerW])
    .paddingInner(0.15);
  const maxCount = Math.max(1, ...bars.map((b) => b.count));
  const y = logScale ? scaleLog().domain([0.8, maxCount]).range([innerH, 0]).nice() : scaleLinear().domain([0, maxCount]).nice().range([innerH, 0]);
  const g = select(svg).append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const minW = 2; // keep bars of a 169-wide axis visible and clickable
  g.selectAll('rect.bar')
    .data(bars)
    .join('rect')
    .attr('class', (b) => (b.degree === activeDegree ? 'bar active' : 'bar'))
    .attr('data-degree', (b) => b.degree)
    .attr('data-count', (b) => b.count)
    .attr('x', (b) => (x(b.degree) ?? 0) - Math.max(0, (minW - x.bandwidth()) / 2))
    .attr('width', Math.max(minW, x.bandwidth()))
    .attr('y', (b) => y(b.count))
    .attr('height', (b) => innerH - y(b.count))
    .attr('fill', (b) => (b.degree === activeDegree ? theme.active : theme.mark));
  const ticks = x.domain().filter((d) => d % (maxDegree > 60 ? 20 : 5) === 0);
  styleAxis(g.append('g').attr('transform', `translate(0,${innerH})`).call(axisBottom(x).tickValues(ticks)), theme);
  styleAxis(g.append('g').call(logScale ? axisLeft(y).ticks(4, '~s') : axisLeft(y).ticks(5)), theme);
  g.append('text').attr('x', innerW).attr('y', innerH + 26).attr('text-anchor', 'end').attr('fill', theme.text).attr('font-size', 10).text('degree');
  return x;
}
