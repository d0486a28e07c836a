/**
 * The `gat` process's last line of defence, for errors no `await` of main() reaches: an exception
 * thrown from a timer, callback or event, a promise rejected with nothing to catch it, an 'error'
 * event nobody listens to. Each ends the process with one line and an exit code, as main()'s own
 * errors do (the stack only under GAT_DEBUG=1), never with Node's dump of the stack and source line.
 *
 * A closed stdout is not such an error: when the program reading `gat … | head` quits, writing to
 * the pipe fails with EPIPE. The rest of the output is dropped and the command finishes its work
 * (a training run completes and records its files), as it would with its output sent nowhere.
 */
import { withoutControls } from '../io/safeText';
import { errorReport } from './errorReport';

/** Where the process writes: both writers go quiet once their stream is gone. */
export interface ProcessOutput {
  out(s: string): void;
  err(s: string): void;
}

/**
 * Installs the handlers for `prefix` ("gat train", or "gat" before a command is known) and returns
 * the writers main() should use.
 */
export function guardProcess(prefix: string): ProcessOutput {
  let stdoutOpen = true;
  let stderrOpen = true;
  const err = (s: string): void => {
    if (stderrOpen) process.stderr.write(s);
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (!stdoutOpen) return; // a write queued before the first failure fails again: already said
    stdoutOpen = false;
    if (e.code !== 'EPIPE') err(withoutControls(`${prefix}: cannot write to stdout (${e.code ?? e.message}): the rest of the output is dropped\n`));
  });
  // With stderr gone there is nowhere left to say anything.
  process.stderr.on('error', () => (stderrOpen = false));
  const fail = (e: unknown): void => {
    const { line, exitCode } = errorReport(e);
    err(withoutControls(`${prefix}: ${line}\n`));
    // Node's own advice after an uncaught exception: the state is unknown, so stop now. Files are
    // written atomically, so what was saved stays whole; a training's lock is judged stale by its pid.
    process.exit(exitCode);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  return {
    out: (s) => {
      if (stdoutOpen) process.stdout.write(s);
    },
    err,
  };
}
