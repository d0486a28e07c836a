import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeTrainingExit, formatMetric, TRAINING_EXIT, type EpochMetrics, type TrainingBatchEvent, type TrainingDoneEvent, type TrainingErrorEvent, type TrainingEvent, type TrainingStartEvent } from '../../protocol/trainingEvents';
import { removeLockIfUnchanged } from '../../gat/run/trainLock';
import { failureReport, withResume, type FailureReport } from './failureReport';
import { progressPosition } from './progressText';
import { TrainingProcess, type TrainingExit } from './trainingProcess';
import { forNotification, notice } from '../../gat/io/safeText';

/** How often live training updates reach the views (epochs take ~2–20 ms each). */
const EPOCH_UPDATE_MS = 200;

export interface TrainingRequest {
  /** `gat train` flags, without --out (added from `outDir`). */
  readonly args: readonly string[];
  readonly outDir: string;
  readonly title: string;
}

/** The live state the status bar, the Training view and the metrics panel show. */
export interface LiveTraining {
  readonly request: TrainingRequest;
  start?: TrainingStartEvent;
  readonly epochs: EpochMetrics[];
  /** Inductive runs: the latest batch, so a 20-second PPI epoch still shows progress. */
  batch?: TrainingBatchEvent;
  done?: TrainingDoneEvent;
  /** The run's error event, which names the file in the way and the fix. */
  error?: TrainingErrorEvent;
  /** The newest checkpoint the run wrote: where 'Resume' continues from. */
  lastCheckpoint?: string;
  exit?: TrainingExit;
}

/**
 * Runs trainings in child processes, one at a time per output folder, with a cancellable
 * progress notification, a status-bar item and a log channel. Exit codes become plain messages;
 * a crash shows the last lines the process printed.
 */
export class TrainingController implements vscode.Disposable {
  private readonly active = new Map<string, TrainingProcess>();
  private readonly changed = new vscode.EventEmitter<LiveTraining>();
  readonly onDidChange = this.changed.event;
  private readonly status: vscode.StatusBarItem;
  private lastLive: LiveTraining | undefined;

  constructor(
    private readonly script: string,
    private readonly log: vscode.OutputChannel,
    private readonly env: () => NodeJS.ProcessEnv = () => ({}),
  ) {
    this.status = vscode.window.createStatusBarItem('gat.training', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'GAT Training';
    this.status.command = 'gat.showTrainingMetrics';
  }

  get latest(): LiveTraining | undefined {
    return this.lastLive;
  }

  isTraining(outDir?: string): boolean {
    return outDir ? this.active.has(path.resolve(outDir)) : this.active.size > 0;
  }

  cancelAll(): void {
    for (const p of this.active.values()) p.cancel();
  }

  /** Starts a training and resolves when it has ended (however it ended). */
  async run(request: TrainingRequest): Promise<LiveTraining | undefined> {
    const outDir = path.resolve(request.outDir);
    try {
      // The process runs in the output folder: a configured one that does not exist yet made
      // the fork fail with a misleading "spawn node ENOENT".
      await fs.mkdir(outDir, { recursive: true });
    } catch (err) {
      void vscode.window.showErrorMessage(notice`GAT: cannot create the output folder ${outDir}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    // No await from this check to active.set below: two quick calls cannot both pass it.
    if (this.active.has(outDir)) {
      void vscode.window.showWarningMessage(notice`GAT: a training is already running in ${outDir}. Cancel it first, or choose another output folder (setting gat.outputFolder).`);
      return undefined;
    }
    const live: LiveTraining = { request, epochs: [] };
    this.lastLive = live;
    this.log.appendLine(`$ gat train ${[...request.args, '--out', outDir].join(' ')}`);
    let progressReport: (() => void) | undefined;
    // Epochs arrive every few milliseconds: views, status bar and notification are updated at
    // most every EPOCH_UPDATE_MS with the latest state, not once per epoch.
    let pending: NodeJS.Timeout | undefined;
    const notify = (): void => {
      clearTimeout(pending);
      pending = undefined;
      this.changed.fire(live);
      this.updateStatus(live);
      progressReport?.();
    };
    const child = new TrainingProcess({
      script: this.script,
      args: [...request.args, '--out', outDir],
      cwd: outDir,
      env: this.env(),
      onOutput: (line) => this.log.appendLine(line),
      onEvent: (event) => {
        if (!this.apply(live, event)) return;
        if (event.type !== 'epoch' && event.type !== 'batch') notify();
        else pending ??= setTimeout(notify, EPOCH_UPDATE_MS);
      },
    });
    this.active.set(outDir, child);
    await this.setContext();
    this.changed.fire(live);
    this.updateStatus(live);

    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: notice`GAT: ${request.title}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          this.log.appendLine('Cancelling: the run stops at the end of this epoch and saves a checkpoint.');
          child.cancel();
        });
        let reported = 0;
        progressReport = () => {
          const position = progressPosition({ epochs: live.epochs, batch: live.batch, metric: live.start?.metric });
          if (!position) return;
          const max = live.start?.maxEpochs ?? 0;
          const increment = max > 0 ? (100 * (position.epochs - reported)) / max : 0;
          reported = position.epochs;
          progress.report({ increment, message: forNotification(position.message) });
        };
        live.exit = await child.exited;
        notify(); // the last epochs before the exit
      },
    );
    this.active.delete(outDir);
    await this.setContext();
    this.changed.fire(live);
    this.updateStatus(live);
    this.reportEnd(live);
    return live;
  }

  /** Records an event in the live state; false for events that change nothing shown. */
  private apply(live: LiveTraining, event: TrainingEvent): boolean {
    switch (event.type) {
      case 'start':
        live.start = event;
        this.log.appendLine(`Run ${event.runId} on ${event.dataset}, back end ${event.backend}${event.resumedFromEpoch !== null ? `, resumed from epoch ${event.resumedFromEpoch}` : ''}`);
        break;
      case 'epoch':
        live.epochs.push(event);
        break;
      case 'batch':
        live.batch = event;
        break;
      case 'done':
        live.done = event;
        break;
      case 'checkpoint':
        live.lastCheckpoint = event.path;
        return false; // printed by the process itself on its console
      case 'error':
        live.error = event;
        return false;
      case 'log':
        return false;
    }
    return true;
  }

  private updateStatus(live: LiveTraining): void {
    const last = live.epochs[live.epochs.length - 1];
    if (!live.exit) {
      this.status.text = `$(sync~spin) GAT ${last ? `epoch ${last.epoch + 1} · val ${formatMetric(last.valAcc, live.start?.metric)}` : 'starting…'}`;
      this.status.tooltip = 'GAT training in progress: click for the live metrics';
      this.status.show();
    } else if (live.done) {
      this.status.text = `$(check) GAT ${live.done.status}${live.done.testAcc !== null ? ` · test ${formatMetric(live.done.testAcc, live.start?.metric)}` : ''}`;
      this.status.tooltip = `Run ${live.done.runId}: best val ${formatMetric(live.done.bestValAcc, live.start?.metric)}`;
      this.status.show();
    } else {
      this.status.text = '$(error) GAT training failed';
      this.status.tooltip = describeTrainingExit(live.exit.code, live.exit.signal);
      this.status.show();
    }
  }

  private reportEnd(live: LiveTraining): void {
    const exit = live.exit!;
    const what = describeTrainingExit(exit.code, exit.signal);
    if (exit.code === TRAINING_EXIT.ok && live.done) {
      const d = live.done;
      void vscode.window.showInformationMessage(notice`GAT: training finished after ${d.epochs} epochs in ${d.wallSeconds.toFixed(1)} s: best val ${formatMetric(d.bestValAcc, live.start?.metric)}${d.testAcc !== null ? `, test ${formatMetric(d.testAcc, live.start?.metric)}` : ''}.`);
    } else if (exit.code === TRAINING_EXIT.cancelled) {
      void vscode.window.showInformationMessage(notice`GAT: ${what}.`);
    } else {
      const report = failureReport(exit, live.error, live.lastCheckpoint);
      // File-borne text (paths, a lock's host name, the process's own output): kept apart so that it is escaped in one place.
      const fileBorne = report.cliLine ?? exit.lastLines.slice(-8).join('\n');
      this.log.appendLine(`Training ended: ${what}.`);
      // The CLI's line and its output quote file names and values: shown as text (safeText).
      void vscode.window.showErrorMessage(report.cliLine ? notice`GAT: ${what}: ${fileBorne}` : notice`GAT: ${what}.` + (fileBorne ? notice` Last output: ${fileBorne}` : ''), ...report.actions).then((choice) =>
        this.onFailureAction(choice, report, live.request).catch((err: unknown) => void vscode.window.showErrorMessage(notice`GAT: ${err instanceof Error ? err.message : String(err)}`)),
      );
    }
  }

  /** The fix the user picked from a failed training's notification. */
  private async onFailureAction(choice: string | undefined, report: FailureReport, request: TrainingRequest): Promise<void> {
    switch (choice) {
      case 'Show Log':
        this.log.show(true);
        return;
      case 'Open Folder':
        if (report.path) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(await nearestExisting(report.path)));
        return;
      case 'Resume':
        if (report.resumeFrom) await this.run({ ...request, args: withResume(request.args, report.resumeFrom) });
        return;
      case 'Delete stale lock': {
        if (!report.path || !report.lock) return;
        const lockFile = report.path; // file-borne: escape before showing
        if (!(await removeLockIfUnchanged(lockFile, report.lock))) {
          void vscode.window.showWarningMessage(notice`GAT: the lock ${lockFile} changed since the training was refused (another training may hold it now), so it was left alone.`);
          return;
        }
        const again = await vscode.window.showInformationMessage(notice`GAT: deleted the stale lock ${lockFile}.`, 'Train Again');
        if (again) await this.run(request);
        return;
      }
    }
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'gat.training', this.active.size > 0);
  }

  /** deactivate / window close: stop every process; each saves a checkpoint on SIGTERM. */
  dispose(): void {
    for (const p of this.active.values()) p.terminate();
    this.status.dispose();
    this.changed.dispose();
  }
}

/** The path itself, or the nearest folder above it that exists (a file that could not be written may not). */
async function nearestExisting(p: string): Promise<string> {
  for (let at = p; ; at = path.dirname(at)) {
    if (await fs.stat(at).then(() => true, () => false)) return at;
    if (path.dirname(at) === at) return at;
  }
}
