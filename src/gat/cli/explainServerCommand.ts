/**
 * `gat explain-server --run RUN`: `gat explain` for one run, kept running. It loads the run once,
 * then answers JSON requests read line by line from stdin with one JSON line each on stdout (the
 * protocol is src/protocol/explainServer.ts), until stdin closes. The Computation panel keeps one
 * per open run, so a what-if edit costs a forward pass, not a process start and a model load.
 * Every request is checked field by field; a bad line, an edit that cannot apply or a node out of
 * range gets an error reply, and the server goes on serving.
 */
import { EditError } from '../explain/graphEdits';
import { datasetIsUndirected, studyNode, uneditedPrediction, type UneditedPrediction } from '../explain/nodeStudy';
import { LineBuffer } from '../io/lineBuffer';
import { UsageError, type OptionTable } from '../options/args';
import { RUN_OPTION } from '../options/commonOptions';
import { explainRequest, MAX_REQUEST_CHARS, type ExplainReply, type ExplainRequest, type ExplainServerReady } from '../../protocol/explainServer';
import { defineCommand, type CommandOptions, type Write } from './command';
import { checkNode, loadRunModel, type RunModel } from './runModel';

const EXPLAIN_SERVER_OPTIONS = {
  run: RUN_OPTION,
} as const satisfies OptionTable;

export const explainServerCommand = defineCommand({
  summary: 'answer `gat explain` requests for one run, one JSON line each, until stdin closes (the what-if panel keeps one running)',
  usage: 'gat explain-server --run RUN',
  description:
    'Load the run once, print {"ready": …}, then read one JSON request per line on stdin,\n' +
    '  {"id": 1, "node": 1358, "edits": [{"kind": "remove-edge", "source": 919, "target": 1358}], "directed": false, "methods": []}\n' +
    'and print one line for each, in order: {"id": 1, "explanation": …} (what `gat explain --json` prints with the same\n' +
    'edits) or {"id": 1, "error": "…"}. Edit kinds: remove-edge and add-edge (source, target), feature-off and feature-on\n' +
    '(node, feature). Exits when stdin closes. The saved run is never changed.',
  options: EXPLAIN_SERVER_OPTIONS,
  required: ['run'],
  run: serve,
});

async function serve(opts: CommandOptions<typeof EXPLAIN_SERVER_OPTIONS, 'run'>, write: Write): Promise<number> {
  const model = await loadRunModel(opts.run, 'gat explain-server');
  const answers = new Answers(model);
  const ready: ExplainServerReady = { ready: { runId: model.runId, dataset: model.graph.name, numNodes: model.graph.numNodes, numFeatures: model.graph.numFeatures, undirected: datasetIsUndirected(model.graph) } };
  write(JSON.stringify(ready) + '\n');
  const lines = new LineBuffer(
    MAX_REQUEST_CHARS,
    (line) => line.trim() && write(answers.reply(line) + '\n'),
    () => write(JSON.stringify({ id: null, error: `a request line is longer than ${MAX_REQUEST_CHARS} characters: refused unread` } satisfies ExplainReply) + '\n'),
  );
  return new Promise((resolve) => {
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => lines.push(chunk));
    process.stdin.on('end', () => {
      lines.end();
      resolve(0);
    });
    process.stdin.on('error', () => resolve(0)); // the host went away: nothing left to answer
  });
}

/** How many recent answers are kept: Undo and Reset return to states asked for a moment ago. */
const REMEMBERED = 16;

/** Answers one request line each, remembering the last few explanations (as JSON) by what was asked. */
class Answers {
  private readonly recent = new Map<string, string>();
  /** The unedited prediction of the nodes asked about last: every edit of a node is compared with it. */
  private readonly unedited = new Map<number, UneditedPrediction>();

  constructor(private readonly model: RunModel) {}

  reply(line: string): string {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return JSON.stringify({ id: null, error: `a request must be one line of JSON; this one is not (${line.length} characters)` } satisfies ExplainReply);
    }
    const id = idOf(value);
    const problem = explainRequest.check(value);
    if (problem !== undefined) return JSON.stringify({ id, error: `bad request: ${problem}` } satisfies ExplainReply);
    const r = value as ExplainRequest;
    const key = JSON.stringify([r.node, r.edits, r.directed, r.methods, r.label ?? null]);
    let explanation = this.recent.get(key);
    if (explanation === undefined) {
      try {
        explanation = this.explain(r);
      } catch (e) {
        return JSON.stringify({ id, error: describeError(e) } satisfies ExplainReply);
      }
      this.recent.set(key, explanation);
      if (this.recent.size > REMEMBERED) this.recent.delete(this.recent.keys().next().value as string);
    } else {
      this.recent.delete(key); // most recently used last
      this.recent.set(key, explanation);
    }
    return `{"id":${r.id},"explanation":${explanation}}`;
  }

  /**
   * The node's unedited prediction is kept from its first edit, not computed again with each: a
   * panel's edits come one after another on one node, and that pass was half of each answer.
   */
  private explain(r: ExplainRequest): string {
    checkNode(this.model, r.node);
    const before = r.edits.length > 0 ? this.uneditedOf(r.node) : undefined;
    const x = studyNode(this.model, { node: r.node, edits: { edits: r.edits, directed: r.directed }, methods: r.methods, ...(r.label !== undefined ? { label: r.label } : {}), ...(before ? { before } : {}) });
    return JSON.stringify(x);
  }

  private uneditedOf(node: number): UneditedPrediction {
    let before = this.unedited.get(node);
    if (!before) {
      before = uneditedPrediction(this.model, node);
      this.unedited.set(node, before);
      if (this.unedited.size > REMEMBERED) this.unedited.delete(this.unedited.keys().next().value as number);
    }
    return before;
  }
}

/** The request's id when it has a readable one, so even a refusal can be matched to its request. */
function idOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, 'id')) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 && id < 2 ** 31 ? id : null;
}

/** A user's mistake is its own one line; anything else is a bug, said so, and the server goes on. */
function describeError(e: unknown): string {
  if (e instanceof EditError || e instanceof UsageError) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  if (process.env.GAT_DEBUG === '1') process.stderr.write(`gat explain-server: ${e instanceof Error ? (e.stack ?? message) : message}\n`);
  return `unexpected error: ${message} (this is a bug: run again with GAT_DEBUG=1 for the stack trace, and report it)`;
}
