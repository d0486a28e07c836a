import * as path from 'node:path';
import * as vscode from 'vscode';
import { readFaithfulness } from '../../gat/artifacts/faithfulnessRecord';
import { readRun, type RunRecord } from '../../gat/artifacts/runRecord';
import { attentionOf, findAttentionTwin } from '../../gat/compare/uniformTwin';
import { notice } from '../../gat/io/safeText';
import { panelProvenance } from '../../gat/panels/provenance';
import type { FaithfulnessPanelState, FaithfulnessSideView, FaithfulnessSnapshot } from '../../protocol/faithfulnessSnapshot';
import { savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { FaithfulnessJobs } from '../cli/faithfulnessJobs';
import { exportFaithfulness } from './faithfulnessExport';
import type { PanelArgs, PanelKind } from './panelArgs';
import { PanelBase } from './panelBase';
import type { PanelOpener } from './panelController';

export interface FaithfulnessDeps {
  readonly extensionUri: vscode.Uri;
  readonly outDir: () => string | undefined;
  /** The runs the Runs view lists: where the uniform-attention twin is looked for. */
  readonly runs: { readonly current: readonly RunRecord[]; getChildren(): Thenable<unknown> | Promise<unknown> };
  /** The `gat faithfulness` processes running now (started by GAT: Faithfulness…). */
  readonly faithfulnessJobs: FaithfulnessJobs;
  /** Opens Compare Runs on the run and its twin. */
  readonly panels: PanelOpener<PanelArgs>;
}

/** The command that measures a run (the panel's Run button asks for it; it owns the quick picks and progress). */
const RUN_COMMAND = 'gat.faithfulness';
const NO_TWIN = 'No uniform-attention twin: train one with Attention: uniform (GAT: Train…, or a spec with "attention": "uniform"), the rest of the configuration the same.';

/**
 * The Faithfulness panel: is attention an explanation? For one run, fid+, fid− and the
 * characterization score of each edge ranking against k (random as the baseline), beside the same
 * for its uniform-attention twin; a button that measures a run without results, progress while
 * `gat faithfulness` runs, and the numbers exported as CSV or JSON. One panel per run.
 */
export class FaithfulnessPanel extends PanelBase {
  /** How the controller opens and restores Faithfulness panels: one per run. */
  static descriptor(deps: FaithfulnessDeps): PanelKind<'gat.faithfulness', FaithfulnessPanel> {
    return {
      viewType: 'gat.faithfulness',
      key: (a) => a.runId,
      title: (a) => titleFor(a.runId),
      create: (panel, a) => new FaithfulnessPanel(panel, deps, a.runId),
      // Shown again (the command ended, or the user asked): read the files again.
      reuse: (panel) => void panel.refresh(),
      revive: (state) => savedFields(SAVED, state),
    };
  }

  /** The twin of the last snapshot (the page's buttons name it as 'twin'). */
  private twinId: string | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: FaithfulnessDeps,
    readonly runId: string,
  ) {
    super(panel, deps.extensionUri, 'faithfulness', titleFor(runId));
    const jobs = deps.faithfulnessJobs.onDidChange((changed) => this.jobChanged(changed));
    this.disposables.push({ dispose: () => jobs.dispose() });
  }

  protected async snapshot(): Promise<HostToWebview | undefined> {
    const out = this.deps.outDir();
    if (!out) {
      void vscode.window.showWarningMessage('GAT: open a folder, or set gat.outputFolder, to see the faithfulness of its runs.');
      return undefined;
    }
    try {
      await this.deps.runs.getChildren();
      const run = this.deps.runs.current.find((r) => r.runId === this.runId) ?? (await readRun(path.join(out, 'runs', this.runId)));
      const twin = findAttentionTwin(run, this.deps.runs.current);
      this.twinId = twin?.runId;
      const snapshot: FaithfulnessSnapshot = {
        type: 'faithfulnessSnapshot',
        provenance: panelProvenance({ name: run.dataset, checksums: {} }, run, out),
        dataset: run.dataset,
        run: await this.side(out, run),
        twin: twin ? await this.side(out, twin) : null,
        ...(twin ? {} : { twinNote: NO_TWIN }),
      };
      return snapshot;
    } catch (err) {
      void vscode.window.showErrorMessage(notice`GAT: cannot show the faithfulness of run ${this.runId}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** A run's results (a damaged file becomes its line, shown in place of the charts) and its job's progress. */
  private async side(out: string, run: RunRecord): Promise<FaithfulnessSideView> {
    const running = this.running(run.runId);
    const base = { runId: run.runId, attention: attentionOf(run), ...(running ? { running } : {}) };
    try {
      const f = await readFaithfulness(path.join(out, 'runs', run.runId));
      return { ...base, results: f ? { selection: f.selection, nodes: f.nodes, ks: f.ks, summary: f.summary } : null };
    } catch (err) {
      return { ...base, results: null, problem: err instanceof Error ? err.message : String(err) };
    }
  }

  private running(runId: string): FaithfulnessSideView['running'] {
    const job = this.deps.faithfulnessJobs.get(runId);
    if (!job) return undefined;
    return job.progress ?? { done: 0, total: 0, seconds: 0 };
  }

  /** A job of this run or its twin moved on: its progress patches the last snapshot; its end reads the files again. */
  private jobChanged(runId: string): void {
    if (runId !== this.runId && runId !== this.twinId) return;
    const last = this.lastSnapshot;
    if (!this.deps.faithfulnessJobs.get(runId) || last?.type !== 'faithfulnessSnapshot') {
      void this.refresh();
      return;
    }
    if (!this.isReady) return;
    const patch = (side: FaithfulnessSideView | null): FaithfulnessSideView | null => (side && side.runId === runId ? { ...side, running: this.running(runId) } : side);
    const next: FaithfulnessSnapshot = { ...last, run: patch(last.run)!, twin: patch(last.twin) };
    void this.post(next).then((posted) => {
      if (!posted) return;
      this.lastSnapshot = next;
      this.snapshotsPosted++;
    });
  }

  protected override async onMessage(message: WebviewToHost): Promise<boolean> {
    switch (message.type) {
      case 'faithfulnessRun':
        // Not awaited: the command lasts as long as the measurement (its notification has the progress).
        void vscode.commands.executeCommand(RUN_COMMAND, this.target(message.target), { openPanel: false });
        return true;
      case 'faithfulnessCancel':
        this.deps.faithfulnessJobs.get(this.target(message.target))?.cancel();
        return true;
      case 'faithfulnessExport': {
        const out = this.deps.outDir();
        const runId = this.target(message.target);
        if (out) await exportFaithfulness(path.join(out, 'runs', runId), runId, message.format, this.askSaveLocation);
        return true;
      }
      case 'compareWithTwin':
        if (this.twinId) this.deps.panels.show('gat.compare', { runIds: [this.runId, this.twinId] });
        return true;
      default:
        return false;
    }
  }

  /** The run a page's button means: this panel's, or its twin's (the host knows which run that is). */
  private target(which: 'run' | 'twin'): string {
    if (which === 'run') return this.runId;
    if (!this.twinId) throw new Error(`run ${this.runId} has no uniform-attention twin`);
    return this.twinId;
  }
}

/** What a reload restores from the page's saved state. */
const SAVED = { runId: str() } satisfies SavedShape<FaithfulnessPanelState>;

function titleFor(runId: string): string {
  return `GAT Faithfulness: ${runId}`;
}
