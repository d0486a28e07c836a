import * as vscode from 'vscode';
import { attentionSnapshotData } from '../../gat/analysis/panelData';
import { panelProvenance } from '../../gat/panels/provenance';
import type { AttentionPanelState, AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import type { Analysis } from '../../gat/artifacts/analysis';
import type { RunRecord } from '../../gat/artifacts/runRecord';
import type { GraphDataset } from '../../gat/data/graph';
import type { AnalysisUnavailable } from '../../protocol/analysisSnapshots';
import type { Provenance } from '../../protocol/provenance';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { DatasetService } from '../core/datasetService';
import { PanelBase, registerPanelSerializer } from './panelBase';
import { AnalysisUnavailableError, type RunAnalyses } from '../../gat/analysis/runAnalyses';
import type { RunSnapshots } from '../../gat/analysis/runSnapshots';
import { ComputationPanel } from './computationPanel';
import { webviewOptions } from './webviewHtml';

export interface AnalysisPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly datasets: DatasetService;
  readonly analyses: RunAnalyses;
  /** The runs' training snapshots, for the panels' epoch timelines. */
  readonly snapshots: RunSnapshots;
  readonly outDir: () => string | undefined;
  /** The environment child processes of the CLI get (the back ends the extension installed). */
  readonly extraEnv?: () => NodeJS.ProcessEnv;
  /** Opens (or reveals) the graph panel focused on a node. */
  readonly showInGraph: (dataset: string, node: number, runId: string) => void;
}

/** A run, its analysis, its dataset and the panel header, or why they cannot be shown. */
export async function loadRunForPanel(deps: AnalysisPanelDeps, runId: string): Promise<{ run: RunRecord; analysis: Analysis; graph: GraphDataset; provenance: Provenance } | AnalysisUnavailable> {
  try {
    const { run, analysis } = await deps.analyses.get(runId);
    const graph = await deps.datasets.get(run.dataset);
    return { run, analysis, graph, provenance: panelProvenance(graph, run, deps.outDir()) };
  } catch (err) {
    if (err instanceof AnalysisUnavailableError) return { type: 'analysisUnavailable', provenance: null, message: err.message };
    throw err;
  }
}

/**
 * The attention panel: the attention one node gives each neighbour (and itself), per layer and
 * head, drawn from the run's analysis artifact. One panel per run; the node and layer change
 * in place.
 */
export class AttentionPanel extends PanelBase {
  static readonly viewType = 'gat.attention';
  private static readonly panels = new Map<string, AttentionPanel>();

  static createOrShow(deps: AnalysisPanelDeps, runId: string, node: number, layer = 1): AttentionPanel {
    const existing = AttentionPanel.panels.get(runId);
    if (existing) {
      existing.panel.reveal();
      existing.show(node, layer);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(AttentionPanel.viewType, titleFor(runId, node), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new AttentionPanel(panel, deps, runId, node, layer);
  }

  static revive(panel: vscode.WebviewPanel, deps: AnalysisPanelDeps, state: AttentionPanelState | undefined): void {
    if (!state) {
      panel.dispose(); // nothing to restore it from
      return;
    }
    new AttentionPanel(panel, deps, state.runId, state.node, state.layer);
  }

  /** Step Through Computation from a neighbour's context menu in the active attention panel. */
  static onActiveNode(node: number): boolean {
    const active = [...AttentionPanel.panels.values()].find((p) => p.panel.active);
    if (!active) return false;
    ComputationPanel.createOrShow(active.deps, active.runId, node);
    return true;
  }

  static all(): readonly AttentionPanel[] {
    return [...AttentionPanel.panels.values()];
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: AnalysisPanelDeps,
    readonly runId: string,
    private node: number,
    private layer: number,
  ) {
    super(panel, deps.extensionUri, 'attention', titleFor(runId, node));
    AttentionPanel.panels.set(runId, this);
  }

  show(node: number, layer: number): void {
    this.node = node;
    this.layer = layer;
    this.panel.title = titleFor(this.runId, node);
    void this.refresh();
  }

  protected async snapshot(): Promise<HostToWebview> {
    const loaded = await loadRunForPanel(this.deps, this.runId);
    if ('type' in loaded) return loaded;
    const { run, analysis, provenance } = loaded;
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
      ComputationPanel.createOrShow(this.deps, this.runId, message.node);
      return true;
    }
    if (message.type !== 'attentionRequest') return false;
    this.show(message.node, message.layer);
    return true;
  }

  protected onDispose(): void {
    AttentionPanel.panels.delete(this.runId);
  }
}

/** A snapshot of one graph numbers its nodes from 0: shift them back to the dataset's ids. */
function toDatasetIds(d: AttentionSnapshotData, offset: number): AttentionSnapshotData {
  return offset === 0 ? d : { ...d, node: d.node + offset, neighbours: d.neighbours.map((n) => ({ ...n, node: n.node + offset })) };
}

function titleFor(runId: string, node: number): string {
  return `GAT Attention: node ${node} (${runId})`;
}

export function registerAttentionSerializer(deps: AnalysisPanelDeps): vscode.Disposable {
  return registerPanelSerializer<AttentionPanelState>(AttentionPanel.viewType, (panel, state) => AttentionPanel.revive(panel, deps, state));
}
