import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nonNegInt, nullable, optional, savedFields, str, tuple } from '../../src/protocol/fieldSchema';

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
