import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import { saveExportedImage, type AskSaveLocation } from './exportImage';
import type { ControlledPanel } from './panelController';
import { announceTimelineEpoch } from './timelineEpochs';
import { handleCommonMessage } from './webviewMessageHandler';
import { offeredFiles, webviewBoundary } from './webviewBoundary';
import { readSettings } from '../core/config';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { notice } from '../../gat/io/safeText';

/**
 * What every panel shares: the page (strict CSP, bundled app), the ready handshake (the webview
 * announces `ready`, then the host posts a complete snapshot), message dispatch (panel-specific
 * first, then export and the common open-file/record messages), errors shown to the user, and
 * disposal. Subclasses build the snapshot; the PanelController creates, finds and restores them.
 */
export abstract class PanelBase implements ControlledPanel, vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  /** Snapshots posted so far (tests wait on it: the webview loaded, said ready, and got its data). */
  snapshotsPosted = 0;
  /** Files the host listed to this page (its provenance header): openFile may open these. */
  private readonly offered = new Set<string>();
  /** The last snapshot posted (tests read what the webview was given). */
  lastSnapshot: HostToWebview | undefined;
  /** Where exports are saved: the save dialog; tests holding the panel replace it. */
  askSaveLocation: AskSaveLocation = (options) => vscode.window.showSaveDialog(options);
  /**
   * Dataset id of the webview's node 0: a panel showing one graph of an inductive dataset numbers
   * its nodes locally (set by the subclass with each snapshot); incoming node ids are translated.
   */
  protected nodeOffset = 0;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    app: string,
    title: string,
  ) {
    panel.title = title;
    panel.webview.options = webviewOptions(extensionUri);
    // The graph app (graph and embedding panels) draws as gat.graphRenderer says.
    panel.webview.html = webviewHtml(panel.webview, extensionUri, app, title, app === 'graph' || app === 'embedding' ? { graphRenderer: readSettings().graphRenderer } : {});
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message), null, this.disposables);
  }

  /** Builds and posts a fresh snapshot, once the webview is ready for it. */
  async refresh(): Promise<void> {
    if (!this.ready || this.disposed) return;
    const snapshot = await this.snapshot();
    if (snapshot && !this.disposed && (await this.post(snapshot))) {
      this.lastSnapshot = snapshot;
      this.snapshotsPosted++;
    }
  }

  protected post(message: HostToWebview): Thenable<boolean> {
    // The files its header links to are the ones this page may ask to open from anywhere.
    for (const file of offeredFiles(message)) this.offered.add(file);
    return this.panel.webview.postMessage(message);
  }

  protected get isReady(): boolean {
    return this.ready && !this.disposed;
  }

  /** The complete state the webview draws from. */
  protected abstract snapshot(): Promise<HostToWebview | undefined>;

  /** Panel-specific messages; return true when handled. */
  protected onMessage(_message: WebviewToHost): boolean | Promise<boolean> {
    return false;
  }

  /**
   * Inductive datasets: the page's graph picker chose graph `index` (null: every graph, which only
   * the degree panel offers). Panels that show one graph of such a dataset say what that changes;
   * the base then posts a fresh snapshot.
   */
  protected selectGraph?(index: number | null): void;

  /** Called once when the panel closes (the controller forgets it by itself). */
  protected onDispose(): void {}

  /**
   * Routes one webview message; tests and context-menu commands call it too. The guard derived from
   * the message declaration (protocol/webviewToHost.ts) has checked every field before any handler
   * runs; what it refuses has no effect and is logged. No handler's error escapes: it is shown.
   */
  async receive(raw: unknown): Promise<void> {
    const where = `${this.panel.viewType} panel`;
    const accepted = webviewBoundary().accept(raw, where);
    if (!accepted) return;
    const message = 'node' in accepted ? { ...accepted, node: accepted.node + this.nodeOffset } : accepted;
    try {
      if (message.type === 'ready') {
        this.ready = true;
        await this.refresh();
      } else if (message.type === 'selectGraph' && this.selectGraph) {
        this.selectGraph(message.index);
        await this.refresh();
      } else if (await this.onMessage(message)) {
        return;
      } else if (message.type === 'timelineEpoch') {
        announceTimelineEpoch(message);
      } else if (message.type === 'exportImage') {
        await saveExportedImage(message, this.askSaveLocation);
      } else {
        await handleCommonMessage(message, { where, offered: this.offered });
      }
    } catch (e) {
      void vscode.window.showErrorMessage(notice`GAT: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
