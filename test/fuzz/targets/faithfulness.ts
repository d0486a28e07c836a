/**
 * A run's faithfulness.json (`gat faithfulness`'s report), as the Faithfulness panel's exports read
 * it whole: parseFaithfulnessJson, then checkFaithfulnessReport (src/gat/artifacts/faithfulnessReport.ts),
 * which checks the summary as Compare Runs and the panel read it (checkFaithfulness), then every
 * row. A rejection is an ArtifactReadError naming the file and the field or row; an accepted report
 * must hold one value per k in every row, known methods only, and finite numbers.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { ArtifactReadError } from '../../../src/gat/artifacts/artifactRead';
import { parseFaithfulnessJson } from '../../../src/gat/artifacts/faithfulnessRecord';
import { checkFaithfulnessReport } from '../../../src/gat/artifacts/faithfulnessReport';
import { summarize } from '../../../src/gat/explain/faithfulness';
import type { FaithfulnessReport, NodeMethodFidelity, RankingMethod } from '../../../src/protocol/faithfulness';
import { repoRoot } from '../../helpers/paths';
import { jsonBytes, lazy, mutatedSeeds } from '../mutate';
import { require, type FuzzTarget } from '../target';

const FILE = '/fuzz/runs/r/faithfulness.json';
const METHODS: readonly RankingMethod[] = ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'gnnexplainer', 'random'];

/** A report as the CLI writes it (its summarize over rows), for two nodes and every method. */
function sampleReport(): FaithfulnessReport {
  const ks = [1, 2, 5];
  const rows: NodeMethodFidelity[] = [3, 1358].flatMap((node) => METHODS.map((method, m) => ({ node, method, units: 12, seconds: 0.01, plusChanged: [0, m % 2, 1], minusChanged: [1, 0, 0], plusDrop: [0.1, 0.2, -0.05 * m], minusDrop: [0.3, 0.1, 0] })));
  return { format: 'gat-explorer/faithfulness/1', runId: 'r', dataset: 'cora', selection: 'nodes 3,1358', nodes: [3, 1358], ks, methods: [...METHODS], directed: false, settings: { seed: 1, igSteps: 64, explainerEpochs: 100 }, threads: 2, seconds: 0.5, summary: summarize(rows, METHODS, ks), rows };
}

const seeds = lazy((): Uint8Array[] => [
  // What `gat faithfulness --node-ids 0,5,42 --k 1,2 --methods attention,saliency` saved for a trained Cora run.
  new Uint8Array(readFileSync(path.join(repoRoot, 'test', 'fuzz', 'corpus', 'faithfulness', 'written-by-gat-faithfulness.bin'))),
  jsonBytes(sampleReport()),
]);

/** Values a damaged or hostile report puts in a field. */
const HOSTILE: readonly unknown[] = [null, true, 0, -1, 1.5, 2 ** 53, 1e308, '', 'shap', 'random', '__proto__', [], [1], [0, 1, 2, 3], ['1'], [null], {}, { seed: -1 }];
const hostile = fc.oneof({ arbitrary: fc.constantFrom(...HOSTILE), weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });

/** Every field path of the sample (the first summary row and the first row standing for the others). */
const FIELDS: readonly string[] = (() => {
  const r = sampleReport();
  const top = Object.keys(r).filter((k) => k !== 'summary' && k !== 'rows');
  return [...top, 'settings.seed', 'settings.igSteps', ...Object.keys(r.summary[0]).map((k) => `summary.0.${k}`), ...Object.keys(r.rows[0]).map((k) => `rows.0.${k}`), 'rows.0.plusDrop.1', 'rows.0.plusChanged.2', 'summary', 'rows', 'ks.0', '__proto__'];
})();

const edited: fc.Arbitrary<Uint8Array> = fc.array(fc.record({ field: fc.constantFrom(...FIELDS), value: fc.option(hostile, { freq: 6 }) }), { minLength: 1, maxLength: 3 }).map((edits) => {
  const report = JSON.parse(JSON.stringify(sampleReport())) as Record<string, unknown>;
  for (const { field, value } of edits) {
    const keys = field.split('.');
    let o = report as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      const next = Object.hasOwn(o, k) ? o[k] : undefined;
      if (typeof next !== 'object' || next === null) break;
      o = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === null) delete o[last];
    else Object.defineProperty(o, last, { value: structuredClone(value), enumerable: true, configurable: true, writable: true });
  }
  return jsonBytes(report);
});

function checkReport(r: FaithfulnessReport): void {
  const finite = (v: number): boolean => Number.isFinite(v);
  require(r.runId.length <= 200 && r.selection.length <= 200, 'runId / selection cut to 200 characters');
  require(r.ks.every((k) => Number.isSafeInteger(k) && k >= 0), `ks ${r.ks.join(',')}`);
  require(r.methods.every((m) => METHODS.includes(m)), `methods ${r.methods.join(',')}`);
  for (const s of r.summary) {
    require(METHODS.includes(s.method) && [s.fidelityPlus, s.fidelityMinus, s.probabilityDropPlus, s.probabilityDropMinus, s.secondsPerNode].every(finite), `summary row ${JSON.stringify(s)}`);
    require(s.characterization === null || finite(s.characterization), 'characterization');
  }
  for (const row of r.rows) {
    require(METHODS.includes(row.method) && Number.isSafeInteger(row.node) && row.node >= 0, `row ${row.node} ${row.method}`);
    for (const a of [row.plusChanged, row.minusChanged, row.plusDrop, row.minusDrop]) require(a.length === r.ks.length && a.every(finite), 'one finite value per k');
    require([...row.plusChanged, ...row.minusChanged].every((c) => c === 0 || c === 1), 'changed flags are 0 or 1');
  }
}

export const faithfulnessTarget: FuzzTarget = {
  name: 'faithfulness',
  description: 'parseFaithfulnessJson + checkFaithfulnessReport (src/gat/artifacts/faithfulnessReport.ts): a run\'s faithfulness.json',
  run(input) {
    const file = FILE;
    checkReport(checkFaithfulnessReport(parseFaithfulnessJson(new TextDecoder().decode(input), file), file));
  },
  isOwnError: (e) => e instanceof ArtifactReadError,
  files: [FILE],
  seeds,
  generate: fc.oneof({ arbitrary: edited, weight: 3 }, { arbitrary: mutatedSeeds(seeds), weight: 2 }),
};
