import type * as vscode from 'vscode';
import { entropySnapshotData } from '../../gat/analysis/panelData';
import { scopeAnalysis, scopeMessage } from '../../gat/panels/graphScope';
import type { GraphPart } from '../../gat/data/graph';
import type { EntropyPanelState, EntropySnapshotData } from '../../protocol/analysisSnapshots';
import { nonNegInt, nullable, optional, posInt, savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { AnalysisPanelDeps, LoadedRun } from './loadRun';
import type { PanelKind } from './panelArgs';
import { RunPanel } from './runPanel';

/**
 * The entropy panel: per layer and head, the histogram of per-node attention entropy next to
 * the one for uniform attention over the same neighbourhoods. One panel per run.
 */
export class EntropyPanel extends RunPanel {
  /** How the controller opens and restores entropy panels: one per run. */
  static descriptor(deps: AnalysisPanelDeps): PanelKind<'gat.entropy', EntropyPanel> {
    return {
      viewType: 'gat.entropy',
      key: (a) => a.runId,
      title: (a) => titleFor(a.runId),
      create: (panel, a) => new EntropyPanel(panel, deps, a.runId, a.layer ?? 1, a.graphIndex ?? null),
      revive: (state) => savedFields(SAVED, state),
    };
  }

  private constructor(
    panel: vscode.WebviewPanel,
    deps: AnalysisPanelDeps,
    runId: string,
    private layer: number,
    /** Inductive datasets: one graph (an index into the dataset's graphs), or every graph (null). */
    private graphIndex: number | null,
  ) {
    super(panel, deps, runId, 'entropy', titleFor(runId));
  }

  protected async runSnapshot({ run, analysis, provenance }: LoadedRun): Promise<HostToWebview> {
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
      this.deps.panels.show('gat.attention', { runId: this.runId, node: message.node, layer: this.layer });
      return true;
    }
    return false;
  }
}

/** What a reload restores from the page's saved state. */
const SAVED = { runId: str(), layer: posInt, graphIndex: optional(nullable(nonNegInt)) } satisfies SavedShape<EntropyPanelState>;

/** Snapshot entropies are F16 already: 4 decimals say all they hold and keep 30 frames small to post. */
function compactEntropy(d: EntropySnapshotData): EntropySnapshotData {
  const round = (v: number): number => Math.round(v * 1e4) / 1e4;
  return { ...d, learned: d.learned.map((head) => head.map(round)), uniform: d.uniform.map(round) };
}

function titleFor(runId: string): string {
  return `GAT Entropy: ${runId}`;
}
