/**
 * The what-if state of the Computation panel, from real explanations of a trained Cora run: the
 * host's edit list (add, undo one, reset, duplicates, ids out of range) and what the page draws
 * from a snapshot (probabilities before → after, attention before and after per neighbour, the
 * checks of a typed node or feature id).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { engineEdit, outOfRange, WhatIfEdits } from '../../src/extension/webviews/whatIfEdits';
import { attentionOf } from '../../src/extension/webviews/whatIfSession';
import type { NodeExplanation } from '../../src/protocol/explanation';
import { addEdgeProblem, attentionRows, featureOnProblem, parseTypedId, predictionChanged, probabilityChanges } from '../../src/webview/computation/whatIfModel';
import { trainCora } from '../helpers/trainedCora';

describe("what-if edits: the host's edit list", () => {
  const cora = { dataset: 'cora', numNodes: 2708, numFeatures: 1433 };
  const drop = engineEdit(1358, { kind: 'remove-edge', node: 919 });
  const add = engineEdit(1358, { kind: 'add-edge', node: 5 });
  const off = engineEdit(1358, { kind: 'feature-off', feature: 12 });

  it("turns the page's edits into the engine's, always about the node shown", () => {
    assert.deepEqual(drop, { kind: 'remove-edge', source: 919, target: 1358 });
    assert.deepEqual(add, { kind: 'add-edge', source: 5, target: 1358 });
    assert.deepEqual(off, { kind: 'feature-off', node: 1358, feature: 12 });
    assert.deepEqual(engineEdit(1358, { kind: 'feature-on', feature: 7 }), { kind: 'feature-on', node: 1358, feature: 7 });
  });

  it('grows, undoes any one edit (the others stay, in order), and resets; each change is a new value', () => {
    const none = new WhatIfEdits(1358);
    assert.equal(none.isEmpty, true);
    const one = none.with(drop) as WhatIfEdits;
    const three = ((one.with(add) as WhatIfEdits).with(off)) as WhatIfEdits;
    assert.deepEqual(three.edits, [drop, add, off]);
    assert.deepEqual(none.edits, [], 'the value it came from is unchanged');
    assert.deepEqual((three.without(1) as WhatIfEdits).edits, [drop, off]);
    assert.deepEqual((three.without(0) as WhatIfEdits).edits, [add, off]);
    assert.deepEqual(three.reset().edits, []);
    assert.equal(three.reset().node, 1358);
    assert.notEqual(one.key, three.key);
    assert.equal((three.without(2) as WhatIfEdits).without(1) instanceof WhatIfEdits, true);
  });

  it('refuses the same edit twice and an undo of an edit that is not there, saying why', () => {
    const one = new WhatIfEdits(1358).with(drop) as WhatIfEdits;
    assert.equal(one.with(drop), 'remove edge 919 — 1358 is already in the list');
    assert.equal(new WhatIfEdits(1358, [drop], true).with(drop), 'remove edge 919 → 1358 is already in the list', 'one direction: an arrow');
    assert.equal(one.without(1), 'there is no edit 2 to undo (1 in the list)');
    assert.equal(one.without(-1), 'there is no edit 0 to undo (1 in the list)');
  });

  it('checks typed ids against the graph before anything is asked', () => {
    assert.equal(outOfRange({ kind: 'add-edge', node: 2707 }, cora), undefined);
    assert.equal(outOfRange({ kind: 'add-edge', node: 2708 }, cora), 'node 2708 does not exist in cora: node ids are 0 to 2707');
    assert.equal(outOfRange({ kind: 'remove-edge', node: 99_999 }, cora), 'node 99999 does not exist in cora: node ids are 0 to 2707');
    assert.equal(outOfRange({ kind: 'feature-on', feature: 1433 }, cora), 'feature 1433 does not exist in cora: features are 0 to 1432');
    assert.equal(outOfRange({ kind: 'feature-off', feature: 0 }, cora), undefined);
  });
});

describe('what-if edits: what the page draws from a snapshot (a trained Cora run)', () => {
  let base: NodeExplanation;
  let dropped: NodeExplanation;
  let strongest: number;

  before(async () => {
    const { runDir } = await trainCora(40, 'wasm');
    base = await explainRunNode(runDir, 1358);
    strongest = base.layers[1].perHead[0].neighbours.filter((n) => !n.isSelf).reduce((a, b) => (b.weight > a.weight ? b : a)).node;
    dropped = await explainRunNode(runDir, 1358, { edits: { edits: [{ kind: 'remove-edge', source: strongest, target: 1358 }], directed: false }, methods: [] });
  });

  it('lists every class before → after, most probable after first, with the change', () => {
    assert.equal(probabilityChanges(base), undefined, 'nothing to compare without edits');
    const rows = probabilityChanges(dropped)!;
    assert.equal(rows.length, 7);
    assert.deepEqual(rows.map((r) => r.after), [...dropped.result.probabilities].sort((a, b) => b - a));
    for (const r of rows) {
      assert.equal(r.before, base.result.probabilities[r.k]);
      assert.equal(r.delta, r.after - r.before);
      assert.equal(r.name, base.classNames[r.k]);
      assert.equal(r.predictedAfter, dropped.result.predicted.includes(r.k));
      assert.equal(r.predictedBefore, base.result.predicted.includes(r.k));
    }
    assert.ok(rows.some((r) => r.delta !== 0), 'removing the strongest neighbour moves the probabilities');
    assert.equal(predictionChanged(dropped), dropped.result.predicted[0] !== base.result.predicted[0]);
    assert.equal(predictionChanged(base), false);
  });

  it("puts each neighbour's attention before beside after: the self-loop first, the removed neighbour last", () => {
    for (const layer of [0, 1]) {
      const baseline = attentionOf(base)[layer][0];
      const rows = attentionRows(dropped.layers[layer].perHead[0], baseline);
      assert.equal(rows.length, 169, 'the 168 that remain (self-loop included) and the one removed');
      assert.equal(rows[0].isSelf, true);
      assert.equal(rows[0].node, 1358);
      const last = rows[rows.length - 1];
      assert.deepEqual(last, { node: strongest, isSelf: false, before: base.layers[layer].perHead[0].neighbours.find((n) => n.node === strongest)!.weight });
      const kept = rows.slice(0, -1);
      assert.ok(kept.every((r) => r.now !== undefined && r.before !== undefined));
      for (let k = 2; k < kept.length; k++) assert.ok(kept[k - 1].now!.weight >= kept[k].now!.weight, 'by weight');
      // the softmax gave the removed weight to the others: they sum to 1 again, each at least as much as before on the output layer's one head
      assert.ok(Math.abs(kept.reduce((a, r) => a + r.now!.weight, 0) - 1) < 1e-12);
    }
    assert.equal(attentionRows(base.layers[0].perHead[0]).length, 169, 'no before: the rows as they are');
    assert.ok(attentionRows(base.layers[0].perHead[0]).every((r) => r.before === undefined));
  });

  it('marks a neighbour an edit added as new (no weight before)', () => {
    const added = { ...dropped.layers[0].perHead[0], neighbours: [...dropped.layers[0].perHead[0].neighbours, { node: 5, isSelf: false, sourceScore: 0, e: 0, weight: 0.5, uniform: 0.1 }] };
    const row = attentionRows(added, attentionOf(base)[0][0]).find((r) => r.node === 5)!;
    assert.equal(row.before, undefined);
    assert.equal(row.now?.weight, 0.5);
  });

  it('checks a typed id: digits in range, not the node itself, not a neighbour already, not a feature already on', () => {
    const cases: ReadonlyArray<readonly [string, number, 'node' | 'feature', number | string]> = [
      ['42', 2708, 'node', 42],
      [' 2707 ', 2708, 'node', 2707],
      ['2708', 2708, 'node', 'Node 2708 does not exist: node ids are 0 to 2707.'],
      ['', 2708, 'node', 'Type a node id: node ids are 0 to 2707.'],
      ['-3', 2708, 'node', "'-3' is not a node id: node ids are 0 to 2707."],
      ['1e3', 2708, 'node', "'1e3' is not a node id: node ids are 0 to 2707."],
      ['12.0', 1433, 'feature', "'12.0' is not a feature id: feature ids are 0 to 1432."],
      ['1433', 1433, 'feature', 'Feature 1433 does not exist: feature ids are 0 to 1432.'],
      ['9'.repeat(40), 1433, 'feature', `'${'9'.repeat(24)}' is not a feature id: feature ids are 0 to 1432.`],
    ];
    for (const [text, count, what, want] of cases) assert.equal(parseTypedId(text, count, what), want, JSON.stringify(text));
    assert.equal(addEdgeProblem(base, 1358), 'Node 1358 is the node shown: its self-loop belongs to the model.');
    assert.equal(addEdgeProblem(base, strongest), `Node ${strongest} is already a neighbour of node 1358: remove its edge instead.`);
    assert.equal(addEdgeProblem(dropped, strongest), undefined, 'once removed, it can be added back');
    const on = base.layers[0].input.nonZero[0].index;
    assert.equal(featureOnProblem(base, on), `Feature ${on} of node 1358 is already on.`);
    assert.equal(featureOnProblem(base, [...Array(1433).keys()].find((k) => !base.layers[0].input.nonZero.some((v) => v.index === k))!), undefined);
  });
});
