import type * as vscode from 'vscode';
import { degreeSnapshot } from '../../gat/panels/graphSnapshot';
import { scopeDataset, scopeMessage } from '../../gat/panels/graphScope';
import { panelProvenance } from '../../gat/panels/provenance';
import { nonNegInt, nullable, optional, savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { DegreePanelState, HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { DataPanelDeps } from './graphPanel';
import type { PanelKind } from './panelArgs';
import { PanelBase } from './panelBase';

/** The degree plots panel: in-degree and out-degree per node id, and the degree distribution. */
export class DegreePanel extends PanelBase {
  /** How the controller opens and restores degree panels: one per dataset. */
  static descriptor(deps: DataPanelDeps): PanelKind<'gat.degrees', DegreePanel> {
    return {
      viewType: 'gat.degrees',
      key: (a) => a.dataset,
      title: (a) => titleFor(a.dataset),
      create: (panel, a) => new DegreePanel(panel, deps, a.dataset, a.graphIndex ?? null),
      revive: (state) => {
        const s = savedFields(SAVED, state);
        return { dataset: s?.dataset ?? 'cora', graphIndex: s?.graphIndex };
      },
    };
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: DataPanelDeps,
    readonly dataset: string,
    /** Inductive datasets: one graph (an index into the dataset's graphs), or every graph (null). */
    private graphIndex: number | null,
  ) {
    super(panel, deps.extensionUri, 'degrees', titleFor(dataset));
  }

  protected async snapshot(): Promise<HostToWebview> {
    const whole = await this.deps.datasets.get(this.dataset);
    const part = whole.graphs && this.graphIndex !== null ? whole.graphs[this.graphIndex] : undefined;
    this.nodeOffset = part?.nodeStart ?? 0;
    const snapshot = degreeSnapshot(part ? scopeDataset(whole, part) : whole, panelProvenance(whole));
    const scope = scopeMessage(whole, this.graphIndex, true);
    return scope ? { ...snapshot, scope } : snapshot;
  }

  protected override selectGraph(index: number | null): void {
    this.graphIndex = index;
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type !== 'showInGraph') return false;
    this.deps.panels.show('gat.graph', { dataset: message.dataset, focusNode: message.node });
    return true;
  }
}

/** What a reload restores from the page's saved state (without one: Cora's degrees). */
const SAVED = { dataset: optional(str()), graphIndex: optional(nullable(nonNegInt)) } satisfies SavedShape<DegreePanelState>;

function titleFor(dataset: string): string {
  return `${dataset.charAt(0).toUpperCase() + dataset.slice(1)} Degrees`;
}
