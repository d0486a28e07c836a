import * as path from 'node:path';
import { ScenarioError, listScenarios, readScenario, scenarioExists, writeScenario } from '../../gat/artifacts/whatIfScenario';
import { describeEdit } from '../../gat/explain/graphEdits';
import { describePathErrno, pathErrno } from '../../gat/io/fsErrors';
import type { AnalysisUnavailable } from '../../protocol/analysisSnapshots';
import { IMPORTANCE_METHODS, type EdgeImportance, type ExplainSources, type ImportanceMethod, type NodeExplanation } from '../../protocol/explanation';
import type { Provenance } from '../../protocol/provenance';
import { SCENARIO_FORMAT, scenarioName, type BaselineAttention, type PanelEdit, type WhatIfSnapshot, type WhatIfView } from '../../protocol/whatIf';
import { ExplainServerClient, ExplainServerError, type ExplainServerOptions } from '../cli/explainServer';
import { engineEdit, outOfRange, WhatIfEdits, type GraphLimits } from './whatIfEdits';

/** What the session needs of its panel (no vscode here: the bench and unit tests drive it as it is). */
export interface WhatIfHost {
  readonly node: number;
  /** How to start the run's explain process, or why it cannot start. */
  server(): ExplainServerOptions | string;
  /** Posts a complete snapshot to the page. */
  post(snapshot: WhatIfSnapshot): Promise<void>;
  sources(): ExplainSources;
  /** Whether to replace a scenario saved under the same name (the panel asks the user). */
  confirmReplace(name: string): Promise<boolean>;
  /** The panel now shows another node (a scenario of another node was opened). */
  retitle(node: number): void;
}

/** The run the panel shows, as loaded for its snapshot. */
export interface WhatIfRun {
  readonly runId: string;
  readonly provenance: Provenance;
  readonly graph: { readonly name: string; readonly numNodes: number; readonly numFeatures: number };
}

/**
 * One Computation panel's what-if state: the node, its edit list, its unedited explanation (the
 * "before"), and the run's explain process. Actions run one at a time, in the order they came;
 * an edit is kept only once the process has computed it, so a refused edit leaves everything as it
 * was and says why in the panel.
 */
export class WhatIfSession {
  private edits: WhatIfEdits;
  private baseline: NodeExplanation | undefined;
  private current: NodeExplanation | undefined;
  private scenario: string | null = null;
  private run: (WhatIfRun & { readonly limits: GraphLimits; readonly runDir: string | undefined }) | undefined;
  private client: ExplainServerClient | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Edge importance computed for recent edit lists (by WhatIfEdits.key): an Undo back to one shows it again. */
  private readonly importance = new Map<string, EdgeImportance>();
  /** Importance requests queued or being computed (every snapshot says so while there are any). */
  private importanceAsked = 0;
  /** Why the last importance request failed, for the edit list it was for. */
  private importanceFailed: { readonly key: string; readonly text: string } | undefined;

  constructor(private readonly host: WhatIfHost) {
    this.edits = new WhatIfEdits(host.node);
  }

  get node(): number {
    return this.edits.node;
  }

  /** The explain process (tests and the bench read its pid and starts). */
  get server(): ExplainServerClient | undefined {
    return this.client;
  }

  /** Another node: its edits start empty. */
  showNode(node: number): void {
    if (node === this.edits.node) return;
    this.edits = new WhatIfEdits(node);
    this.baseline = this.current = undefined;
    this.scenario = null;
  }

  /** The panel's complete snapshot for the run (on ready, a reload or another node), with the edits kept. */
  snapshot(run: WhatIfRun): Promise<WhatIfSnapshot | AnalysisUnavailable> {
    const options = this.host.server();
    const runDir = typeof options === 'string' ? undefined : options.runDir;
    this.run = { ...run, runDir, limits: { dataset: run.graph.name, numNodes: run.graph.numNodes, numFeatures: run.graph.numFeatures } };
    return this.serialized(async () => {
      const x = await this.compute(this.edits);
      if (typeof x === 'string') return { type: 'analysisUnavailable', provenance: run.provenance, message: `The computation of node ${this.edits.node} could not be explained: ${x}` } satisfies AnalysisUnavailable;
      this.current = x;
      return this.build();
    });
  }

  /** A neighbour's own computation (one layer down), on the graph as edited. */
  explainNeighbour(node: number): Promise<NodeExplanation | string> {
    return this.serialized(() => this.explain(node, this.edits));
  }

  edit(e: PanelEdit): Promise<void> {
    return this.serialized(async () => {
      const problem = this.run && outOfRange(e, this.run.limits);
      if (problem) return this.say('error', problem);
      const edit = engineEdit(this.edits.node, e);
      const next = this.edits.with(edit);
      if (typeof next === 'string') return this.say('error', next);
      await this.apply(next, null, `${describeEdit(edit, this.edits.directed)}: recomputed`);
    });
  }

  undo(index: number): Promise<void> {
    return this.serialized(async () => {
      const next = this.edits.without(index);
      if (typeof next === 'string') return this.say('error', next);
      await this.apply(next, null, `undid ${describeEdit(this.edits.edits[index], this.edits.directed)}`);
    });
  }

  reset(): Promise<void> {
    return this.serialized(() => this.apply(this.edits.reset(), null, "reset: the run's own graph and features"));
  }

  /**
   * Every importance method for the node as edited now (seconds, not milliseconds: asked for, never
   * computed with each edit). Snapshots posted meanwhile say it is being computed.
   */
  computeImportance(): Promise<void> {
    this.importanceAsked++;
    return this.serialized(async () => {
      let said: { kind: 'error' | 'info'; text: string };
      try {
        said = await this.importanceOf(this.edits);
      } finally {
        this.importanceAsked--;
      }
      await this.say(said.kind, said.text);
    });
  }

  /** Saves the edits as runs/<id>/scenarios/<name>.json. */
  save(name: string): Promise<void> {
    return this.serialized(async () => {
      const run = this.run;
      if (!run?.runDir) return;
      if (scenarioName.check(name) !== undefined) return this.say('error', `'${name.slice(0, 64)}' cannot name a scenario: use letters, digits, '-', '_' and '.' (at most 64, no '..')`);
      try {
        if ((await scenarioExists(run.runDir, name)) && !(await this.host.confirmReplace(name))) return this.say('info', `scenario '${name}' was kept as it was`);
        const file = await writeScenario(run.runDir, { format: SCENARIO_FORMAT, name, runId: run.runId, dataset: run.graph.name, node: this.edits.node, directed: this.edits.directed, edits: this.edits.edits, savedAt: new Date().toISOString() });
        this.scenario = name;
        await this.say('info', `saved scenario '${name}' (${this.edits.edits.length} edit${this.edits.edits.length === 1 ? '' : 's'}) as ${path.relative(path.dirname(path.dirname(run.runDir)), file)}`);
      } catch (err) {
        await this.say('error', fileProblem(err));
      }
    });
  }

  /** Opens a saved scenario: its node (the panel switches to it) and its edits, recomputed. */
  open(name: string): Promise<void> {
    return this.serialized(async () => {
      const run = this.run;
      if (!run?.runDir) return;
      try {
        const s = await readScenario(run.runDir, name);
        if (s.runId !== run.runId) return this.say('error', `scenario '${name}' was saved for run ${s.runId.slice(0, 80)}, not this one (${run.runId})`);
        if (s.node >= run.limits.numNodes) return this.say('error', `scenario '${name}' is about node ${s.node}, which ${run.graph.name} does not have (node ids are 0 to ${run.limits.numNodes - 1})`);
        if (s.node !== this.edits.node) {
          const before = await this.explain(s.node, new WhatIfEdits(s.node));
          if (typeof before === 'string') return this.say('error', `scenario '${name}': ${before}`);
          this.showNode(s.node);
          this.baseline = this.current = before;
          this.host.retitle(s.node);
        }
        await this.apply(new WhatIfEdits(s.node, s.edits, s.directed), name, `opened scenario '${name}' (${s.edits.length} edit${s.edits.length === 1 ? '' : 's'})`);
      } catch (err) {
        await this.say('error', fileProblem(err));
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    this.client?.dispose();
    this.client = undefined;
  }

  /** Asks the process for every method's scores with these edits and keeps them; says what came of it. */
  private async importanceOf(edits: WhatIfEdits): Promise<{ kind: 'error' | 'info'; text: string }> {
    const x = await this.explain(edits.node, edits, IMPORTANCE_METHODS);
    if (typeof x === 'string' || !x.importance) {
      const text = `edge importance could not be computed: ${typeof x === 'string' ? x : 'the explain process answered without it'}`;
      this.importanceFailed = { key: edits.key, text };
      return { kind: 'error', text };
    }
    this.importanceFailed = undefined;
    this.importance.delete(edits.key); // most recent last
    this.importance.set(edits.key, x.importance);
    if (this.importance.size > REMEMBERED_IMPORTANCE) this.importance.delete(this.importance.keys().next().value as string);
    const seconds = x.importance.methods.reduce((t, m) => t + m.seconds, 0);
    return { kind: 'info', text: `edge importance: ${x.importance.methods.length} methods over ${x.importance.units.length} edges in ${seconds.toFixed(1)} s` };
  }

  /** Computes the edits; keeps them only if the process could. */
  private async apply(next: WhatIfEdits, scenario: string | null, done: string): Promise<void> {
    const x = await this.compute(next);
    if (typeof x === 'string') return this.say('error', x);
    this.edits = next;
    this.current = x;
    this.scenario = scenario;
    await this.post({ kind: 'info', text: done });
  }

  /** The explanation with these edits, computing the unedited one first (the "before" every change is compared with). */
  private async compute(edits: WhatIfEdits): Promise<NodeExplanation | string> {
    if (!this.baseline || this.baseline.node !== edits.node) {
      const base = await this.explain(edits.node, new WhatIfEdits(edits.node));
      if (typeof base === 'string') return base;
      this.baseline = base;
    }
    return edits.isEmpty ? this.baseline : this.explain(edits.node, edits);
  }

  private async explain(node: number, edits: WhatIfEdits, methods: readonly ImportanceMethod[] = []): Promise<NodeExplanation | string> {
    if (this.disposed) return 'the panel was closed';
    if (!this.client) {
      const options = this.host.server();
      if (typeof options === 'string') return options;
      this.client = new ExplainServerClient(options);
    }
    try {
      const outcome = await this.client.explain({ node, edits: edits.edits, directed: edits.directed, methods: [...methods] });
      return 'error' in outcome ? outcome.error : outcome.explanation;
    } catch (err) {
      if (err instanceof ExplainServerError) return err.message;
      throw err;
    }
  }

  /** The current state again, with a line saying what happened (or why not). */
  private async say(kind: 'error' | 'info', text: string): Promise<void> {
    await this.post({ kind, text });
  }

  private async post(message: WhatIfView['message']): Promise<void> {
    if (this.disposed || !this.current) return;
    await this.host.post(await this.build(message));
  }

  private async build(message?: WhatIfView['message']): Promise<WhatIfSnapshot> {
    const run = this.run!;
    const importance = this.importance.get(this.edits.key);
    return {
      type: 'computationWhatIf',
      provenance: run.provenance,
      explanation: this.current!,
      sources: this.host.sources(),
      whatIf: {
        edits: this.edits.edits,
        directed: this.edits.directed,
        baseline: attentionOf(this.baseline!),
        numNodes: run.limits.numNodes,
        numFeatures: run.limits.numFeatures,
        scenarios: run.runDir ? await listScenarios(run.runDir) : [],
        scenario: this.scenario,
        ...(message ? { message } : {}),
        ...(importance ? { importance } : {}),
        importanceBusy: this.importanceAsked > 0,
        ...(!importance && this.importanceFailed?.key === this.edits.key ? { importanceError: this.importanceFailed.text } : {}),
      },
    };
  }

  /** One action at a time, in order; a failed one does not stop the next. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Edit lists whose edge importance is kept (a few kB each for Cora; Undo and Reset return to them). */
const REMEMBERED_IMPORTANCE = 8;

/** The unedited attention: per layer, per head, every neighbour's weight. */
export function attentionOf(x: NodeExplanation): BaselineAttention {
  return x.layers.map((l) => l.perHead.map((h) => ({ nodes: h.neighbours.map((n) => n.node), weights: h.neighbours.map((n) => n.weight) })));
}

/** A scenario file's problem, or a file-system failure, in one line. */
function fileProblem(err: unknown): string {
  if (err instanceof ScenarioError) return err.message;
  const errno = pathErrno(err);
  if (errno) return describePathErrno(errno);
  return err instanceof Error ? err.message : String(err);
}
