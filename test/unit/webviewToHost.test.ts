import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWebviewToHost, WEBVIEW_TO_HOST, webviewToHostProblem, type WebviewMessage, type WebviewToHost } from '../../src/protocol/webviewToHost';

type Type = WebviewToHost['type'];

/** Per message type: messages the host accepts, and ones it refuses with the reason's gist. */
interface Cases<K extends Type> {
  readonly valid: readonly WebviewMessage<K>[];
  readonly invalid: ReadonlyArray<readonly [message: Record<string, unknown>, reason: RegExp]>;
}

const long = (n: number): string => 'x'.repeat(n);

// A Record over every type: a message type declared without cases here does not compile.
const CASES: { readonly [K in Type]: Cases<K> } = {
  ready: {
    valid: [{ type: 'ready' }],
    invalid: [[{ type: 'ready', extra: 1 }, /unexpected field 'extra'/]],
  },
  openFile: {
    valid: [{ type: 'openFile', path: '/work/runs/r1/run.json' }, { type: 'openFile', path: long(4096) }],
    invalid: [
      [{ type: 'openFile' }, /lacks its field 'path'/],
      [{ type: 'openFile', path: 42 }, /'path' must be a string; got the number 42/],
      [{ type: 'openFile', path: { toString: 'x' } }, /'path' must be a string/],
      [{ type: 'openFile', path: long(4097) }, /'path' must be at most 4096 characters; got 4097/],
    ],
  },
  openRecord: {
    valid: [
      { type: 'openRecord', dataset: 'cora', node: 1358 },
      { type: 'openRecord', dataset: 'cora', node: 0, runId: 'r1' },
      { type: 'openRecord', dataset: 'cora', node: 5, runId: 'r1', compareRunId: 'r2' },
      { type: 'openRecord', dataset: 'cora', node: 5, runId: undefined },
    ],
    invalid: [
      [{ type: 'openRecord', node: 1 }, /lacks its field 'dataset'/],
      [{ type: 'openRecord', dataset: 'cora' }, /lacks its field 'node'/],
      [{ type: 'openRecord', dataset: 'cora', node: -1 }, /'node' must be an integer from 0/],
      [{ type: 'openRecord', dataset: 'cora', node: 1.5 }, /'node' must be an integer/],
      [{ type: 'openRecord', dataset: 'cora', node: Number.NaN }, /'node' must be an integer/],
      [{ type: 'openRecord', dataset: 'cora', node: '5' }, /'node' must be an integer.*a string of 1 characters/],
      [{ type: 'openRecord', dataset: 'cora', node: 2 ** 53 }, /'node' must be an integer/],
      [{ type: 'openRecord', dataset: 'cora', node: 1, runId: null }, /'runId' must be a string; got null/],
      [{ type: 'openRecord', dataset: 'cora', node: 1, runId: long(257) }, /'runId' must be at most 256 characters/],
      [{ type: 'openRecord', dataset: ['cora'], node: 1 }, /'dataset' must be a string; got an array/],
      // Names the host joins under the output folder: never a path.
      [{ type: 'openRecord', dataset: 'cora', node: 1, runId: '../../../etc' }, /'runId' must match/],
      [{ type: 'openRecord', dataset: 'cora', node: 1, runId: 'r1/../../x' }, /'runId' must match/],
      [{ type: 'openRecord', dataset: '/etc/passwd', node: 1 }, /'dataset' must match/],
      [{ type: 'openRecord', dataset: 'a..b', node: 1 }, /'dataset' must match/],
    ],
  },
  runCommand: {
    valid: [
      { type: 'runCommand', command: 'gat.trainCora' },
      { type: 'runCommand', command: 'gat.cancelTraining' },
      { type: 'runCommand', command: 'gat.showTrainingMetrics' },
    ],
    invalid: [
      [{ type: 'runCommand', command: 'workbench.action.terminal.new' }, /'command' must be one of "gat.trainCora"/],
      [{ type: 'runCommand', command: 'gat.installGpuBackend' }, /'command' must be one of/],
      [{ type: 'runCommand', command: ['gat.trainCora'] }, /'command' must be one of/],
      [{ type: 'runCommand' }, /lacks its field 'command'/],
      [{ type: 'runCommand', command: 'gat.trainCora', args: ['x'] }, /unexpected field 'args'/],
    ],
  },
  exportImage: {
    valid: [
      { type: 'exportImage', format: 'svg', data: '<svg/>', suggestedName: 'cora-graph.svg' },
      { type: 'exportImage', format: 'png', data: `data:image/png;base64,${long(100_000)}`, suggestedName: 'cora-graph.png' },
    ],
    invalid: [
      [{ type: 'exportImage', format: 'gif', data: '', suggestedName: 'a.gif' }, /'format' must be one of "png", "svg"/],
      [{ type: 'exportImage', format: 'svg', suggestedName: 'a.svg' }, /lacks its field 'data'/],
      [{ type: 'exportImage', format: 'svg', data: '<svg/>', suggestedName: long(256) }, /'suggestedName' must be at most 255/],
      [{ type: 'exportImage', format: 'svg', data: 7, suggestedName: 'a.svg' }, /'data' must be a string/],
    ],
  },
  showInGraph: {
    valid: [{ type: 'showInGraph', dataset: 'cora', node: 42 }],
    invalid: [
      [{ type: 'showInGraph', dataset: 'cora' }, /lacks its field 'node'/],
      [{ type: 'showInGraph', dataset: 1, node: 42 }, /'dataset' must be a string/],
    ],
  },
  attentionRequest: {
    valid: [{ type: 'attentionRequest', node: 1358, layer: 1 }, { type: 'attentionRequest', node: 0, layer: 2 }],
    invalid: [
      [{ type: 'attentionRequest', node: 1358, layer: 0 }, /'layer' must be an integer from 1/],
      [{ type: 'attentionRequest', node: 1358 }, /lacks its field 'layer'/],
      [{ type: 'attentionRequest', node: true, layer: 1 }, /'node' must be an integer.*type boolean/],
    ],
  },
  entropyRequest: {
    valid: [{ type: 'entropyRequest', layer: 1 }],
    invalid: [
      [{ type: 'entropyRequest', layer: '1' }, /'layer' must be an integer/],
      [{ type: 'entropyRequest', layer: -2 }, /'layer' must be an integer from 1/],
    ],
  },
  showAttention: {
    valid: [{ type: 'showAttention', node: 7 }],
    invalid: [[{ type: 'showAttention', node: null }, /'node' must be an integer.*null/]],
  },
  embeddingRequest: {
    // Out-of-range settings pass: their range depends on the graph, and the panel says what is allowed.
    valid: [
      { type: 'embeddingRequest', settings: { perplexity: 20, iterations: 300, seed: 3 } },
      { type: 'embeddingRequest', settings: { perplexity: 1, iterations: 5, seed: -1 } },
    ],
    invalid: [
      [{ type: 'embeddingRequest', settings: { perplexity: 20, iterations: 300 } }, /'settings' lacks its field 'seed'/],
      [{ type: 'embeddingRequest', settings: { perplexity: '20', iterations: 300, seed: 3 } }, /'settings' 'perplexity' must be a number/],
      [{ type: 'embeddingRequest', settings: { perplexity: 20, iterations: 300, seed: 3, theta: 0.5 } }, /'settings' has an unexpected field 'theta'/],
      [{ type: 'embeddingRequest', settings: [20, 300, 3] }, /'settings' must be an object; got an array/],
      [{ type: 'embeddingRequest', settings: null }, /'settings' must be an object; got null/],
    ],
  },
  selectGraph: {
    valid: [{ type: 'selectGraph', index: 0 }, { type: 'selectGraph', index: null }],
    invalid: [
      [{ type: 'selectGraph' }, /lacks its field 'index'/],
      [{ type: 'selectGraph', index: -1 }, /'index' must be an integer from 0/],
    ],
  },
  swapRuns: {
    valid: [{ type: 'swapRuns' }],
    invalid: [[{ type: 'swapRuns', a: 'r2', b: 'r1' }, /unexpected field 'a'/]],
  },
  showAgreementGraph: {
    valid: [{ type: 'showAgreementGraph' }],
    invalid: [[{ type: 'showAgreementGraph', dataset: 'cora' }, /unexpected field 'dataset'/]],
  },
  timelineEpoch: {
    valid: [{ type: 'timelineEpoch', runId: 'r1', epoch: 3 }, { type: 'timelineEpoch', runId: 'r1', epoch: null }],
    invalid: [
      [{ type: 'timelineEpoch', runId: 'r1' }, /lacks its field 'epoch'/],
      [{ type: 'timelineEpoch', runId: 'r1', epoch: 2.5 }, /'epoch' must be an integer/],
      [{ type: 'timelineEpoch', epoch: 3 }, /lacks its field 'runId'/],
    ],
  },
  showRunMetrics: {
    valid: [{ type: 'showRunMetrics', runId: 'r1' }],
    invalid: [[{ type: 'showRunMetrics', runId: 1 }, /'runId' must be a string/]],
  },
  openSource: {
    valid: [{ type: 'openSource', step: 'attention' }, { type: 'openSource', step: 'output' }],
    invalid: [
      [{ type: 'openSource', step: '../../etc/passwd' }, /'step' must be one of "input"/],
      [{ type: 'openSource', step: 'toString' }, /'step' must be one of/],
    ],
  },
  explainNeighbour: {
    valid: [{ type: 'explainNeighbour', node: 12 }],
    invalid: [[{ type: 'explainNeighbour', node: Infinity }, /'node' must be an integer/]],
  },
  stepThrough: {
    valid: [{ type: 'stepThrough', node: 1358 }],
    invalid: [[{ type: 'stepThrough', node: -5 }, /'node' must be an integer from 0/]],
  },
  whatIfEdit: {
    valid: [
      { type: 'whatIfEdit', edit: { kind: 'remove-edge', node: 919 } },
      { type: 'whatIfEdit', edit: { kind: 'add-edge', node: 0 } },
      { type: 'whatIfEdit', edit: { kind: 'feature-off', feature: 12 } },
      // Ranges depend on the graph: the host checks them and says what is allowed.
      { type: 'whatIfEdit', edit: { kind: 'feature-on', feature: 99_999 } },
    ],
    invalid: [
      [{ type: 'whatIfEdit' }, /lacks its field 'edit'/],
      [{ type: 'whatIfEdit', edit: { kind: 'delete-run', node: 1 } }, /'edit' 'kind' must be one of "remove-edge", "add-edge", "feature-off", "feature-on"/],
      [{ type: 'whatIfEdit', edit: { node: 1 } }, /'edit' 'kind' must be one of/],
      [{ type: 'whatIfEdit', edit: { kind: 'toString', node: 1 } }, /'edit' 'kind' must be one of/],
      // A page edits only the node it shows: the target and the feature's node are the host's.
      [{ type: 'whatIfEdit', edit: { kind: 'remove-edge', node: 1, target: 2 } }, /'edit' has an unexpected field 'target'/],
      [{ type: 'whatIfEdit', edit: { kind: 'feature-off', node: 1, feature: 2 } }, /'edit' has an unexpected field 'node'/],
      [{ type: 'whatIfEdit', edit: { kind: 'remove-edge', feature: 2 } }, /'edit' has an unexpected field 'feature'/],
      [{ type: 'whatIfEdit', edit: { kind: 'add-edge', node: -1 } }, /'edit' 'node' must be an integer from 0/],
      [{ type: 'whatIfEdit', edit: { kind: 'add-edge', node: '12' } }, /'edit' 'node' must be an integer/],
      [{ type: 'whatIfEdit', edit: { kind: 'feature-on', feature: 1.5 } }, /'edit' 'feature' must be an integer/],
      [{ type: 'whatIfEdit', edit: [{ kind: 'add-edge', node: 1 }] }, /'edit' must be an object; got an array/],
      [{ type: 'whatIfEdit', edit: JSON.parse('{"kind":"add-edge","node":1,"__proto__":{"x":1}}') }, /'edit' has an unexpected field '__proto__'/],
    ],
  },
  whatIfUndo: {
    valid: [{ type: 'whatIfUndo', index: 0 }, { type: 'whatIfUndo', index: 41 }],
    invalid: [
      [{ type: 'whatIfUndo' }, /lacks its field 'index'/],
      [{ type: 'whatIfUndo', index: -1 }, /'index' must be an integer from 0/],
    ],
  },
  whatIfReset: {
    valid: [{ type: 'whatIfReset' }],
    invalid: [[{ type: 'whatIfReset', node: 3 }, /unexpected field 'node'/]],
  },
  whatIfImportance: {
    valid: [{ type: 'whatIfImportance' }],
    invalid: [
      [{ type: 'whatIfImportance', methods: ['attention'] }, /unexpected field 'methods'/],
      [{ type: 'whatIfImportance', node: 1358 }, /unexpected field 'node'/],
    ],
  },
  whatIfInComputation: {
    valid: [{ type: 'whatIfInComputation', node: 1358 }, { type: 'whatIfInComputation', node: 1358, removeEdgeFrom: 919 }, { type: 'whatIfInComputation', node: 0, removeEdgeFrom: undefined }],
    invalid: [
      [{ type: 'whatIfInComputation' }, /lacks its field 'node'/],
      [{ type: 'whatIfInComputation', node: 1358, removeEdgeFrom: -1 }, /'removeEdgeFrom' must be an integer from 0/],
      [{ type: 'whatIfInComputation', node: 1358, removeEdgeFrom: '919' }, /'removeEdgeFrom' must be an integer/],
      [{ type: 'whatIfInComputation', node: 1358, edit: { kind: 'remove-edge', node: 919 } }, /unexpected field 'edit'/],
    ],
  },
  saveScenario: {
    valid: [{ type: 'saveScenario', name: 'drop-919' }, { type: 'saveScenario', name: 'v1.2_no_words' }, { type: 'saveScenario', name: long(64) }],
    invalid: [
      // A name becomes runs/<id>/scenarios/<name>.json: never a path, never a device name.
      [{ type: 'saveScenario', name: '../../run' }, /'name' must match/],
      [{ type: 'saveScenario', name: 'a/b' }, /'name' must match/],
      [{ type: 'saveScenario', name: 'a\\b' }, /'name' must match/],
      [{ type: 'saveScenario', name: '.hidden' }, /'name' must match/],
      [{ type: 'saveScenario', name: 'a..b' }, /'name' must match/],
      [{ type: 'saveScenario', name: 'trailing.' }, /'name' must match/],
      [{ type: 'saveScenario', name: 'CON' }, /'name' must match/],
      [{ type: 'saveScenario', name: 'nul.json' }, /'name' must match/],
      [{ type: 'saveScenario', name: '' }, /'name' must match/],
      [{ type: 'saveScenario', name: 'two words' }, /'name' must match/],
      [{ type: 'saveScenario', name: long(65) }, /'name' must be at most 64 characters/],
    ],
  },
  openScenario: {
    valid: [{ type: 'openScenario', name: 'drop-919' }],
    invalid: [
      [{ type: 'openScenario', name: '/etc/passwd' }, /'name' must match/],
      [{ type: 'openScenario' }, /lacks its field 'name'/],
    ],
  },
  // The Faithfulness panel names a run as 'run' or 'twin': the host knows which runs those are, so a page never sends a run id or a path.
  faithfulnessRun: {
    valid: [{ type: 'faithfulnessRun', target: 'run' }, { type: 'faithfulnessRun', target: 'twin' }],
    invalid: [
      [{ type: 'faithfulnessRun', target: '2026-01-01-cora' }, /'target' must be one of "run", "twin"/],
      [{ type: 'faithfulnessRun' }, /lacks its field 'target'/],
      [{ type: 'faithfulnessRun', target: 'run', nodes: 'all' }, /unexpected field 'nodes'/],
    ],
  },
  faithfulnessCancel: {
    valid: [{ type: 'faithfulnessCancel', target: 'twin' }],
    invalid: [[{ type: 'faithfulnessCancel', target: ['run'] }, /'target' must be one of/]],
  },
  faithfulnessExport: {
    valid: [
      { type: 'faithfulnessExport', target: 'run', format: 'csv' },
      { type: 'faithfulnessExport', target: 'twin', format: 'json' },
    ],
    invalid: [
      [{ type: 'faithfulnessExport', target: 'run', format: 'xlsx' }, /'format' must be one of "csv", "json"/],
      [{ type: 'faithfulnessExport', target: 'run', format: 'csv', path: '/etc/passwd' }, /unexpected field 'path'/],
      [{ type: 'faithfulnessExport', format: 'csv' }, /lacks its field 'target'/],
    ],
  },
  compareWithTwin: {
    valid: [{ type: 'compareWithTwin' }],
    invalid: [[{ type: 'compareWithTwin', runId: 'x' }, /unexpected field 'runId'/]],
  },
};

describe('webview → host messages: the guard derived from WEBVIEW_TO_HOST', () => {
  it('has cases for every declared message type, and declares no other', () => {
    assert.deepEqual(Object.keys(CASES).sort(), Object.keys(WEBVIEW_TO_HOST).sort());
  });

  for (const [type, cases] of Object.entries(CASES) as [Type, Cases<Type>][]) {
    describe(type, () => {
      for (const message of cases.valid) {
        it(`accepts ${JSON.stringify(message).slice(0, 100)}`, () => {
          assert.equal(webviewToHostProblem(message), undefined);
          assert.equal(isWebviewToHost(message), true);
        });
      }
      for (const [message, reason] of cases.invalid) {
        it(`refuses ${JSON.stringify(message).slice(0, 100)}`, () => {
          const problem = webviewToHostProblem(message);
          assert.ok(problem !== undefined, 'accepted');
          assert.match(problem, reason);
          assert.ok(problem.startsWith(`${type}: `), problem);
          assert.equal(isWebviewToHost(message), false);
        });
      }
    });
  }

  const notMessages: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['null', null, /must be an object; got null/],
    ['a string', 'ready', /must be an object; got a string/],
    ['an array', [{ type: 'ready' }], /must be an object; got an array/],
    ['no type', { node: 1 }, /unknown message type a value of type undefined/],
    ['an unknown type', { type: 'deleteRun', runId: 'r1' }, /unknown message type 'deleteRun'/],
    ['a type that is a prototype key', { type: 'toString' }, /unknown message type 'toString'/],
    ['a type that is __proto__', { type: '__proto__' }, /unknown message type '__proto__'/],
    ['a numeric type', { type: 3 }, /unknown message type the number 3/],
    ['a class instance', new (class Ready { type = 'ready'; })(), /must be an object/],
    ['a __proto__ key sent as data', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'), /unexpected field '__proto__'/],
    ['an inherited field only', Object.create({ type: 'showAttention', node: 1 }), /must be an object/],
  ];
  for (const [what, value, reason] of notMessages) {
    it(`refuses ${what}`, () => {
      const problem = webviewToHostProblem(value);
      assert.ok(problem !== undefined, 'accepted');
      assert.match(problem, reason);
      assert.equal(isWebviewToHost(value), false);
    });
  }

  it('accepts an object without a prototype (as structured clones may arrive)', () => {
    const bare = Object.assign(Object.create(null) as object, { type: 'showAttention', node: 3 });
    assert.equal(webviewToHostProblem(bare), undefined);
  });

  it('never echoes a long string back into the reason', () => {
    const problem = webviewToHostProblem({ type: long(10_000) }) ?? '';
    assert.ok(problem.length < 100, problem);
  });
});

// Type-level: the union is derived from the declaration (these lines are checked by `tsc -b`).
const typed: readonly WebviewToHost[] = [
  { type: 'openRecord', dataset: 'cora', node: 1, runId: 'r' },
  { type: 'selectGraph', index: null },
  // @ts-expect-error a command outside the allowlist is not a WebviewToHost
  { type: 'runCommand', command: 'workbench.action.terminal.new' },
  // @ts-expect-error node is a number
  { type: 'stepThrough', node: '1' },
  // @ts-expect-error layer is required
  { type: 'attentionRequest', node: 1 },
];
void typed;
