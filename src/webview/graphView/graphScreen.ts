import type { GraphColourMode, GraphPanelState, GraphSnapshot, RunFrame } from '../../protocol/webviewMessages';
import { buildGraphModel, categories, colourModes, COLOUR_MODE_LABELS, datasetNodeId, needsLabel, nodeCategories, parseNodeQuery, soloHidden, toggleHidden, tooltipText, visibleMask, type Category, type GraphModel } from '../../figures/graphModel';
import { graphSvg } from '../../figures/graphSvg';
import { agreementColours, classColours, outcomeColours, THEME_BACKGROUND, themeKindOf } from '../../figures/palette';
import { Component } from '../shared/component';
import { element, statusElement, toolbarButton, tooltipElement } from '../shared/controls';
import { GraphPicker } from '../shared/graphPicker';
import { PanelTimeline } from '../shared/panelTimeline';
import { ProvenanceHeader } from '../shared/provenanceHeader';
import type { AppHost } from '../shared/webviewApp';
import { readTheme, type DrawTheme } from './graphRenderer';
import { GraphView } from './graphView';
import { drawLegendOnCanvas, renderLegend } from './legend';

/** How the nodes are coloured: the user's choices, kept across reloads. */
export interface GraphColouring {
  readonly mode: GraphColourMode;
  /** Multi-label datasets: which label the 'has the label' colourings show. */
  readonly label: number;
  /** Legend categories switched off. */
  readonly hidden: readonly number[];
}

/** What an app adds to the screen: toolbar items and rows of its own. */
export interface GraphScreenParts {
  /** After Fit (the graph's Show attention and Step through). */
  readonly actions?: readonly HTMLElement[];
  /** After the status (the graph's layout progress). */
  readonly notes?: readonly HTMLElement[];
  /** Between the timeline and the canvas (the embedding's t-SNE controls). */
  readonly rows?: readonly HTMLElement[];
}

let countFormat: Intl.NumberFormat | undefined;
/** "2,708 nodes" (US digit grouping whatever the locale, as the walk-through reads it); one formatter, made once. */
export function count(n: number, noun: string): string {
  countFormat ??= new Intl.NumberFormat('en-US');
  return `${countFormat.format(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * What the graph and embedding apps share: a graph drawn on the canvas view with its legend, search,
 * colourings, tooltip, epoch timeline and exports; the view and colouring survive reloads. `render`
 * draws the colouring; `receive` takes a snapshot, with hooks for what each app adds.
 */
export abstract class GraphScreen extends Component<GraphColouring> {
  protected snapshot: GraphSnapshot | undefined;
  protected model: GraphModel | undefined;
  protected readonly view: GraphView;
  protected readonly status = statusElement();
  /** With snapshots: the run's predictions epoch by epoch (the colourings by prediction follow it). */
  protected readonly timeline: PanelTimeline<RunFrame>;
  /** What the panel had before a reload (the serializer restores the panel, this its view). */
  protected readonly restored: GraphPanelState | undefined;
  private readonly header = this.own(new ProvenanceHeader());
  private readonly search = element('input', 'node-search', { type: 'search', placeholder: 'node id', 'aria-label': 'Find node by id' });
  private readonly colourSelect = element('select', 'colour-mode', { 'aria-label': 'Colour nodes by' });
  private readonly labelSelect = element('select', 'label-choice', { 'aria-label': 'Label to colour by' });
  private readonly graphPicker: GraphPicker;
  private readonly area = element('div', 'graph-area');
  private readonly legend = element('div', 'legend');
  private readonly tooltip = tooltipElement();
  private readonly announcer = element('div', 'sr-only', { 'aria-live': 'polite' });
  private readonly exportButton: HTMLElement;
  private colouring: GraphColouring;
  private legendItems: Category[] = [];
  private theme: DrawTheme;
  /** Where the canvas area started at the last layout (the toolbar and app rows sit above it). */
  private areaTop = 0;

  constructor(
    root: HTMLElement,
    protected readonly host: AppHost<GraphPanelState>,
  ) {
    super(root);
    root.classList.add('graph-app');
    this.restored = host.saved;
    this.colouring = { mode: this.restored?.colourMode ?? 'class', label: this.restored?.label ?? 0, hidden: [...(this.restored?.hidden ?? [])] };
    this.theme = currentTheme();
    this.labelSelect.hidden = true;
    this.graphPicker = this.own(
      new GraphPicker((index) => {
        if (index !== null) host.post({ type: 'selectGraph', index });
      }),
    );
    this.view = this.own(
      new GraphView(
        {
          onHighlight: (node, at) => this.showTooltip(node, at),
          onOpen: (node) => {
            const s = this.snapshot;
            if (s) host.post({ type: 'openRecord', dataset: s.dataset, node, ...(s.run ? { runId: s.run.runId } : {}), ...(s.comparison ? { compareRunId: s.comparison.runId } : {}) });
          },
          onViewChange: () => this.save(),
          onRendererChange: (renderer) => {
            this.status.textContent = `Drawing on the ${renderer}.`;
          },
        },
        {
          nodeName: (node) => (this.snapshot ? String(datasetNodeId(this.snapshot, node)) : String(node)),
          // gat.graphRenderer, as the host wrote it into the page.
          renderer: document.body.dataset.graphRenderer === 'canvas' ? 'canvas' : 'auto',
        },
      ),
    );
    this.timeline = this.own(
      new PanelTimeline<RunFrame>(
        (data) => this.showFrame(data),
        () => this.snapshot?.run?.runId,
        (m) => host.post(m),
      ),
    );
    const toolbar = element('div', 'toolbar');
    this.exportButton = toolbarButton('Export PNG', 'export-png', () => this.exportPng());
    toolbar.append(
      this.graphPicker.element,
      this.search,
      toolbarButton('Find', 'find-button', () => this.find(this.search.value)),
      this.colourSelect,
      this.labelSelect,
      toolbarButton('Fit', 'fit-button', () => this.view.fitToView()),
      this.exportButton,
      toolbarButton('Export SVG', 'export-svg', () => this.exportSvg()),
      this.status,
    );
    this.area.append(this.view.element, this.legend, this.tooltip);
    root.append(this.header.element, toolbar, this.timeline.element, this.area, this.announcer);
    // Right-click on a node: VS Code's context menu for it (package.json "webview/context": Show Attention,
    // Step Through Computation, the what-if items), which reads the node from data-vscode-context as the event bubbles.
    this.listen(this.view.canvas, 'contextmenu', (e) => {
      const node = this.view.nodeAtScreen(e.offsetX, e.offsetY);
      const onNode = node !== undefined && this.nodeMenu();
      const keys = onNode ? this.nodeMenuKeys(node) : {};
      // A node becomes the selection, unless the menu is about its edge to the selected one.
      if (onNode && keys.edgeToSelected !== true) this.view.selected = node;
      this.tooltip.hidden = true; // the menu opens where the tooltip was
      this.view.canvas.dataset.vscodeContext = JSON.stringify(onNode ? { webviewSection: 'node', node, ...keys, preventDefaultContextMenuItems: true } : { preventDefaultContextMenuItems: true });
    });
    this.listen(this.search, 'keydown', (e) => {
      if (e.key === 'Enter') this.find(this.search.value);
    });
    this.listen(this.colourSelect, 'change', () => {
      const mode = this.colourSelect.value as GraphColourMode;
      this.labelSelect.hidden = !needsLabel(mode);
      this.recolour({ mode, hidden: [] });
    });
    this.listen(this.labelSelect, 'change', () => this.recolour({ label: Number(this.labelSelect.value), hidden: [] }));
  }

  /** An app's own toolbar items and rows, put in their places (called from its constructor). */
  protected addParts(parts: GraphScreenParts): void {
    this.exportButton.before(...(parts.actions ?? []));
    this.status.after(...(parts.notes ?? []));
    this.area.before(...(parts.rows ?? []));
  }

  /** Whether right-clicking a node offers VS Code's node menu (the graph app with a run). */
  protected nodeMenu(): boolean {
    return false;
  }

  /** Context keys a node's menu adds for its `when` clauses (the graph app: its edge to the selected node). */
  protected nodeMenuKeys(_node: number): { readonly edgeToSelected?: true; readonly selected?: number } {
    return {};
  }

  /** The counts beside the toolbar; `where` names the graph of an inductive dataset. */
  protected abstract statusText(s: GraphSnapshot, where: string): string;

  /** A snapshot arrived: the app's own controls, before the canvas takes the height left. */
  protected abstract showControls(s: GraphSnapshot): void;

  /** After the first frame of a snapshot: `wasConverging` says a layout was still converging before it. */
  protected drawn(_s: GraphSnapshot, _wasConverging: boolean): void {}

  receive(s: GraphSnapshot): void {
    const start = performance.now();
    const first = !this.snapshot;
    const wasConverging = this.snapshot?.layoutProgress !== undefined;
    // With snapshots, the frame on screen colours the nodes (another graph keeps the epoch).
    const frame = s.run ? this.timeline.receive(s.runTimeline, s.run) : undefined;
    if (!s.run) this.timeline.clear();
    this.snapshot = frame && s.run ? { ...s, run: { ...s.run, predictions: frame.predictions, confidence: frame.confidence } } : s;
    this.model = buildGraphModel(this.snapshot);
    this.header.render(s.provenance);
    const modes = colourModes(s);
    let { mode, label } = this.colouring;
    // A comparison opens on its agreement colouring, unless this panel had another one before a reload.
    if (first && s.comparison && !this.restored?.colourMode) mode = 'agreement';
    if (!modes.includes(mode)) mode = modes[0];
    this.colourSelect.replaceChildren(...modes.map((m) => new Option(`colour: ${COLOUR_MODE_LABELS[m]}`, m, false, m === mode)));
    this.colourSelect.hidden = modes.length < 2;
    if (label >= s.classNames.length) label = 0;
    this.labelSelect.replaceChildren(...s.classNames.map((name, k) => new Option(name, String(k), false, k === label)));
    this.labelSelect.hidden = !needsLabel(mode);
    this.graphPicker.render(s.scope);
    this.showControls(s); // before layout(): the controls take height above the canvas
    this.layout();
    this.render({ ...this.colouring, mode, label });
    const restored = this.restored;
    const same = first && restored?.dataset === s.dataset && (restored?.graphIndex ?? null) === (s.scope?.selected ?? null);
    if (same && restored?.selected != null) this.view.selected = restored.selected;
    if (same && restored?.transform) this.view.setTransform(restored.transform);
    else if (first) this.view.fitToView();
    if (s.focusNode !== undefined) this.view.zoomToNode(s.focusNode);
    this.view.draw();
    const where = s.scope?.selected != null ? ` of graph ${s.scope.graphs[s.scope.selected].id}` : '';
    this.drawn(s, wasConverging);
    this.status.textContent = this.statusText(s, where);
    requestAnimationFrame(() => {
      document.body.dataset.firstRenderMs = (performance.now() - start).toFixed(1);
      document.body.dataset.graphReady = 'true';
    });
  }

  /** Nothing to draw: the provenance and why, in the status (a run without its analysis, for the map). */
  protected showUnavailable(m: { readonly provenance: GraphSnapshot['provenance'] | null; readonly message: string }): void {
    this.header.render(m.provenance);
    this.status.textContent = m.message;
  }

  /** Draws the colouring: colours, visibility and the legend from (snapshot, colouring, theme). */
  render(colouring: GraphColouring): void {
    this.colouring = colouring;
    const s = this.snapshot;
    if (!s || !this.model) return;
    const { mode, label, hidden } = colouring;
    const category = nodeCategories(s, mode, label);
    const theme = this.theme;
    const items = categories(s, mode, category, classColours(theme.kind, s.classNames.length), outcomeColours(theme.kind), label, agreementColours(theme.kind));
    this.legendItems = items;
    this.view.setData(this.model, visibleMask(category, hidden), category, items.map((c) => c.colour), theme);
    renderLegend(this.legend, items, hidden, `colour: ${COLOUR_MODE_LABELS[mode]}`, {
      toggle: (key) => this.recolour({ hidden: toggleHidden(hidden, key) }),
      solo: (key) => this.recolour({ hidden: soloHidden(hidden, key, items.length) }),
      showAll: () => this.recolour({ hidden: [] }),
    });
    this.view.draw();
  }

  /** VS Code switched the theme: colours are read again. */
  themeChanged(): void {
    this.theme = currentTheme();
    this.render(this.colouring);
  }

  resized(): void {
    this.layout();
    this.view.draw();
  }

  /** New positions for the same nodes (a layout stage, a t-SNE step): the model is rebuilt and drawn. */
  protected move(next: GraphSnapshot): void {
    this.snapshot = next;
    this.model = buildGraphModel(next);
    this.render(this.colouring);
  }

  /** The canvas fills the panel below the toolbar and rows: re-fit it when they change height. */
  protected relayoutIfMoved(): void {
    if (this.area.getBoundingClientRect().top === this.areaTop) return;
    this.layout();
    this.view.draw();
  }

  protected save(): void {
    const s = this.snapshot;
    if (!s) return;
    const t = this.view.transform;
    const { mode, hidden, label } = this.colouring;
    this.host.save({
      dataset: s.dataset, runId: s.run?.runId ?? null, ...(s.comparison ? { compareRunId: s.comparison.runId } : {}), transform: { k: t.k, x: t.x, y: t.y }, selected: this.view.selected ?? null, colourMode: mode, hidden: [...hidden], label,
      ...(s.embedding ? { embeddingSettings: s.embedding.settings } : {}),
      ...(s.scope?.selected != null ? { graphIndex: s.scope.selected } : {}),
    });
  }

  private recolour(change: Partial<GraphColouring>): void {
    this.render({ ...this.colouring, ...change });
    this.save();
  }

  /** A timeline frame: the run's predictions after that epoch (only the colours change), and on the embedding map that epoch's map. */
  private showFrame(data: RunFrame): void {
    const s = this.snapshot;
    if (!s?.run) return;
    const start = performance.now();
    const { x, y, ...predictions } = data;
    const run = { ...s.run, ...predictions };
    this.snapshot = x && y ? { ...s, run, x, y } : { ...s, run };
    if (x && y) this.model = buildGraphModel(this.snapshot);
    this.render(this.colouring);
    document.body.dataset.frameMs = (performance.now() - start).toFixed(1);
  }

  private showTooltip(node: number | undefined, at: { x: number; y: number } | undefined): void {
    const s = this.snapshot;
    if (node === undefined || !s || !at) {
      this.tooltip.hidden = true;
      return;
    }
    const text = tooltipText(s, node);
    this.tooltip.textContent = `${text}\nclick or Enter: open the record`;
    this.tooltip.hidden = false;
    const { width, height } = this.view.size;
    this.tooltip.style.left = `${Math.min(at.x + 14, width - 260)}px`;
    this.tooltip.style.top = `${at.y + 14 > height - 70 ? at.y - 70 : at.y + 14}px`;
    if (node === this.view.focused) this.announcer.textContent = text;
  }

  private find(text: string): void {
    const s = this.snapshot;
    if (!s || !this.model) return;
    const offset = s.scope?.nodeOffset ?? 0;
    const node = parseNodeQuery(text, this.model.n, offset);
    if (node === undefined) {
      this.status.textContent = `No node “${text.trim()}”${s.scope ? ' in this graph' : ''}: ids are ${offset}–${offset + this.model.n - 1}.`;
      return;
    }
    const { mode, label, hidden } = this.colouring;
    const category = nodeCategories(s, mode, label)[node];
    if (hidden.includes(category)) this.recolour({ hidden: hidden.filter((k) => k !== category) });
    this.status.textContent = `node ${datasetNodeId(s, node)}`;
    this.view.zoomToNode(node);
  }

  private layout(): void {
    this.areaTop = this.area.getBoundingClientRect().top;
    this.view.resize(this.element.clientWidth, Math.max(200, window.innerHeight - this.areaTop - 8));
  }

  private exportPng(): void {
    const s = this.snapshot;
    if (!s) return;
    const copy = this.view.composite();
    const ctx = copy.getContext('2d')!;
    ctx.setTransform(copy.width / this.view.size.width, 0, 0, copy.height / this.view.size.height, 0, 0);
    drawLegendOnCanvas(ctx, this.shownLegend(), this.theme.foreground, getComputedStyle(document.body).fontFamily);
    this.host.post({ type: 'exportImage', format: 'png', data: copy.toDataURL('image/png'), suggestedName: `${s.dataset}-graph.png` });
  }

  private exportSvg(): void {
    const s = this.snapshot;
    if (!s || !this.model) return;
    const { mode, label, hidden } = this.colouring;
    const category = nodeCategories(s, mode, label);
    const svg = graphSvg(this.model, {
      ...this.view.size,
      transform: this.view.transform,
      visible: visibleMask(category, hidden),
      category,
      colours: this.legendItems.map((c) => c.colour),
      background: this.theme.background,
      foreground: this.theme.foreground,
      legend: this.shownLegend(),
      title: `${s.dataset} graph`,
    });
    this.host.post({ type: 'exportImage', format: 'svg', data: svg, suggestedName: `${s.dataset}-graph.svg` });
  }

  private shownLegend(): Category[] {
    return this.legendItems.filter((c) => !this.colouring.hidden.includes(c.key));
  }
}

function currentTheme(): DrawTheme {
  const kind = themeKindOf(document.body.classList);
  document.body.dataset.themeKind = kind;
  return readTheme(kind, getComputedStyle(document.body), THEME_BACKGROUND[kind]);
}
