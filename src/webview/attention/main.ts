import type { AnalysisUnavailable, AttentionPanelState, AttentionSnapshot, AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import { classColours, themeKindOf } from '../../figures/palette';
import { exportSvgAsPng, serializeSvg } from '../shared/exportSvg';
import { renderProvenance } from '../shared/provenanceHeader';
import { vscodeApi } from '../shared/vscodeApi';
import { attentionTooltip, uniformWeight } from '../../figures/attentionModel';
import { attentionSvg } from './attentionSvg';
import { toolbarButton, tooltipElement } from '../shared/controls';
import { PanelTimeline } from '../shared/panelTimeline';

/** The attention panel: one node's neighbourhood per head (or all heads side by side). */
const api = vscodeApi<AttentionPanelState>();
const app = document.getElementById('app')!;
app.classList.add('attention-app');
const header = document.createElement('div');
const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const summary = document.createElement('div');
summary.className = 'summary';
summary.setAttribute('aria-live', 'polite');
const legend = document.createElement('div');
legend.className = 'attention-legend';
const grid = document.createElement('div');
grid.className = 'attention-grid';
const tooltip = tooltipElement();

const nodeInput = control('input', 'node-input', 'Node id') as HTMLInputElement;
nodeInput.type = 'number';
nodeInput.min = '0';
const nodeList = document.createElement('datalist');
nodeList.id = 'node-ids';
nodeInput.setAttribute('list', nodeList.id);
const layerSelect = control('select', 'layer-select', 'Layer') as HTMLSelectElement;
const headSelect = control('select', 'head-select', 'Head') as HTMLSelectElement;
const layoutSelect = control('select', 'layout-select', 'Layout') as HTMLSelectElement;
for (const [value, label] of [['radial', 'radial tree'], ['distance', 'attention distance']]) layoutSelect.append(new Option(label, value));
const relativeBox = control('input', 'relative-toggle', 'Widths relative to uniform') as HTMLInputElement;
relativeBox.type = 'checkbox';
const relativeLabel = document.createElement('label');
relativeLabel.append(relativeBox, ' relative to uniform');
const button = toolbarButton;
// The node's forward pass step by step, next to the code (the Computation panel).
const stepButton = button('Step through', 'step-through', () => snapshot && api.postMessage({ type: 'stepThrough', node: snapshot.data.node }));
stepButton.title = "Step through this node's computation with the run's parameters, linked to the code";
toolbar.append(nodeInput, nodeList, button('Show', 'show-button', () => request()), layerSelect, headSelect, layoutSelect, relativeLabel, stepButton, button('Export PNG', 'export-png', () => void exportPng()), button('Export SVG', 'export-svg', () => exportSvg()));
// With snapshots: the same neighbourhood at each epoch (another node or layer keeps the epoch).
const timeline = new PanelTimeline<AttentionSnapshotData>(
  (data) => {
    if (!snapshot) return;
    snapshot = { ...snapshot, data };
    draw();
  },
  () => snapshot?.data.runId,
  (m) => api.postMessage(m),
);
app.append(header, toolbar, timeline.element, summary, legend, grid, tooltip);

let snapshot: AttentionSnapshot | undefined;
let state: AttentionPanelState | undefined = api.getState();

function control(tag: 'input' | 'select', cls: string, label: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = cls;
  el.setAttribute('aria-label', label);
  return el;
}

function request(): void {
  if (!snapshot) return;
  const node = Number(nodeInput.value);
  if (!Number.isInteger(node) || node < 0 || node >= snapshot.numNodes) {
    summary.textContent = `No node “${nodeInput.value}”: ids are 0–${snapshot.numNodes - 1}.`;
    return;
  }
  api.postMessage({ type: 'attentionRequest', node, layer: Number(layerSelect.value) });
}

function currentHead(): number | 'all' {
  return headSelect.value === 'all' ? 'all' : Number(headSelect.value);
}

function draw(): void {
  if (!snapshot) return;
  const d = snapshot.data;
  const kind = themeKindOf(document.body.classList);
  const style = getComputedStyle(document.body);
  const foreground = style.getPropertyValue('--vscode-foreground').trim() || '#888';
  const edgeColour = style.getPropertyValue('--vscode-charts-lines').trim() || foreground;
  const head = currentHead();
  const heads = head === 'all' ? Array.from({ length: d.heads }, (_, h) => h) : [head];
  const size = heads.length > 1 ? Math.max(180, Math.min(320, Math.floor((app.clientWidth - 24) / Math.min(4, heads.length)) - 8)) : Math.max(280, Math.min(640, app.clientWidth - 24));
  grid.replaceChildren(
    ...heads.map((h) =>
      attentionSvg(document, d, { head: h, layout: layoutSelect.value as 'radial' | 'distance', relative: relativeBox.checked, size, classColours: classColours(kind, d.classNames.length), foreground, edgeColour }),
    ),
  );
  renderClassLegend(d.neighbours.map((n) => n.label), d.classNames, classColours(kind, d.classNames.length));
  const uniform = uniformWeight(d);
  const weights = heads.flatMap((h) => d.neighbours.map((n) => n.weights[h]));
  const frame = timeline.current;
  const when = frame && !frame.final ? ` · after epoch ${frame.epoch}` : '';
  summary.textContent = `node ${d.node} (${d.classNames[d.nodeLabel]}) · layer ${d.layer}${when} · ${d.neighbours.length - 1} neighbours + self · uniform weight 1/(degree+1) = ${uniform.toFixed(4)} · weights ${Math.min(...weights).toFixed(4)}–${Math.max(...weights).toFixed(4)}`;
  grid.dataset.drawn = String(heads.length);
  saveState();
}

/** Which class each colour is, for the classes present in this neighbourhood (with counts). */
function renderClassLegend(labels: readonly number[], classNames: readonly string[], colours: readonly string[]): void {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  legend.replaceChildren(
    ...[...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([label, count]) => {
        const item = document.createElement('span');
        item.className = 'legend-item';
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = colours[label % colours.length];
        item.append(swatch, ` ${classNames[label]} (${count})`);
        return item;
      }),
  );
}

function saveState(): void {
  if (!snapshot) return;
  state = { runId: snapshot.data.runId, node: snapshot.data.node, layer: snapshot.data.layer, head: currentHead(), layout: layoutSelect.value as 'radial' | 'distance', relative: relativeBox.checked };
  api.setState(state);
}

function receive(s: AttentionSnapshot): void {
  const first = !snapshot;
  summary.classList.remove('error');
  snapshot = { ...s, data: timeline.receive(s.timeline, s.data) };
  renderProvenance(header, s.provenance);
  nodeInput.max = String(s.numNodes - 1);
  nodeInput.value = String(s.data.node);
  if (nodeList.childElementCount !== s.numNodes) nodeList.replaceChildren(...Array.from({ length: s.numNodes }, (_, i) => new Option(String(i))));
  layerSelect.replaceChildren(...Array.from({ length: s.layers }, (_, l) => new Option(`layer ${l + 1}`, String(l + 1))));
  layerSelect.value = String(s.data.layer);
  const previous = headSelect.value || (state?.head !== undefined ? String(state.head) : '0');
  headSelect.replaceChildren(...Array.from({ length: s.data.heads }, (_, h) => new Option(`head ${h + 1}`, String(h))), ...(s.data.heads > 1 ? [new Option('all heads', 'all')] : []));
  headSelect.value = [...headSelect.options].some((o) => o.value === previous) ? previous : '0';
  if (first && state) {
    layoutSelect.value = state.layout ?? 'radial';
    relativeBox.checked = state.relative ?? false;
  }
  draw();
}

function neighbourAt(target: EventTarget | null): { node: number; head: number } | undefined {
  const el = target instanceof Element ? target.closest('[data-node]') : null;
  const svg = target instanceof Element ? target.closest('svg') : null;
  if (!el || !svg || !snapshot) return undefined;
  const index = [...grid.children].indexOf(svg);
  const head = currentHead() === 'all' ? index : (currentHead() as number);
  return { node: Number(el.getAttribute('data-node')), head };
}

grid.addEventListener('pointermove', (e) => {
  const hit = neighbourAt(e.target);
  if (!hit || !snapshot) {
    tooltip.hidden = true;
    return;
  }
  const n = snapshot.data.neighbours.find((x) => x.node === hit.node)!;
  tooltip.textContent = `${attentionTooltip(n, hit.head, uniformWeight(snapshot.data), snapshot.data.classNames)}\nhead ${hit.head + 1} · click: open the record`;
  tooltip.hidden = false;
  const box = app.getBoundingClientRect();
  tooltip.style.left = `${Math.min(e.clientX - box.left + 14, box.width - 280)}px`;
  tooltip.style.top = `${e.clientY - box.top + 14}px`;
});
grid.addEventListener('pointerleave', () => (tooltip.hidden = true));
// Right-click on a neighbour: VS Code's context menu for it (Step Through Computation, Open Node Record).
grid.addEventListener('contextmenu', (e) => {
  const hit = neighbourAt(e.target);
  tooltip.hidden = true; // the menu opens where the tooltip was
  grid.dataset.vscodeContext = JSON.stringify(hit ? { webviewSection: 'node', node: hit.node, preventDefaultContextMenuItems: true } : { preventDefaultContextMenuItems: true });
});
const open = (target: EventTarget | null): void => {
  const hit = neighbourAt(target);
  if (hit && snapshot) api.postMessage({ type: 'openRecord', dataset: snapshot.data.dataset, node: hit.node, runId: snapshot.data.runId });
};
grid.addEventListener('click', (e) => open(e.target));
grid.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') open(e.target);
});
nodeInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') request();
});
layerSelect.addEventListener('change', () => request());
for (const el of [headSelect, layoutSelect, relativeBox]) el.addEventListener('change', () => draw());
new MutationObserver(() => draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
window.addEventListener('resize', () => draw());

function exportName(ext: string): string {
  const d = snapshot!.data;
  return `attention-node${d.node}-layer${d.layer}-${currentHead() === 'all' ? 'all-heads' : `head${(currentHead() as number) + 1}`}.${ext}`;
}

function exportSvg(): void {
  if (!snapshot) return;
  api.postMessage({ type: 'exportImage', format: 'svg', data: serializeSvg([...grid.querySelectorAll('svg')], getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim()), suggestedName: exportName('svg') });
}

async function exportPng(): Promise<void> {
  if (!snapshot) return;
  const data = await exportSvgAsPng([...grid.querySelectorAll('svg')], getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim());
  api.postMessage({ type: 'exportImage', format: 'png', data, suggestedName: exportName('png') });
}

window.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
  if (event.data?.type === 'attentionSnapshot') receive(event.data as AttentionSnapshot);
  if (event.data?.type === 'analysisUnavailable') showUnavailable(event.data as AnalysisUnavailable);
});

/** A missing or outdated artifact: say so, with the command that regenerates it. */
function showUnavailable(m: AnalysisUnavailable): void {
  renderProvenance(header, m.provenance);
  timeline.clear();
  grid.replaceChildren();
  grid.dataset.drawn = '0';
  summary.textContent = m.message;
  summary.classList.add('error');
}
api.postMessage({ type: 'ready' });
