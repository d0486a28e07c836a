import * as path from 'node:path';
import * as vscode from 'vscode';
import { AnalysisUnavailableError, type RunAnalyses } from '../../gat/analysis/runAnalyses';
import { readMetrics, readRun } from '../../gat/artifacts/runRecord';
import { readFaithfulnessSide } from '../../gat/compare/faithfulnessRows';
import { compareSnapshot, type RunCurves } from '../../gat/panels/compareSnapshot';
import type { ComparePanelState } from '../../protocol/compareSnapshot';
import { savedFields, str, tuple, type SavedShape } from '../../protocol/fieldSchema';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { PanelArgs, PanelKind } from './panelArgs';
import type { PanelOpener } from './panelController';
import { PanelBase } from './panelBase';
import { notice } from '../../gat/io/safeText';

export interface CompareDeps {
  readonly extensionUri: vscode.Uri;
  readonly analyses: RunAnalyses;
  readonly outDir: () => string | undefined;
  /** Opens the graph coloured by where runs A and B agree. */
  readonly panels: PanelOpener<PanelArgs>;
}

/**
 * Compare Runs: two runs' curves overlaid, their results and configuration side by side, and where
 * their test predictions agree. One panel per pair; Swap exchanges A and B in place.
 */
export class ComparePanel extends PanelBase {
  /** How the controller opens and restores Compare panels: one per pair of runs, in either order. */
  static descriptor(deps: CompareDeps): PanelKind<'gat.compare', ComparePanel> {
    return {
      viewType: 'gat.compare',
      key: ({ runIds }) => [...runIds].sort().join('\n'),
      title: ({ runIds }) => titleFor(...runIds),
      create: (panel, { runIds }) => new ComparePanel(panel, deps, ...runIds),
      revive: (state) => savedFields(SAVED, state),
    };
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: CompareDeps,
    private a: string,
    private b: string,
  ) {
    super(panel, deps.extensionUri, 'compare', titleFor(a, b));
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
      void vscode.window.showErrorMessage(notice`GAT: cannot compare ${this.a} and ${this.b}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** A run's record and curves; its analysis and faithfulness summary when it has them (a cancelled run has neither). */
  private async side(out: string, runId: string): Promise<RunCurves> {
    const runDir = path.join(out, 'runs', runId);
    const [run, epochs, faithfulness] = await Promise.all([readRun(runDir), readMetrics(runDir), readFaithfulnessSide(runDir)]);
    const analysis = await this.deps.analyses.get(runId).then(
      (r) => r.analysis,
      (err: unknown) => {
        if (err instanceof AnalysisUnavailableError) return undefined;
        throw err;
      },
    );
    return { run, epochs, analysis, faithfulness };
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type === 'showAgreementGraph') {
      const out = this.deps.outDir();
      void (out ? readRun(path.join(out, 'runs', this.a)) : Promise.reject(new Error('no output folder'))).then(
        (run) => this.deps.panels.show('gat.graph', { dataset: run.dataset, runId: this.a, compareRunId: this.b }),
        (err: unknown) => void vscode.window.showErrorMessage(notice`GAT: cannot open the graph of run ${this.a}: ${err instanceof Error ? err.message : String(err)}`),
      );
      return true;
    }
    if (message.type !== 'swapRuns') return false;
    [this.a, this.b] = [this.b, this.a];
    this.panel.title = titleFor(this.a, this.b);
    void this.refresh();
    return true;
  }
}

/** What a reload restores from the page's saved state. */
const SAVED = { runIds: tuple(str(), str()) } satisfies SavedShape<ComparePanelState>;

function titleFor(a: string, b: string): string {
  return `GAT Compare: ${a} vs ${b}`;
}
