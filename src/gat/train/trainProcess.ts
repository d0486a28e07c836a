/**
 * Entry of the training child process the extension forks (dist/trainProcess.js): the same
 * `gat train` with typed events over IPC (GAT_TRAIN_IPC=1). Exits with the CLI's exit code
 * once the last IPC message has been flushed.
 */
import { main } from '../cli/main';

main(['train', ...process.argv.slice(2)]).then(
  (code) => finish(code),
  (e: unknown) => {
    process.stderr.write(`gat train: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    finish(1);
  },
);

function finish(code: number): void {
  process.exitCode = code;
  if (process.connected) process.disconnect(); // lets queued IPC messages go out before exit
}
