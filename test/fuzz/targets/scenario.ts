/**
 * What-if scenarios (runs/<id>/scenarios/<name>.json, saved by the Computation panel): parseScenario
 * (src/gat/artifacts/whatIfScenario.ts), every field checked. Accepted means a scenario whose edits
 * are each one of the four kinds with whole, non-negative ids; a rejection is a ScenarioError naming
 * the file and the field.
 */
import * as fc from 'fast-check';
import { parseScenario, ScenarioError } from '../../../src/gat/artifacts/whatIfScenario';
import { SCENARIO_FORMAT } from '../../../src/protocol/whatIf';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

const NAME = 'drop-919';

export const scenarioSeeds = lazy((): Uint8Array[] =>
  [
    { format: SCENARIO_FORMAT, name: NAME, runId: '2026-01-01T00-00-00Z-cora-s42', dataset: 'cora', node: 1358, directed: false, edits: [{ kind: 'remove-edge', source: 919, target: 1358 }, { kind: 'feature-off', node: 1358, feature: 12 }], savedAt: '2026-01-01T00:00:00.000Z' },
    { format: SCENARIO_FORMAT, name: NAME, runId: 'r', dataset: 'ppi', node: 0, directed: true, edits: [{ kind: 'add-edge', source: 5, target: 0 }, { kind: 'feature-on', node: 0, feature: 49 }], savedAt: '' },
    { format: SCENARIO_FORMAT, name: NAME, runId: 'r', dataset: 'cora', node: 7, directed: false, edits: [], savedAt: '' },
  ].map((s) => new TextEncoder().encode(JSON.stringify(s, null, 2) + '\n')),
);

const KINDS = ['remove-edge', 'add-edge', 'feature-off', 'feature-on'];
const id = fc.oneof(fc.nat({ max: 3000 }), fc.constantFrom(-1, 0.5, 2 ** 53, 1e308, '12', null, true, [], {}));
const edit = fc.record(
  { kind: fc.oneof(fc.constantFrom(...KINDS), fc.constantFrom('', 'toString', '__proto__', 'remove_edge')), source: id, target: id, node: id, feature: id, shell: fc.string({ maxLength: 4 }) },
  { requiredKeys: ['kind'] },
);
const generated: fc.Arbitrary<Uint8Array> = fc
  .record(
    {
      format: fc.oneof(fc.constant(SCENARIO_FORMAT), fc.constantFrom('gat-explorer/scenario/2', '', 1)),
      name: fc.oneof(fc.constant(NAME), fc.constantFrom('other', '../x', 'CON', '', 'x'.repeat(65))),
      runId: fc.oneof(fc.string({ maxLength: 12 }), fc.constant('x'.repeat(300))),
      dataset: fc.string({ maxLength: 8 }),
      node: id,
      directed: fc.oneof(fc.boolean(), fc.constantFrom(0, 'false', null)),
      edits: fc.oneof(fc.array(edit, { maxLength: 6 }), fc.constantFrom(null, {}, 'edits', Array(1001).fill({ kind: 'add-edge', source: 1, target: 2 }))),
      savedAt: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(0)),
      extra: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  )
  .map((o) => new TextEncoder().encode(JSON.stringify(o)));

export const scenarioTarget: FuzzTarget = {
  name: 'scenario',
  description: 'parseScenario (src/gat/artifacts/whatIfScenario.ts): what-if scenario files',
  run(input) {
    const s = parseScenario(new TextDecoder().decode(input), FUZZ_FILE, NAME);
    require(s.name === NAME && s.format === SCENARIO_FORMAT, `accepted a scenario named ${s.name} of format ${s.format}`);
    require(Number.isSafeInteger(s.node) && s.node >= 0, `node ${s.node}`);
    for (const e of s.edits) {
      require(KINDS.includes(e.kind), `an edit of kind ${e.kind}`);
      const ids = e.kind === 'remove-edge' || e.kind === 'add-edge' ? [e.source, e.target] : [e.node, e.feature];
      require(ids.every((v) => Number.isSafeInteger(v) && v >= 0) && Object.keys(e).length === 3, `edit ${JSON.stringify(e)}`);
    }
  },
  isOwnError: (e) => e instanceof ScenarioError,
  seeds: scenarioSeeds,
  generate: fc.oneof({ arbitrary: generated, weight: 3 }, { arbitrary: mutatedSeeds(scenarioSeeds), weight: 1 }),
};
