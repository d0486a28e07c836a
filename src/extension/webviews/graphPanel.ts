import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRun, type RunRecord } from '../../gat/artifacts/runRecord';
import { graphLayout } from '../../gat/layout/layoutCache';
import type { LayoutResult } from '../../gat/layout/protocol';
import type { RunAnalyses } from '../../gat/analysis/runAnalyses';
import type { RunSnapshots } from '../../gat/analysis/runSnapshots';
import type { GraphDataset } from '../../gat/data/graph';
import { graphSnapshot, runPredictions } from '../../gat/panels/graphSnapshot';
import { defaultGraphIndex, graphIndexOf, multiLabelView, scopeAnalysis, scopeDataset, scopeMessage } from '../../gat/panels/graphScope';
import { panelProvenance } from '../../gat/panels/provenance';
import { nonNegInt, nullable, optional, savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { GraphPanelState, GraphSnapshot, HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { DatasetService } from '../core/datasetService';
import type { RunViews } from '../records/runViews';
import type { RunsTreeProvider } from '../trees/runsTree';
import type { GraphPanelArgs, PanelArgs, PanelKind } from './panelArgs';
import type { PanelOpener } from './panelController';
import { PanelBase } from './panelBase';
import { forNotification, notice } from '../../gat/io/safeText';

/** What the dataset panels (graph, degrees) need from the extension. */
export interface DataPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly datasets: DatasetService;
  readonly runs: RunsTreeProvider;
  readonly runViews: RunViews;
  readonly outDir: () => string | undefined;
  /** Where computed layouts are cached (the extension's global storage). */
  readonly cacheDir: string;
  /** Opens the other panels (a node's attention or computation, the graph from the degree plots). */
  readonly panels: PanelOpener<PanelArgs>;
  /** Runs' training snapshots: the timeline of the predictions. */
  readonly snapshots?: RunSnapshots;
  /** Runs' analyses (multi-label predictions colour the graph). */
  readonly analyses?: RunAnalyses;
}

/**
 * The Cora graph panel: every node and edge, laid out in a worker thread (cached on disk),
 * drawn on a canvas by the webview. One panel per (dataset, run); a run adds predictions.
 */
export class GraphPanel extends PanelBase {
  private pendingFocus: number | undefined;

  /** How the controller opens, reuses and restores graph panels: one per (dataset, run, compared run). */
  static descriptor(deps: DataPanelDeps): PanelKind<'gat.graph', GraphPanel> {
    return {
      viewType: 'gat.graph',
      key: (a) => {
        const { dataset, runId, compareRunId } = resolved(a);
        return `${dataset}\u0000${runId ?? ''}\u0000${compareRunId ?? ''}`;
      },
      title: (a) => titleFor(resolved(a)),
      create: (panel, a) => new GraphPanel(panel, deps, resolved(a), a.focusNode, a.graphIndex),
      reuse: (panel, a) => {
        if (a.focusNode !== undefined) panel.focus(a.focusNode);
      },
      // Restored without a focus: the saved view (zoom, selection) is the webview's to restore.
      revive: (state) => savedFields(SAVED, state) ?? {},
    };
  }

  readonly dataset: string;
  readonly runId: string | null;
  readonly compareRunId: string | null;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: DataPanelDeps,
    shown: Shown,
    focusNode: number | undefined,
    /** Inductive datasets: the graph shown (chosen when the dataset loads if unset). */
    private graphIndex?: number,
  ) {
    super(panel, deps.extensionUri, 'graph', titleFor(shown));
    this.dataset = shown.dataset;
    this.runId = shown.runId;
    this.compareRunId = shown.compareRunId;
    this.pendingFocus = focusNode;
  }

  /** Zooms to a node of the dataset; on an inductive dataset, shows its graph first if need be. */
  focus(node: number): void {
    void this.deps.datasets.get(this.dataset).then((g) => {
      const index = graphIndexOf(g, node);
      if (index !== undefined && index !== this.graphIndex) {
        this.graphIndex = index;
        this.pendingFocus = node;
        void this.refresh();
      } else if (this.isReady) void this.post({ type: 'graphFocus', node: node - this.nodeOffset });
      else this.pendingFocus = node;
    });
  }

  protected async snapshot(): Promise<HostToWebview> {
    const whole = await this.deps.datasets.get(this.dataset);
    const focus = this.pendingFocus;
    this.pendingFocus = undefined;
    // Inductive datasets: one graph at a time (PPI's graphs have about 2,000–3,500 nodes each).
    if (whole.graphs && this.graphIndex === undefined) this.graphIndex = (focus !== undefined ? graphIndexOf(whole, focus) : undefined) ?? defaultGraphIndex(whole);
    const part = whole.graphs && this.graphIndex !== undefined ? whole.graphs[this.graphIndex] : undefined;
    const g: GraphDataset = part ? scopeDataset(whole, part) : whole;
    this.nodeOffset = part?.nodeStart ?? 0;
    const run = this.runId ? await this.runRecord(this.runId) : undefined;
    const analysis = this.runId ? await this.deps.analyses?.get(this.runId).then((r) => r.analysis).catch(() => undefined) : undefined;
    const view = this.runId ? await this.deps.runViews.get(this.runId) : undefined;
    if (this.runId && !view) void vscode.window.showWarningMessage(notice`GAT: run ${this.runId} has no analysis yet; the graph shows the data only.`);
    const scopedAnalysis = analysis && part ? scopeAnalysis(analysis, part) : analysis;
    const runView = view && part && scopedAnalysis ? { runId: view.runId, predictions: scopedAnalysis.predictions, confidence: scopedAnalysis.confidence } : view;
    const provenance = panelProvenance(whole, run, this.deps.outDir());
    const scope = scopeMessage(whole, this.graphIndex ?? null, false);
    const multiLabel = multiLabelView(g, scopedAnalysis);
    const comparison = await this.comparison(whole);
    const extras = { ...(scope ? { scope } : {}), ...(multiLabel ? { multiLabel } : {}) };
    const complete = (layout: LayoutResult, layoutProgress?: GraphSnapshot['layoutProgress']): GraphSnapshot => {
      const snapshot = graphSnapshot(g, layout, provenance, runView, focus === undefined ? undefined : focus - this.nodeOffset);
      return { ...snapshot, ...extras, ...(comparison && snapshot.run ? { comparison } : {}), ...(layoutProgress ? { layoutProgress } : {}) };
    };
    // A big graph's layout takes a while: the panel draws it converging, edges of equal weight
    // until the betweenness that sets their width is known.
    let drawing = false;
    const layout = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: notice`GAT: laying out ${part ? `graph ${part.id} of ` : ''}${this.dataset}` }, (progress) =>
      graphLayout(part ? { ...g, name: `${g.name}-graph${part.id}` } : g, { cacheDir: this.deps.cacheDir, workerScript: path.join(this.deps.extensionUri.fsPath, 'dist', 'layoutWorker.js') }, (update) => {
        progress.report({ message: forNotification(update.stage) });
        if (!this.isReady || !update.u || !update.v) return;
        const status = { stage: update.stage, fraction: update.fraction };
        if (!drawing) void this.post(complete({ x: update.x, y: update.y, u: update.u, v: update.v, thickness: new Float32Array(update.u.length) }, status));
        else void this.post({ type: 'graphLayoutProgress', x: update.x, y: update.y, ...status });
        drawing = true;
      }),
    );
    const runTimeline = analysis && this.runId && !comparison && !whole.graphs && !whole.multiLabels ? await this.deps.snapshots?.frames(this.runId, analysis, runPredictions, runPredictions) : undefined;
    const snapshot = complete(layout);
    return { ...snapshot, ...(runTimeline ? { runTimeline } : {}) };
  }

  /** The compared run's predictions; single-label datasets only (multi-label runs compare in the Compare panel). */
  private async comparison(whole: GraphDataset): Promise<GraphSnapshot['comparison']> {
    if (!this.compareRunId) return undefined;
    if (whole.multiLabels || whole.graphs) {
      void vscode.window.showInformationMessage('GAT: the graph colours agreement on single-label datasets; compare multi-label runs in the Compare Runs panel.');
      return undefined;
    }
    const view = await this.deps.runViews.get(this.compareRunId);
    if (!view) {
      void vscode.window.showWarningMessage(notice`GAT: run ${this.compareRunId} has no analysis; the graph shows run ${this.runId} alone.`);
      return undefined;
    }
    return { runId: view.runId, ...runPredictions(view) };
  }

  private async runRecord(runId: string): Promise<RunRecord | undefined> {
    const known = this.deps.runs.findRun(runId);
    if (known) return known;
    const out = this.deps.outDir();
    return out ? readRun(path.join(out, 'runs', runId)).catch(() => undefined) : undefined;
  }

  protected override selectGraph(index: number | null): void {
    if (index !== null) this.graphIndex = index;
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type === 'stepThrough') {
      if (this.runId) this.deps.panels.show('gat.computation', { runId: this.runId, node: message.node });
      return true;
    }
    if (message.type === 'whatIfInComputation') {
      // The base translated `node` to a dataset id; the neighbour is the page's too.
      const from = message.removeEdgeFrom === undefined ? {} : { removeEdgeFrom: message.removeEdgeFrom + this.nodeOffset };
      if (this.runId) this.deps.panels.show('gat.computation', { runId: this.runId, node: message.node, whatIf: from });
      else void vscode.window.showInformationMessage('GAT: what-if edits need a trained run: open the graph from a run in the Runs view.');
      return true;
    }
    if (message.type === 'showAttention') {
      if (this.runId) this.deps.panels.show('gat.attention', { runId: this.runId, node: message.node });
      else void vscode.window.showInformationMessage('GAT: attention needs a trained run: open the graph from a run in the Runs view.');
      return true;
    }
    if (message.type !== 'showInGraph') return false;
    this.focus(message.node);
    return true;
  }

}

/** What a reload restores from the page's saved state (without one: Cora's graph). */
const SAVED = { dataset: optional(str()), runId: optional(nullable(str())), compareRunId: optional(nullable(str())), graphIndex: optional(nonNegInt) } satisfies SavedShape<GraphPanelState>;

/** What a graph panel shows: a dataset, a run's predictions, and a run compared with it. */
interface Shown {
  readonly dataset: string;
  readonly runId: string | null;
  /** Only with a run. */
  readonly compareRunId: string | null;
}

function resolved(a: GraphPanelArgs): Shown {
  const runId = a.runId ?? null;
  return { dataset: a.dataset ?? 'cora', runId, compareRunId: runId ? (a.compareRunId ?? null) : null };
}

function titleFor({ dataset, runId, compareRunId }: Shown): string {
  const name = dataset.charAt(0).toUpperCase() + dataset.slice(1);
  if (runId && compareRunId) return `${name} Graph: ${runId} vs ${compareRunId}`;
  return runId ? `${name} Graph: ${runId}` : `${name} Graph`;
}
