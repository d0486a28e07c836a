import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { LineBuffer } from '../../gat/io/lineBuffer';
import type { ExplainReply, ExplainRequest, ExplainServerReady } from '../../protocol/explainServer';
import type { NodeExplanation } from '../../protocol/explanation';

export interface ExplainServerOptions {
  /** The bundled CLI (dist/cli.js). */
  readonly cli: string;
  /** The run's folder. */
  readonly runDir: string;
  readonly cwd?: string;
  /** Added to the host's environment (the back ends the extension installed). */
  readonly env?: NodeJS.ProcessEnv;
  /** How many times a request may see the process die before it is refused (default 3). */
  readonly attempts?: number;
}

/** The explain process could not answer: it would not start, or it kept dying. One line for the user. */
export class ExplainServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainServerError';
  }
}

/** A request the process answers: its explanation, or the one line saying why not (an edit the graph refuses). */
export type ExplainOutcome = { readonly explanation: NodeExplanation } | { readonly error: string };

interface Pending {
  readonly request: ExplainRequest;
  readonly resolve: (outcome: ExplainOutcome) => void;
  readonly reject: (err: ExplainServerError) => void;
  /** Processes that died while this request was in them. */
  deaths: number;
}

/** Replies are whole explanations: a few MB for a 3-layer multi-label model, far less than this. */
const MAX_REPLY_CHARS = 256 << 20;
/** After stdin closes, how long the process may take to exit before it is killed. */
const EXIT_GRACE_MS = 2000;

/**
 * The host's side of `gat explain-server` for one run: started on the first request (loading the
 * run once), kept while its panel is open, started again when it dies with requests in it, and
 * ended with the panel. Requests are written as they come and answered in order by the process, one
 * at a time (the queue is the pipe). The numbers come from that child process, never from here.
 */
export class ExplainServerClient {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  private stderrTail = '';
  /** Processes started so far (tests and the bench read it). */
  starts = 0;
  /** The run as the process reported it once loaded. */
  info: ExplainServerReady['ready'] | undefined;

  constructor(private readonly options: ExplainServerOptions) {}

  /** The process's id while it runs (tests end it to check the restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Explains a node of the run with these edits; rejects only when the process cannot answer. */
  explain(request: Omit<ExplainRequest, 'id'>): Promise<ExplainOutcome> {
    if (this.disposed) return Promise.reject(new ExplainServerError('the explain process was closed with its panel'));
    return new Promise((resolve, reject) => {
      const p: Pending = { request: { ...request, id: this.nextId++ }, resolve, reject, deaths: 0 };
      this.pending.set(p.request.id, p);
      if (this.child) this.send(p);
      else this.start(); // sends every pending request
    });
  }

  /** Closes stdin (the process exits by itself), and kills it if it has not after a grace period. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll('the explain process was closed with its panel');
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
    timer.unref();
    child.once('exit', () => clearTimeout(timer));
  }

  private start(): void {
    this.starts++;
    this.stderrTail = '';
    const child = spawn(process.execPath, [this.options.cli, 'explain-server', '--run', this.options.runDir], {
      cwd: this.options.cwd,
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    let ready = false;
    const lines = new LineBuffer(
      MAX_REPLY_CHARS,
      (line) => {
        if (!ready) ready = this.onReady(line);
        else this.onReply(line);
      },
      () => this.failAll(`the explain process for ${this.options.runDir} printed a reply longer than ${MAX_REPLY_CHARS} characters`),
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => lines.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (this.stderrTail = (this.stderrTail + chunk).slice(-4096)));
    // A write to a process that just died fails with EPIPE: its exit is what counts, handled below.
    child.stdin.on('error', () => undefined);
    let ended = false;
    const onEnd = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void => {
      if (ended) return;
      ended = true;
      this.onExit(child, ready, code, signal, spawnError);
    };
    child.on('error', (err) => onEnd(null, null, err));
    child.on('close', (code, signal) => onEnd(code, signal));
    for (const p of this.pending.values()) this.send(p);
  }

  private send(p: Pending): void {
    this.child?.stdin.write(JSON.stringify(p.request) + '\n');
  }

  private onReady(line: string): boolean {
    try {
      const value = JSON.parse(line) as Partial<ExplainServerReady>;
      if (value.ready) {
        this.info = value.ready;
        return true;
      }
    } catch {
      // not the ready line: said below
    }
    this.failAll(`the explain process for ${this.options.runDir} did not say it was ready (its first line: ${line.slice(0, 80)})`);
    this.child?.kill();
    return false;
  }

  private onReply(line: string): void {
    let reply: ExplainReply;
    try {
      reply = JSON.parse(line) as ExplainReply;
    } catch {
      return; // not ours to answer: every request still waits for its own line
    }
    const p = reply.id === null ? undefined : this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id!);
    p.resolve('explanation' in reply ? { explanation: reply.explanation } : { error: reply.error });
  }

  /**
   * The process ended. Before it was ready with an exit code, it could not start (a run without a
   * model, a damaged file): every request gets its one line, and the next request tries again.
   * Otherwise it died: its requests go to a new process, each up to `attempts` deaths.
   */
  private onExit(child: ChildProcessWithoutNullStreams, ready: boolean, code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void {
    if (this.child !== child) return; // disposed, or already replaced
    this.child = undefined;
    if (this.disposed || this.pending.size === 0) return;
    const why = this.lastStderrLine() ?? (spawnError ? spawnError.message : signal ? `killed by ${signal}` : `exit code ${code}`);
    if (!ready && signal === null) {
      this.failAll(`the explain process for this run could not start: ${why}`);
      return;
    }
    const attempts = this.options.attempts ?? 3;
    for (const [id, p] of this.pending) {
      if (++p.deaths < attempts) continue;
      this.pending.delete(id);
      p.reject(new ExplainServerError(`the explain process for this run stopped ${p.deaths} times while computing node ${p.request.node} (last: ${why}); close the panel and open it again, or run \`gat explain --run ${this.options.runDir} --node ${p.request.node}\` to see why`));
    }
    if (this.pending.size > 0) this.start();
  }

  private failAll(message: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(new ExplainServerError(message));
  }

  /** What the process said last on stderr, without the CLI's `gat …: error:` prefix. */
  private lastStderrLine(): string | undefined {
    return this.stderrTail.trim().split('\n').filter(Boolean).pop()?.replace(/^gat( [\w-]+)?: (error: )?/, '');
  }
}
