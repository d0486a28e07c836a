/**
 * The host's side of what-if editing, with the real explain process (dist/cli.js explain-server) on
 * a trained Cora run: the client starts it once and queues requests, restarts it when it dies with
 * requests in it, says so in one line when it keeps dying or cannot start, and ends it on dispose;
 * the session behind the Computation panel applies, refuses, undoes and resets edits, and saves and
 * opens scenarios, each answer a complete snapshot.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { ExplainServerClient, ExplainServerError, type ExplainOutcome } from '../../src/extension/cli/explainServer';
import { attentionOf, WhatIfSession, type WhatIfHost, type WhatIfRun } from '../../src/extension/webviews/whatIfSession';
import { IMPORTANCE_METHODS, type EdgeImportance, type NodeExplanation } from '../../src/protocol/explanation';
import type { WhatIfSnapshot } from '../../src/protocol/whatIf';
import { repoRoot } from '../helpers/paths';
import { trainCora, type TrainedRun } from '../helpers/trainedCora';

const cli = path.join(repoRoot, 'dist', 'cli.js');

const explanation = (o: ExplainOutcome): NodeExplanation => {
  assert.ok('explanation' in o, 'error' in o ? o.error : '');
  return o.explanation;
};

/** Resolves once no process has the id (it exited and was reaped). */
async function gone(pid: number): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  assert.fail(`process ${pid} is still running`);
}

/** Kills every process the client starts, as soon as it starts (a process that keeps dying). */
function killEachStart(client: ExplainServerClient): () => void {
  const killed = new Set<number>();
  const timer = setInterval(() => {
    const pid = client.pid;
    if (pid !== undefined && !killed.has(pid)) {
      killed.add(pid);
      process.kill(pid, 'SIGKILL');
    }
  }, 2);
  return () => clearInterval(timer);
}

describe('what-if on the host: the explain process and the panel session (a trained Cora run)', () => {
  let trained: TrainedRun;
  let base: NodeExplanation;
  let strongest: number;
  const request = (node: number): { node: number; edits: []; directed: false; methods: [] } => ({ node, edits: [], directed: false, methods: [] });

  before(async () => {
    trained = await trainCora(40, 'wasm');
    base = await explainRunNode(trained.runDir, 1358);
    strongest = base.layers[1].perHead[0].neighbours.filter((n) => !n.isSelf).reduce((a, b) => (b.weight > a.weight ? b : a)).node;
  });

  describe('ExplainServerClient', () => {
    it('starts one process on the first request and answers requests in order, the same numbers as gat explain', async () => {
      const client = new ExplainServerClient({ cli, runDir: trained.runDir });
      assert.equal(client.starts, 0, 'nothing starts before it is needed');
      const [a, b, c] = await Promise.all([client.explain(request(1358)), client.explain(request(0)), client.explain(request(2707))]);
      assert.deepEqual(explanation(a), base);
      assert.deepEqual([explanation(b).node, explanation(c).node], [0, 2707]);
      const refused = await client.explain({ node: 1358, edits: [{ kind: 'remove-edge', source: 5, target: 1358 }], directed: false, methods: [] });
      assert.deepEqual(refused, { error: 'remove edge 5 — 1358: there is no edge 5 → 1358 in cora' });
      assert.equal(explanation(await client.explain(request(3))).node, 3, 'it goes on after a refusal');
      assert.equal(client.starts, 1);
      assert.deepEqual(client.info, { runId: trained.runId, dataset: 'cora', numNodes: 2708, numFeatures: 1433, undirected: true });
      const pid = client.pid!;
      client.dispose();
      await gone(pid);
      await assert.rejects(client.explain(request(1)), /closed with its panel/);
    });

    it('starts the process again when it dies with a request in it, and the request is answered', async () => {
      const client = new ExplainServerClient({ cli, runDir: trained.runDir });
      const answer = client.explain(request(1358));
      process.kill(client.pid!, 'SIGKILL');
      assert.deepEqual(explanation(await answer), base);
      assert.equal(client.starts, 2);
      client.dispose();
    });

    it('refuses a request with one clear line once the process has died three times with it', async () => {
      const client = new ExplainServerClient({ cli, runDir: trained.runDir });
      const stop = killEachStart(client);
      try {
        await assert.rejects(client.explain(request(1358)), (e: unknown) => {
          assert.ok(e instanceof ExplainServerError);
          assert.match(e.message, /^the explain process for this run stopped 3 times while computing node 1358 \(last: killed by SIGKILL\); close the panel and open it again, or run `gat explain --run .* --node 1358` to see why$/);
          return true;
        });
        assert.equal(client.starts, 3);
      } finally {
        stop();
        client.dispose();
      }
    });

    it('a run it cannot load is one line for every request, and no restart', async () => {
      const client = new ExplainServerClient({ cli, runDir: path.join(trained.out, 'runs', 'no-such-run') });
      const answers = [client.explain(request(1)), client.explain(request(2))];
      for (const a of answers) await assert.rejects(a, /^ExplainServerError: the explain process for this run could not start: .*no-such-run/);
      assert.equal(client.starts, 1);
      client.dispose();
    });
  });

  describe('WhatIfSession', () => {
    let session: WhatIfSession;
    let posted: WhatIfSnapshot[];
    let replace: boolean;
    let retitled: number[];
    const last = (): WhatIfSnapshot => posted[posted.length - 1];
    const run = (): WhatIfRun => ({ runId: trained.runId, provenance: null as never, graph: { name: 'cora', numNodes: 2708, numFeatures: 1433 } });

    before(async () => {
      posted = [];
      retitled = [];
      replace = false;
      const host: WhatIfHost = {
        node: 1358,
        server: () => ({ cli, runDir: trained.runDir, cwd: trained.out }),
        post: async (s) => void posted.push(s),
        sources: () => ({}),
        confirmReplace: async () => replace,
        retitle: (node) => void retitled.push(node),
      };
      session = new WhatIfSession(host);
      const first = await session.snapshot(run());
      assert.equal(first.type, 'computationWhatIf');
      posted.push(first as WhatIfSnapshot);
    });

    it("the first snapshot: the run's own computation, its attention as the baseline, no edits", () => {
      const s = last();
      assert.deepEqual(s.explanation, base);
      assert.deepEqual(s.whatIf.edits, []);
      assert.deepEqual(s.whatIf.baseline, attentionOf(base));
      assert.deepEqual([s.whatIf.numNodes, s.whatIf.numFeatures, s.whatIf.scenario], [2708, 1433, null]);
    });

    it('an edit is computed by the process and posted whole; the before is the unedited prediction', async () => {
      await session.edit({ kind: 'remove-edge', node: strongest });
      const s = last();
      assert.deepEqual(s.whatIf.edits, [{ kind: 'remove-edge', source: strongest, target: 1358 }]);
      assert.deepEqual(s.whatIf.message, { kind: 'info', text: `remove edge ${strongest} — 1358: recomputed` });
      assert.deepEqual(s.explanation, await explainRunNode(trained.runDir, 1358, { edits: { edits: s.whatIf.edits, directed: false }, methods: [] }));
      assert.deepEqual(s.explanation.edits?.before.probabilities, base.result.probabilities);
      assert.deepEqual(s.whatIf.baseline, attentionOf(base), 'the baseline stays the unedited graph');
    });

    it('an edit the graph refuses, or an id out of range, leaves everything as it was and says why', async () => {
      const was = last();
      await session.edit({ kind: 'add-edge', node: base.layers[0].perHead[0].neighbours.find((n) => !n.isSelf && n.node !== strongest)!.node });
      assert.equal(last().whatIf.message?.kind, 'error');
      assert.match(last().whatIf.message!.text, /^add edge \d+ — 1358: the edge \d+ → 1358 is already there$/);
      assert.deepEqual(last().whatIf.edits, was.whatIf.edits);
      assert.deepEqual(last().explanation, was.explanation);
      await session.edit({ kind: 'add-edge', node: 99_999 });
      assert.deepEqual(last().whatIf.message, { kind: 'error', text: 'node 99999 does not exist in cora: node ids are 0 to 2707' });
      await session.edit({ kind: 'feature-on', feature: 1433 });
      assert.deepEqual(last().whatIf.message, { kind: 'error', text: 'feature 1433 does not exist in cora: features are 0 to 1432' });
      await session.edit({ kind: 'remove-edge', node: strongest });
      assert.deepEqual(last().whatIf.message, { kind: 'error', text: `remove edge ${strongest} — 1358 is already in the list` });
      assert.deepEqual(last().whatIf.edits, was.whatIf.edits);
    });

    it('undoes any one edit (the others stay) and resets to the run’s own computation', async () => {
      const feature = base.layers[0].input.nonZero[0].index;
      await session.edit({ kind: 'add-edge', node: 5 });
      await session.edit({ kind: 'feature-off', feature });
      assert.equal(last().whatIf.edits.length, 3);
      assert.deepEqual(last().explanation.edits?.applied, [`remove edge ${strongest} — 1358`, 'add edge 5 — 1358', `feature ${feature} of node 1358 off`]);
      await session.undo(0);
      assert.deepEqual(last().whatIf.edits, [{ kind: 'add-edge', source: 5, target: 1358 }, { kind: 'feature-off', node: 1358, feature }]);
      assert.deepEqual(last().explanation, await explainRunNode(trained.runDir, 1358, { edits: { edits: last().whatIf.edits, directed: false }, methods: [] }));
      assert.deepEqual(last().whatIf.message, { kind: 'info', text: `undid remove edge ${strongest} — 1358` });
      await session.undo(5);
      assert.deepEqual(last().whatIf.message, { kind: 'error', text: 'there is no edit 6 to undo (2 in the list)' });
      await session.reset();
      assert.deepEqual(last().whatIf.edits, []);
      assert.deepEqual(last().explanation, base);
    });

    it('computes every importance method on request, for the edits applied; snapshots meanwhile say it is computing; an Undo back shows it again', async () => {
      /** The answer without its timings (the only numbers that differ from run to run). */
      const timeless = (x: EdgeImportance | undefined): unknown => x && { ...x, methods: x.methods.map(({ seconds: _, ...m }) => m) };
      assert.equal(last().whatIf.importance, undefined, 'not computed before it is asked for');
      assert.equal(last().whatIf.importanceBusy, false);
      await session.computeImportance();
      const all = { edits: { edits: [], directed: false }, methods: [...IMPORTANCE_METHODS] };
      const expected = (await explainRunNode(trained.runDir, 1358, all)).importance!;
      assert.deepEqual(timeless(last().whatIf.importance), timeless(expected));
      assert.deepEqual(last().whatIf.importance!.methods.map((m) => m.method), [...IMPORTANCE_METHODS]);
      assert.match(last().whatIf.message!.text, /^edge importance: 5 methods over \d+ edges in \d+\.\d s$/);
      assert.equal(last().whatIf.importanceBusy, false);
      const unedited = last().whatIf.importance;

      // an edit: the importance was for the graph before it, so it is not shown; asked again, it follows the edit
      const edited = session.edit({ kind: 'remove-edge', node: strongest });
      const asked = session.computeImportance();
      await edited;
      assert.equal(last().whatIf.importance, undefined, 'not for these edits');
      assert.equal(last().whatIf.importanceBusy, true, 'the edit snapshot says importance is being computed');
      await asked;
      assert.equal(last().whatIf.importanceBusy, false);
      const withEdit = { edits: { edits: [{ kind: 'remove-edge' as const, source: strongest, target: 1358 }], directed: false }, methods: [...IMPORTANCE_METHODS] };
      assert.deepEqual(timeless(last().whatIf.importance), timeless((await explainRunNode(trained.runDir, 1358, withEdit)).importance));
      assert.ok(!last().whatIf.importance!.units.some((u) => u.hop === 1 && (u.source === strongest || u.target === strongest)), 'the removed edge is no unit any more');

      await session.undo(0);
      assert.deepEqual(last().whatIf.importance, unedited, 'kept for the unedited graph: shown again at once');
    });

    it('saves the edits as a named scenario in the run folder and opens it again', async () => {
      await session.edit({ kind: 'remove-edge', node: strongest });
      await session.save('drop-strongest');
      assert.equal(last().whatIf.scenario, 'drop-strongest');
      assert.deepEqual(last().whatIf.scenarios, ['drop-strongest']);
      assert.match(last().whatIf.message!.text, /^saved scenario 'drop-strongest' \(1 edit\) as runs\/.*\/scenarios\/drop-strongest\.json$/);
      const edited = last().explanation;
      await session.reset();
      assert.equal(last().whatIf.scenario, null);
      await session.open('drop-strongest');
      assert.deepEqual(last().whatIf.edits, [{ kind: 'remove-edge', source: strongest, target: 1358 }]);
      assert.deepEqual(last().explanation, edited);
      assert.deepEqual(last().whatIf.message, { kind: 'info', text: "opened scenario 'drop-strongest' (1 edit)" });
    });

    it('asks before replacing a scenario of the same name', async () => {
      await session.reset();
      replace = false;
      await session.save('drop-strongest');
      assert.deepEqual(last().whatIf.message, { kind: 'info', text: "scenario 'drop-strongest' was kept as it was" });
      replace = true;
      await session.save('drop-strongest');
      assert.match(last().whatIf.message!.text, /^saved scenario 'drop-strongest' \(0 edits\)/);
      await session.open('drop-strongest');
      assert.deepEqual(last().whatIf.edits, []);
    });

    it('refuses a hostile scenario file, or one saved for another run, with one line, changing nothing', async () => {
      const dir = path.join(trained.runDir, 'scenarios');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'hostile.json'), JSON.stringify({ format: 'gat-explorer/scenario/1', name: 'hostile', runId: trained.runId, dataset: 'cora', node: 1358, directed: false, edits: [{ kind: 'remove-edge', source: 1, target: 1358, shell: 'rm -rf ~' }], savedAt: '' }));
      writeFileSync(path.join(dir, 'foreign.json'), JSON.stringify({ format: 'gat-explorer/scenario/1', name: 'foreign', runId: 'another-run', dataset: 'cora', node: 1358, directed: false, edits: [], savedAt: '' }));
      const was = last();
      await session.open('hostile');
      assert.equal(last().whatIf.message?.kind, 'error');
      assert.match(last().whatIf.message!.text, /hostile\.json is not a what-if scenario this version reads: 'edits' \[0\] has an unexpected field 'shell'$/);
      await session.open('foreign');
      assert.deepEqual(last().whatIf.message, { kind: 'error', text: `scenario 'foreign' was saved for run another-run, not this one (${trained.runId})` });
      assert.deepEqual(last().explanation, was.explanation);
      assert.deepEqual(last().whatIf.edits, was.whatIf.edits);
    });

    it("opening another node's scenario switches the panel to that node", async () => {
      writeFileSync(path.join(trained.runDir, 'scenarios', 'node-0.json'), JSON.stringify({ format: 'gat-explorer/scenario/1', name: 'node-0', runId: trained.runId, dataset: 'cora', node: 0, directed: false, edits: [{ kind: 'feature-off', node: 0, feature: base.layers[0].input.size - 1 }], savedAt: '' }));
      await session.open('node-0');
      assert.deepEqual(retitled, [0]);
      assert.equal(session.node, 0);
      assert.equal(last().explanation.node, 0);
      assert.deepEqual(last().whatIf.baseline, attentionOf(await explainRunNode(trained.runDir, 0)));
    });

    it('ends its process with the panel', async () => {
      const pid = session.server!.pid!;
      assert.equal(session.server!.starts, 1, 'one process served every request');
      session.dispose();
      await gone(pid);
    });
  });
});
