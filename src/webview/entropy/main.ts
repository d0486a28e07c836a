import type { AnalysisUnavailable, EntropyPanelState, EntropySnapshot, EntropySnapshotData } from '../../protocol/analysisSnapshots';
import { exportSvgAsPng, serializeSvg } from '../shared/exportSvg';
import { renderProvenance } from '../shared/provenanceHeader';
import { vscodeApi } from '../shared/vscodeApi';
import { entropyChart } from './entropyChart';
import { entropyHistogram, entropySummary, summaryText, type Histogram } from '../../figures/entropyModel';
import { toolbarButton } from '../shared/controls';
import { GraphPicker } from '../shared/graphPicker';
import { PanelTimeline } from '../shared/panelTimeline';

/** The entropy panel: per head, learned attention entropy (orange) over uniform (blue). */
const api = vscodeApi<EntropyPanelState>();
const app = document.getElementById('app')!;
app.classList.add('entropy-app');
const header = document.createElement('div');
const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const layerSelect = document.createElement('select');
layerSelect.className = 'layer-select';
layerSelect.setAttribute('aria-label', 'Layer');
const legend = document.createElement('span');
legend.className = 'entropy-legend';
const summary = document.createElement('div');
summary.className = 'summary';
const grid = document.createElement('div');
grid.className = 'entropy-grid';
const binNodes = document.createElement('div');
binNodes.className = 'bin-nodes';
binNodes.setAttribute('aria-live', 'polite');
const button = toolbarButton;
const graphPicker = new GraphPicker((index) => api.postMessage({ type: 'selectGraph', index }));
toolbar.append(graphPicker.element, layerSelect, legend, button('Export PNG', 'export-png', () => void exportPng()), button('Export SVG', 'export-svg', () => exportSvg()));
// With snapshots: the same histograms at each epoch (another layer or graph keeps the epoch).
const timeline = new PanelTimeline<EntropySnapshotData>(
  (data) => {
    if (!snapshot) return;
    snapshot = { ...snapshot, data };
    binNodes.replaceChildren();
    draw();
  },
  () => snapshot?.data.runId,
  (m) => api.postMessage(m),
);
app.append(header, toolbar, timeline.element, summary, grid, binNodes);

let snapshot: EntropySnapshot | undefined;
let histograms: Histogram[] = [];

function colours(): { learned: string; uniform: string; foreground: string; background: string } {
  const s = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => s.getPropertyValue(name).trim() || fallback;
  return { learned: v('--vscode-charts-orange', '#d18616'), uniform: v('--vscode-charts-blue', '#3794ff'), foreground: v('--vscode-foreground', '#888'), background: v('--vscode-editor-background', '#fff') };
}

function draw(): void {
  if (!snapshot) return;
  const d = snapshot.data;
  const c = colours();
  legend.innerHTML = '';
  for (const [label, colour] of [['learned', c.learned], ['uniform', c.uniform]]) {
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colour;
    legend.append(swatch, ` ${label} `);
  }
  histograms = d.learned.map((learned) => entropyHistogram(learned, d.uniform, 30));
  const perRow = Math.min(4, d.heads);
  const width = Math.max(220, Math.min(420, Math.floor((app.clientWidth - 24) / perRow) - 8));
  grid.replaceChildren(
    ...histograms.map((h, head) => {
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.dataset.head = String(head);
      entropyChart(svg, h, { title: `layer ${d.layer} · head ${head + 1}`, width, height: 180, learnedColour: c.learned, uniformColour: c.uniform, foreground: c.foreground });
      return svg;
    }),
  );
  const all = d.learned.map((l) => entropySummary(l, d.uniform));
  const worst = all.reduce((a, b) => (b.earthMovers > a.earthMovers ? b : a));
  const frame = timeline.current;
  summary.textContent = `${frame && !frame.final ? `After epoch ${frame.epoch}: most` : 'Most'} distinct head: ${summaryText(worst)}`;
  grid.dataset.drawn = String(histograms.length);
}

function showBin(head: number, bin: number): void {
  if (!snapshot) return;
  const h = histograms[head];
  const nodes = h.learnedNodes[bin];
  binNodes.replaceChildren();
  const title = document.createElement('div');
  title.textContent = `head ${head + 1}, entropy ${h.edges[bin].toFixed(3)}–${h.edges[bin + 1].toFixed(3)} nats: ${nodes.length} node${nodes.length === 1 ? '' : 's'}${nodes.length > 200 ? ' (first 200)' : ''}`;
  binNodes.append(title);
  const offset = snapshot.scope?.nodeOffset ?? 0; // one graph of an inductive dataset: show the dataset's ids
  for (const node of nodes.slice(0, 200)) {
    const record = document.createElement('a');
    record.href = '#';
    record.textContent = `node ${node + offset}`;
    record.addEventListener('click', (e) => {
      e.preventDefault();
      api.postMessage({ type: 'openRecord', dataset: snapshot!.data.dataset, node, runId: snapshot!.data.runId });
    });
    const attention = document.createElement('a');
    attention.href = '#';
    attention.textContent = 'attention';
    attention.className = 'show-attention';
    attention.addEventListener('click', (e) => {
      e.preventDefault();
      api.postMessage({ type: 'showAttention', node });
    });
    const item = document.createElement('span');
    item.className = 'bin-node';
    item.append(record, ' (', attention, ')');
    binNodes.append(item, ' ');
  }
}

grid.addEventListener('click', (e) => {
  const bar = e.target instanceof Element ? e.target.closest('.learned-bars [data-bin]') : null;
  const svg = e.target instanceof Element ? e.target.closest('svg') : null;
  if (bar && svg) showBin(Number((svg as SVGSVGElement).dataset.head), Number(bar.getAttribute('data-bin')));
});
layerSelect.addEventListener('change', () => api.postMessage({ type: 'entropyRequest', layer: Number(layerSelect.value) }));
new MutationObserver(() => draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
window.addEventListener('resize', () => draw());

function exportSvg(): void {
  if (!snapshot) return;
  api.postMessage({ type: 'exportImage', format: 'svg', data: serializeSvg([...grid.querySelectorAll('svg')], colours().background), suggestedName: `entropy-layer${snapshot.data.layer}.svg` });
}

async function exportPng(): Promise<void> {
  if (!snapshot) return;
  api.postMessage({ type: 'exportImage', format: 'png', data: await exportSvgAsPng([...grid.querySelectorAll('svg')], colours().background), suggestedName: `entropy-layer${snapshot.data.layer}.png` });
}

window.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
  if (event.data?.type === 'analysisUnavailable') {
    const m = event.data as AnalysisUnavailable;
    renderProvenance(header, m.provenance);
    timeline.clear();
    grid.replaceChildren();
    grid.dataset.drawn = '0';
    summary.textContent = m.message;
    summary.classList.add('error');
    return;
  }
  if (event.data?.type !== 'entropySnapshot') return;
  summary.classList.remove('error');
  const s = event.data as EntropySnapshot;
  snapshot = { ...s, data: timeline.receive(s.timeline, s.data) };
  renderProvenance(header, snapshot.provenance);
  layerSelect.replaceChildren(...Array.from({ length: snapshot.layers }, (_, l) => new Option(`layer ${l + 1}`, String(l + 1))));
  layerSelect.value = String(snapshot.data.layer);
  graphPicker.update(snapshot.scope);
  binNodes.replaceChildren();
  api.setState({ runId: snapshot.data.runId, layer: snapshot.data.layer, ...(snapshot.scope ? { graphIndex: snapshot.scope.selected } : {}) });
  draw();
});
api.postMessage({ type: 'ready' });
