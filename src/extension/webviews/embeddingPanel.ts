import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkEmbeddingSettings, DEFAULT_EMBEDDING_SETTINGS, fitEmbeddingSettings, readCachedEmbedding, writeCachedEmbedding, type EmbeddingSettings } from '../../gat/analysis/embeddingCache';
import type { Analysis } from '../../gat/artifacts/analysis';
import { embeddingSnapshot, scaleEmbedding } from '../../gat/panels/embeddingSnapshot';
import { runPredictions } from '../../gat/panels/graphSnapshot';
import { defaultGraphIndex, multiLabelView, scopeAnalysis, scopeDataset, scopeMessage } from '../../gat/panels/graphScope';
import type { GraphDataset } from '../../gat/data/graph';
import { runTsneInWorker } from '../../gat/tsne/runTsneInWorker';
import { nonNegInt, optional, savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { EmbeddingInfo, GraphPanelState, HostToWebview, RunFrame, WebviewToHost } from '../../protocol/webviewMessages';
import { embeddingSettings } from '../../protocol/webviewToHost';
import type { TimelineFrame } from '../../protocol/timeline';
import { snapshotMaps } from '../../gat/analysis/embeddingTimeline';
import { snapshotScope } from '../../gat/analysis/runSnapshots';
import type { GraphPart } from '../../gat/data/graph';
import type { AnalysisPanelDeps, LoadedRun } from './loadRun';
import type { PanelKind } from './panelArgs';
import { RunPanel } from './runPanel';
import { notice } from '../../gat/io/safeText';

/** Re-render the animation at most this often: the webview redraws 2708 points per frame. */
const LAYOUT_EVERY = 10;

/** What the graph app saves (GraphPanelState) that the embedding panel needs back: a map without its run closes. */
const SAVED = { runId: str(), embeddingSettings: optional(embeddingSettings), graphIndex: optional(nonNegInt) } satisfies SavedShape<GraphPanelState>;

/**
 * The embedding map: t-SNE of the run's outputs (N × classes), computed in a worker thread
 * (never on the extension host's thread), animated while it optimises, cached per run and
 * settings in runs/<run-id>/tsne/. Drawn by the graph app (same hover, click, colouring).
 */
export class EmbeddingPanel extends RunPanel {
  private abort: AbortController | undefined;
  private settings: EmbeddingSettings;
  /** Points of the map shown (the graph's nodes on an inductive dataset). */
  private points = 0;
  /** Frames of the epoch timeline posted (tests read it). */
  timelineFrames = 0;

  /** How the controller opens and restores embedding maps: one per run. */
  static descriptor(deps: AnalysisPanelDeps): PanelKind<'gat.embedding', EmbeddingPanel> {
    return {
      viewType: 'gat.embedding',
      key: (a) => a.runId,
      title: (a) => titleFor(a.runId),
      create: (panel, a) => new EmbeddingPanel(panel, deps, a.runId, a.settings ?? DEFAULT_EMBEDDING_SETTINGS, a.graphIndex),
      revive: (state) => {
        const s = savedFields(SAVED, state);
        return s && { runId: s.runId, settings: s.embeddingSettings, graphIndex: s.graphIndex };
      },
    };
  }

  private constructor(
    panel: vscode.WebviewPanel,
    deps: AnalysisPanelDeps,
    runId: string,
    settings: EmbeddingSettings,
    /** Inductive datasets: the graph mapped (t-SNE of one graph's outputs at a time). */
    private graphIndex?: number,
  ) {
    super(panel, deps, runId, 'embedding', titleFor(runId));
    this.settings = settings;
  }

  protected async runSnapshot(loaded: LoadedRun): Promise<HostToWebview> {
    const { run, provenance } = loaded;
    // Inductive datasets: one graph at a time, each with local node ids.
    if (loaded.graph.graphs && this.graphIndex === undefined) this.graphIndex = defaultGraphIndex(loaded.graph);
    const part = loaded.graph.graphs && this.graphIndex !== undefined ? loaded.graph.graphs[this.graphIndex] : undefined;
    const graph: GraphDataset = part ? scopeDataset(loaded.graph, part) : loaded.graph;
    const analysis = part ? scopeAnalysis(loaded.analysis, part) : loaded.analysis;
    this.nodeOffset = part?.nodeStart ?? 0;
    this.points = analysis.numNodes;
    const scope = scopeMessage(loaded.graph, this.graphIndex ?? null, false);
    const multiLabel = multiLabelView(graph, analysis);
    const extra = { ...(scope ? { scope } : {}), ...(multiLabel ? { multiLabel } : {}) };
    const runDir = path.join(this.deps.outDir() ?? '', 'runs', run.runId);
    // A graph too small for the chosen perplexity is mapped with the largest it allows.
    const settings = fitEmbeddingSettings(this.settings, analysis.numNodes);
    const cached = await readCachedEmbedding(runDir, settings, analysis.numNodes, part?.id);
    if (cached) {
      this.abort?.abort(); // a timeline still mapping for other settings
      this.abort = new AbortController();
      void this.timeline(runDir, loaded.analysis, analysis, part, settings, cached.embedding);
      return { ...embeddingSnapshot(graph, analysis, run.runId, provenance, cached.embedding, { settings, status: 'done', iteration: settings.iterations, kl: cached.kl, seconds: cached.seconds }), ...extra };
    }
    // Nothing cached: start with every point at the centre and animate as t-SNE runs.
    void this.compute(runDir, analysis, part?.id, settings).then((embedding) => embedding && this.timeline(runDir, loaded.analysis, analysis, part, settings, embedding));
    return { ...embeddingSnapshot(graph, analysis, run.runId, provenance, new Float64Array(2 * analysis.numNodes), { settings, status: 'computing', iteration: 0 }), ...extra };
  }

  /** The trained model's map; resolves to it (undefined when aborted or failed). */
  private async compute(runDir: string, analysis: Analysis, graphId: number | undefined, settings: EmbeddingSettings): Promise<Float64Array | undefined> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const info = (status: EmbeddingInfo['status'], iteration: number, extra: Partial<EmbeddingInfo> = {}): EmbeddingInfo => ({ settings, status, iteration, ...extra });
    const postLayout = (embedding: ArrayLike<number>, i: EmbeddingInfo): void => {
      if (!this.isReady || abort.signal.aborted) return;
      const { x, y } = scaleEmbedding(embedding, analysis.numNodes);
      void this.post({ type: 'embeddingLayout', x: Array.from(x, (v) => Math.round(v * 10) / 10), y: Array.from(y, (v) => Math.round(v * 10) / 10), info: i });
    };
    try {
      const result = await runTsneInWorker(analysis.outputs, analysis.numNodes, analysis.numClasses, { perplexity: settings.perplexity, iterations: settings.iterations, seed: settings.seed }, {
        signal: abort.signal,
        layoutEvery: LAYOUT_EVERY,
        onLayout: (iteration, embedding) => postLayout(embedding, info('computing', iteration)),
      });
      const cached = { format: 'gat-explorer/embedding/1' as const, runId: this.runId, settings, kl: result.kl, seconds: result.timings.totalSeconds, embedding: Array.from(result.embedding, (v) => Math.round(v * 1e4) / 1e4) };
      await writeCachedEmbedding(runDir, cached, graphId).catch(() => undefined); // a read-only run folder still shows the map
      postLayout(result.embedding, info('done', settings.iterations, { kl: result.kl, seconds: result.timings.totalSeconds }));
      return result.embedding;
    } catch (err) {
      if (abort.signal.aborted) return undefined;
      const message = `t-SNE failed: ${err instanceof Error ? err.message : String(err)}`;
      if (this.isReady) void this.post({ type: 'embeddingLayout', x: [], y: [], info: info('failed', 0, { message }) });
      return undefined;
    }
  }

  /**
   * With snapshots: each snapshot's map (in a worker, continued from the later one's, cached), then
   * the frames to the webview. The map in view stays usable meanwhile; the status says how far it is.
   */
  private async timeline(runDir: string, whole: Analysis, analysis: Analysis, part: GraphPart | undefined, settings: EmbeddingSettings, finalEmbedding: ArrayLike<number>): Promise<void> {
    const epochs = await this.deps.snapshots.epochs(this.runId);
    const scope = snapshotScope(whole);
    // Snapshots hold the whole graph, or (PPI) the first test graph: frames only where they cover the map.
    const covered = scope.part === undefined ? !whole.graphs : part !== undefined && part.nodeStart === scope.part.nodeStart;
    if (epochs.length === 0 || !covered) return;
    const abort = this.abort ?? new AbortController();
    this.abort = abort;
    try {
      const maps = await snapshotMaps({
        runDir,
        runId: this.runId,
        epochs,
        read: (epoch) => this.deps.snapshots.read(this.runId, epoch).catch(() => undefined),
        finalEmbedding,
        settings,
        graphId: part?.id,
        signal: abort.signal,
        compute: (points, n, dims, options) => runTsneInWorker(points, n, dims, options, { signal: abort.signal }),
      });
      if (abort.signal.aborted || !this.isReady) return;
      const frame = (a: Analysis, embedding: ArrayLike<number>): RunFrame => {
        const { x, y } = scaleEmbedding(embedding, a.numNodes);
        const round = (v: number): number => Math.round(v * 10) / 10;
        return { ...runPredictions(a), x: Array.from(x, round), y: Array.from(y, round) };
      };
      const frames: TimelineFrame<RunFrame>[] = [];
      for (const epoch of epochs) {
        const map = maps.get(epoch);
        const snapshot = map && (await this.deps.snapshots.read(this.runId, epoch).catch(() => undefined));
        if (map && snapshot) frames.push({ epoch, final: false, data: frame(snapshot, map) });
      }
      if (frames.length === 0) return;
      frames.push({ epoch: whole.provenance.epoch ?? epochs[epochs.length - 1], final: true, data: frame(analysis, finalEmbedding) });
      this.timelineFrames = frames.length;
      await this.post({ type: 'embeddingTimeline', frames });
    } catch (err) {
      if (!abort.signal.aborted) void vscode.window.showWarningMessage(notice`GAT: the embedding timeline could not be mapped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  protected override selectGraph(index: number | null): void {
    if (index !== null) this.graphIndex = index;
  }

  protected override onMessage(message: WebviewToHost): boolean {
    if (message.type === 'showInGraph') {
      this.deps.panels.show('gat.graph', { dataset: message.dataset, runId: this.runId, focusNode: message.node });
      return true;
    }
    if (message.type !== 'embeddingRequest') return false;
    const next = message.settings;
    try {
      checkEmbeddingSettings(next, this.points);
    } catch (err) {
      void vscode.window.showErrorMessage(notice`GAT: ${(err as Error).message}`);
      return true;
    }
    this.settings = next;
    void this.refresh();
    return true;
  }

  protected override onDispose(): void {
    this.abort?.abort();
  }
}

function titleFor(runId: string): string {
  return `GAT Embedding (t-SNE): ${runId}`;
}
