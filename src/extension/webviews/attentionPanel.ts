import type * as vscode from 'vscode';
import { attentionSnapshotData } from '../../gat/analysis/panelData';
import type { AttentionPanelState, AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { LoadedRun, AnalysisPanelDeps } from './loadRun';
import type { PanelArgs } from './panelArgs';
import type { PanelDescriptor } from './panelController';
import { RunPanel } from './runPanel';

/**
 * The attention panel: the attention one node gives each neighbour (and itself), per layer and
 * head, drawn from the run's analysis artifact. One panel per run; the node and layer change
 * in place.
 */
export class AttentionPanel extends RunPanel {
  /** How the controller opens, reuses and restores attention panels: one per run. */
  static descriptor(deps: AnalysisPanelDeps): PanelDescriptor<'gat.attention', PanelArgs['gat.attention'], AttentionPanel> {
    return {
      viewType: 'gat.attention',
      key: (a) => a.runId,
      title: (a) => titleFor(a.runId, a.node),
      create: (panel, a) => new AttentionPanel(panel, deps, a.runId, a.node, a.layer ?? 1),
      reuse: (panel, a) => panel.show(a.node, a.layer ?? 1),
      revive: (state) => {
        const s = state as AttentionPanelState | undefined;
        return s ? { runId: s.runId, node: s.node, layer: s.layer } : undefined;
      },
    };
  }

  private constructor(
    panel: vscode.WebviewPanel,
    deps: AnalysisPanelDeps,
    runId: string,
    private node: number,
    private layer: number,
  ) {
    super(panel, deps, runId, 'attention', titleFor(runId, node));
  }

  show(node: number, layer: number): void {
    this.node = node;
    this.layer = layer;
    this.panel.title = titleFor(this.runId, node);
    void this.refresh();
  }

  protected async runSnapshot({ run, analysis, provenance }: LoadedRun): Promise<HostToWebview> {
    try {
      const data = attentionSnapshotData(run.dataset, run.runId, analysis, this.node, this.layer);
      const timeline = await this.deps.snapshots.frames(
        run.runId,
        analysis,
        (snapshot, scope) => {
          const local = scope.local(this.node);
          return local === undefined ? undefined : toDatasetIds(attentionSnapshotData(run.dataset, run.runId, snapshot, local, this.layer), scope.part?.nodeStart ?? 0);
        },
        () => data,
      );
      return { type: 'attentionSnapshot', provenance, data, numNodes: analysis.numNodes, layers: analysis.heads.length, ...(timeline ? { timeline } : {}) };
    } catch (err) {
      if (err instanceof RangeError) return { type: 'analysisUnavailable', provenance, message: err.message }; // an unknown node or layer
      throw err;
    }
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type === 'stepThrough') {
      this.deps.panels.show('gat.computation', { runId: this.runId, node: message.node });
      return true;
    }
    if (message.type !== 'attentionRequest') return false;
    this.show(message.node, message.layer);
    return true;
  }
}

/** A snapshot of one graph numbers its nodes from 0: shift them back to the dataset's ids. */
function toDatasetIds(d: AttentionSnapshotData, offset: number): AttentionSnapshotData {
  return offset === 0 ? d : { ...d, node: d.node + offset, neighbours: d.neighbours.map((n) => ({ ...n, node: n.node + offset })) };
}

function titleFor(runId: string, node: number): string {
  return `GAT Attention: node ${node} (${runId})`;
}
