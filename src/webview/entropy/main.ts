import type { AnalysisUnavailable, EntropyPanelState, EntropySnapshot, EntropySnapshotData } from '../../protocol/analysisSnapshots';
import { entropyFigure } from '../../figures/entropyFigure';
import { entropyHistogram, entropySummary, summaryText, type Histogram } from '../../figures/entropyModel';
import { Component } from '../shared/component';
import { element, toolbarButton } from '../shared/controls';
import { drawFigures, editorBackground, exportFigures } from '../shared/figureGrid';
import { GraphPicker } from '../shared/graphPicker';
import { PanelTimeline } from '../shared/panelTimeline';
import { ProvenanceHeader } from '../shared/provenanceHeader';
import { startApp, type AppHost } from '../shared/webviewApp';
import { BinNodes } from './binNodes';

/** What the panel draws from: the host's snapshot (its data: the epoch on screen) and the bar clicked. */
interface EntropyView {
  readonly snapshot?: EntropySnapshot;
  /** The run's analysis cannot be shown: why, and the command that regenerates it. */
  readonly unavailable?: AnalysisUnavailable;
  /** The learned bar whose nodes are listed. */
  readonly bin?: { readonly head: number; readonly bin: number };
}

/** The entropy panel: per head, learned attention entropy (orange) over uniform (blue). */
class EntropyApp extends Component<EntropyView> {
  private readonly header = this.own(new ProvenanceHeader());
  private readonly graphPicker: GraphPicker;
  private readonly layerSelect = element('select', 'layer-select', { 'aria-label': 'Layer' });
  private readonly legend = element('span', 'entropy-legend');
  private readonly timeline: PanelTimeline<EntropySnapshotData>;
  private readonly summary = element('div', 'summary');
  private readonly grid = element('div', 'entropy-grid');
  private readonly binNodes: BinNodes;
  private view: EntropyView = {};
  private histograms: Histogram[] = [];
  private pickerScope: EntropySnapshot['scope'] | null = null;

  constructor(
    root: HTMLElement,
    private readonly host: AppHost<EntropyPanelState>,
  ) {
    super(root);
    this.graphPicker = this.own(new GraphPicker((index) => host.post({ type: 'selectGraph', index })));
    const toolbar = element('div', 'toolbar');
    toolbar.append(this.graphPicker.element, this.layerSelect, this.legend, toolbarButton('Export PNG', 'export-png', () => void this.export('png')), toolbarButton('Export SVG', 'export-svg', () => void this.export('svg')));
    // With snapshots: the same histograms at each epoch (another layer or graph keeps the epoch).
    this.timeline = this.own(
      new PanelTimeline<EntropySnapshotData>(
        (data) => this.view.snapshot && this.update({ snapshot: { ...this.view.snapshot, data }, bin: undefined }),
        () => this.view.snapshot?.data.runId,
        (m) => host.post(m),
      ),
    );
    this.binNodes = this.own(
      new BinNodes({
        open: (node) => this.view.snapshot && host.post({ type: 'openRecord', dataset: this.view.snapshot.data.dataset, node, runId: this.view.snapshot.data.runId }),
        showAttention: (node) => host.post({ type: 'showAttention', node }),
      }),
    );
    root.append(this.header.element, toolbar, this.timeline.element, this.summary, this.grid, this.binNodes.element);
    this.listen(this.grid, 'click', (e) => {
      const bar = e.target instanceof Element ? e.target.closest('.learned-bars [data-bin]') : null;
      const svg = e.target instanceof Element ? e.target.closest('svg') : null;
      if (bar && svg) this.update({ bin: { head: Number(svg.dataset.head), bin: Number(bar.getAttribute('data-bin')) } });
    });
    this.listen(this.layerSelect, 'change', () => host.post({ type: 'entropyRequest', layer: Number(this.layerSelect.value) }));
  }

  receive(s: EntropySnapshot): void {
    const snapshot = { ...s, data: this.timeline.receive(s.timeline, s.data) };
    this.host.save({ runId: snapshot.data.runId, layer: snapshot.data.layer, ...(snapshot.scope ? { graphIndex: snapshot.scope.selected } : {}) });
    this.update({ snapshot, unavailable: undefined, bin: undefined });
  }

  unavailable(m: AnalysisUnavailable): void {
    this.update({ unavailable: m });
  }

  update(change: Partial<EntropyView>): void {
    this.render({ ...this.view, ...change });
  }

  render(view: EntropyView): void {
    const dataChanged = view.snapshot?.data !== this.view.snapshot?.data;
    this.view = view;
    const { snapshot, unavailable } = view;
    if (unavailable) return this.renderUnavailable(unavailable);
    if (!snapshot) return;
    const d = snapshot.data;
    this.header.render(snapshot.provenance);
    // Controls are written only where they differ: an unchanged one is not repainted.
    if (this.layerSelect.options.length !== snapshot.layers) this.layerSelect.replaceChildren(...Array.from({ length: snapshot.layers }, (_, l) => new Option(`layer ${l + 1}`, String(l + 1))));
    if (this.layerSelect.value !== String(d.layer)) this.layerSelect.value = String(d.layer);
    if (snapshot.scope !== this.pickerScope) this.graphPicker.render((this.pickerScope = snapshot.scope));
    const style = getComputedStyle(document.body);
    const colour = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    const learnedColour = colour('--vscode-charts-orange', '#d18616');
    const uniformColour = colour('--vscode-charts-blue', '#3794ff');
    const foreground = colour('--vscode-foreground', '#888');
    this.legend.replaceChildren();
    for (const [label, swatchColour] of [['learned', learnedColour], ['uniform', uniformColour]]) {
      const swatch = element('span', 'swatch');
      swatch.style.background = swatchColour;
      this.legend.append(swatch, ` ${label} `);
    }
    if (dataChanged || this.histograms.length !== d.learned.length) this.histograms = d.learned.map((learned) => entropyHistogram(learned, d.uniform, 30));
    const width = Math.max(220, Math.min(420, Math.floor((this.element.clientWidth - 24) / Math.min(4, d.heads)) - 8));
    const offset = window.devicePixelRatio > 1 ? 0 : 0.5;
    drawFigures(
      this.grid,
      this.histograms.map((h, head) => entropyFigure(h, { title: `layer ${d.layer} · head ${head + 1}`, width, height: 180, learnedColour, uniformColour, foreground, offset, head })),
    );
    const worst = d.learned.map((l) => entropySummary(l, d.uniform)).reduce((a, b) => (b.earthMovers > a.earthMovers ? b : a));
    const frame = this.timeline.current;
    this.summary.classList.remove('error');
    this.summary.textContent = `${frame && !frame.final ? `After epoch ${frame.epoch}: most` : 'Most'} distinct head: ${summaryText(worst)}`;
    this.binNodes.render(view.bin && { histogram: this.histograms[view.bin.head], ...view.bin, nodeOffset: snapshot.scope?.nodeOffset ?? 0 });
  }

  /** A missing or outdated artifact: say so, with the command that regenerates it. */
  private renderUnavailable(m: AnalysisUnavailable): void {
    this.header.render(m.provenance);
    this.timeline.clear();
    drawFigures(this.grid, []);
    this.binNodes.render(undefined);
    this.summary.textContent = m.message;
    this.summary.classList.add('error');
  }

  private async export(format: 'png' | 'svg'): Promise<void> {
    if (!this.view.snapshot) return;
    await exportFigures(this.grid, format, `entropy-layer${this.view.snapshot.data.layer}`, editorBackground('#fff'), (m) => this.host.post(m));
  }
}

startApp<EntropyPanelState, EntropyApp>({
  className: 'entropy-app',
  create: (root, host) => new EntropyApp(root, host),
  messages: {
    entropySnapshot: (app, s) => app.receive(s),
    analysisUnavailable: (app, m) => app.unavailable(m),
  },
  onTheme: (app) => app.update({}),
  onResize: (app) => app.update({}),
});
