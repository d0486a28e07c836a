import type * as vscode from 'vscode';
import { isWebviewToHost } from '../../protocol/webviewMessages';
import type { MetricsDeps } from './metricsPanel';
import { metricsSnapshot } from './metricsSource';
import { handleCommonMessage } from './webviewMessageHandler';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The side-panel Training view: the live curves of the current (or last) training, compact. */
export class TrainingViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'gat.training';
  private view: vscode.WebviewView | undefined;
  private ready = false;

  constructor(private readonly deps: MetricsDeps) {
    deps.training.onDidChange(() => void this.post());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.deps.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.deps.extensionUri, 'metrics', 'GAT Training');
    view.webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isWebviewToHost(message)) return;
      if (message.type === 'ready') {
        this.ready = true;
        await this.post();
      } else await handleCommonMessage(message);
    });
    view.onDidChangeVisibility(() => view.visible && void this.post());
  }

  private async post(): Promise<void> {
    if (!this.view || !this.ready || !this.view.visible) return;
    const live = this.deps.training.latest;
    const latestRun = live ? undefined : this.deps.runs.current[0];
    await this.view.webview.postMessage(await metricsSnapshot({ live, run: latestRun, outDir: this.deps.outDir(), compact: true }));
  }
}
