import * as vscode from 'vscode';
import { entropySnapshotData } from '../../gat/analysis/panelData';
import { scopeAnalysis, scopeMessage } from '../../gat/panels/graphScope';
import type { GraphPart } from '../../gat/data/graph';
import type { EntropyPanelState, EntropySnapshotData } from '../../protocol/analysisSnapshots';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { AnalysisPanelDeps } from './attentionPanel';
import { AttentionPanel, loadRunForPanel } from './attentionPanel';
import { PanelBase, registerPanelSerializer } from './panelBase';
import { webviewOptions } from './webviewHtml';

/**
 * The entropy panel: per layer and head, the histogram of per-node attention entropy next to
 * the one for uniform attention over the same neighbourhoods. One panel per run.
 */
export class EntropyPanel extends PanelBase {
  static readonly viewType = 'gat.entropy';
  private static readonly panels = new Map<string, EntropyPanel>();

  static createOrShow(deps: AnalysisPanelDeps, runId: string, layer = 1): EntropyPanel {
    const existing = EntropyPanel.panels.get(runId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(EntropyPanel.viewType, titleFor(runId), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new EntropyPanel(panel, deps, runId, layer);
  }

  static revive(panel: vscode.WebviewPanel, deps: AnalysisPanelDeps, state: EntropyPanelState | undefined): void {
    if (!state) {
      panel.dispose();
      return;
    }
    new EntropyPanel(panel, deps, state.runId, state.layer, state.graphIndex ?? null);
  }

  static all(): readonly EntropyPanel[] {
    return [...EntropyPanel.panels.values()];
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: AnalysisPanelDeps,
    readonly runId: string,
    private layer: number,
    /** Inductive datasets: one graph (an index into the dataset's graphs), or every graph (null). */
    private graphIndex: number | null = null,
  ) {
    super(panel, deps.extensionUri, 'entropy', titleFor(runId));
    EntropyPanel.panels.set(runId, this);
  }

  protected async snapshot(): Promise<HostToWebview> {
    const loaded = await loadRunForPanel(this.deps, this.runId);
    if ('type' in loaded) return loaded;
    const { run, analysis, provenance } = loaded;
    const part = analysis.graphs && this.graphIndex !== null ? analysis.graphs[this.graphIndex] : undefined;
    this.nodeOffset = part?.nodeStart ?? 0;
    const scope = scopeMessage(analysis, this.graphIndex, true);
    try {
      const data = entropySnapshotData(run.dataset, run.runId, part ? scopeAnalysis(analysis, part) : analysis, this.layer);
      // Snapshots hold the whole graph, or (PPI) the first test graph: a timeline where they cover the view.
      const covered = (snapshotPart: GraphPart | undefined): boolean => (snapshotPart === undefined ? !analysis.graphs : part !== undefined && part.nodeStart === snapshotPart.nodeStart);
      const timeline = await this.deps.snapshots.frames(run.runId, analysis, (snapshot, s) => (covered(s.part) ? compactEntropy(entropySnapshotData(run.dataset, run.runId, snapshot, this.layer)) : undefined), () => data);
      return { type: 'entropySnapshot', provenance, data, layers: analysis.heads.length, ...(scope ? { scope } : {}), ...(timeline ? { timeline } : {}) };
    } catch (err) {
      if (err instanceof RangeError) return { type: 'analysisUnavailable', provenance, message: err.message }; // an unknown layer
      throw err;
    }
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type === 'selectGraph') {
      this.graphIndex = message.index;
      void this.refresh();
      return true;
    }
    if (message.type === 'entropyRequest') {
      this.layer = message.layer;
      void this.refresh();
      return true;
    }
    if (message.type === 'showAttention') {
      AttentionPanel.createOrShow(this.deps, this.runId, message.node, this.layer);
      return true;
    }
    return false;
  }

  protected onDispose(): void {
    EntropyPanel.panels.delete(this.runId);
  }
}

/** Snapshot entropies are F16 already: 4 decimals say all they hold and keep 30 frames small to post. */
function compactEntropy(d: EntropySnapshotData): EntropySnapshotData {
  const round = (v: number): number => Math.round(v * 1e4) / 1e4;
  return { ...d, learned: d.learned.map((head) => head.map(round)), uniform: d.uniform.map(round) };
}

function titleFor(runId: string): string {
  return `GAT Entropy: ${runId}`;
}

export function registerEntropySerializer(deps: AnalysisPanelDeps): vscode.Disposable {
  return registerPanelSerializer<EntropyPanelState>(EntropyPanel.viewType, (panel, state) => EntropyPanel.revive(panel, deps, state));
}
