import type { EntropyPanelState, EntropySnapshot, EntropySnapshotData } from '../../protocol/analysisSnapshots';
import { entropyFigure } from '../../figures/entropyFigure';
import { entropyHistogram, entropySummary, summaryText, type Histogram } from '../../figures/entropyModel';
import { AnalysisApp, startAnalysisApp, type AnalysisView } from '../shared/analysisApp';
import { element, toolbarButton } from '../shared/controls';
import { editorBackground } from '../shared/figureGrid';
import { GraphPicker } from '../shared/graphPicker';
import type { AppHost } from '../shared/webviewApp';
import { BinNodes } from './binNodes';

/** The learned bar whose nodes are listed, beside the snapshot. */
interface EntropyView extends AnalysisView<EntropySnapshot> {
  readonly bin?: { readonly head: number; readonly bin: number };
}

/** The entropy panel: per head, learned attention entropy (orange) over uniform (blue). */
class EntropyApp extends AnalysisApp<EntropySnapshotData, EntropySnapshot, EntropyView, EntropyPanelState> {
  private readonly graphPicker: GraphPicker;
  private readonly layerSelect = element('select', 'layer-select', { 'aria-label': 'Layer' });
  private readonly legend = element('span', 'entropy-legend');
  private readonly binNodes: BinNodes;
  private histograms: Histogram[] = [];
  private pickerScope: EntropySnapshot['scope'] | null = null;

  constructor(root: HTMLElement, host: AppHost<EntropyPanelState>) {
    super(root, host, {}, { grid: 'entropy-grid' });
    this.graphPicker = this.own(new GraphPicker((index) => host.post({ type: 'selectGraph', index })));
    const toolbar = element('div', 'toolbar');
    toolbar.append(this.graphPicker.element, this.layerSelect, this.legend, toolbarButton('Export PNG', 'export-png', () => void this.export('png')), toolbarButton('Export SVG', 'export-svg', () => void this.export('svg')));
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

  override receive(s: EntropySnapshot): void {
    this.host.save({ runId: s.data.runId, layer: s.data.layer, ...(s.scope ? { graphIndex: s.scope.selected } : {}) });
    super.receive(s, { bin: undefined });
  }

  protected override frameChange(): Partial<EntropyView> {
    return { bin: undefined };
  }

  protected draw(view: EntropyView, snapshot: EntropySnapshot, previous: EntropyView): void {
    const d = snapshot.data;
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
    if (d !== previous.snapshot?.data || this.histograms.length !== d.learned.length) this.histograms = d.learned.map((learned) => entropyHistogram(learned, d.uniform, 30));
    const width = Math.max(220, Math.min(420, Math.floor((this.element.clientWidth - 24) / Math.min(4, d.heads)) - 8));
    const offset = window.devicePixelRatio > 1 ? 0 : 0.5;
    this.drawFigures(this.histograms.map((h, head) => entropyFigure(h, { title: `layer ${d.layer} · head ${head + 1}`, width, height: 180, learnedColour, uniformColour, foreground, offset, head })));
    const worst = d.learned.map((l) => entropySummary(l, d.uniform)).reduce((a, b) => (b.earthMovers > a.earthMovers ? b : a));
    const epoch = this.snapshotEpoch;
    this.summary.textContent = `${epoch === undefined ? 'Most' : `After epoch ${epoch}: most`} distinct head: ${summaryText(worst)}`;
    this.binNodes.render(view.bin && { histogram: this.histograms[view.bin.head], ...view.bin, nodeOffset: snapshot.scope?.nodeOffset ?? 0 });
  }

  protected override clearExtras(): void {
    this.binNodes.render(undefined);
  }

  private async export(format: 'png' | 'svg'): Promise<void> {
    if (this.view.snapshot) await this.exportFigures(format, `entropy-layer${this.view.snapshot.data.layer}`, editorBackground('#fff'));
  }
}

startAnalysisApp('entropy-app', 'entropySnapshot', (root, host: AppHost<EntropyPanelState>) => new EntropyApp(root, host));
