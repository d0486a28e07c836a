import type { MetricsSnapshot } from '../../protocol/webviewMessages';
import { Component } from '../shared/component';
import { element, toolbarButton } from '../shared/controls';
import { ChartPair } from '../shared/lineChart';
import { ProvenanceHeader } from '../shared/provenanceHeader';
import { startApp, type AppHost } from '../shared/webviewApp';
import { accuracyChart, lossChart, summaryLine } from './metricsModel';

/** What the metrics app draws: the host's snapshot and the epoch another panel's timeline shows. */
interface MetricsView {
  readonly snapshot: MetricsSnapshot;
  /** Epochs finished at the snapshot another panel's timeline shows (null: none). */
  readonly marked: number | null;
}

type Saved = { runId: string | null };

/** The metrics app: used by the Training Metrics panel and the side-panel Training view. */
class MetricsApp extends Component<MetricsView> {
  private readonly header = this.own(new ProvenanceHeader());
  private readonly summary = element('div', 'summary', { 'aria-live': 'polite' });
  private readonly message = element('p', 'message');
  private readonly trainButton: HTMLElement;
  private readonly charts = this.own(new ChartPair());
  private view: Partial<MetricsView> = { marked: null };

  constructor(
    root: HTMLElement,
    private readonly host: AppHost<Saved>,
  ) {
    super(root);
    this.trainButton = toolbarButton('Train on Cora', 'train-button', () => host.post({ type: 'runCommand', command: 'gat.trainCora' }));
    this.trainButton.removeAttribute('secondary'); // the one primary action of an empty view
    root.append(this.header.element, this.summary, this.message, this.trainButton, this.charts.element);
  }

  /** A new snapshot or mark: redraws once there is a snapshot (a mark may come first). */
  update(change: Partial<MetricsView>): void {
    this.view = { ...this.view, ...change };
    if (change.marked !== undefined) this.charts.element.dataset.markedEpoch = change.marked === null ? '' : String(change.marked);
    if (this.view.snapshot) this.render(this.view as MetricsView);
  }

  render(view: MetricsView): void {
    this.view = view;
    const last = view.snapshot;
    this.header.render(last.provenance);
    this.host.save({ runId: last.provenance?.runId ?? null });
    this.message.textContent = last.message ?? '';
    this.message.hidden = !last.message;
    this.trainButton.hidden = last.epochs.length > 0 || last.live;
    this.summary.textContent = summaryLine(last.epochs, last.metric) + (last.live ? ' · training…' : '');
    const width = Math.max(200, this.element.clientWidth - 8);
    this.charts.element.hidden = last.epochs.length === 0;
    if (last.epochs.length === 0) return;
    // A snapshot after E epochs is the model at the end of epoch E - 1 (the curves count from 0).
    const mark = view.marked === null ? undefined : { x: view.marked - 1, label: `snapshot: after epoch ${view.marked}` };
    this.charts.render({ models: [lossChart(last.epochs), accuracyChart(last.epochs, last.metric)], width: last.compact ? width : Math.min(width, 900), height: last.compact ? 140 : 260, mark });
  }
}

startApp<Saved, MetricsApp>({
  create: (root, host) => new MetricsApp(root, host),
  messages: {
    metricsSnapshot: (app, snapshot) => app.update({ snapshot }),
    markEpoch: (app, m) => app.update({ marked: m.epoch }),
  },
  onResize: (app) => app.update({}),
});
