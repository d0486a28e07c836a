import type * as vscode from 'vscode';
import { attentionSnapshotData } from '../../gat/analysis/panelData';
import type { AttentionPanelState, AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import { nonNegInt, posInt, savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { LoadedRun, AnalysisPanelDeps } from './loadRun';
import type { PanelArgs, PanelKind } from './panelArgs';
import { RunPanel } from './runPanel';

/**
 * The attention panel: the attention one node gives each neighbour (and itself), per layer and
 * head, drawn from the run's analysis artifact. One panel per run; the node and layer change
 * in place.
 */
export class AttentionPanel extends RunPanel {
  /** How the controller opens, reuses and restores attention panels: one per run. */
  static descriptor(deps: AnalysisPanelDeps): PanelKind<'gat.attention', AttentionPanel> {
    return {
      viewType: 'gat.attention',
      key: (a) => a.runId,
      title: titleFor,
      create: (panel, a) => new AttentionPanel(panel, deps, a),
      reuse: (panel, a) => panel.show(a),
      revive: (state) => savedFields(SAVED, state),
    };
  }

  private node: number;
  private layer: number;

  private constructor(panel: vscode.WebviewPanel, deps: AnalysisPanelDeps, args: Args) {
    super(panel, deps, args.runId, 'attention', titleFor(args));
    this.node = args.node;
    this.layer = args.layer ?? 1;
  }

  /** Another node or layer of the run (layer 1 unless given). */
  show(args: Omit<Args, 'runId'>): void {
    this.node = args.node;
    this.layer = args.layer ?? 1;
    this.panel.title = titleFor({ runId: this.runId, node: this.node });
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
    this.show(message);
    return true;
  }
}

/** What a reload restores from the page's saved state (the head and layout are the page's own). */
const SAVED = { runId: str(), node: nonNegInt, layer: posInt } satisfies SavedShape<AttentionPanelState>;

/** A snapshot of one graph numbers its nodes from 0: shift them back to the dataset's ids. */
function toDatasetIds(d: AttentionSnapshotData, offset: number): AttentionSnapshotData {
  return offset === 0 ? d : { ...d, node: d.node + offset, neighbours: d.neighbours.map((n) => ({ ...n, node: n.node + offset })) };
}

type Args = PanelArgs['gat.attention'];

function titleFor({ runId, node }: Pick<Args, 'runId' | 'node'>): string {
  return `GAT Attention: node ${node} (${runId})`;
}
