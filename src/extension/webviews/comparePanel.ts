import * as path from 'node:path';
import * as vscode from 'vscode';
import { AnalysisUnavailableError, type RunAnalyses } from '../../gat/analysis/runAnalyses';
import { readMetrics, readRun } from '../../gat/artifacts/runRecord';
import type { RunSide } from '../../gat/compare/runComparison';
import { compareSnapshot } from '../../gat/panels/compareSnapshot';
import type { ComparePanelState } from '../../protocol/compareSnapshot';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import { PanelBase, registerPanelSerializer } from './panelBase';
import { webviewOptions } from './webviewHtml';

export interface CompareDeps {
  readonly extensionUri: vscode.Uri;
  readonly analyses: RunAnalyses;
  readonly outDir: () => string | undefined;
  /** Opens the graph of `dataset` coloured by where runs A and B agree. */
  readonly showAgreementGraph: (dataset: string, a: string, b: string) => void;
}

/**
 * Compare Runs: two runs' curves overlaid, their results and configuration side by side, and where
 * their test predictions agree. One panel per pair; Swap exchanges A and B in place.
 */
export class ComparePanel extends PanelBase {
  static readonly viewType = 'gat.compare';
  private static readonly panels = new Map<string, ComparePanel>();

  static createOrShow(deps: CompareDeps, a: string, b: string): ComparePanel {
    const existing = ComparePanel.panels.get(pairKey(a, b));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ComparePanel.viewType, titleFor(a, b), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new ComparePanel(panel, deps, a, b);
  }

  static revive(panel: vscode.WebviewPanel, deps: CompareDeps, state: ComparePanelState | undefined): void {
    if (!state) {
      panel.dispose();
      return;
    }
    new ComparePanel(panel, deps, state.runIds[0], state.runIds[1]);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: CompareDeps,
    private a: string,
    private b: string,
  ) {
    super(panel, deps.extensionUri, 'compare', titleFor(a, b));
    ComparePanel.panels.set(pairKey(a, b), this);
  }

  get runIds(): readonly [string, string] {
    return [this.a, this.b];
  }

  protected async snapshot(): Promise<HostToWebview | undefined> {
    const out = this.deps.outDir();
    if (!out) {
      void vscode.window.showWarningMessage('GAT: open a folder, or set gat.outputFolder, to compare its runs.');
      return undefined;
    }
    try {
      const [a, b] = await Promise.all([this.side(out, this.a), this.side(out, this.b)]);
      return compareSnapshot(a, b, out);
    } catch (err) {
      void vscode.window.showErrorMessage(`GAT: cannot compare ${this.a} and ${this.b}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** A run's record and curves; its analysis when it has one (a cancelled run has none). */
  private async side(out: string, runId: string): Promise<RunSide> {
    const runDir = path.join(out, 'runs', runId);
    const [run, epochs] = await Promise.all([readRun(runDir), readMetrics(runDir)]);
    const analysis = await this.deps.analyses.get(runId).then(
      (r) => r.analysis,
      (err: unknown) => {
        if (err instanceof AnalysisUnavailableError) return undefined;
        throw err;
      },
    );
    return { run, epochs, analysis };
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type === 'showAgreementGraph') {
      const out = this.deps.outDir();
      void (out ? readRun(path.join(out, 'runs', this.a)) : Promise.reject(new Error('no output folder'))).then(
        (run) => this.deps.showAgreementGraph(run.dataset, this.a, this.b),
        (err: unknown) => void vscode.window.showErrorMessage(`GAT: cannot open the graph of run ${this.a}: ${err instanceof Error ? err.message : String(err)}`),
      );
      return true;
    }
    if (message.type !== 'swapRuns') return false;
    [this.a, this.b] = [this.b, this.a];
    this.panel.title = titleFor(this.a, this.b);
    void this.refresh();
    return true;
  }

  protected onDispose(): void {
    ComparePanel.panels.delete(pairKey(this.a, this.b));
  }
}

/** The same pair in either order is one panel. */
function pairKey(a: string, b: string): string {
  return [a, b].sort().join('\n');
}

function titleFor(a: string, b: string): string {
  return `GAT Compare: ${a} vs ${b}`;
}

export function registerCompareSerializer(deps: CompareDeps): vscode.Disposable {
  return registerPanelSerializer<ComparePanelState>(ComparePanel.viewType, (panel, state) => ComparePanel.revive(panel, deps, state));
}
