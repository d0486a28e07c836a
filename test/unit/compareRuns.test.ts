/**
 * `gat compare` on two real runs (GAT and its uniform-attention control on Cora), and the pure
 * comparison on what the CLI cannot easily produce (multi-label, different datasets, a run
 * without an analysis).
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readRun, type RunRecord } from '../../src/gat/artifacts/runRecord';
import { compareRuns, configDifferences, NO_EPOCHS, type RunSide } from '../../src/gat/compare/runComparison';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { runIds, trainCora } from '../helpers/trainedCora';

describe('gat compare', () => {
  const out = tempDir();
  let runs: string[];
  before(async () => {
    for (const extra of [[], ['--attention', 'uniform']]) await trainCora(40, 'wasm', { args: ['--seed', '5', '--should_test', ...extra], out });
    runs = runIds(out);
    assert.equal(runs.length, 2);
  });

  it('prints results, the configuration difference and the test agreement of two runs given by id', async () => {
    const r = await runGat(['compare', runs[0], runs[1]], { cwd: out });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^ +A ${runs[0]} +B ${runs[1]}$`, 'm'));
    assert.match(r.stdout, /^test accuracy +\d+\.\d\d % +\d+\.\d\d %/m);
    assert.match(r.stdout, /^configuration differences:\n {2}attention: "learned" → "uniform"$/m);
    assert.match(r.stdout, /^agreement on the test split \(1000 nodes\):$/m);
    assert.match(r.stdout, /^ms per epoch +[\d.]+ +[\d.]+$/m, 'timings are never marked as a difference');
  });

  it('--json: the agreement adds up to each run\'s own test accuracy', async () => {
    const r = await runGat(['compare', path.join(out, 'runs', runs[0]), path.join(out, 'runs', runs[1]), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout) as { metric: string; config: unknown[]; agreement: { unit: string; bothRight: number; onlyA: number; onlyB: number; bothWrong: number } };
    assert.equal(c.metric, 'accuracy');
    assert.deepEqual(c.config, [{ key: 'attention', a: '"learned"', b: '"uniform"' }]);
    const g = c.agreement;
    assert.equal(g.bothRight + g.onlyA + g.onlyB + g.bothWrong, 1000);
    const [a, b] = await Promise.all(runs.map((id) => readRun(path.join(out, 'runs', id))));
    assert.equal(g.bothRight + g.onlyA, Math.round(a.testAcc! * 1000), 'A right = A\'s test accuracy');
    assert.equal(g.bothRight + g.onlyB, Math.round(b.testAcc! * 1000), 'B right = B\'s test accuracy');
  });

  it('prints no control character from a run record: ESC, BEL and NUL in its fields reach the terminal as U+FFFD', async () => {
    // A copy of run B whose record someone edited: its dataset and back end carry escape sequences.
    const hostileId = `${runs[1]}-edited`;
    const hostileDir = path.join(out, 'runs', hostileId);
    cpSync(path.join(out, 'runs', runs[1]), hostileDir, { recursive: true });
    const record = JSON.parse(readFileSync(path.join(hostileDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(hostileDir, 'run.json'), JSON.stringify({ ...record, runId: hostileId, backend: 'wasm\u001b]0;pwned\u0007\u001b[2J', dataset: 'cora\u0000\u001b[31m' }));
    const r = await runGat(['compare', runs[0], hostileId], { cwd: out });
    const printed = r.stdout + r.stderr;
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    assert.doesNotMatch(printed, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(printed));
    assert.match(printed, /wasm\uFFFD\]0;pwned\uFFFD\uFFFD\[2J/, 'the field is printed, its controls replaced');
  });

  it('needs exactly two existing runs', async () => {
    const one = await runGat(['compare', runs[0]], { cwd: out });
    assert.equal(one.code, 2);
    assert.match(one.stderr, /takes two runs/);
    const missing = await runGat(['compare', runs[0], 'no-such-run'], { cwd: out });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run 'no-such-run'/);
  });

  it('compares multi-label runs over (node, label) pairs, and says why when it cannot compare node by node', async () => {
    const a = await readRun(path.join(out, 'runs', runs[0]));
    const analysis = await readAnalysis(path.join(out, a.artifacts.analysis!));
    const side = (run: Partial<RunRecord>, withAnalysis: boolean): RunSide => ({ run: { ...a, ...run } as RunRecord, epochs: NO_EPOCHS, analysis: withAnalysis ? analysis : undefined });
    assert.match(String((compareRuns(side({}, true), side({ dataset: 'citeseer' }, true)).agreement as { unavailable: string }).unavailable), /different datasets \(cora, citeseer\)/);
    assert.match(String((compareRuns(side({}, true), side({ runId: 'cancelled-one' }, false)).agreement as { unavailable: string }).unavailable), /run cancelled-one has no analysis/);

    // Two nodes × three labels, node 1 in the test split.
    const multi = (predicted: number[]): RunSide['analysis'] => ({ numNodes: 2, numClasses: 3, predictions: new Int32Array(2), labels: new Int32Array(2), split: Int32Array.of(0, 2), multiLabel: { targets: Uint8Array.of(1, 0, 1, 1, 0, 1), predicted: Uint8Array.from(predicted) } });
    const m = (p: number[]): RunSide => ({ run: { ...a, metric: 'micro-F1' } as RunRecord, epochs: NO_EPOCHS, analysis: multi(p) });
    const c = compareRuns(m([0, 0, 0, 1, 1, 1]), m([0, 0, 0, 0, 1, 1])); // node 1 (targets 1 0 1): A right on labels 0 and 2, B on 2 only
    assert.equal(c.metric, 'micro-F1');
    assert.deepEqual(c.agreement, { unit: 'node-label pairs', bothRight: 1, onlyA: 1, onlyB: 0, bothWrong: 1 });
  });

  it('lists only settings that change results, reading a missing key as its default', () => {
    assert.deepEqual(configDifferences({ lr: 0.005, engine: 'fused', threads: 1 }, { lr: 0.01, engine: 'generic', attention: 'learned' }), [{ key: 'lr', a: '0.005', b: '0.01' }]);
  });
});
