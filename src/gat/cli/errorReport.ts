/**
 * How an error becomes the one line a user sees, wherever it was caught: main()'s handler and the
 * process-level handlers for errors no `await` reaches (processErrors.ts) say it the same way.
 */
import { TRAINING_EXIT } from '../../protocol/trainingEvents';
import { BackendError } from '../backend/backends';
import { describePathErrno, pathErrno } from '../io/fsErrors';

/**
 * Errors a user can act on carry an `exitCode` (usage 2, dataset 3, write 4, locked 6), are back-end
 * errors, graph errors in the data, or a file-system error at a known path; they print as one line.
 * Anything else is a bug: one line too, with its stack under GAT_DEBUG=1.
 */
export function userFacingError(e: unknown): { message: string; exitCode: number } | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as Error & { exitCode?: unknown }).exitCode;
  if (typeof code === 'number') return { message: e.message, exitCode: code };
  if (e instanceof BackendError) return { message: e.message, exitCode: TRAINING_EXIT.backend };
  if (e.name === 'GraphError') return { message: e.message, exitCode: TRAINING_EXIT.dataset };
  const errno = pathErrno(e);
  if (errno) return { message: describePathErrno(errno), exitCode: TRAINING_EXIT.write };
  return undefined;
}

/** A bug's message, and its stack only when asked for (a user sees no trace). */
export function describeUnexpected(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (process.env.GAT_DEBUG === '1') return e instanceof Error ? (e.stack ?? message) : message;
  return `${message} (this is a bug: run again with GAT_DEBUG=1 for the stack trace, and report it)`;
}

/** The line (without its newline) and exit code for any error: "error: …" for one a user can act on, "unexpected error: …" for a bug. */
export function errorReport(e: unknown): { line: string; exitCode: number } {
  const known = userFacingError(e);
  return known ? { line: `error: ${known.message}`, exitCode: known.exitCode } : { line: `unexpected error: ${describeUnexpected(e)}`, exitCode: TRAINING_EXIT.unexpected };
}
