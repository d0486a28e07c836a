import type * as vscode from 'vscode';
import { faithfulnessArgs, parseFaithfulnessProgress, withoutProgress, type FaithfulnessChoice, type FaithfulnessProgress } from './faithfulnessArgs';
import { cliFailure, runCli } from './runCli';

/** How a faithfulness run ended: saved, cancelled by the user (nothing saved changed), or failed (the CLI's line). */
export type FaithfulnessOutcome = { readonly kind: 'done' } | { readonly kind: 'cancelled' } | { readonly kind: 'failed'; readonly message: string; readonly stderr: string };

/** One `gat faithfulness` child process, for one run. */
export interface FaithfulnessJob {
  readonly runId: string;
  readonly choice: FaithfulnessChoice;
  /** The last progress line (undefined until the CLI has loaded the run). */
  readonly progress: FaithfulnessProgress | undefined;
  readonly finished: Promise<FaithfulnessOutcome>;
  /** Kills the child; `finished` then says cancelled. */
  cancel(): void;
}

/**
 * The `gat faithfulness` processes running now, one per run at most: the command starts them (with
 * its progress notification and its Cancel), the Faithfulness panel shows their progress and draws
 * the results when one ends. Every child is killed on dispose (the extension deactivates).
 */
export class FaithfulnessJobs {
  private readonly running = new Map<string, FaithfulnessJob>();
  private readonly listeners = new Set<(runId: string) => void>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** The environment child processes of the CLI get (the back ends the extension installed). */
    private readonly env: () => NodeJS.ProcessEnv = () => ({}),
  ) {}

  get(runId: string): FaithfulnessJob | undefined {
    return this.running.get(runId);
  }

  /** Starts `gat faithfulness` on `runDir`; a run already being measured is an Error (one job per run). */
  start(runId: string, runDir: string, choice: FaithfulnessChoice): FaithfulnessJob {
    if (this.running.has(runId)) throw new Error(`faithfulness of run ${runId} is already running`);
    const abort = new AbortController();
    let progress: FaithfulnessProgress | undefined;
    const finished = runCli(this.extensionUri, faithfulnessArgs(runDir, choice), {
      env: this.env(),
      timeoutMs: 0, // a whole dataset can take many minutes: the user cancels instead
      signal: abort.signal,
      onStderrLine: (line) => {
        const p = parseFaithfulnessProgress(line);
        if (!p) return;
        progress = p;
        this.fire(runId);
      },
    }).then((r): FaithfulnessOutcome => {
      if (abort.signal.aborted) return { kind: 'cancelled' };
      if (r.code === 0) return { kind: 'done' };
      const stderr = withoutProgress(r.stderr);
      return { kind: 'failed', message: cliFailure({ ...r, stderr }), stderr };
    });
    const job: FaithfulnessJob = {
      runId,
      choice,
      get progress() {
        return progress;
      },
      finished,
      cancel: () => abort.abort(),
    };
    this.running.set(runId, job);
    void finished.then(() => {
      this.running.delete(runId);
      this.fire(runId);
    });
    this.fire(runId);
    return job;
  }

  /** Called with the run id whenever one of its jobs starts, reports progress or ends. */
  onDidChange(listener: (runId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    for (const job of this.running.values()) job.cancel();
    this.listeners.clear();
  }

  private fire(runId: string): void {
    for (const listener of [...this.listeners]) listener(runId);
  }
}
