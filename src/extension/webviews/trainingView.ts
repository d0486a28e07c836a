import * as vscode from 'vscode';
import { notice } from '../../gat/io/safeText';
import type { HostToWebview } from '../../protocol/webviewMessages';
import type { MetricsDeps } from './metricsPanel';
import { metricsSnapshot } from './metricsSource';
import { offeredFiles, webviewBoundary } from './webviewBoundary';
import { handleCommonMessage } from './webviewMessageHandler';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The side-panel Training view: the live curves of the current (or last) training, compact. */
export class TrainingViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'gat.training';
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** Files the host listed to the view (its provenance header): openFile may open these. */
  private readonly offered = new Set<string>();

  constructor(private readonly deps: MetricsDeps) {
    deps.training.onDidChange(() => void this.post());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.deps.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.deps.extensionUri, 'metrics', 'GAT Training');
    view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    view.onDidChangeVisibility(() => view.visible && void this.post());
  }

  /** Like a panel's dispatch: the boundary checks the message, and no handler's error escapes. */
  async receive(raw: unknown): Promise<void> {
    const where = `${TrainingViewProvider.viewId} view`;
    const message = webviewBoundary().accept(raw, where);
    if (!message) return;
    try {
      if (message.type === 'ready') {
        this.ready = true;
        await this.post();
      } else await handleCommonMessage(message, { where, offered: this.offered });
    } catch (e) {
      void vscode.window.showErrorMessage(notice`GAT: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async post(): Promise<void> {
    if (!this.view || !this.ready || !this.view.visible) return;
    const live = this.deps.training.latest;
    const latestRun = live ? undefined : this.deps.runs.current[0];
    const snapshot: HostToWebview = await metricsSnapshot({ live, run: latestRun, outDir: this.deps.outDir(), compact: true });
    for (const file of offeredFiles(snapshot)) this.offered.add(file);
    await this.view.webview.postMessage(snapshot);
  }
}
