import type { DegreePanelState, DegreeSnapshot, HostToWebview } from '../../protocol/webviewMessages';
import { renderProvenance } from '../shared/provenanceHeader';
import { vscodeApi } from '../shared/vscodeApi';
import { drawDistribution, drawPerNodePlot, MARGIN, type ChartTheme } from './degreeCharts';
import { barTooltip, distributionBars, idRangeAt, peakIn, pointTooltip, selectedNodes, selectionTitle, type Bar, type DegreePlotKind } from './degreeModel';
import { composeSvg, svgToPng } from './degreeExport';
import { renderNodeList } from './nodeList';
import { toolbarButton } from '../shared/controls';
import { GraphPicker } from '../shared/graphPicker';

/** The degree plots app: in-/out-degree per node id and the distribution, linked to node lists. */
const api = vscodeApi<DegreePanelState>();
const app = document.getElementById('app')!;
const header = document.createElement('div');
const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const logLabel = document.createElement('label');
const logBox = document.createElement('input');
logBox.type = 'checkbox';
logBox.className = 'log-scale';
logLabel.append(logBox, ' log-scale counts');
const button = toolbarButton;
const status = document.createElement('span');
status.className = 'status';
const graphPicker = new GraphPicker((index) => api.postMessage({ type: 'selectGraph', index }));
toolbar.append(graphPicker.element, logLabel, button('Export PNG', 'export-png', () => void exportImage('png')), button('Export SVG', 'export-svg', () => void exportImage('svg')), status);
const plots = document.createElement('div');
plots.className = 'degree-plots';
const svgs: Record<DegreePlotKind, SVGSVGElement> = {
  in: makeSvg('in', 'In-degree per node id. Left and right arrows move along the nodes (Shift: 50 at a time), Enter lists them.'),
  out: makeSvg('out', 'Out-degree per node id. Left and right arrows move along the nodes (Shift: 50 at a time), Enter lists them.'),
  dist: makeSvg('dist', 'Degree distribution. Left and right arrows move between degrees, Enter lists the nodes.'),
};
plots.append(svgs.in, svgs.out, svgs.dist);
const tooltip = document.createElement('div');
tooltip.className = 'tooltip';
tooltip.setAttribute('role', 'tooltip');
tooltip.hidden = true;
const selection = document.createElement('section');
selection.className = 'selection';
selection.setAttribute('aria-live', 'polite');
app.style.position = 'relative';
app.append(header, toolbar, plots, selection, tooltip);

let snapshot: DegreeSnapshot | undefined;
let bars: Bar[] = [];
let state: DegreePanelState | undefined = api.getState();
let logScale = state?.logScale ?? false;
let selected = state?.selection ?? null;
const cursor: Record<DegreePlotKind, number> = { in: 0, out: 0, dist: 0 };
let size = { width: 600, perNode: 190, dist: 230 };
logBox.checked = logScale;

function makeSvg(plot: DegreePlotKind, label: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.classList.add('degree-plot');
  svg.dataset.plot = plot;
  svg.setAttribute('tabindex', '0');
  svg.setAttribute('role', 'application');
  svg.setAttribute('aria-label', label);
  svg.addEventListener('pointermove', (e) => hover(plot, e.offsetX - MARGIN.left, e.offsetX, e.offsetY));
  svg.addEventListener('pointerleave', () => (tooltip.hidden = true));
  svg.addEventListener('click', (e) => pick(plot, e.offsetX - MARGIN.left));
  svg.addEventListener('keydown', (e) => key(plot, e));
  return svg;
}

function theme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    mark: v('--vscode-charts-blue', '#3794ff'),
    active: v('--vscode-charts-orange', '#d18616'),
    axis: v('--vscode-editorWidget-border', '#888888'),
    text: v('--vscode-foreground', '#888888'),
    background: v('--vscode-editor-background', '#1e1e1e'),
    font: style.fontFamily || 'sans-serif',
  };
}

function innerWidth(): number {
  return size.width - MARGIN.left - MARGIN.right;
}

function draw(): void {
  if (!snapshot) return;
  const t = theme();
  const hl = (plot: 'in' | 'out'): { from: number; to: number } | undefined => (selected?.plot === plot ? { from: selected.from, to: selected.to } : undefined);
  drawPerNodePlot(svgs.in, snapshot.inDegree, { width: size.width, height: size.perNode }, 'In-degree per node id', t, hl('in'));
  drawPerNodePlot(svgs.out, snapshot.outDegree, { width: size.width, height: size.perNode }, 'Out-degree per node id', t, hl('out'));
  drawDistribution(svgs.dist, bars, { width: size.width, height: size.dist }, `Degree distribution (nodes per degree${logScale ? ', log scale' : ''})`, t, logScale, selected?.plot === 'dist' ? selected.from : undefined);
}

/** Pixel (inside the plot area) → what it shows: a range of node ids, or a bar. */
function target(plot: DegreePlotKind, px: number): { from: number; to: number; text: string } | undefined {
  if (!snapshot || px < 0 || px > innerWidth()) return undefined;
  if (plot === 'dist') {
    const maxDegree = bars[bars.length - 1]?.degree ?? 0;
    const degree = Math.min(maxDegree, Math.floor((px / innerWidth()) * (maxDegree + 1)));
    const bar = nearestBar(degree);
    return bar && { from: bar.degree, to: bar.degree, text: barTooltip(bar, snapshot.inDegree.length) };
  }
  const { from, to } = idRangeAt(px, innerWidth(), snapshot.inDegree.length);
  return { from, to, text: pointTooltip(snapshot, plot, from, to) };
}

/** The bar at a degree, or the nearest one within a couple of degrees (thin bars are hard to hit). */
function nearestBar(degree: number): Bar | undefined {
  let best: Bar | undefined;
  for (const b of bars) if (Math.abs(b.degree - degree) <= 2 && (!best || Math.abs(b.degree - degree) < Math.abs(best.degree - degree))) best = b;
  return best;
}

function hover(plot: DegreePlotKind, px: number, x: number, y: number): void {
  const t = target(plot, px);
  if (!t) {
    tooltip.hidden = true;
    return;
  }
  showTooltip(t.text, svgs[plot], x, y);
}

function showTooltip(text: string, svg: SVGSVGElement, x: number, y: number): void {
  tooltip.textContent = text;
  tooltip.hidden = false;
  const box = svg.getBoundingClientRect();
  const base = app.getBoundingClientRect();
  tooltip.style.left = `${box.left - base.left + Math.min(x + 12, size.width - 220)}px`;
  tooltip.style.top = `${box.top - base.top + y + 14}px`;
}

function pick(plot: DegreePlotKind, px: number): void {
  const t = target(plot, px);
  if (t) select(plot, t.from, t.to);
}

function select(plot: DegreePlotKind, from: number, to: number): void {
  selected = { plot, from, to };
  draw();
  renderSelection();
  saveState();
}

function renderSelection(): void {
  if (!snapshot || !selected) {
    selection.replaceChildren();
    return;
  }
  const nodes = selectedNodes(snapshot, selected.plot, selected.from, selected.to);
  const dataset = snapshot.dataset;
  const offset = snapshot.scope?.nodeOffset ?? 0;
  renderNodeList(selection, selectionTitle(selected.plot, selected.from, selected.to, nodes.length, offset), nodes, {
    open: (node) => api.postMessage({ type: 'openRecord', dataset, node }),
    showInGraph: (node) => api.postMessage({ type: 'showInGraph', dataset, node }),
  }, offset);
}

function key(plot: DegreePlotKind, e: KeyboardEvent): void {
  if (!snapshot) return;
  const n = snapshot.inDegree.length;
  const step = e.shiftKey ? 50 : 1;
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    const dir = e.key === 'ArrowRight' ? 1 : -1;
    if (plot === 'dist') {
      const at = bars.findIndex((b) => b.degree === cursor.dist);
      cursor.dist = bars[Math.min(bars.length - 1, Math.max(0, (at < 0 ? 0 : at) + dir * step))].degree;
    } else cursor[plot] = Math.min(n - 1, Math.max(0, cursor[plot] + dir * step));
    const c = cursor[plot];
    if (plot === 'dist') {
      const bar = bars.find((b) => b.degree === c)!;
      showTooltip(barTooltip(bar, n), svgs.dist, MARGIN.left + ((c + 0.5) / ((bars[bars.length - 1]?.degree ?? 0) + 1)) * innerWidth(), 40);
    } else showTooltip(pointTooltip(snapshot, plot, c, c), svgs[plot], MARGIN.left + ((c + 0.5) / n) * innerWidth(), 40);
  } else if (e.key === 'Enter' || e.key === ' ') select(plot, cursor[plot], cursor[plot]);
  else if (e.key === 'Escape') tooltip.hidden = true;
  else return;
  e.preventDefault();
}

function saveState(): void {
  if (!snapshot) return;
  state = { dataset: snapshot.dataset, logScale, selection: selected, ...(snapshot.scope ? { graphIndex: snapshot.scope.selected } : {}) };
  api.setState(state);
}

function layout(): void {
  size = { width: Math.max(320, Math.min(app.clientWidth - 8, 1100)), perNode: 190, dist: 230 };
}

async function exportImage(format: 'png' | 'svg'): Promise<void> {
  if (!snapshot) return;
  const svg = composeSvg([svgs.in, svgs.out, svgs.dist], size.width, theme().background);
  const data = format === 'svg' ? svg.text : await svgToPng(svg.text, svg.width, svg.height);
  api.postMessage({ type: 'exportImage', format, data, suggestedName: `${snapshot.dataset}-degrees.${format}` });
}

logBox.addEventListener('change', () => {
  logScale = logBox.checked;
  draw();
  saveState();
});
window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  if (event.data?.type !== 'degreeSnapshot') return;
  const graphChanged = (snapshot?.scope?.selected ?? null) !== (event.data.scope?.selected ?? null) && snapshot !== undefined;
  snapshot = event.data;
  bars = distributionBars(snapshot.inDegree);
  if (selected && (state?.dataset !== snapshot.dataset || graphChanged)) selected = null;
  graphPicker.render(snapshot.scope);
  cursor.in = cursor.out = peakIn(snapshot.inDegree, 0, snapshot.inDegree.length - 1);
  cursor.dist = bars[0]?.degree ?? 0;
  renderProvenance(header, snapshot.provenance);
  status.textContent = `${snapshot.inDegree.length} nodes · max degree ${snapshot.inDegree.reduce((a, b) => Math.max(a, b), 0)}`;
  layout();
  draw();
  renderSelection();
  saveState();
  document.body.dataset.degreesReady = 'true';
});
new MutationObserver(() => draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    layout();
    draw();
  }, 100);
});
api.postMessage({ type: 'ready' });
