import type { DegreePanelState, DegreeSnapshot } from '../../protocol/webviewMessages';
import { Component } from '../shared/component';
import { element, toolbarButton } from '../shared/controls';
import { GraphPicker } from '../shared/graphPicker';
import { ProvenanceHeader } from '../shared/provenanceHeader';
import { startApp, type AppHost } from '../shared/webviewApp';
import type { ChartTheme } from './degreeCharts';
import { composeSvg, svgToPng } from './degreeExport';
import { distributionBars, peakIn, selectedNodes, selectionTitle, type Bar } from './degreeModel';
import { DegreePlots, type DegreeSelection } from './degreePlots';
import { renderNodeList } from './nodeList';

/** What the panel draws from: the host's snapshot and the user's choices. */
interface DegreeView {
  readonly snapshot: DegreeSnapshot;
  readonly bars: readonly Bar[];
  readonly logScale: boolean;
  readonly selected: DegreeSelection | null;
}

/** The degree plots app: in-/out-degree per node id and the distribution, linked to node lists. */
class DegreesApp extends Component<DegreeView> {
  private readonly header = this.own(new ProvenanceHeader());
  private readonly graphPicker: GraphPicker;
  private readonly logBox = element('input', 'log-scale', { type: 'checkbox' });
  private readonly status = element('span', 'status');
  private readonly plots: DegreePlots;
  private readonly selection = element('section', 'selection', { 'aria-live': 'polite' });
  private view: DegreeView | undefined;
  private width = 600;
  /** What the node list shows (drawn again only when it changes: it can hold 500 rows). */
  private listed: Pick<DegreeView, 'snapshot' | 'selected'> | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: AppHost<DegreePanelState>,
  ) {
    super(root);
    this.graphPicker = this.own(new GraphPicker((index) => host.post({ type: 'selectGraph', index })));
    this.logBox.checked = host.saved?.logScale ?? false;
    const logLabel = document.createElement('label');
    logLabel.append(this.logBox, ' log-scale counts');
    const toolbar = element('div', 'toolbar');
    toolbar.append(this.graphPicker.element, logLabel, toolbarButton('Export PNG', 'export-png', () => void this.export('png')), toolbarButton('Export SVG', 'export-svg', () => void this.export('svg')), this.status);
    this.plots = this.own(new DegreePlots(root, (selected) => this.update({ selected })));
    root.style.position = 'relative';
    root.append(this.header.element, toolbar, this.plots.element, this.selection, this.plots.tooltip);
    this.listen(this.logBox, 'change', () => this.update({ logScale: this.logBox.checked }));
  }

  receive(snapshot: DegreeSnapshot): void {
    const previous = this.view?.snapshot;
    const graphChanged = previous !== undefined && (previous.scope?.selected ?? null) !== (snapshot.scope?.selected ?? null);
    const bars = distributionBars(snapshot.inDegree);
    // A selection is kept for the same dataset and graph (a reload restores it).
    const datasetOfSelection = previous?.dataset ?? this.host.saved?.dataset;
    let selected = this.view ? this.view.selected : (this.host.saved?.selection ?? null);
    if (selected && (datasetOfSelection !== snapshot.dataset || graphChanged)) selected = null;
    this.graphPicker.render(snapshot.scope);
    this.plots.resetCursor(peakIn(snapshot.inDegree, 0, snapshot.inDegree.length - 1), bars[0]?.degree ?? 0);
    this.header.render(snapshot.provenance);
    this.status.textContent = `${snapshot.inDegree.length} nodes · max degree ${snapshot.inDegree.reduce((a, b) => Math.max(a, b), 0)}`;
    this.layout();
    this.render({ snapshot, bars, logScale: this.logBox.checked, selected });
    document.body.dataset.degreesReady = 'true';
  }

  update(change: Partial<DegreeView>): void {
    if (this.view) this.render({ ...this.view, ...change });
  }

  resized(): void {
    this.layout();
    this.update({});
  }

  render(view: DegreeView): void {
    this.view = view;
    this.plots.render({ ...view, width: this.width, theme: chartTheme() });
    this.renderSelection(view);
    const { snapshot, logScale, selected } = view;
    this.host.save({ dataset: snapshot.dataset, logScale, selection: selected, ...(snapshot.scope ? { graphIndex: snapshot.scope.selected } : {}) });
  }

  private renderSelection({ snapshot, selected }: DegreeView): void {
    if (this.listed?.snapshot === snapshot && this.listed.selected === selected) return;
    this.listed = { snapshot, selected };
    if (!selected) {
      this.selection.replaceChildren();
      return;
    }
    const nodes = selectedNodes(snapshot, selected.plot, selected.from, selected.to);
    const { dataset } = snapshot;
    const offset = snapshot.scope?.nodeOffset ?? 0;
    renderNodeList(this.selection, selectionTitle(selected.plot, selected.from, selected.to, nodes.length, offset), nodes, {
      open: (node) => this.host.post({ type: 'openRecord', dataset, node }),
      showInGraph: (node) => this.host.post({ type: 'showInGraph', dataset, node }),
    }, offset);
  }

  private layout(): void {
    this.width = Math.max(320, Math.min(this.element.clientWidth - 8, 1100));
  }

  private async export(format: 'png' | 'svg'): Promise<void> {
    if (!this.view) return;
    const { svgs } = this.plots;
    const svg = composeSvg([svgs.in, svgs.out, svgs.dist], this.width, chartTheme().background);
    const data = format === 'svg' ? svg.text : await svgToPng(svg.text, svg.width, svg.height);
    this.host.post({ type: 'exportImage', format, data, suggestedName: `${this.view.snapshot.dataset}-degrees.${format}` });
  }
}

/** Colours from the theme's variables, written as attributes so an exported SVG keeps them. */
function chartTheme(): ChartTheme {
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

startApp<DegreePanelState, DegreesApp>({
  create: (root, host) => new DegreesApp(root, host),
  messages: { degreeSnapshot: (app, s) => app.receive(s) },
  onTheme: (app) => app.update({}),
  onResize: (app) => app.resized(),
});
