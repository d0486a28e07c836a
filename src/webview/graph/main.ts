import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { EmbeddingLayout, GraphColourMode, GraphLayoutProgress, GraphPanelState, GraphSnapshot, HostToWebview, RunFrame } from '../../protocol/webviewMessages';
import { renderProvenance } from '../shared/provenanceHeader';
import { vscodeApi } from '../shared/vscodeApi';
import { buildGraphModel, categories, colourModes, COLOUR_MODE_LABELS, datasetNodeId, needsLabel, nodeCategories, parseNodeQuery, soloHidden, toggleHidden, tooltipText, visibleMask, type Category, type GraphModel } from '../../figures/graphModel';
import { GraphPicker } from '../shared/graphPicker';
import { PanelTimeline } from '../shared/panelTimeline';
import { readTheme, type DrawTheme } from './graphRenderer';
import { graphSvg } from '../../figures/graphSvg';
import { GraphView } from './graphView';
import { EmbeddingControls } from './embeddingControls';
import { drawLegendOnCanvas, renderLegend } from './legend';
import { agreementColours, classColours, outcomeColours, THEME_BACKGROUND, themeKindOf } from '../../figures/palette';

/** The Cora graph app: canvas view, legend, search, colouring, export; state survives reloads. */
const api = vscodeApi<GraphPanelState>();
const app = document.getElementById('app')!;
app.classList.add('graph-app');
const header = document.createElement('div');
const toolbar = document.createElement('div');
toolbar.className = 'toolbar';
const search = document.createElement('input');
search.type = 'search';
search.className = 'node-search';
search.placeholder = 'node id';
search.setAttribute('aria-label', 'Find node by id');
const colourSelect = document.createElement('select');
colourSelect.className = 'colour-mode';
colourSelect.setAttribute('aria-label', 'Colour nodes by');
// Multi-label datasets: which label the 'has the label' colourings show.
const labelSelect = document.createElement('select');
labelSelect.className = 'label-choice';
labelSelect.setAttribute('aria-label', 'Label to colour by');
labelSelect.hidden = true;
const graphPicker = new GraphPicker((index) => {
  if (index !== null) api.postMessage({ type: 'selectGraph', index });
});
const button = (label: string, cls: string, onClick: () => void): HTMLElement => {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.className = cls;
  b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
};
// With a run: the attention the selected node gives its neighbours (also in a node's context menu).
const attentionButton = button('Show attention', 'show-attention', () => {
  if (view.selected !== undefined && view.selected !== null) api.postMessage({ type: 'showAttention', node: view.selected });
  else status.textContent = 'Select a node first (click it, or Tab and arrow keys).';
});
attentionButton.hidden = true;
// With a run: the selected node's forward pass, step by step (the Computation panel).
const stepButton = button('Step through', 'step-through', () => {
  if (view.selected !== undefined && view.selected !== null) api.postMessage({ type: 'stepThrough', node: view.selected });
  else status.textContent = 'Select a node first (click it, or Tab and arrow keys).';
});
stepButton.hidden = true;
const status = document.createElement('span');
status.className = 'status';
status.setAttribute('aria-live', 'polite');
// While a big graph's layout converges: its stage (polite: announced, not interrupting).
const layoutNote = document.createElement('span');
layoutNote.className = 'layout-progress';
layoutNote.setAttribute('role', 'status');
layoutNote.hidden = true;
const area = document.createElement('div');
area.className = 'graph-area';
const legend = document.createElement('div');
legend.className = 'legend';
const tooltip = document.createElement('div');
tooltip.className = 'tooltip';
tooltip.setAttribute('role', 'tooltip');
tooltip.hidden = true;
const announcer = document.createElement('div');
announcer.className = 'sr-only';
announcer.setAttribute('aria-live', 'polite');

let snapshot: GraphSnapshot | undefined;
let model: GraphModel | undefined;
/** What the panel had before a reload (the serializer restores the panel, getState its view). */
const restored = api.getState();
let state: GraphPanelState | undefined = restored;
let mode: GraphColourMode = state?.colourMode ?? 'class';
let label = state?.label ?? 0;
let hidden: number[] = [...(state?.hidden ?? [])];
let legendItems: Category[] = [];
let theme: DrawTheme = currentTheme();
/** Where the canvas area started at the last layout (the toolbar and t-SNE controls sit above it). */
let areaTop = 0;

const view = new GraphView({
  onHighlight: (node, at) => showTooltip(node, at),
  onOpen: (node) => snapshot && api.postMessage({ type: 'openRecord', dataset: snapshot.dataset, node, ...(snapshot.run ? { runId: snapshot.run.runId } : {}), ...(snapshot.comparison ? { compareRunId: snapshot.comparison.runId } : {}) }),
  onViewChange: () => saveState(),
  onRendererChange: (renderer) => {
    status.textContent = `Drawing on the ${renderer}.`;
  },
}, {
  nodeName: (node) => (snapshot ? String(datasetNodeId(snapshot, node)) : String(node)),
  // gat.graphRenderer, as the host wrote it into the page.
  renderer: document.body.dataset.graphRenderer === 'canvas' ? 'canvas' : 'auto',
});
// Right-click on a node: VS Code's context menu for it (package.json "webview/context": Show Attention,
// Step Through Computation), which reads the node from data-vscode-context as the event bubbles.
view.canvas.addEventListener('contextmenu', (e) => {
  const node = view.nodeAtScreen(e.offsetX, e.offsetY);
  const onNode = node !== undefined && snapshot?.run !== undefined && !snapshot.embedding;
  if (onNode) view.selected = node;
  tooltip.hidden = true; // the menu opens where the tooltip was
  view.canvas.dataset.vscodeContext = JSON.stringify(onNode ? { webviewSection: 'node', node, preventDefaultContextMenuItems: true } : { preventDefaultContextMenuItems: true });
});
toolbar.append(
  graphPicker.element,
  search,
  button('Find', 'find-button', () => find(search.value)),
  colourSelect,
  labelSelect,
  button('Fit', 'fit-button', () => view.fitToView()),
  attentionButton,
  stepButton,
  button('Export PNG', 'export-png', () => exportPng()),
  button('Export SVG', 'export-svg', () => exportSvg()),
  status,
  layoutNote,
);
const embeddingControls = new EmbeddingControls({
  rerun: (settings) => api.postMessage({ type: 'embeddingRequest', settings }),
  showInGraph: () => {
    if (snapshot && view.selected !== undefined && view.selected !== null) api.postMessage({ type: 'showInGraph', dataset: snapshot.dataset, node: view.selected });
  },
});
// With snapshots: the run's predictions epoch by epoch (the colourings by prediction follow it).
const timeline = new PanelTimeline<RunFrame>(
  (data) => showFrame(data),
  () => snapshot?.run?.runId,
  (m) => api.postMessage(m),
);
area.append(view.element, legend, tooltip);
app.append(header, toolbar, timeline.element, embeddingControls.element, area, announcer);
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') find(search.value);
});
colourSelect.addEventListener('change', () => {
  mode = colourSelect.value as GraphColourMode;
  hidden = [];
  labelSelect.hidden = !needsLabel(mode);
  apply();
  saveState();
});
labelSelect.addEventListener('change', () => {
  label = Number(labelSelect.value);
  hidden = [];
  apply();
  saveState();
});

function currentTheme(): DrawTheme {
  const kind = themeKindOf(document.body.classList);
  document.body.dataset.themeKind = kind;
  return readTheme(kind, getComputedStyle(document.body), THEME_BACKGROUND[kind]);
}

/** Recomputes colours, visibility and the legend from (snapshot, mode, hidden, theme), then draws. */
function apply(): void {
  if (!snapshot || !model) return;
  const category = nodeCategories(snapshot, mode, label);
  legendItems = categories(snapshot, mode, category, classColours(theme.kind, snapshot.classNames.length), outcomeColours(theme.kind), label, agreementColours(theme.kind));
  const visible = visibleMask(category, hidden);
  view.setData(model, visible, category, legendItems.map((c) => c.colour), theme);
  renderLegend(legend, legendItems, hidden, `colour: ${COLOUR_MODE_LABELS[mode]}`, {
    toggle: (key) => setHidden(toggleHidden(hidden, key)),
    solo: (key) => setHidden(soloHidden(hidden, key, legendItems.length)),
    showAll: () => setHidden([]),
  });
  view.draw();
}

function setHidden(next: number[]): void {
  hidden = next;
  apply();
  saveState();
}

function showTooltip(node: number | undefined, at: { x: number; y: number } | undefined): void {
  if (node === undefined || !snapshot || !at) {
    tooltip.hidden = true;
    return;
  }
  const text = tooltipText(snapshot, node);
  tooltip.textContent = `${text}\nclick or Enter: open the record`;
  tooltip.hidden = false;
  const { width, height } = view.size;
  tooltip.style.left = `${Math.min(at.x + 14, width - 260)}px`;
  tooltip.style.top = `${at.y + 14 > height - 70 ? at.y - 70 : at.y + 14}px`;
  if (node === view.focused) announcer.textContent = text;
}

function find(text: string): void {
  if (!snapshot || !model) return;
  const offset = snapshot.scope?.nodeOffset ?? 0;
  const node = parseNodeQuery(text, model.n, offset);
  if (node === undefined) {
    status.textContent = `No node “${text.trim()}”${snapshot.scope ? ' in this graph' : ''}: ids are ${offset}–${offset + model.n - 1}.`;
    return;
  }
  const category = nodeCategories(snapshot, mode, label)[node];
  if (hidden.includes(category)) setHidden(hidden.filter((k) => k !== category));
  status.textContent = `node ${datasetNodeId(snapshot, node)}`;
  view.zoomToNode(node);
}

function saveState(): void {
  if (!snapshot) return;
  const t = view.transform;
  state = {
    dataset: snapshot.dataset, runId: snapshot.run?.runId ?? null, ...(snapshot.comparison ? { compareRunId: snapshot.comparison.runId } : {}), transform: { k: t.k, x: t.x, y: t.y }, selected: view.selected ?? null, colourMode: mode, hidden, label,
    ...(snapshot.embedding ? { embeddingSettings: snapshot.embedding.settings } : {}),
    ...(snapshot.scope?.selected != null ? { graphIndex: snapshot.scope.selected } : {}),
  };
  api.setState(state);
}

/** Shows a timeline frame: the run's predictions after that epoch (only the colours change), and on the embedding map that epoch's map. */
function showFrame(data: RunFrame): void {
  if (!snapshot?.run) return;
  const start = performance.now();
  const { x, y, ...predictions } = data;
  const run = { ...snapshot.run, ...predictions };
  snapshot = x && y ? { ...snapshot, run, x, y } : { ...snapshot, run };
  if (x && y) model = buildGraphModel(snapshot);
  apply();
  document.body.dataset.frameMs = (performance.now() - start).toFixed(1);
}

function receive(s: GraphSnapshot): void {
  const start = performance.now();
  const first = !snapshot;
  const wasConverging = snapshot?.layoutProgress !== undefined;
  // With snapshots, the frame on screen colours the nodes (another graph keeps the epoch).
  const frame = s.run ? timeline.receive(s.runTimeline, s.run) : undefined;
  if (!s.run) timeline.clear();
  snapshot = frame && s.run ? { ...s, run: { ...s.run, predictions: frame.predictions, confidence: frame.confidence } } : s;
  model = buildGraphModel(snapshot);
  renderProvenance(header, s.provenance);
  const modes = colourModes(s);
  // A comparison opens on its agreement colouring, unless this panel had another one before a reload.
  if (first && s.comparison && !restored?.colourMode) mode = 'agreement';
  if (!modes.includes(mode)) mode = modes[0];
  colourSelect.replaceChildren(...modes.map((m) => new Option(`colour: ${COLOUR_MODE_LABELS[m]}`, m, false, m === mode)));
  colourSelect.hidden = modes.length < 2;
  if (label >= s.classNames.length) label = 0;
  labelSelect.replaceChildren(...s.classNames.map((name, k) => new Option(name, String(k), false, k === label)));
  labelSelect.hidden = !needsLabel(mode);
  graphPicker.update(s.scope);
  embeddingControls.update(s.embedding);
  attentionButton.hidden = !s.run || !!s.embedding; // before layout(): the controls take height above the canvas
  stepButton.hidden = attentionButton.hidden;
  layout();
  apply();
  const same = first && restored?.dataset === s.dataset && (restored?.graphIndex ?? null) === (s.scope?.selected ?? null);
  if (same && restored?.selected != null) view.selected = restored.selected;
  if (same && restored?.transform) view.setTransform(restored.transform);
  else if (first) view.fitToView();
  if (s.focusNode !== undefined) view.zoomToNode(s.focusNode);
  view.draw();
  const where = s.scope?.selected != null ? ` of graph ${s.scope.graphs[s.scope.selected].id}` : '';
  if (wasConverging && !s.layoutProgress && !view.userMoved) view.fitToView();
  status.textContent = s.embedding ? `${count(s.labels.length, 'point')}${where} (t-SNE of the model's outputs)` : `${count(s.labels.length, 'node')} · ${count(s.edgeU.length, 'edge')}${where}`;
  showLayoutProgress(s.layoutProgress);
  requestAnimationFrame(() => {
    document.body.dataset.firstRenderMs = (performance.now() - start).toFixed(1);
    document.body.dataset.graphReady = 'true';
  });
}

const count = (n: number, noun: string): string => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** A later stage of the layout under way: new positions; the view keeps fitting it until the user moves it. */
function moveLayout(m: GraphLayoutProgress): void {
  if (!snapshot?.layoutProgress || m.x.length !== snapshot.labels.length) return;
  snapshot = { ...snapshot, x: m.x, y: m.y, layoutProgress: { stage: m.stage, fraction: m.fraction } };
  model = buildGraphModel(snapshot);
  apply();
  if (!view.userMoved) view.fitToView();
  showLayoutProgress(snapshot.layoutProgress);
}

/** The layout's stage beside the counts while it converges. */
function showLayoutProgress(p: GraphSnapshot['layoutProgress']): void {
  document.body.dataset.layoutStage = p ? p.stage : 'done';
  layoutNote.hidden = !p;
  if (p) layoutNote.textContent = `Laying out: ${p.stage}, ${Math.round(100 * p.fraction)} % (edge widths follow when it is done)`;
}

/** A t-SNE step: new positions for the same points; the view follows the map while it grows. */
function moveEmbedding(m: EmbeddingLayout): void {
  if (!snapshot?.embedding) return;
  embeddingControls.update(m.info);
  relayoutIfMoved();
  if (m.x.length === snapshot.labels.length) {
    snapshot = { ...snapshot, x: m.x, y: m.y, embedding: m.info };
    model = buildGraphModel(snapshot);
    apply();
    if (m.info.status === 'computing' || m.info.status === 'done') view.fitToView();
    view.draw();
  } else {
    snapshot = { ...snapshot, embedding: m.info };
  }
  saveState();
}

/** The canvas fills the panel below the toolbar and controls: re-fit it when they change height. */
function relayoutIfMoved(): void {
  if (area.getBoundingClientRect().top === areaTop) return;
  layout();
  view.draw();
}

function layout(): void {
  areaTop = area.getBoundingClientRect().top;
  view.resize(app.clientWidth, Math.max(200, window.innerHeight - areaTop - 8));
}

function exportPng(): void {
  if (!snapshot) return;
  const copy = view.composite();
  const ctx = copy.getContext('2d')!;
  ctx.setTransform(copy.width / view.size.width, 0, 0, copy.height / view.size.height, 0, 0);
  drawLegendOnCanvas(ctx, legendItems.filter((c) => !hidden.includes(c.key)), theme.foreground, getComputedStyle(document.body).fontFamily);
  api.postMessage({ type: 'exportImage', format: 'png', data: copy.toDataURL('image/png'), suggestedName: `${snapshot.dataset}-graph.png` });
}

function exportSvg(): void {
  if (!snapshot || !model) return;
  const category = nodeCategories(snapshot, mode, label);
  const svg = graphSvg(model, {
    ...view.size,
    transform: view.transform,
    visible: visibleMask(category, hidden),
    category,
    colours: legendItems.map((c) => c.colour),
    background: theme.background,
    foreground: theme.foreground,
    legend: legendItems.filter((c) => !hidden.includes(c.key)),
    title: `${snapshot.dataset} graph`,
  });
  api.postMessage({ type: 'exportImage', format: 'svg', data: svg, suggestedName: `${snapshot.dataset}-graph.svg` });
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message?.type === 'graphSnapshot') receive(message);
  else if (message?.type === 'embeddingLayout') moveEmbedding(message);
  else if (message?.type === 'graphLayoutProgress') moveLayout(message);
  else if (message?.type === 'graphFocus') view.zoomToNode(message.node);
  else if (message?.type === 'embeddingTimeline' && snapshot?.run && snapshot.embedding) {
    // The snapshots' maps arrive after the trained model's: the slider appears at its end.
    timeline.receive(message.frames, snapshot.run);
    relayoutIfMoved();
    view.draw();
  }
});
new MutationObserver(() => {
  theme = currentTheme();
  apply();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    layout();
    view.draw();
  }, 100);
});
api.postMessage({ type: 'ready' });
