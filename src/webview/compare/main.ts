import type { ComparePanelState, CompareSnapshot } from '../../protocol/compareSnapshot';
import { Component } from '../shared/component';
import { ChartPair } from '../shared/lineChart';
import { startApp, type AppHost } from '../shared/webviewApp';
import { overlayCharts } from './compareModel';
import { AgreementBar, CompareHeader, ResultsTable } from './compareViews';

/** The Compare Runs app: state in (the host's snapshot), render out, one component per part. */
class CompareApp extends Component<CompareSnapshot> {
  private readonly header: CompareHeader;
  private readonly results = this.own(new ResultsTable());
  private readonly agreement = this.own(new AgreementBar());
  /** Loss and accuracy (or micro-F1) of both runs, overlaid. */
  private readonly charts = this.own(new ChartPair());
  private last: CompareSnapshot | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: AppHost<ComparePanelState>,
  ) {
    super(root);
    this.header = this.own(new CompareHeader({ swap: () => host.post({ type: 'swapRuns' }), showGraph: () => host.post({ type: 'showAgreementGraph' }) }));
    root.append(this.header.element, this.results.element, this.agreement.element, this.charts.element);
  }

  redraw(): void {
    if (this.last) this.render(this.last);
  }

  render(s: CompareSnapshot): void {
    this.last = s;
    this.host.save({ runIds: [s.a.runId, s.b.runId] });
    this.header.render(s);
    this.results.render(s);
    this.agreement.render(s);
    this.charts.render({ models: overlayCharts(s), width: Math.min(Math.max(240, this.element.clientWidth - 8), 900), height: 260 });
    document.body.dataset.compareReady = 'true';
  }
}

startApp<ComparePanelState, CompareApp>({
  create: (root, host) => new CompareApp(root, host),
  messages: { compareSnapshot: (app, snapshot) => app.render(snapshot) },
  onResize: (app) => app.redraw(),
});
