import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrayOf, nonNegInt, nullable, optional, savedFields, str, tagged, tuple, type FieldValue } from '../../src/protocol/fieldSchema';

// The saved-state reader the panels restore from after a reload (the message guard is tested in webviewToHost.test.ts).
describe('savedFields: what a panel restores from the state its page saved', () => {
  const shape = { runId: str(), node: nonNegInt, graphIndex: optional(nullable(nonNegInt)) };
  const cases: ReadonlyArray<readonly [string, unknown, unknown]> = [
    ['the declared fields, leaving the page-only ones out', { runId: 'r1', node: 3, head: 'all', layout: 'radial' }, { runId: 'r1', node: 3 }],
    ['an optional field when present', { runId: 'r1', node: 3, graphIndex: null }, { runId: 'r1', node: 3, graphIndex: null }],
    ['nothing when a field has the wrong type', { runId: 'r1', node: '3' }, undefined],
    ['nothing when a required field is missing', { node: 3 }, undefined],
    ['nothing from no state', undefined, undefined],
    ['nothing from an array', ['r1', 3], undefined],
    ['nothing from an inherited field', Object.create({ runId: 'r1', node: 3 }), undefined],
  ];
  for (const [what, state, expected] of cases) {
    it(`reads ${what}`, () => assert.deepEqual(savedFields(shape, state), expected));
  }

  it('checks a pair of run ids position by position', () => {
    const pair = { runIds: tuple(str(), str()) };
    assert.deepEqual(savedFields(pair, { runIds: ['a', 'b'] }), { runIds: ['a', 'b'] });
    assert.equal(savedFields(pair, { runIds: ['a'] }), undefined);
    assert.equal(savedFields(pair, { runIds: ['a', 2] }), undefined);
    assert.match(tuple(str(), str()).check(['a', 2]) ?? '', /^\[1\] must be a string; got the number 2$/);
  });
});

describe('arrayOf and tagged: lists and tagged unions (what-if edits)', () => {
  const edit = tagged('kind', { 'remove-edge': { source: nonNegInt, target: nonNegInt }, 'feature-on': { node: nonNegInt, feature: nonNegInt } });
  const edits = arrayOf(edit, 3);
  const cases: ReadonlyArray<readonly [string, unknown, RegExp | undefined]> = [
    ['an empty list', [], undefined],
    ['a list of each kind', [{ kind: 'remove-edge', source: 1, target: 2 }, { kind: 'feature-on', node: 1, feature: 0 }], undefined],
    ['not a list', { 0: { kind: 'remove-edge', source: 1, target: 2 } }, /^must be an array; got a value of type object$/],
    ['a list over its cap', Array.from({ length: 4 }, () => ({ kind: 'remove-edge', source: 1, target: 2 })), /^must have at most 3 items; got 4$/],
    ['an unknown kind, named by its index', [{ kind: 'remove-edge', source: 1, target: 2 }, { kind: 'rm -rf', source: 1 }], /^\[1\] 'kind' must be one of "remove-edge", "feature-on"; got a string of 6 characters$/],
    ['a kind from the prototype', [{ kind: 'constructor' }], /^\[0\] 'kind' must be one of/],
    ["a kind's missing field", [{ kind: 'feature-on', node: 1 }], /^\[0\] lacks its field 'feature'$/],
    ["another kind's field", [{ kind: 'feature-on', node: 1, feature: 2, source: 3 }], /^\[0\] has an unexpected field 'source'$/],
    ['a wrong type', [{ kind: 'remove-edge', source: -1, target: 2 }], /^\[0\] 'source' must be an integer from 0/],
    ['a null item', [null], /^\[0\] must be an object; got null$/],
  ];
  for (const [what, value, reason] of cases) {
    it(`${reason ? 'refuses' : 'accepts'} ${what}`, () => {
      const problem = edits.check(value);
      if (reason) assert.match(problem ?? 'accepted', reason);
      else assert.equal(problem, undefined);
    });
  }

  it('types each kind with its own fields', () => {
    const ok: FieldValue<typeof edit>[] = [{ kind: 'remove-edge', source: 1, target: 2 }, { kind: 'feature-on', node: 1, feature: 2 }];
    // @ts-expect-error a feature edit has no source
    const wrong: FieldValue<typeof edit> = { kind: 'feature-on', source: 1, target: 2 };
    void ok;
    void wrong;
  });
});
