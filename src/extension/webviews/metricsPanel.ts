import * as vscode from 'vscode';
import { nullable, savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { HostToWebview, MetricsPanelState } from '../../protocol/webviewMessages';
import type { RunsTreeProvider } from '../trees/runsTree';
import type { TrainingController } from '../training/trainingController';
import { metricsSnapshot } from './metricsSource';
import type { PanelKind } from './panelArgs';
import { PanelBase } from './panelBase';
import { onTimelineEpoch, timelineEpochOf } from './timelineEpochs';

export interface MetricsDeps {
  readonly extensionUri: vscode.Uri;
  readonly training: TrainingController;
  readonly runs: RunsTreeProvider;
  readonly outDir: () => string | undefined;
}

/**
 * The Training Metrics panel: loss and accuracy curves of one run (live while it trains).
 * One panel per run; restored after a reload by its serializer from the saved run id.
 */
export class MetricsPanel extends PanelBase {
  /** The epoch marked on the curves: a timeline of this run's panels shows it (tests read it). */
  markedEpoch: number | null = null;
  private shownRunId: string | undefined;

  /** How the controller opens and restores metrics panels: one per run, and one for the live training. */
  static descriptor(deps: MetricsDeps): PanelKind<'gat.metrics', MetricsPanel> {
    return {
      viewType: 'gat.metrics',
      key: (a) => a.runId ?? 'live',
      title: (a) => titleFor(a.runId),
      create: (panel, a) => new MetricsPanel(panel, deps, a.runId),
      revive: (state) => ({ runId: savedFields(SAVED, state)?.runId ?? null }),
      // Beside: next to the panel that asked (a timeline showing its epoch on the curves), keeping its focus.
      placement: ({ column = vscode.ViewColumn.Active }) => {
        const beside = column === vscode.ViewColumn.Beside;
        return { column, revealColumn: beside ? undefined : column, preserveFocus: beside };
      },
    };
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: MetricsDeps,
    private readonly runId: string | null,
  ) {
    super(panel, deps.extensionUri, 'metrics', titleFor(runId));
    // Only the live run's panel (or the live panel) changes during a training; others keep their file's data.
    deps.training.onDidChange((live) => (runId === null || live.start?.runId === runId) && void this.refresh(), null, this.disposables);
    // The live panel marks the run it shows at the moment.
    onTimelineEpoch((e) => e.runId === (runId ?? this.shownRunId) && void this.mark(e.epoch), null, this.disposables);
  }

  /** Posts the curves, then marks the epoch a timeline of the run shows. */
  override async refresh(): Promise<void> {
    await super.refresh();
    const shown = this.runId ?? this.shownRunId;
    if (!this.isReady || !shown) return;
    this.markedEpoch = timelineEpochOf(shown);
    if (this.markedEpoch !== null) await this.post({ type: 'markEpoch', epoch: this.markedEpoch });
  }

  protected async snapshot(): Promise<HostToWebview> {
    const run = this.runId ? this.deps.runs.findRun(this.runId) : undefined;
    const live = this.runId === null || this.deps.training.latest?.start?.runId === this.runId ? this.deps.training.latest : undefined;
    const snapshot = await metricsSnapshot({ run, live, outDir: this.deps.outDir(), compact: false });
    this.shownRunId = snapshot.provenance?.runId;
    return snapshot;
  }

  private async mark(epoch: number | null): Promise<void> {
    this.markedEpoch = epoch;
    if (this.isReady) await this.post({ type: 'markEpoch', epoch });
  }
}

/** What a reload restores from the page's saved state (without one: the live training's curves). */
const SAVED = { runId: nullable(str()) } satisfies SavedShape<MetricsPanelState>;

function titleFor(runId: string | null): string {
  return runId ? `GAT Metrics: ${runId}` : 'GAT Training Metrics';
}
