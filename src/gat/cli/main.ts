import { TRAINING_EXIT } from '../../protocol/trainingEvents';
import { BackendError } from '../backend/backends';
import { describePathErrno, pathErrno } from '../io/fsErrors';
import { withoutControls } from '../io/safeText';
import { analyzeCommand } from './analyzeCommand';
import { backendsCommand } from './backendsCommand';
import type { GatCommand } from './command';
import { compareCommand } from './compareCommand';
import { downloadCommand } from './downloadCommand';
import { explainCommand } from './explainCommand';
import { explainServerCommand } from './explainServerCommand';
import { exportCommand } from './exportCommand';
import { importCommand } from './importCommand';
import { inspectCommand } from './inspectCommand';
import { trainCommand } from './trainCommand';
import { visualizeCommand } from './visualizeCommand';

/** Tests of the top-level handler: a bug (an Error, or a RangeError as data can cause) thrown before the command runs. */
const UNEXPECTED_ERROR_FOR_TEST = process.env.GAT_TEST_UNEXPECTED_ERROR;

/** Every command, in the order `gat --help` lists them. */
const COMMANDS: Readonly<Record<string, GatCommand>> = {
  train: trainCommand,
  analyze: analyzeCommand,
  visualize: visualizeCommand,
  import: importCommand,
  explain: explainCommand,
  'explain-server': explainServerCommand,
  export: exportCommand,
  compare: compareCommand,
  backends: backendsCommand,
  inspect: inspectCommand,
  download: downloadCommand,
};

const MAIN_HELP = [
  'usage: gat <command> [options]',
  '',
  'GAT Explorer: train a Graph Attention Network on Cora and inspect what it learned.',
  '',
  'commands:',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(Math.max(...Object.keys(COMMANDS).map((n) => n.length)))} ${c.summary}`),
  '',
  'Run `gat <command> --help` for its options.',
].join('\n');

/** Runs the CLI and returns the exit code; errors a user can act on are printed without a stack. */
export async function main(argv: readonly string[], rawOut = (s: string) => void process.stdout.write(s), rawErr = (s: string) => void process.stderr.write(s)): Promise<number> {
  // Run records, model notes and file names are someone else's text: no escape sequence of theirs
  // may retitle, recolour or clear the user's terminal (the CLI itself writes none).
  const out = (s: string): void => rawOut(withoutControls(s));
  const err = (s: string): void => rawErr(withoutControls(s));
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(MAIN_HELP + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`gat: unknown command '${name}'\n\n${MAIN_HELP}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(command.help + '\n');
    return 0;
  }
  try {
    if (UNEXPECTED_ERROR_FOR_TEST) throw UNEXPECTED_ERROR_FOR_TEST === 'RangeError' ? new RangeError('a test of the top-level handler') : new Error('a test of the top-level handler');
    return await command.run(rest, out);
  } catch (e) {
    const known = userFacingError(e);
    if (known) {
      err(`gat ${name}: error: ${known.message}\n`);
      return known.exitCode;
    }
    err(`gat ${name}: unexpected error: ${describeUnexpected(e)}\n`);
    return TRAINING_EXIT.unexpected;
  }
}

/**
 * Errors a user can act on carry an `exitCode` (usage 2, dataset 3, write 4, locked 6), are back-end
 * errors, graph errors in the data, or a file-system error at a known path; they print as one line.
 * Anything else is a bug: one line too, with its stack under GAT_DEBUG=1.
 */
function userFacingError(e: unknown): { message: string; exitCode: number } | undefined {
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
function describeUnexpected(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (process.env.GAT_DEBUG === '1') return e instanceof Error ? (e.stack ?? message) : message;
  return `${message} (this is a bug: run again with GAT_DEBUG=1 for the stack trace, and report it)`;
}

if (require.main === module) {
  // Also the entry the extension forks for training (`node dist/cli.js train …` with IPC):
  // disconnecting lets queued IPC messages go out and the process exit.
  const finish = (code: number): void => {
    process.exitCode = code;
    if (process.connected) process.disconnect();
  };
  main(process.argv.slice(2)).then(finish, (e: unknown) => {
    process.stderr.write(`gat: unexpected error: ${describeUnexpected(e)}\n`);
    finish(TRAINING_EXIT.unexpected);
  });
}
