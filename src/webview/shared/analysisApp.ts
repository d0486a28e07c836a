import type { AnalysisUnavailable } from '../../protocol/analysisSnapshots';
import type { TimelineFrame } from '../../protocol/timeline';
import type { HostToWebview, Provenance } from '../../protocol/webviewMessages';
import { Component } from './component';
import { element } from './controls';
import { drawFigures, exportFigures } from './figureGrid';
import { PanelTimeline } from './panelTimeline';
import { ProvenanceHeader } from './provenanceHeader';
import { startApp, type AppHost, type HostHandlers } from './webviewApp';

/** A snapshot of a run's analysis: its data (one epoch's, with snapshots) and its provenance. */
export interface AnalysisSnapshotLike<Data> {
  readonly provenance: Provenance | null;
  readonly data: Data;
  readonly timeline?: readonly TimelineFrame<Data>[];
}

/** What an analysis panel draws from: the host's snapshot (its data: the epoch on screen), or why there is none. */
export interface AnalysisView<Snapshot> {
  readonly snapshot?: Snapshot;
  /** The run's analysis cannot be shown: why, and the command that regenerates it. */
  readonly unavailable?: AnalysisUnavailable;
}

/**
 * What the attention and entropy panels share: the provenance header, the epoch timeline over the
 * snapshot's frames, the summary line, a grid of figures (one per head) with its export, and the
 * message in place of the figures when the analysis is unavailable. `draw` is each panel's own.
 */
export abstract class AnalysisApp<Data extends { readonly runId: string }, Snapshot extends AnalysisSnapshotLike<Data>, View extends AnalysisView<Snapshot>, Saved> extends Component<View> {
  protected readonly header = this.own(new ProvenanceHeader());
  /** With snapshots: the same figures at each epoch (another node, layer or graph keeps the epoch). */
  protected readonly timeline: PanelTimeline<Data>;
  protected readonly summary: HTMLElement;
  protected readonly grid: HTMLElement;

  constructor(
    root: HTMLElement,
    protected readonly host: AppHost<Saved>,
    protected view: View,
    parts: { readonly grid: string; readonly summary?: Record<string, string> },
  ) {
    super(root);
    this.summary = element('div', 'summary', parts.summary);
    this.grid = element('div', parts.grid);
    this.timeline = this.own(
      new PanelTimeline<Data>(
        (data) => this.view.snapshot && this.update({ ...this.frameChange(), snapshot: { ...this.view.snapshot, data } } as Partial<View>),
        () => this.view.snapshot?.data.runId,
        (m) => host.post(m),
      ),
    );
  }

  /** A snapshot from the host, with what else changes with it; the timeline picks the frame drawn. */
  receive(s: Snapshot, change: Partial<View> = {}): void {
    this.update({ ...change, snapshot: { ...s, data: this.timeline.receive(s.timeline, s.data) }, unavailable: undefined });
  }

  unavailable(m: AnalysisUnavailable): void {
    this.update({ unavailable: m } as Partial<View>);
  }

  update(change: Partial<View>): void {
    this.render({ ...this.view, ...change });
  }

  render(view: View): void {
    const previous = this.view;
    this.view = view;
    if (view.unavailable) return this.renderUnavailable(view.unavailable);
    if (!view.snapshot) return;
    this.header.render(view.snapshot.provenance);
    this.summary.classList.remove('error');
    this.draw(view, view.snapshot, previous);
  }

  /** Draws the snapshot's figures and summary (`previous`: the view drawn before). */
  protected abstract draw(view: View, snapshot: Snapshot, previous: View): void;

  /** What a timeline step changes besides the data (the entropy panel forgets its bin). */
  protected frameChange(): Partial<View> {
    return {};
  }

  /** What else to clear when the analysis is unavailable. */
  protected clearExtras(): void {}

  protected drawFigures(markup: readonly string[]): void {
    drawFigures(this.grid, markup);
  }

  /** The epoch on screen when it is a snapshot's (undefined for the trained model). */
  protected get snapshotEpoch(): number | undefined {
    const frame = this.timeline.current;
    return frame && !frame.final ? frame.epoch : undefined;
  }

  protected async exportFigures(format: 'png' | 'svg', name: string, background: string): Promise<void> {
    if (this.view.snapshot) await exportFigures(this.grid, format, name, background, (m) => this.host.post(m));
  }

  /** A missing or outdated artifact: say so, with the command that regenerates it. */
  private renderUnavailable(m: AnalysisUnavailable): void {
    this.header.render(m.provenance);
    this.timeline.clear();
    drawFigures(this.grid, []);
    this.clearExtras();
    this.summary.textContent = m.message;
    this.summary.classList.add('error');
  }
}

/**
 * Starts an analysis panel's app: its snapshot message and `analysisUnavailable` go to the app,
 * and a theme change or a resize redraws it.
 */
export function startAnalysisApp<Data extends { readonly runId: string }, Snapshot extends AnalysisSnapshotLike<Data> & HostToWebview, View extends AnalysisView<Snapshot>, Saved>(
  className: string,
  snapshotType: Snapshot['type'],
  create: (root: HTMLElement, host: AppHost<Saved>) => AnalysisApp<Data, Snapshot, View, Saved>,
): void {
  type App = AnalysisApp<Data, Snapshot, View, Saved>;
  const messages = { [snapshotType]: (app: App, s: Snapshot) => app.receive(s), analysisUnavailable: (app: App, m: AnalysisUnavailable) => app.unavailable(m) } as HostHandlers<App>;
  startApp<Saved, App>({ className, create, messages, onTheme: (app) => app.update({}), onResize: (app) => app.update({}) });
}
