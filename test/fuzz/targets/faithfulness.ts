/**
 * runs/<id>/faithfulness.json (src/gat/artifacts/faithfulnessRecord.ts parseFaithfulness, which
 * Compare Runs and the Faithfulness panel call after reading the file): any text ends in a checked
 * summary or an Error naming the file; an accepted summary holds only known methods and finite numbers.
 */
import * as fc from 'fast-check';
import { parseFaithfulness } from '../../../src/gat/artifacts/faithfulnessRecord';
import { jsonBytes, lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

const row = (method: string, k: number): Record<string, unknown> => ({
  method, k, nodes: 10, fidelityPlus: 0.2, fidelityMinus: 0.1, characterization: 0.32, probabilityDropPlus: 0.05, probabilityDropMinus: -0.01, secondsPerNode: 0.01,
});
const sample = (): Record<string, unknown> => ({
  format: 'gat-explorer/faithfulness/1', runId: 'r', dataset: 'cora', selection: 'test nodes', nodes: [1, 2], ks: [1, 5], methods: ['attention', 'random'],
  directed: false, settings: { seed: 1, igSteps: 50, explainerEpochs: 100 }, threads: 2, seconds: 1,
  summary: [row('attention', 1), row('attention', 5), row('random', 1), { ...row('random', 5), characterization: null }],
  rows: [{ node: 1, method: 'attention', units: 3, seconds: 0.1, plusChanged: [0, 1], minusChanged: [0, 0], plusDrop: [0.1, 0.2], minusDrop: [0, 0] }],
});

export const faithfulnessSeeds = lazy((): Uint8Array[] => [jsonBytes(sample()), jsonBytes({ ...sample(), summary: [] })]);

const HOSTILE: readonly unknown[] = [null, true, -1, 1.5, 1e308, '', 'shap', '__proto__', [], {}, [null], 'NaN', 2 ** 53];
const edited: fc.Arbitrary<Uint8Array> = fc
  .record({ field: fc.constantFrom('format', 'runId', 'ks', 'summary', 'nodes', 'method', 'k', 'fidelityPlus', 'characterization', 'secondsPerNode'), value: fc.oneof(fc.constantFrom(...HOSTILE), fc.jsonValue({ maxDepth: 2 })) })
  .map(({ field, value }) => {
    const doc = sample();
    if (field in doc) doc[field] = value;
    else ((doc.summary as Array<Record<string, unknown>>)[0])[field] = value;
    return jsonBytes(doc);
  });

export const faithfulnessTarget: FuzzTarget = {
  name: 'faithfulness',
  description: 'parseFaithfulness (src/gat/artifacts/faithfulnessRecord.ts): runs/<id>/faithfulness.json',
  run(input) {
    const r = parseFaithfulness(new TextDecoder().decode(input), FUZZ_FILE);
    require(r.summary.every((s) => ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'gnnexplainer', 'random'].includes(s.method)), 'an unknown method was accepted');
    require(r.summary.every((s) => [s.fidelityPlus, s.fidelityMinus, s.probabilityDropPlus, s.probabilityDropMinus, s.secondsPerNode].every(Number.isFinite)), 'a number that is not finite was accepted');
    require(r.ks.every((k) => Number.isInteger(k) && k >= 0), 'a bad k was accepted');
  },
  isOwnError: (e) => e instanceof Error && e.message.startsWith(FUZZ_FILE),
  seeds: faithfulnessSeeds,
  generate: fc.oneof(edited, mutatedSeeds(faithfulnessSeeds)),
};
