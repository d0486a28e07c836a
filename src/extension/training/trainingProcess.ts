import { fork, type ChildProcess } from 'node:child_process';
import { isTrainingEvent, type TrainingCommand, type TrainingEvent } from '../../protocol/trainingEvents';

export interface TrainingExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines the process printed, for crash reports. */
  readonly lastLines: string[];
}

export interface TrainingProcessOptions {
  /** The bundled core (dist/cli.js); it runs `gat train` with these args. */
  readonly script: string;
  /** `gat train` flags. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onEvent: (event: TrainingEvent) => void;
  readonly onOutput: (line: string) => void;
}

const KEEP_LINES = 40;
/** How long a cancelled run may take to finish its epoch and write its checkpoint. */
const CANCEL_GRACE_MS = 20_000;

/**
 * One training run in a child process (`child_process.fork` of the bundled core) speaking
 * typed events over IPC. Lifecycle: start → events → exit. `cancel()` asks the process to stop
 * at the end of the epoch (it writes a checkpoint), then escalates to SIGTERM and SIGKILL.
 */
export class TrainingProcess {
  private readonly child: ChildProcess;
  private readonly lastLines: string[] = [];
  private cancelTimer: NodeJS.Timeout | undefined;
  readonly exited: Promise<TrainingExit>;

  constructor(options: TrainingProcessOptions) {
    this.child = fork(options.script, ['train', ...options.args], {
      cwd: options.cwd,
      // ELECTRON_RUN_AS_NODE: in desktop VS Code process.execPath is Electron, which must act as Node.
      env: { ...process.env, ...options.env, GAT_TRAIN_IPC: '1', ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    const onText = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (line === '') continue;
        this.lastLines.push(line);
        if (this.lastLines.length > KEEP_LINES) this.lastLines.shift();
        options.onOutput(line);
      }
    };
    this.child.stdout?.on('data', onText);
    this.child.stderr?.on('data', onText);
    this.child.on('message', (message) => {
      if (isTrainingEvent(message)) options.onEvent(message);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        clearTimeout(this.cancelTimer);
        resolve({ code, signal, lastLines: [...this.lastLines] });
      });
      this.child.on('error', (err) => {
        this.lastLines.push(`failed to start the training process: ${err.message}`);
        resolve({ code: null, signal: null, lastLines: [...this.lastLines] });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ask for a clean stop (checkpoint written); force it if the process does not comply in time. */
  cancel(): void {
    if (!this.running) return;
    const command: TrainingCommand = { type: 'cancel' };
    if (this.child.connected) this.child.send(command);
    else this.child.kill('SIGTERM');
    clearTimeout(this.cancelTimer);
    this.cancelTimer = setTimeout(() => {
      if (!this.running) return;
      this.child.kill('SIGTERM');
      this.cancelTimer = setTimeout(() => this.running && this.child.kill('SIGKILL'), 5_000);
    }, CANCEL_GRACE_MS);
  }

  /** For deactivate/window close: SIGTERM now (the process checkpoints on SIGTERM too). */
  terminate(): void {
    if (this.running) this.child.kill('SIGTERM');
  }
}
