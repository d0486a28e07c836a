import { TRAINING_EXIT } from '../../protocol/trainingEvents';
import { BackendError } from '../backend/backends';
import { ANALYZE_HELP, analyzeCommand } from './analyzeCommand';
import { BACKENDS_HELP, backendsCommand } from './backendsCommand';
import { COMPARE_HELP, compareCommand } from './compareCommand';
import { IMPORT_HELP, importCommand } from './importCommand';
import { EXPORT_HELP, exportCommand } from './exportCommand';
import { EXPLAIN_HELP, explainCommand } from './explainCommand';
import { DOWNLOAD_HELP, downloadCommand } from './downloadCommand';
import { INSPECT_HELP, inspectCommand } from './inspectCommand';
import { TRAIN_HELP, trainCommand } from './trainCommand';
import { VISUALIZE_HELP, visualizeCommand } from './visualizeCommand';

type Command = (argv: readonly string[], write: (s: string) => void) => Promise<number>;

interface CommandEntry {
  readonly run: Command;
  readonly help: string;
  readonly summary: string;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  train: { run: trainCommand, help: TRAIN_HELP, summary: 'train GAT (the original\'s flags: --should_test, --should_visualize, --enable_tensorboard, …)' },
  analyze: { run: analyzeCommand, help: ANALYZE_HELP, summary: 'recompute the analysis artifact (attention, entropy, outputs) of a trained model' },
  visualize: { run: visualizeCommand, help: VISUALIZE_HELP, summary: 'write every panel of a run as standalone HTML figures (works offline in a browser)' },
  import: { run: importCommand, help: IMPORT_HELP, summary: 'register a GAT trained elsewhere (a PyTorch .pth of pytorch-GAT) as a run every panel can show' },
  explain: { run: explainCommand, help: EXPLAIN_HELP, summary: "step through one node's computation with the run's parameters (--json: every number)" },
  export: { run: exportCommand, help: EXPORT_HELP, summary: "write a model as a .pth the original pytorch-GAT loads" },
  compare: { run: compareCommand, help: COMPARE_HELP, summary: 'compare two runs: results, configuration differences, where their predictions agree' },
  backends: { run: backendsCommand, help: BACKENDS_HELP, summary: 'list the TensorFlow.js back ends and which one auto picks' },
  inspect: { run: inspectCommand, help: INSPECT_HELP, summary: 'verify and describe a dataset (nodes, edges, degrees, split)' },
  download: { run: downloadCommand, help: DOWNLOAD_HELP, summary: 'download and verify a known dataset (citeseer) into the cache' },
};

const MAIN_HELP = [
  'usage: gat <command> [options]',
  '',
  'GAT Explorer: train a Graph Attention Network on Cora and inspect what it learned.',
  '',
  'commands:',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
  '',
  'Run `gat <command> --help` for its options.',
].join('\n');

/** Runs the CLI and returns the exit code; errors a user can act on are printed without a stack. */
export async function main(argv: readonly string[], out = (s: string) => void process.stdout.write(s), err = (s: string) => void process.stderr.write(s)): Promise<number> {
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
    return await command.run(rest, out);
  } catch (e) {
    const code = userFacingExitCode(e);
    if (code !== undefined) {
      err(`gat ${name}: error: ${(e as Error).message}\n`);
      return code;
    }
    err(`gat ${name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

/**
 * Errors a user can act on carry an `exitCode` (usage 2, dataset 3, write 4) or are back-end
 * or configuration errors; they print as one line. Anything else is a bug and keeps its stack.
 */
function userFacingExitCode(e: unknown): number | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as Error & { exitCode?: unknown }).exitCode;
  if (typeof code === 'number') return code;
  if (e instanceof BackendError) return TRAINING_EXIT.backend;
  if (e instanceof RangeError || e.name === 'GraphError') return TRAINING_EXIT.usage;
  return undefined;
}

if (require.main === module) {
  // Also the entry the extension forks for training (`node dist/cli.js train …` with IPC):
  // disconnecting lets queued IPC messages go out and the process exit.
  const finish = (code: number): void => {
    process.exitCode = code;
    if (process.connected) process.disconnect();
  };
  main(process.argv.slice(2)).then(finish, (e: unknown) => {
    process.stderr.write(`gat: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    finish(1);
  });
}
