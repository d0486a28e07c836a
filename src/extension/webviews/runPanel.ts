import type * as vscode from 'vscode';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { loadRunForPanel, type AnalysisPanelDeps, type LoadedRun } from './loadRun';
import { PanelBase } from './panelBase';

/**
 * A panel of one trained run (attention, entropy, embedding, computation): its snapshot starts from
 * the run's analysis and dataset, or is the message that says why they cannot be shown.
 */
export abstract class RunPanel extends PanelBase {
  protected constructor(
    panel: vscode.WebviewPanel,
    protected readonly deps: AnalysisPanelDeps,
    readonly runId: string,
    app: string,
    title: string,
  ) {
    super(panel, deps.extensionUri, app, title);
  }

  protected async snapshot(): Promise<HostToWebview | undefined> {
    const loaded = await loadRunForPanel(this.deps, this.runId);
    return 'type' in loaded ? loaded : this.runSnapshot(loaded);
  }

  /** The snapshot of the loaded run. */
  protected abstract runSnapshot(loaded: LoadedRun): Promise<HostToWebview | undefined>;
}
