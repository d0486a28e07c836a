import type { AttentionPanelState, AttentionSnapshot, AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import { uniformWeight } from '../../figures/attentionModel';
import { classColours, themeKindOf } from '../../figures/palette';
import { AnalysisApp, startAnalysisApp, type AnalysisView } from '../shared/analysisApp';
import { element, tooltipElement } from '../shared/controls';
import { editorBackground } from '../shared/figureGrid';
import type { AppHost } from '../shared/webviewApp';
import { AttentionGrid } from './attentionGrid';
import { AttentionToolbar, type AttentionLayout, type HeadChoice } from './attentionToolbar';

/** The user's choices of what to draw, beside the snapshot. */
interface AttentionView extends AnalysisView<AttentionSnapshot> {
  readonly head: HeadChoice;
  readonly layout: AttentionLayout;
  readonly relative: boolean;
}

/** The attention panel: one node's neighbourhood per head (or all heads side by side). */
class AttentionApp extends AnalysisApp<AttentionSnapshotData, AttentionSnapshot, AttentionView, AttentionPanelState> {
  private readonly toolbar: AttentionToolbar;
  private readonly legend = element('div', 'attention-legend');
  private readonly tooltip = tooltipElement();
  private readonly figures: AttentionGrid;

  constructor(root: HTMLElement, host: AppHost<AttentionPanelState>) {
    const saved = host.saved;
    super(root, host, { head: saved?.head ?? 0, layout: saved?.layout ?? 'radial', relative: saved?.relative ?? false }, { grid: 'attention-grid', summary: { 'aria-live': 'polite' } });
    this.toolbar = this.own(
      new AttentionToolbar({
        request: (text, layer) => this.request(text, layer),
        change: (choice) => this.update(choice),
        stepThrough: () => this.view.snapshot && host.post({ type: 'stepThrough', node: this.view.snapshot.data.node }),
        export: (format) => void this.export(format),
      }),
    );
    this.figures = this.own(new AttentionGrid(this.grid, this.tooltip, root, (node) => this.view.snapshot && host.post({ type: 'openRecord', dataset: this.view.snapshot.data.dataset, node, runId: this.view.snapshot.data.runId })));
    root.append(this.header.element, this.toolbar.element, this.timeline.element, this.summary, this.legend, this.grid, this.tooltip);
  }

  /** A node's attention from the host: the head drawn stays when the new data has it. */
  override receive(s: AttentionSnapshot): void {
    const head = this.view.head === 'all' ? (s.data.heads > 1 ? 'all' : 0) : this.view.head < s.data.heads ? this.view.head : 0;
    this.toolbar.showNode(s);
    super.receive(s, { head });
  }

  protected draw(view: AttentionView, snapshot: AttentionSnapshot): void {
    const d = snapshot.data;
    this.toolbar.render({ ...view, snapshot });
    const kind = themeKindOf(document.body.classList);
    const style = getComputedStyle(document.body);
    const foreground = style.getPropertyValue('--vscode-foreground').trim() || '#888';
    const edgeColour = style.getPropertyValue('--vscode-charts-lines').trim() || foreground;
    const colours = classColours(kind, d.classNames.length);
    const heads = view.head === 'all' ? Array.from({ length: d.heads }, (_, h) => h) : [view.head];
    const width = this.element.clientWidth;
    const size = heads.length > 1 ? Math.max(180, Math.min(320, Math.floor((width - 24) / Math.min(4, heads.length)) - 8)) : Math.max(280, Math.min(640, width - 24));
    this.figures.render({ data: d, heads, layout: view.layout, relative: view.relative, size, classColours: colours, foreground, edgeColour });
    this.renderClassLegend(d.neighbours.map((n) => n.label), d.classNames, colours);
    let lo = Infinity;
    let hi = -Infinity;
    for (const h of heads) for (const n of d.neighbours) [lo, hi] = [Math.min(lo, n.weights[h]), Math.max(hi, n.weights[h])];
    const epoch = this.snapshotEpoch;
    this.summary.textContent = `node ${d.node} (${d.classNames[d.nodeLabel]}) · layer ${d.layer}${epoch === undefined ? '' : ` · after epoch ${epoch}`} · ${d.neighbours.length - 1} neighbours + self · uniform weight 1/(degree+1) = ${uniformWeight(d).toFixed(4)} · weights ${lo.toFixed(4)}–${hi.toFixed(4)}`;
    this.host.save({ runId: d.runId, node: d.node, layer: d.layer, head: view.head, layout: view.layout, relative: view.relative });
  }

  protected override clearExtras(): void {
    this.legend.replaceChildren();
  }

  /** Which class each colour is, for the classes present in this neighbourhood (with counts). */
  private renderClassLegend(labels: readonly number[], classNames: readonly string[], colours: readonly string[]): void {
    const counts = new Map<number, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    this.legend.replaceChildren(
      ...[...counts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([label, count]) => {
          const item = element('span', 'legend-item');
          const swatch = element('span', 'swatch');
          swatch.style.background = colours[label % colours.length];
          item.append(swatch, ` ${classNames[label]} (${count})`);
          return item;
        }),
    );
  }

  private request(text: string, layer: number): void {
    const s = this.view.snapshot;
    if (!s) return;
    const node = Number(text);
    if (!Number.isInteger(node) || node < 0 || node >= s.numNodes) {
      this.summary.textContent = `No node “${text}”: ids are 0–${s.numNodes - 1}.`;
      return;
    }
    this.host.post({ type: 'attentionRequest', node, layer });
  }

  private async export(format: 'png' | 'svg'): Promise<void> {
    const s = this.view.snapshot;
    if (!s) return;
    const head = this.view.head === 'all' ? 'all-heads' : `head${this.view.head + 1}`;
    await this.exportFigures(format, `attention-node${s.data.node}-layer${s.data.layer}-${head}`, editorBackground());
  }
}

startAnalysisApp('attention-app', 'attentionSnapshot', (root, host: AppHost<AttentionPanelState>) => new AttentionApp(root, host));
