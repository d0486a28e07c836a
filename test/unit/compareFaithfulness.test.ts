/**
 * Compare Runs with faithfulness: `gat compare` on a real GAT run and its uniform-attention control
 * (each measured, or not, by the real `gat faithfulness`) prints fid+ / fid− per method at k = 5,
 * "—" for the run without results, the first shared k when 5 is not shared; its JSON holds the same
 * rows; the Compare panel's snapshot gets them too. The two runs are each other's attention twin.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readFaithfulness } from '../../src/gat/artifacts/faithfulnessRecord';
import { readRun } from '../../src/gat/artifacts/runRecord';
import { comparedK, faithfulnessRows, type FaithfulnessSide } from '../../src/gat/compare/faithfulnessRows';
import { findAttentionTwin, isAttentionTwin } from '../../src/gat/compare/uniformTwin';
import { compareSnapshot } from '../../src/gat/panels/compareSnapshot';
import type { FaithfulnessReport } from '../../src/protocol/faithfulness';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { runIds, trainCora } from '../helpers/trainedCora';

describe('gat compare with faithfulness', () => {
  const out = tempDir();
  let learned: string;
  let uniform: string;
  const dir = (id: string): string => path.join(out, 'runs', id);
  const saved = (id: string): FaithfulnessReport => JSON.parse(readFileSync(path.join(dir(id), 'faithfulness.json'), 'utf8')) as FaithfulnessReport;
  const pair = (s: FaithfulnessReport, method: string, k: number): string => {
    const r = s.summary.find((x) => x.method === method && x.k === k)!;
    return `${r.fidelityPlus.toFixed(3)} / ${r.fidelityMinus.toFixed(3)}`;
  };

  before(async () => {
    for (const extra of [[], ['--attention', 'uniform']]) await trainCora(40, 'wasm', { args: ['--seed', '5', '--should_test', ...extra], out });
    [learned, uniform] = runIds(out);
  });

  it('neither run measured: no faithfulness rows at all', async () => {
    const r = await runGat(['compare', learned, uniform], { cwd: out });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /faithfulness/);
  });

  it('A measured: fid+ / fid− per method at k = 5 beside "—" for B, in the text and the JSON', async () => {
    const f = await runGat(['faithfulness', '--run', dir(learned), '--node-ids', '0,5,42,1358', '--k', '2,5', '--methods', 'attention,saliency']);
    assert.equal(f.code, 0, f.stderr);
    const a = saved(learned);
    const text = await runGat(['compare', learned, uniform], { cwd: out });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^faithfulness nodes +nodes 0,5,42,1358 \(4\) +— +\*$/m);
    for (const method of ['attention', 'saliency', 'random']) {
      assert.match(text.stdout, new RegExp(`^faithfulness fid\\+/fid− @k=5: ${method} +${pair(a, method, 5).replace(/[.]/g, '\\.')} +— +\\*$`, 'm'), method);
    }
    assert.doesNotMatch(text.stdout, /leave-one-out|@k=2/, 'only the methods measured, only at the k shown');
    const json = await runGat(['compare', learned, uniform, '--json'], { cwd: out });
    const rows = (JSON.parse(json.stdout) as { rows: Array<{ label: string; a: string; b: string; differs: boolean }> }).rows;
    assert.deepEqual(
      rows.filter((r) => r.label.startsWith('faithfulness')),
      [
        { label: 'faithfulness nodes', a: 'nodes 0,5,42,1358 (4)', b: '—', differs: true },
        { label: 'faithfulness fid+/fid− @k=5: attention', a: pair(a, 'attention', 5), b: '—', differs: true },
        { label: 'faithfulness fid+/fid− @k=5: saliency', a: pair(a, 'saliency', 5), b: '—', differs: true },
        { label: 'faithfulness fid+/fid− @k=5: random', a: pair(a, 'random', 5), b: '—', differs: true },
      ],
    );
  });

  it('both measured without a common 5: the first k they share, each run\'s own numbers; the Compare panel gets the same rows', async () => {
    const f = await runGat(['faithfulness', '--run', dir(uniform), '--node-ids', '0,5,42,1358', '--k', '1,2', '--methods', 'attention,leave-one-out']);
    assert.equal(f.code, 0, f.stderr);
    const [a, b] = [saved(learned), saved(uniform)];
    const text = await runGat(['compare', dir(learned), dir(uniform)]);
    assert.equal(text.code, 0, text.stderr);
    const esc = (s: string): string => s.replace(/[.]/g, '\\.');
    assert.match(text.stdout, new RegExp(`^faithfulness fid\\+/fid− @k=2: attention +${esc(pair(a, 'attention', 2))} +${esc(pair(b, 'attention', 2))}`, 'm'));
    assert.match(text.stdout, new RegExp(`^faithfulness fid\\+/fid− @k=2: leave-one-out +— +${esc(pair(b, 'leave-one-out', 2))}`, 'm'));
    assert.match(text.stdout, new RegExp(`^faithfulness fid\\+/fid− @k=2: saliency +${esc(pair(a, 'saliency', 2))} +—`, 'm'));
    // The panel's snapshot, built from what its host reads: the same rows as the CLI prints.
    const side = async (id: string): Promise<Parameters<typeof compareSnapshot>[0]> => ({ run: await readRun(dir(id)), epochs: [], faithfulness: await readFaithfulness(dir(id)) });
    const snapshot = compareSnapshot(await side(learned), await side(uniform), out);
    const labels = snapshot.rows.filter((r) => r.label.startsWith('faithfulness')).map((r) => r.label);
    assert.deepEqual(labels, ['faithfulness nodes', 'faithfulness fid+/fid− @k=2: attention', 'faithfulness fid+/fid− @k=2: leave-one-out', 'faithfulness fid+/fid− @k=2: saliency', 'faithfulness fid+/fid− @k=2: random']);
  });

  it("a damaged faithfulness.json does not stop the comparison: its rows say it is unreadable, the other run's numbers stay", async () => {
    const a = saved(learned);
    writeFileSync(path.join(dir(uniform), 'faithfulness.json'), '{"format":"gat-explorer/faithfulness/1","runId":');
    const r = await runGat(['compare', learned, uniform], { cwd: out });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^faithfulness nodes +nodes 0,5,42,1358 \(4\) +faithfulness\.json unreadable: run gat faithfulness again +\*$/m);
    assert.match(r.stdout, new RegExp(`^faithfulness fid\\+/fid− @k=5: attention +${pair(a, 'attention', 5).replace(/[.]/g, '\\.')} +—`, 'm'), 'A at its own k = 5 again');
    assert.match(r.stdout, /^agreement on the test split \(1000 nodes\):$/m, 'the rest of the comparison stands');
  });

  it('the two runs are each other\'s uniform-attention twin', async () => {
    const [a, b] = await Promise.all([readRun(dir(learned)), readRun(dir(uniform))]);
    assert.equal(isAttentionTwin(a, b), true);
    assert.equal(findAttentionTwin(b, [a, b])?.runId, learned);
  });
});

describe('faithfulness rows, case by case', () => {
  const side = (ks: number[]): FaithfulnessSide => ({
    selection: 'test nodes',
    nodes: 1000,
    ks,
    summary: ks.map((k) => ({ method: 'attention' as const, k, nodes: 1000, fidelityPlus: k / 100, fidelityMinus: 1 - k / 100, characterization: null, probabilityDropPlus: 0, probabilityDropMinus: 0, secondsPerNode: 0 })),
  });

  it('k = 5 when every measured run has it, else the first k they share (in the first run\'s order), else none', () => {
    assert.equal(comparedK([side([1, 2, 5, 10])]), 5);
    assert.equal(comparedK([side([10, 2, 1]), side([1, 2])]), 2);
    assert.equal(comparedK([side([1, 5]), side([5, 10])]), 5);
    assert.equal(comparedK([side([1]), side([10])]), undefined);
    assert.equal(comparedK([]), undefined);
  });

  it('no k in common: one row that says so with each run\'s k, instead of numbers that would not compare', () => {
    assert.deepEqual(faithfulnessRows(side([1, 2]), side([10])), [
      { label: 'faithfulness nodes', a: 'test nodes (1000)', b: 'test nodes (1000)', differs: false },
      { label: 'faithfulness k (none in common)', a: '1, 2', b: '10', differs: true },
    ]);
    assert.deepEqual(faithfulnessRows(undefined, undefined), []);
    assert.deepEqual(faithfulnessRows(undefined, side([5]))[1], { label: 'faithfulness fid+/fid− @k=5: attention', a: '—', b: '0.050 / 0.950', differs: true });
  });
});
