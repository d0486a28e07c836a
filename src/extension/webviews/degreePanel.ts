import * as vscode from 'vscode';
import { degreeSnapshot } from '../../gat/panels/graphSnapshot';
import { scopeDataset, scopeMessage } from '../../gat/panels/graphScope';
import { panelProvenance } from '../../gat/panels/provenance';
import type { DegreePanelState, HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import { GraphPanel, type DataPanelDeps } from './graphPanel';
import { PanelBase, registerPanelSerializer } from './panelBase';
import { webviewOptions } from './webviewHtml';

/** The degree plots panel: in-degree and out-degree per node id, and the degree distribution. */
export class DegreePanel extends PanelBase {
  static readonly viewType = 'gat.degrees';
  private static readonly panels = new Map<string, DegreePanel>();

  static createOrShow(deps: DataPanelDeps, dataset = 'cora'): DegreePanel {
    const existing = DegreePanel.panels.get(dataset);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DegreePanel.viewType, titleFor(dataset), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new DegreePanel(panel, deps, dataset);
  }

  static revive(panel: vscode.WebviewPanel, deps: DataPanelDeps, state: DegreePanelState | undefined): DegreePanel {
    return new DegreePanel(panel, deps, state?.dataset ?? 'cora', state?.graphIndex ?? null);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: DataPanelDeps,
    readonly dataset: string,
    /** Inductive datasets: one graph (an index into the dataset's graphs), or every graph (null). */
    private graphIndex: number | null = null,
  ) {
    super(panel, deps.extensionUri, 'degrees', titleFor(dataset));
    DegreePanel.panels.set(dataset, this);
  }

  protected async snapshot(): Promise<HostToWebview> {
    const whole = await this.deps.datasets.get(this.dataset);
    const part = whole.graphs && this.graphIndex !== null ? whole.graphs[this.graphIndex] : undefined;
    this.nodeOffset = part?.nodeStart ?? 0;
    const snapshot = degreeSnapshot(part ? scopeDataset(whole, part) : whole, panelProvenance(whole));
    const scope = scopeMessage(whole, this.graphIndex, true);
    return scope ? { ...snapshot, scope } : snapshot;
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type === 'selectGraph') {
      this.graphIndex = message.index;
      void this.refresh();
      return true;
    }
    if (message.type !== 'showInGraph') return false;
    GraphPanel.createOrShow(this.deps, { dataset: message.dataset, focusNode: message.node });
    return true;
  }

  protected onDispose(): void {
    DegreePanel.panels.delete(this.dataset);
  }
}

function titleFor(dataset: string): string {
  return `${dataset.charAt(0).toUpperCase() + dataset.slice(1)} Degrees`;
}

export function registerDegreeSerializer(deps: DataPanelDeps): vscode.Disposable {
  return registerPanelSerializer<DegreePanelState>(DegreePanel.viewType, (panel, state) => DegreePanel.revive(panel, deps, state));
}
