import type { DegreeSnapshot } from '../../protocol/webviewMessages';
import { Component } from '../shared/component';
import { element, tooltipElement } from '../shared/controls';
import { drawDistribution, drawPerNodePlot, MARGIN, type ChartTheme } from './degreeCharts';
import { barTooltip, idRangeAt, pointTooltip, type Bar, type DegreePlotKind } from './degreeModel';

/** A range of node ids (in-/out-degree plots) or a degree (the distribution) picked on a plot. */
export interface DegreeSelection {
  readonly plot: DegreePlotKind;
  readonly from: number;
  readonly to: number;
}

/** What the plots draw. */
export interface DegreePlotsState {
  readonly snapshot: DegreeSnapshot;
  readonly bars: readonly Bar[];
  readonly logScale: boolean;
  readonly selected: DegreeSelection | null;
  readonly width: number;
  readonly theme: ChartTheme;
}

const PER_NODE_HEIGHT = 190;
const DIST_HEIGHT = 230;
const LABELS: Readonly<Record<DegreePlotKind, string>> = {
  in: 'In-degree per node id. Left and right arrows move along the nodes (Shift: 50 at a time), Enter lists them.',
  out: 'Out-degree per node id. Left and right arrows move along the nodes (Shift: 50 at a time), Enter lists them.',
  dist: 'Degree distribution. Left and right arrows move between degrees, Enter lists the nodes.',
};

/**
 * In-degree and out-degree per node id and the degree distribution: hover shows what a point or
 * bar is, click (or arrow keys and Enter) selects it. The tooltip is positioned in `frame`.
 */
export class DegreePlots extends Component<DegreePlotsState> {
  readonly svgs: Record<DegreePlotKind, SVGSVGElement>;
  /** The tooltip, to put in the page (it sits over every plot). */
  readonly tooltip = tooltipElement();
  private state: DegreePlotsState | undefined;
  /** The keyboard's place on each plot: a node id, or a degree. */
  private readonly cursor: Record<DegreePlotKind, number> = { in: 0, out: 0, dist: 0 };

  constructor(
    private readonly frame: HTMLElement,
    private readonly select: (s: DegreeSelection) => void,
  ) {
    super(element('div', 'degree-plots'));
    this.svgs = { in: this.makeSvg('in'), out: this.makeSvg('out'), dist: this.makeSvg('dist') };
    this.element.append(this.svgs.in, this.svgs.out, this.svgs.dist);
  }

  /** A new snapshot: the keyboard starts at the busiest ids and the smallest degree. */
  resetCursor(peak: number, firstDegree: number): void {
    this.cursor.in = this.cursor.out = peak;
    this.cursor.dist = firstDegree;
  }

  render(s: DegreePlotsState): void {
    this.state = s;
    const hl = (plot: 'in' | 'out'): { from: number; to: number } | undefined => (s.selected?.plot === plot ? { from: s.selected.from, to: s.selected.to } : undefined);
    drawPerNodePlot(this.svgs.in, s.snapshot.inDegree, { width: s.width, height: PER_NODE_HEIGHT }, 'In-degree per node id', s.theme, hl('in'));
    drawPerNodePlot(this.svgs.out, s.snapshot.outDegree, { width: s.width, height: PER_NODE_HEIGHT }, 'Out-degree per node id', s.theme, hl('out'));
    drawDistribution(this.svgs.dist, s.bars, { width: s.width, height: DIST_HEIGHT }, `Degree distribution (nodes per degree${s.logScale ? ', log scale' : ''})`, s.theme, s.logScale, s.selected?.plot === 'dist' ? s.selected.from : undefined);
  }

  private makeSvg(plot: DegreePlotKind): SVGSVGElement {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.classList.add('degree-plot');
    svg.dataset.plot = plot;
    svg.setAttribute('tabindex', '0');
    svg.setAttribute('role', 'application');
    svg.setAttribute('aria-label', LABELS[plot]);
    this.listen(svg, 'pointermove', (e) => this.hover(plot, e.offsetX - MARGIN.left, e.offsetX, e.offsetY));
    this.listen(svg, 'pointerleave', () => (this.tooltip.hidden = true));
    this.listen(svg, 'click', (e) => this.pick(plot, e.offsetX - MARGIN.left));
    this.listen(svg, 'keydown', (e) => this.key(plot, e));
    return svg;
  }

  private innerWidth(): number {
    return (this.state?.width ?? 600) - MARGIN.left - MARGIN.right;
  }

  /** Pixel (inside the plot area) → what it shows: a range of node ids, or a bar. */
  private target(plot: DegreePlotKind, px: number): { from: number; to: number; text: string } | undefined {
    const s = this.state;
    if (!s || px < 0 || px > this.innerWidth()) return undefined;
    if (plot === 'dist') {
      const maxDegree = s.bars[s.bars.length - 1]?.degree ?? 0;
      const degree = Math.min(maxDegree, Math.floor((px / this.innerWidth()) * (maxDegree + 1)));
      const bar = nearestBar(s.bars, degree);
      return bar && { from: bar.degree, to: bar.degree, text: barTooltip(bar, s.snapshot.inDegree.length) };
    }
    const { from, to } = idRangeAt(px, this.innerWidth(), s.snapshot.inDegree.length);
    return { from, to, text: pointTooltip(s.snapshot, plot, from, to) };
  }

  private hover(plot: DegreePlotKind, px: number, x: number, y: number): void {
    const t = this.target(plot, px);
    if (!t) {
      this.tooltip.hidden = true;
      return;
    }
    this.showTooltip(t.text, this.svgs[plot], x, y);
  }

  private showTooltip(text: string, svg: SVGSVGElement, x: number, y: number): void {
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const box = svg.getBoundingClientRect();
    const base = this.frame.getBoundingClientRect();
    this.tooltip.style.left = `${box.left - base.left + Math.min(x + 12, (this.state?.width ?? 600) - 220)}px`;
    this.tooltip.style.top = `${box.top - base.top + y + 14}px`;
  }

  private pick(plot: DegreePlotKind, px: number): void {
    const t = this.target(plot, px);
    if (t) this.select({ plot, from: t.from, to: t.to });
  }

  private key(plot: DegreePlotKind, e: KeyboardEvent): void {
    const s = this.state;
    if (!s) return;
    const { bars } = s;
    const n = s.snapshot.inDegree.length;
    const step = e.shiftKey ? 50 : 1;
    const cursor = this.cursor;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const dir = e.key === 'ArrowRight' ? 1 : -1;
      if (plot === 'dist') {
        const at = bars.findIndex((b) => b.degree === cursor.dist);
        cursor.dist = bars[Math.min(bars.length - 1, Math.max(0, (at < 0 ? 0 : at) + dir * step))].degree;
      } else cursor[plot] = Math.min(n - 1, Math.max(0, cursor[plot] + dir * step));
      const c = cursor[plot];
      if (plot === 'dist') {
        const bar = bars.find((b) => b.degree === c)!;
        this.showTooltip(barTooltip(bar, n), this.svgs.dist, MARGIN.left + ((c + 0.5) / ((bars[bars.length - 1]?.degree ?? 0) + 1)) * this.innerWidth(), 40);
      } else this.showTooltip(pointTooltip(s.snapshot, plot, c, c), this.svgs[plot], MARGIN.left + ((c + 0.5) / n) * this.innerWidth(), 40);
    } else if (e.key === 'Enter' || e.key === ' ') this.select({ plot, from: cursor[plot], to: cursor[plot] });
    else if (e.key === 'Escape') this.tooltip.hidden = true;
    else return;
    e.preventDefault();
  }
}

/** The bar at a degree, or the nearest one within a couple of degrees (thin bars are hard to hit). */
function nearestBar(bars: readonly Bar[], degree: number): Bar | undefined {
  let best: Bar | undefined;
  for (const b of bars) if (Math.abs(b.degree - degree) <= 2 && (!best || Math.abs(b.degree - degree) < Math.abs(best.degree - degree))) best = b;
  return best;
}
