import { axisBottom, axisLeft, scaleLinear, select } from 'd3';
import type { Histogram } from '../../figures/entropyModel';

export interface EntropyChartOptions {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly learnedColour: string;
  readonly uniformColour: string;
  readonly foreground: string;
}

const MARGIN = { top: 22, right: 10, bottom: 30, left: 40 };

/**
 * The original's entropy plot: the histogram of learned attention entropy (orange) over the one
 * for uniform attention on the same neighbourhoods (blue), sharing bins. Learned bars carry
 * `data-bin` so a click can list that bin's nodes.
 */
export function entropyChart(svgElement: SVGSVGElement, h: Histogram, o: EntropyChartOptions): void {
  const svg = select(svgElement).attr('width', o.width).attr('height', o.height).attr('xmlns', 'http://www.w3.org/2000/svg').attr('role', 'img').attr('aria-label', o.title);
  svg.selectAll('*').remove();
  const x = scaleLinear().domain([h.edges[0], h.edges[h.edges.length - 1]]).range([MARGIN.left, o.width - MARGIN.right]);
  const maxCount = Math.max(1, ...h.learned, ...h.uniform);
  const y = scaleLinear().domain([0, maxCount]).nice().range([o.height - MARGIN.bottom, MARGIN.top]);
  // Learned bars are filled, uniform ones outlined on top: where the two coincide (Cora) both stay visible.
  const bar = (cls: string, counts: number[], colour: string, filled: boolean): void => {
    svg
      .append('g')
      .attr('class', cls)
      .selectAll('rect')
      .data(counts)
      .join('rect')
      .attr('x', (_, i) => x(h.edges[i]) + 0.5)
      .attr('width', (_, i) => Math.max(1, x(h.edges[i + 1]) - x(h.edges[i]) - 1))
      .attr('y', (c) => y(c))
      .attr('height', (c) => y(0) - y(c))
      .attr('fill', filled ? colour : 'none')
      .attr('fill-opacity', filled ? 0.75 : 0)
      .attr('stroke', filled ? 'none' : colour)
      .attr('stroke-width', filled ? 0 : 1.5)
      .attr('pointer-events', filled ? 'all' : 'none')
      .attr('data-bin', (_, i) => i)
      .attr('data-count', (c) => c);
  };
  bar('learned-bars', h.learned, o.learnedColour, true);
  bar('uniform-bars', h.uniform, o.uniformColour, false);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${o.height - MARGIN.bottom})`).call(axisBottom(x).ticks(5));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(4));
  svg.append('text').attr('x', MARGIN.left).attr('y', 14).attr('fill', o.foreground).attr('font-size', 11).attr('class', 'chart-title').text(o.title);
  svg.append('text').attr('x', o.width - MARGIN.right).attr('y', o.height - 4).attr('text-anchor', 'end').attr('fill', o.foreground).attr('font-size', 10).text('entropy (nats)');
}
