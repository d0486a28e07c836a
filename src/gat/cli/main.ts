import { withoutControls } from '../io/safeText';
import { analyzeCommand } from './analyzeCommand';
import { backendsCommand } from './backendsCommand';
import type { GatCommand } from './command';
import { compareCommand } from './compareCommand';
import { downloadCommand } from './downloadCommand';
import { errorReport } from './errorReport';
import { explainCommand } from './explainCommand';
import { explainServerCommand } from './explainServerCommand';
import { faithfulnessCommand } from './faithfulnessCommand';
import { exportCommand } from './exportCommand';
import { importCommand } from './importCommand';
import { inspectCommand } from './inspectCommand';
import { guardProcess } from './processErrors';
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
  faithfulness: faithfulnessCommand,
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
export async function main(argv: readonly string[], rawOut: (s: string) => void = (s) => void process.stdout.write(s), rawErr: (s: string) => void = (s) => void process.stderr.write(s)): Promise<number> {
  // Run records, model notes and file names are someone else's text: no escape sequence of theirs
  // may retitle, recolour or clear the user's terminal (the CLI itself writes none).
  const out = (s: string): void => rawOut(withoutControls(s));
  const err = (s: string): void => rawErr(withoutControls(s));
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(MAIN_HELP + '\n');
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
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
    const { line, exitCode } = errorReport(e);
    err(`gat ${name}: ${line}\n`);
    return exitCode;
  }
}

/**
 * `gat` as a process: bin/gat.js, and `node dist/cli.js train …` as the extension forks it (with
 * IPC). Errors outside main() end in one line too (processErrors.ts); so does a rejection of main().
 */
export function runAsProcess(argv: readonly string[]): void {
  const prefix = argv[0] && Object.hasOwn(COMMANDS, argv[0]) ? `gat ${argv[0]}` : 'gat';
  const output = guardProcess(prefix);
  // Disconnecting lets queued IPC messages go out and the process exit.
  const finish = (code: number): void => {
    process.exitCode = code;
    if (process.connected) process.disconnect();
  };
  main(argv, output.out, output.err).then(finish, (e: unknown) => {
    const { line, exitCode } = errorReport(e);
    output.err(withoutControls(`${prefix}: ${line}\n`));
    finish(exitCode);
  });
}

if (require.main === module) runAsProcess(process.argv.slice(2));
