import type { AnalysisUnavailable } from '../../protocol/analysisSnapshots';
import type { EmbeddingLayout, EmbeddingTimeline, GraphPanelState, GraphSnapshot } from '../../protocol/webviewMessages';
import { count, GraphScreen } from '../graphView/graphScreen';
import { startApp, type AppHost } from '../shared/webviewApp';
import { EmbeddingControls } from './embeddingControls';

/**
 * The embedding app: the t-SNE map of a run's outputs, drawn by the shared graph screen (the same
 * hover, click and colourings as the graph), with the t-SNE settings, the map growing while t-SNE
 * runs, and the snapshots' maps on the epoch timeline.
 */
class EmbeddingApp extends GraphScreen {
  private readonly controls: EmbeddingControls;

  constructor(root: HTMLElement, host: AppHost<GraphPanelState>) {
    super(root, host);
    this.controls = this.own(new EmbeddingControls({
      rerun: (settings) => host.post({ type: 'embeddingRequest', settings }),
      showInGraph: () => {
        const node = this.view.selected;
        if (this.snapshot && node !== undefined && node !== null) host.post({ type: 'showInGraph', dataset: this.snapshot.dataset, node });
      },
    }));
    this.addParts({ rows: [this.controls.element] });
  }

  protected showControls(s: GraphSnapshot): void {
    this.controls.render(s.embedding);
  }

  protected statusText(s: GraphSnapshot, where: string): string {
    return `${count(s.labels.length, 'point')}${where} (t-SNE of the model's outputs)`;
  }

  /** A t-SNE step: new positions for the same points; the view follows the map while it grows. */
  moveEmbedding(m: EmbeddingLayout): void {
    const s = this.snapshot;
    if (!s?.embedding) return;
    this.controls.render(m.info);
    this.relayoutIfMoved();
    if (m.x.length === s.labels.length) {
      this.move({ ...s, x: m.x, y: m.y, embedding: m.info });
      if (m.info.status === 'computing' || m.info.status === 'done') this.view.fitToView();
      this.view.draw();
    } else {
      this.snapshot = { ...s, embedding: m.info };
    }
    this.save();
  }

  /** The run has no analysis (or an outdated one): say so, and how to regenerate it. */
  unavailable(m: AnalysisUnavailable): void {
    this.showUnavailable(m);
  }

  /** The snapshots' maps arrive after the trained model's: the slider appears at its end. */
  showTimeline(m: EmbeddingTimeline): void {
    const s = this.snapshot;
    if (!s?.run || !s.embedding) return;
    this.timeline.receive(m.frames, s.run);
    this.relayoutIfMoved();
    this.view.draw();
  }
}

startApp<GraphPanelState, EmbeddingApp>({
  create: (root, host) => new EmbeddingApp(root, host),
  messages: {
    graphSnapshot: (app, s) => app.receive(s),
    embeddingLayout: (app, m) => app.moveEmbedding(m),
    embeddingTimeline: (app, m) => app.showTimeline(m),
    analysisUnavailable: (app, m) => app.unavailable(m),
  },
  onTheme: (app) => app.themeChanged(),
  onResize: (app) => app.resized(),
});
