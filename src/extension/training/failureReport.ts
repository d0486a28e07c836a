import { describeTrainingExit, TRAINING_EXIT, type TrainingErrorEvent } from '../../protocol/trainingEvents';

/** The buttons a failed training's notification offers. */
export type FailureAction = 'Delete stale lock' | 'Resume' | 'Open Folder' | 'Show Log';

/** What the notification of a failed training says and offers (no VS Code here, so that it is unit-tested). */
export interface FailureReport {
  /** What happened, in the host's words ("a file could not be written (…)"). */
  readonly what: string;
  /**
   * The CLI's own one line, which names the file and the fix. It carries text from files (paths,
   * a lock's host name): escape it for the notification (see core/safeText.ts) before showing it.
   */
  readonly cliLine: string | undefined;
  /** The file or folder in the way, for 'Open Folder' and 'Delete stale lock'. */
  readonly path: string | undefined;
  /** The lock as the CLI found it: 'Delete stale lock' removes only that one. */
  readonly lock: TrainingErrorEvent['lock'];
  /** The checkpoint 'Resume' continues from. */
  readonly resumeFrom: string | undefined;
  readonly actions: readonly FailureAction[];
}

/**
 * Maps how a training ended (its exit code, its 'error' event, the last checkpoint it wrote) to the
 * notification: a lock this machine cannot judge can be deleted by the user; a write or back-end
 * failure after a checkpoint can be resumed; a path in the way can be shown in its folder.
 */
export function failureReport(exit: { readonly code: number | null; readonly signal: string | null }, error: TrainingErrorEvent | undefined, lastCheckpoint: string | undefined): FailureReport {
  const path = error?.path;
  const lock = error?.code === 'lock-unverifiable' && path ? error.lock : undefined;
  const resumable = exit.signal === null && (exit.code === TRAINING_EXIT.write || exit.code === TRAINING_EXIT.backend);
  const resumeFrom = resumable ? lastCheckpoint : undefined;
  const actions: FailureAction[] = [];
  if (lock) actions.push('Delete stale lock');
  if (resumeFrom) actions.push('Resume');
  if (path) actions.push('Open Folder');
  actions.push('Show Log');
  return { what: describeTrainingExit(exit.code, exit.signal), cliLine: error?.message, path, lock, resumeFrom, actions };
}

/** `gat train` flags that resume from `checkpoint`: any earlier --resume replaced. */
export function withResume(args: readonly string[], checkpoint: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--resume') i++; // and its value
    else if (!args[i].startsWith('--resume=')) kept.push(args[i]);
  }
  return [...kept, '--resume', checkpoint];
}
