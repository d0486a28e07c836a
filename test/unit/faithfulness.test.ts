/**
 * `gat faithfulness`: fidelity of edge rankings, checked against what must hold whatever the model:
 * at k ≥ every edge, removing the top k is the node with no edges at all (the step-through on an
 * edgeless copy of the graph) and keeping them changes nothing; leave-one-out's top edge is by
 * definition the single removal that lowers p most; a random ranking's k = 1 drop lands on the mean
 * leave-one-out drop within four standard errors; threads do not change a number; the CSV and JSON
 * hold one row per node and method; bad options are refused with one line before any work.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { FaithfulnessReport } from '../../src/protocol/faithfulness';
import { loadRunModel, type RunModel } from '../../src/gat/cli/runModel';
import { leaveOneOut } from '../../src/gat/explain/edgeImportance';
import { explainNode } from '../../src/gat/explain/explainNode';
import { characterizationScore } from '../../src/gat/explain/faithfulness';
import { FieldModel } from '../../src/gat/explain/fieldModel';
import { weightsOf } from '../../src/gat/explain/layerWeights';
import { receptiveField } from '../../src/gat/explain/receptiveField';
import { buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

async function faithfulnessJson(args: readonly string[]): Promise<FaithfulnessReport> {
  const r = await runGat(['faithfulness', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as FaithfulnessReport;
}

describe('gat faithfulness', () => {
  let runDir: string;
  let m: RunModel;
  before(async () => {
    runDir = (await trainCora(40, 'wasm')).runDir;
    m = await loadRunModel(runDir);
  });

  it('at k ≥ every edge: removing them all is the node alone (an edgeless graph), keeping them all changes nothing', async () => {
    const r = await faithfulnessJson(['--run', runDir, '--node-ids', '0,42,1358,2000', '--k', '1000000', '--methods', 'attention,saliency']);
    const edgeless = { ...m.graph, edgeSource: new Int32Array(0), edgeTarget: new Int32Array(0) };
    for (const row of r.rows) {
      const full = explainNode({ runId: m.runId, graph: m.graph, gat: buildGatGraph(m.graph), shapes: m.shapes, params: m.params, node: row.node });
      const alone = explainNode({ runId: m.runId, graph: edgeless, gat: buildGatGraph(edgeless), shapes: m.shapes, params: m.params, node: row.node });
      const c = full.result.predicted[0];
      const drop = full.result.probabilities[c] - alone.result.probabilities[c];
      assert.ok(Math.abs(row.plusDrop[0] - drop) < 1e-12, `node ${row.node} ${row.method}: ${row.plusDrop[0]} vs ${drop}`);
      assert.equal(row.plusChanged[0], alone.result.predicted[0] === c ? 0 : 1);
      assert.equal(row.minusDrop[0], 0);
      assert.equal(row.minusChanged[0], 0);
    }
    assert.equal(r.rows.length, 4 * 3, 'one row per node and method (random added)');
  });

  it("leave-one-out's top edge is the single removal that lowers p most; random lands on the mean leave-one-out drop", async () => {
    const r = await faithfulnessJson(['--run', runDir, '--nodes', '300', '--seed', '7', '--k', '1,3', '--methods', 'attention,leave-one-out,saliency,integrated-gradients']);
    assert.equal(r.nodes.length, 300);
    assert.ok(r.nodes.every((n) => m.graph.split.test.includes(n)));
    const byNode = new Map<number, Map<string, (typeof r.rows)[number]>>();
    for (const row of r.rows) byNode.set(row.node, (byNode.get(row.node) ?? new Map()).set(row.method, row));
    for (const [node, rows] of byNode) {
      const best = rows.get('leave-one-out')!.plusDrop[0];
      for (const [method, row] of rows) assert.ok(row.plusDrop[0] <= best + 1e-12, `node ${node}: ${method} removes an edge that lowers p by ${row.plusDrop[0]}, more than the best single edge (${best})`);
    }
    // E[drop of one random edge] = mean over nodes of the mean leave-one-out drop; SE from their spread
    const gat = buildGatGraph(m.graph);
    const weights = weightsOf(m.shapes, m.params);
    let expected = 0;
    let variance = 0;
    for (const node of r.nodes) {
      const model = new FieldModel(receptiveField(gat, node, m.shapes.length, false), weights, m.graph.features);
      const base = model.forward();
      let best = 0;
      base.logits.forEach((z, k) => (best = z > base.logits[best] ? k : best));
      const loo = leaveOneOut(model, { index: best, kind: 'softmax' }, base);
      const mean = loo.reduce((a, b) => a + b, 0) / loo.length;
      expected += mean / r.nodes.length;
      variance += loo.reduce((a, b) => a + (b - mean) ** 2, 0) / loo.length / r.nodes.length ** 2;
    }
    const random = r.summary.find((s) => s.method === 'random' && s.k === 1)!;
    assert.ok(Math.abs(random.probabilityDropPlus - expected) < 4 * Math.sqrt(variance), `random ${random.probabilityDropPlus} vs expected ${expected} ± ${Math.sqrt(variance)}`);
    const loo = r.summary.find((s) => s.method === 'leave-one-out' && s.k === 1)!;
    assert.ok(loo.probabilityDropPlus > random.probabilityDropPlus + 4 * Math.sqrt(variance), 'leave-one-out beats random clearly');
  });

  it('threads change no number; the saved JSON, the printed JSON and the CSV agree, one row per node and method', async () => {
    const csv = path.join(tempDir(), 'f.csv');
    const args = ['--run', runDir, '--nodes', '24', '--k', '1,2,5', '--methods', 'all'];
    const one = await faithfulnessJson([...args, '--threads', '1']);
    const two = await faithfulnessJson([...args, '--threads', '2', '--csv', csv]);
    const strip = (r: FaithfulnessReport): unknown => r.rows.map(({ seconds: _s, ...rest }) => rest);
    assert.deepEqual(strip(one), strip(two));
    assert.deepEqual(two.methods, ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'gnnexplainer', 'random']);
    const saved = JSON.parse(readFileSync(path.join(runDir, 'faithfulness.json'), 'utf8')) as FaithfulnessReport;
    assert.deepEqual(strip(saved), strip(two));
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'node,method,edges,seconds,fid_plus@1,fid_plus@2,fid_plus@5,fid_minus@1,fid_minus@2,fid_minus@5,drop_plus@1,drop_plus@2,drop_plus@5,drop_minus@1,drop_minus@2,drop_minus@5');
    assert.equal(lines.length - 1, 24 * 6);
    const first = lines[1].split(',');
    assert.equal(Number(first[0]), two.rows[0].node);
    assert.equal(Number(first[10]), two.rows[0].plusDrop[0]);
    for (const s of two.summary) {
      assert.equal(s.nodes, 24);
      assert.equal(s.characterization, characterizationScore(s.fidelityPlus, s.fidelityMinus));
    }
  });

  it('the characterization score is the weighted harmonic mean of fid+ and 1 − fid−', () => {
    assert.equal(characterizationScore(0.5, 0.5), 0.5);
    assert.ok(Math.abs(characterizationScore(0.8, 0.2)! - 0.8) < 1e-15);
    assert.ok(Math.abs(characterizationScore(0.6, 0.1)! - 1 / (0.5 / 0.6 + 0.5 / 0.9)) < 1e-15);
    assert.equal(characterizationScore(0, 0.3), null);
    assert.equal(characterizationScore(0.4, 1), null);
  });

  it('prints a table with every method against random, and says where it saved', async () => {
    const r = await runGat(['faithfulness', '--run', runDir, '--node-ids', '5,6', '--k', '2', '--methods', 'attention']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /faithfulness of run \S+ on cora: nodes 5,6 \(2\), k = 2; \d+ threads/);
    assert.match(r.stdout, /^ {2}attention +2 +\d\.\d{3}/m);
    assert.match(r.stdout, /^ {2}random +2 +\d\.\d{3}/m);
    assert.match(r.stdout, /saved runs\/\S+\/faithfulness\.json/);
  });

  it('bad options are refused with one line, before any work', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--k', '0'], /--k 0: must be from 1 to 1000000/],
      [['--k', '1,x'], /--k 1,x: expected a comma list of whole numbers/],
      [['--nodes', '0'], /--nodes 0: must be from 1/],
      [['--nodes', 'some'], /--nodes some: expected a comma list of whole numbers/],
      [['--nodes', '5000'], /--nodes 5000: cora has 1000 test nodes/],
      [['--node-ids', '99999'], /--node-ids: node 99999 does not exist in cora: node ids are 0 to 2707/],
      [['--methods', 'shap'], /--methods shap: unknown method/],
      [['--nodes', 'motifs'], /--nodes motifs: cora has no planted motifs/],
    ];
    for (const [args, message] of cases) {
      const r = await runGat(['faithfulness', '--run', runDir, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    }
  });
});

describe('gat faithfulness on planted motifs (BA-Shapes with informative features)', () => {
  it('grades every ranking against the motif edges: gradients and leave-one-out beat random by a clear margin', async () => {
    const out = tempDir();
    const t = await runGat(['train', '--dataset-name', 'ba-shapes-informative', '--backend', 'wasm', '--num-of-epochs', '300', '--out', out]);
    assert.equal(t.code, 0, t.stderr);
    const run = path.join(out, 'runs', readdirSync(path.join(out, 'runs')).filter((d) => !d.startsWith('.'))[0]);
    const r = await faithfulnessJson(['--run', run, '--nodes', 'motifs', '--k', '1,5', '--methods', 'leave-one-out,saliency,integrated-gradients']);
    assert.equal(r.nodes.length, 400, 'the 80 houses × 5 nodes');
    const acc = new Map(r.motifAccuracy!.map((a) => [a.method, a]));
    const random = acc.get('random')!;
    assert.equal(random.nodes, 400);
    assert.ok(Math.abs(random.pooledAuroc! - 0.5) < 0.05, `a random ranking is at chance: ${random.pooledAuroc}`);
    for (const method of ['saliency', 'leave-one-out'] as const) {
      const a = acc.get(method)!;
      assert.ok(a.pooledAuroc! > random.pooledAuroc! + 0.1 && a.meanNodeAuroc! > random.meanNodeAuroc! + 0.1, `${method}: ${JSON.stringify(a)} vs random ${JSON.stringify(random)}`);
    }
    // rows keep each node's own AUROC, not the pooled pairs
    const row = r.rows.find((x) => x.method === 'saliency')!;
    assert.equal(typeof row.motifAuroc, 'number');
    assert.equal((row as unknown as Record<string, unknown>).motifPairs, undefined);
  });
});
