import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import { thin, type ChartModel } from '../../figures/chartModel';
import { Component } from './component';
import { element } from './controls';

const MARGIN = { top: 24, right: 16, bottom: 28, left: 44 };
const MAX_POINTS = 1500;

/** A vertical line at one epoch (the timeline's snapshot), with its label. */
export interface EpochMark {
  readonly x: number;
  readonly label: string;
}

/** Draws one chart into an SVG; colours come from CSS classes bound to theme variables. */
export function drawLineChart(svgElement: SVGSVGElement, model: ChartModel, width: number, height: number, mark?: EpochMark): void {
  const svg = select(svgElement).attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', `${model.title} per epoch`);
  svg.selectAll('*').remove();
  const x = scaleLinear().domain(model.xDomain).range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear().domain(model.yDomain).nice().range([height - MARGIN.bottom, MARGIN.top]);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 80))));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(5));
  svg.append('text').attr('class', 'chart-title').attr('x', MARGIN.left).attr('y', 14).text(model.title);
  const path = line<readonly [number, number]>()
    .defined(([, v]) => Number.isFinite(v))
    .x(([e]) => x(e))
    .y(([, v]) => y(v));
  if (mark && mark.x >= model.xDomain[0] && mark.x <= model.xDomain[1]) {
    svg.append('line').attr('class', 'epoch-mark').attr('x1', x(mark.x)).attr('x2', x(mark.x)).attr('y1', MARGIN.top).attr('y2', height - MARGIN.bottom);
    svg.append('text').attr('class', 'epoch-mark-label').attr('x', Math.min(x(mark.x) + 4, width - MARGIN.right - 120)).attr('y', MARGIN.top + 10).text(mark.label);
  }
  model.series.forEach((s, i) => {
    svg.append('path').attr('class', `series ${s.cssClass}`).attr('d', path(thin(s.points, MAX_POINTS)) ?? '');
    const lx = width - MARGIN.right - 90;
    svg.append('line').attr('class', `legend ${s.cssClass}`).attr('x1', lx).attr('x2', lx + 14).attr('y1', 10 + i * 12).attr('y2', 10 + i * 12);
    svg.append('text').attr('class', 'legend-label').attr('x', lx + 18).attr('y', 14 + i * 12).text(s.name);
  });
}

/** What the pair of charts draws: loss, then accuracy (or micro-F1). */
export interface ChartPairState {
  readonly models: readonly [ChartModel, ChartModel];
  readonly width: number;
  readonly height: number;
  readonly mark?: EpochMark;
}

/** The loss and accuracy charts side by side, as the metrics and Compare Runs panels show them. */
export class ChartPair extends Component<ChartPairState> {
  private readonly svgs = ['loss-chart', 'acc-chart'].map((cls) => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.classList.add('chart', cls);
    return svg;
  });

  constructor() {
    super(element('div', 'charts'));
    this.element.append(...this.svgs);
  }

  render(s: ChartPairState): void {
    s.models.forEach((model, i) => drawLineChart(this.svgs[i], model, s.width, s.height, s.mark));
  }
}
