/**
 * `gat explain-server` through the real CLI (bin/gat.js → dist/cli.js) on a trained Cora run: its
 * replies equal `gat explain --json` with the same flags (edits, directed edits, importance), bad
 * requests get one-line error replies and the process keeps serving, and it exits when stdin closes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import type { ExplainReply, ExplainServerReady } from '../../src/protocol/explainServer';
import type { NodeExplanation } from '../../src/protocol/explanation';
import { assertNoStackTrace, runGat } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { trainCora } from '../helpers/trainedCora';

/** The server as a test talks to it: lines in, lines out, in order. */
class Server {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  stderr = '';

  constructor(readonly args: readonly string[]) {
    this.child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'gat.js'), 'explain-server', ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdin.on('error', () => undefined); // a write after it exited: the exit code is what the test checks
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async line(): Promise<string | undefined> {
    const r = await this.lines.next();
    return r.done ? undefined : r.value;
  }

  async reply(request: string | object): Promise<ExplainReply> {
    this.child.stdin.write((typeof request === 'string' ? request : JSON.stringify(request)) + '\n');
    return JSON.parse((await this.line())!) as ExplainReply;
  }

  /** Closes stdin and waits for the exit. */
  close(): Promise<number | null> {
    this.child.stdin.end();
    return new Promise((resolve) => (this.child.exitCode !== null ? resolve(this.child.exitCode) : this.child.on('close', (code) => resolve(code))));
  }
}

const explanationOf = (r: ExplainReply): NodeExplanation => {
  assert.ok('explanation' in r, `an error reply: ${'error' in r ? r.error : ''}`);
  return r.explanation;
};

/** Method timings differ from run to run; every other number must be the same. */
function withoutSeconds(x: NodeExplanation): NodeExplanation {
  return x.importance ? { ...x, importance: { ...x.importance, methods: x.importance.methods.map((m) => ({ ...m, seconds: 0 })) } } : x;
}

async function explainCli(runDir: string, args: readonly string[]): Promise<NodeExplanation> {
  const r = await runGat(['explain', '--run', runDir, ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as NodeExplanation;
}

describe('gat explain-server: gat explain kept running for one run', () => {
  let runDir: string;
  let server: Server;
  let base: NodeExplanation;
  let strongest: number;

  before(async () => {
    runDir = (await trainCora(40, 'wasm')).runDir;
    server = new Server(['--run', runDir]);
    const ready = JSON.parse((await server.line())!) as ExplainServerReady;
    assert.deepEqual(ready, { ready: { runId: path.basename(runDir), dataset: 'cora', numNodes: 2708, numFeatures: 1433, undirected: true } });
    base = explanationOf(await server.reply({ id: 1, node: 1358, edits: [], directed: false, methods: [] }));
    const out = base.layers[1].perHead[0].neighbours.filter((n) => !n.isSelf);
    strongest = out.reduce((a, b) => (b.weight > a.weight ? b : a)).node;
  });
  after(async () => {
    if (server.child.exitCode === null) await server.close();
  });

  it('answers what `gat explain --json` prints, with the same edits, directions and importance methods', async () => {
    const feature = base.layers[0].input.nonZero[0].index;
    const off = Array.from({ length: 1433 }, (_, k) => k).find((k) => !base.layers[0].input.nonZero.some((v) => v.index === k))!;
    const notNeighbour = Array.from({ length: 2708 }, (_, k) => k).find((k) => k !== 1358 && !base.layers[0].perHead[0].neighbours.some((n) => n.node === k))!;
    const cases: ReadonlyArray<readonly [string, readonly string[], object]> = [
      ['no edits', ['--node', '1358'], { node: 1358, edits: [], directed: false, methods: [] }],
      ['the strongest neighbour removed', ['--node', '1358', '--remove-edge', String(strongest)], { node: 1358, edits: [{ kind: 'remove-edge', source: strongest, target: 1358 }], directed: false, methods: [] }],
      [
        'an edge added, a word off, another on',
        ['--node', '1358', '--add-edge', String(notNeighbour), '--feature-off', String(feature), '--feature-on', String(off)],
        { node: 1358, edits: [{ kind: 'add-edge', source: notNeighbour, target: 1358 }, { kind: 'feature-off', node: 1358, feature }, { kind: 'feature-on', node: 1358, feature: off }], directed: false, methods: [] },
      ],
      ['one direction only', ['--node', '1358', '--remove-edge', `1358:${strongest}`, '--directed-edits'], { node: 1358, edits: [{ kind: 'remove-edge', source: 1358, target: strongest }], directed: true, methods: [] }],
      ['an edit two hops away', ['--node', '1358', '--add-edge', '7:12'], { node: 1358, edits: [{ kind: 'add-edge', source: 7, target: 12 }], directed: false, methods: [] }],
      ['importance by attention and leave-one-out', ['--node', '0', '--importance', 'attention,leave-one-out'], { node: 0, edits: [], directed: false, methods: ['attention', 'leave-one-out'] }],
    ];
    let id = 10;
    for (const [what, flags, request] of cases) {
      const got = explanationOf(await server.reply({ id: ++id, ...request }));
      const want = await explainCli(runDir, flags);
      assert.deepEqual(withoutSeconds(got), withoutSeconds(want), what);
    }
    // the edit changed the prediction's numbers, and the reply says what it was compared with
    const dropped = explanationOf(await server.reply({ id: 99, node: 1358, edits: [{ kind: 'remove-edge', source: strongest, target: 1358 }], directed: false, methods: [] }));
    assert.deepEqual(dropped.edits?.before.probabilities, base.result.probabilities);
    assert.notDeepEqual(dropped.result.probabilities, base.result.probabilities);
    assert.equal(dropped.layers[0].perHead[0].neighbours.length, 168);
  });

  it('answers pipelined requests in order, each with its id', async () => {
    const requests = [3, 0, 2707].map((node, k) => JSON.stringify({ id: 200 + k, node, edits: [], directed: false, methods: [] }));
    server.child.stdin.write(requests.join('\n') + '\n');
    const replies = [await server.line(), await server.line(), await server.line()].map((l) => JSON.parse(l!) as ExplainReply);
    assert.deepEqual(replies.map((r) => [r.id, explanationOf(r).node]), [[200, 3], [201, 0], [202, 2707]]);
  });

  const edge = (kind: string, source: number, target: number): object => ({ kind, source, target });
  const bad: ReadonlyArray<readonly [string, string | (() => object), number | null, RegExp]> = [
    ['a line that is not JSON', 'explain 1358 please', null, /^a request must be one line of JSON; this one is not \(19 characters\)$/],
    ['an array', '[1358]', null, /^bad request: must be an object; got an array$/],
    ['a request without a node', '{"id":5}', 5, /^bad request: lacks its field 'node'$/],
    ['an unknown field', () => ({ id: 6, node: 1, edits: [], directed: false, methods: [], run: '/etc' }), 6, /^bad request: has an unexpected field 'run'$/],
    ['a __proto__ field', '{"id":7,"node":1,"edits":[],"directed":false,"methods":[],"__proto__":{"polluted":true}}', 7, /unexpected field '__proto__'/],
    ['an id out of range', () => ({ id: 1e300, node: 1, edits: [], directed: false, methods: [] }), null, /^bad request: 'id' must be an integer/],
    ['a node as a string', () => ({ id: 8, node: '1358', edits: [], directed: false, methods: [] }), 8, /'node' must be an integer/],
    ['a node out of range', () => ({ id: 9, node: 2708, edits: [], directed: false, methods: [] }), 9, /^node 2708 does not exist in cora: node ids are 0 to 2707$/],
    ['an unknown edit kind', () => ({ id: 10, node: 1, edits: [{ kind: 'delete-file', source: 1, target: 2 }], directed: false, methods: [] }), 10, /^bad request: 'edits' \[0\] 'kind' must be one of "remove-edge"/],
    ['an edge that does not exist', () => ({ id: 11, node: 1358, edits: [edge('remove-edge', 5, 1358)], directed: false, methods: [] }), 11, /^remove edge 5 — 1358: there is no edge 5 → 1358 in cora$/],
    ['an edge already there', () => ({ id: 12, node: 1358, edits: [edge('add-edge', strongest, 1358)], directed: false, methods: [] }), 12, /is already there$/],
    ['a self-loop', () => ({ id: 13, node: 1358, edits: [edge('remove-edge', 1358, 1358)], directed: false, methods: [] }), 13, /self-loops belong to the model/],
    ['an edge to a node out of range', () => ({ id: 14, node: 1358, edits: [edge('add-edge', 9999, 1358)], directed: false, methods: [] }), 14, /^node 9999 does not exist in cora: node ids are 0 to 2707$/],
    ['a feature out of range', () => ({ id: 15, node: 1358, edits: [{ kind: 'feature-on', node: 1358, feature: 1433 }], directed: false, methods: [] }), 15, /cora has features 0 to 1432$/],
    ['an unknown method', () => ({ id: 16, node: 1, edits: [], directed: false, methods: ['shapley'] }), 16, /^bad request: 'methods' \[0\] must be one of "attention"/],
    ['a label on a single-label dataset', () => ({ id: 17, node: 1, edits: [], directed: false, methods: [], label: 2 }), 17, /is for multi-label datasets/],
    ['too many edits', () => ({ id: 18, node: 1, edits: Array.from({ length: 1001 }, () => edge('add-edge', 1, 2)), directed: false, methods: [] }), 18, /^bad request: 'edits' must have at most 1000 items; got 1001$/],
    ['a line past the 1 MiB cap', () => ({ id: 19, pad: 'x'.repeat(1 << 20) }), null, /^a request line is longer than 1048576 characters: refused unread$/],
  ];
  for (const [what, request, id, reason] of bad) {
    it(`refuses ${what} with one line, then serves the next request`, async () => {
      const r = await server.reply(typeof request === 'string' ? request : request());
      assert.ok('error' in r, 'an error reply');
      assert.equal(r.id, id);
      assert.match(r.error, reason);
      assert.ok(!r.error.includes('\n'));
      const next = await server.reply({ id: 500, node: 1358, edits: [], directed: false, methods: [] });
      assert.deepEqual(explanationOf(next), base);
    });
  }

  it('exits with 0 when stdin closes, having printed nothing on stderr', async () => {
    assert.equal(await server.close(), 0);
    assert.equal(server.stderr, '');
  });

  it('a run it cannot load is one line on stderr and exit code 2, before any reply', async () => {
    const missing = new Server(['--run', path.join(path.dirname(runDir), 'no-such-run')]);
    assert.equal(await missing.line(), undefined);
    assert.equal(await missing.close(), 2);
    assertNoStackTrace(['explain-server'], missing.stderr);
    assert.match(missing.stderr, /^gat explain-server: error: .*no-such-run.*\n$/);
  });
});
