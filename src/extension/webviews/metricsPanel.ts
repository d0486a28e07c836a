import * as vscode from 'vscode';
import { isWebviewToHost, type MetricsPanelState } from '../../protocol/webviewMessages';
import type { RunsTreeProvider } from '../trees/runsTree';
import type { TrainingController } from '../training/trainingController';
import { metricsSnapshot } from './metricsSource';
import { onTimelineEpoch, timelineEpochOf } from './timelineEpochs';
import { handleCommonMessage } from './webviewMessageHandler';
import { webviewHtml, webviewOptions } from './webviewHtml';

export interface MetricsDeps {
  readonly extensionUri: vscode.Uri;
  readonly training: TrainingController;
  readonly runs: RunsTreeProvider;
  readonly outDir: () => string | undefined;
}

/**
 * The Training Metrics panel: loss and accuracy curves of one run (live while it trains).
 * One panel per run; restored after a reload by its serializer from the saved run id.
 */
export class MetricsPanel implements vscode.Disposable {
  static readonly viewType = 'gat.metrics';
  private static readonly panels = new Map<string, MetricsPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** The epoch marked on the curves: a timeline of this run's panels shows it (tests read it). */
  markedEpoch: number | null = null;
  private shownRunId: string | undefined;

  /** `column` Beside: next to the panel that asked (a timeline showing its epoch on the curves). */
  static createOrShow(deps: MetricsDeps, runId: string | null, column: vscode.ViewColumn = vscode.ViewColumn.Active): MetricsPanel {
    const key = runId ?? 'live';
    const existing = MetricsPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(column === vscode.ViewColumn.Beside ? undefined : column, column === vscode.ViewColumn.Beside);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(MetricsPanel.viewType, titleFor(runId), { viewColumn: column, preserveFocus: column === vscode.ViewColumn.Beside }, webviewOptions(deps.extensionUri));
    return new MetricsPanel(panel, deps, runId);
  }

  static revive(panel: vscode.WebviewPanel, deps: MetricsDeps, state: MetricsPanelState | undefined): MetricsPanel {
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new MetricsPanel(panel, deps, state?.runId ?? null);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: MetricsDeps,
    private readonly runId: string | null,
  ) {
    MetricsPanel.panels.set(runId ?? 'live', this);
    panel.title = titleFor(runId);
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'metrics', panel.title);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage(
      async (message: unknown) => {
        if (!isWebviewToHost(message)) return;
        if (message.type === 'ready') {
          this.ready = true;
          await this.post();
        } else await handleCommonMessage(message);
      },
      null,
      this.disposables,
    );
    // Only the live run's panel (or the live panel) changes during a training; others keep their file's data.
    deps.training.onDidChange((live) => (runId === null || live.start?.runId === runId) && void this.post(), null, this.disposables);
    // The live panel marks the run it shows at the moment.
    onTimelineEpoch((e) => e.runId === (runId ?? this.shownRunId) && void this.mark(e.epoch), null, this.disposables);
  }

  private async mark(epoch: number | null): Promise<void> {
    this.markedEpoch = epoch;
    if (this.ready) await this.panel.webview.postMessage({ type: 'markEpoch', epoch });
  }

  private async post(): Promise<void> {
    if (!this.ready) return;
    const run = this.runId ? this.deps.runs.findRun(this.runId) : undefined;
    const live = this.runId === null || this.deps.training.latest?.start?.runId === this.runId ? this.deps.training.latest : undefined;
    const snapshot = await metricsSnapshot({ run, live, outDir: this.deps.outDir(), compact: false });
    await this.panel.webview.postMessage(snapshot);
    this.shownRunId = snapshot.provenance?.runId;
    const shown = this.runId ?? this.shownRunId;
    if (shown) {
      this.markedEpoch = timelineEpochOf(shown);
      if (this.markedEpoch !== null) await this.panel.webview.postMessage({ type: 'markEpoch', epoch: this.markedEpoch });
    }
  }

  dispose(): void {
    MetricsPanel.panels.delete(this.runId ?? 'live');
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function titleFor(runId: string | null): string {
  return runId ? `GAT Metrics: ${runId}` : 'GAT Training Metrics';
}

export function registerMetricsSerializer(deps: MetricsDeps): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(MetricsPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      MetricsPanel.revive(panel, deps, state as MetricsPanelState | undefined);
    },
  });
}
