/**
 * Edge importance and what-if edits (`gat explain --importance`, `--remove-edge` …), each checked
 * against an independent computation:
 *   - the receptive-field pass equals explainNode (the step-through) on Cora and a 3-layer,
 *     skip-connected, multi-label PPI-format run;
 *   - leave-one-out equals `gat analyze` (the training engine) on a copy of the dataset files with
 *     that edge removed, and equals `gat explain --remove-edge` (the full pass on an edited graph);
 *   - the mask gradient equals central finite differences; Integrated Gradients is complete;
 *   - Kendall's τ-b equals SciPy's; a uniform-attention run says attention gives no ranking;
 *   - bad input is refused with one line before any work.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { loadRunModel, type RunModel } from '../../src/gat/cli/runModel';
import { loadDataset } from '../../src/gat/data/loadDataset';
import { integratedGradients, maskGradient, probability, type Objective } from '../../src/gat/explain/edgeImportance';
import { explainNode } from '../../src/gat/explain/explainNode';
import { FieldModel } from '../../src/gat/explain/fieldModel';
import { applyEdits } from '../../src/gat/explain/graphEdits';
import { weightsOf } from '../../src/gat/explain/layerWeights';
import { objectiveOf } from '../../src/gat/explain/nodeStudy';
import { receptiveField } from '../../src/gat/explain/receptiveField';
import { buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { kendallTauB } from '../../src/gat/stats/kendall';
import type { EdgeImportance, NodeExplanation } from '../../src/protocol/explanation';
import { runGat } from '../helpers/cli';
import { adjacencyPickle } from '../helpers/pickleWriter';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { runPythonJson } from '../helpers/python';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

function fieldModelOf(m: RunModel, node: number, directed = false): FieldModel {
  return new FieldModel(receptiveField(buildGatGraph(m.graph), node, m.shapes.length, directed), weightsOf(m.shapes, m.params), m.graph.features);
}

function explained(m: RunModel, node: number): NodeExplanation {
  return explainNode({ runId: m.runId, graph: m.graph, gat: buildGatGraph(m.graph), shapes: m.shapes, params: m.params, node });
}

async function explainJson(args: readonly string[]): Promise<NodeExplanation> {
  const r = await runGat(['explain', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as NodeExplanation;
}

describe('edge importance and what-if edits', () => {
  let coraRun: string;
  let cora: RunModel;
  let ppiRun: string;
  let ppi: RunModel;
  before(async () => {
    coraRun = (await trainCora(40, 'wasm')).runDir;
    cora = await loadRunModel(coraRun);
    const ppiData = tempDir();
    writeSyntheticPpi(ppiData, { scale: 'tiny', seed: 3 });
    ppiRun = (await trainCora(3, 'wasm', { args: ['--dataset_name', 'tinyppi', '--data_dir', ppiData] })).runDir;
    ppi = await loadRunModel(ppiRun);
  });

  it('the receptive-field pass gives the step-through’s logits (Cora, and a 3-layer skip-connected multi-label run)', () => {
    for (const [m, nodes] of [[cora, [1358, 0, 2707]], [ppi, [0, 7]]] as const) {
      for (const node of nodes) {
        const want = explained(m, node).result.logits;
        const got = fieldModelOf(m, node).forward().logits;
        want.forEach((z, k) => assert.ok(Math.abs(z - got[k]) < 1e-12, `${m.graph.name} node ${node} logit ${k}: ${got[k]} vs ${z}`));
      }
    }
  });

  it('leave-one-out equals `gat analyze` on a copy of the dataset with that edge removed, to 1e-6', async () => {
    const node = 1358;
    const x = await explainRunNode(coraRun, node, { edits: { edits: [], directed: false }, methods: ['leave-one-out'] });
    const im = x.importance!;
    const loo = im.methods[0].scores;
    // the strongest and the weakest of the node's own edges, and the strongest two hops away
    const order = im.units.map((_, k) => k).sort((a, b) => loo[b] - loo[a]);
    const own = order.filter((k) => im.units[k].hop === 1);
    const far = order.filter((k) => im.units[k].hop === 2);
    assert.ok(own.length > 100 && far.length > 100, `${own.length} own edges, ${far.length} two hops away`);
    const graph = await loadDataset('cora');
    const c = im.objective.index;
    for (const k of [own[0], own[own.length - 1], far[0]]) {
      const { source, target } = im.units[k];
      // the dataset's files, renamed (no pinned checksums) and with the graph pickle rewritten
      const dir = tempDir();
      const coraDir = graph.sourceDir;
      for (const f of readdirSync(coraDir).filter((f) => f.startsWith('ind.cora.') && !f.endsWith('.graph'))) copyFileSync(path.join(coraDir, f), path.join(dir, f.replace('ind.cora.', 'ind.coracut.')));
      const adjacency = new Map<number, number[]>();
      for (let i = 0; i < graph.numNodes; i++) adjacency.set(i, []);
      for (let e = 0; e < graph.edgeSource.length; e++) {
        const [a, b] = [graph.edgeSource[e], graph.edgeTarget[e]];
        if (a < b && !(a === Math.min(source, target) && b === Math.max(source, target))) adjacency.get(a)!.push(b);
      }
      writeFileSync(path.join(dir, 'ind.coracut.graph'), adjacencyPickle(adjacency));
      const output = path.join(tempDir(), 'analysis.safetensors');
      const model = path.join(coraRun, '..', '..', 'models', 'binaries', readdirSync(path.join(coraRun, '..', '..', 'models', 'binaries'))[0]);
      const r = await runGat(['analyze', '--model', model, '--dataset-name', 'coracut', '--data-dir', dir, '--output', output, '--backend', 'wasm']);
      assert.equal(r.code, 0, r.stderr);
      const a = await readAnalysis(output);
      assert.equal(a.edgeSource.length, graph.edgeSource.length + graph.numNodes - 2, 'one undirected edge fewer');
      const logits = Float64Array.from(a.outputs.subarray(node * a.numClasses, (node + 1) * a.numClasses));
      const drop = im.objective.probability - probability({ index: c, kind: 'softmax' }, logits);
      assert.ok(Math.abs(drop - loo[k]) < 1e-6, `edge ${source} — ${target}: leave-one-out ${loo[k]}, the engine on the edited files ${drop}`);
    }
  });

  it('a what-if removal through the CLI gives the same change as leave-one-out, and the saved run is untouched', async () => {
    const node = 1358;
    const base = await explainJson(['--run', coraRun, '--node', String(node), '--importance', 'leave-one-out']);
    const im = base.importance!;
    const k = im.methods[0].scores.indexOf(Math.max(...im.methods[0].scores));
    const { source, target } = im.units[k];
    const other = source === node ? target : source;
    const edited = await explainJson(['--run', coraRun, '--node', String(node), '--remove-edge', String(other)]);
    assert.deepEqual(edited.edits!.applied, [`remove edge ${other} — ${node}`]);
    assert.equal(edited.edits!.directed, false);
    assert.deepEqual(edited.edits!.before.probabilities, base.result.probabilities);
    assert.equal(edited.degree, base.degree - 1);
    const drop = base.result.probabilities[im.objective.index] - edited.result.probabilities[im.objective.index];
    assert.ok(Math.abs(drop - im.methods[0].scores[k]) < 1e-12, `${drop} vs ${im.methods[0].scores[k]}`);
    // the edit removed both directions; --directed-edits only the one named; the dataset is as it was
    const both = applyEdits(cora.graph, { edits: [{ kind: 'remove-edge', source: other, target: node }], directed: false });
    const one = applyEdits(cora.graph, { edits: [{ kind: 'remove-edge', source: other, target: node }], directed: true });
    const has = (g: typeof both, s: number, t: number): boolean => g.edgeSource.some((v, e) => v === s && g.edgeTarget[e] === t);
    assert.deepEqual([has(both, other, node), has(both, node, other)], [false, false]);
    assert.deepEqual([has(one, other, node), has(one, node, other)], [false, true]);
    assert.deepEqual([has(cora.graph, other, node), has(cora.graph, node, other)], [true, true]);
    const directed = await explainJson(['--run', coraRun, '--node', String(node), '--remove-edge', String(other), '--directed-edits']);
    assert.deepEqual(directed.edits!.applied, [`remove edge ${other} → ${node}`]);
    assert.equal(directed.edits!.directed, true);
  });

  it('the mask gradient equals central finite differences (Cora and the multi-label run)', () => {
    for (const [m, node] of [[cora, 1358], [ppi, 7]] as const) {
      const model = fieldModelOf(m, node);
      const o: Objective = objectiveOf(explained(m, node));
      const mask = Float64Array.from({ length: model.numUnits }, (_, u) => 0.2 + ((u * 0.618) % 0.6));
      const { grad } = maskGradient(model, o, { mask });
      const h = 1e-5;
      for (let t = 0; t < 12; t++) {
        const u = Math.floor((t * model.numUnits) / 12);
        const at = (v: number): number => {
          const m2 = mask.slice();
          m2[u] = v;
          return probability(o, model.forward({ mask: m2 }).logits);
        };
        const fd = (at(mask[u] + h) - at(mask[u] - h)) / (2 * h);
        assert.ok(Math.abs(fd - grad[u]) <= 1e-7 + 1e-5 * Math.abs(fd), `${m.graph.name} node ${node} unit ${u}: gradient ${grad[u]} vs finite difference ${fd}`);
      }
    }
  });

  it('Integrated Gradients is complete: the attributions sum to p(all edges) − p(no edge messages), to 1e-3', () => {
    for (const [m, node] of [[cora, 1358], [cora, 42], [ppi, 7]] as const) {
      const model = fieldModelOf(m, node);
      const o = objectiveOf(explained(m, node));
      const ig = integratedGradients(model, o, 32);
      const full = probability(o, model.forward().logits);
      const none = probability(o, model.forward({ mask: new Float64Array(model.numUnits) }).logits);
      const total = ig.attributions.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(full - none) > 1e-3, 'the edges matter to this prediction');
      assert.ok(Math.abs(total - (full - none)) < 1e-3, `${total} vs ${full - none}`);
      assert.ok(Math.abs(ig.completenessError - Math.abs(total - (full - none))) < 1e-15);
    }
  });

  it("Kendall's τ-b equals SciPy's, ties included", () => {
    const cases = Array.from({ length: 12 }, (_, c) => {
      const n = 5 + c * 7;
      const a = Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * (c + 1.3)) * (c % 3 === 0 ? 3 : 50)));
      const b = Array.from({ length: n }, (_, i) => Math.round(Math.cos(i * 0.7 + c) * 4) + (i % 2));
      return { a, b };
    });
    const want = runPythonJson<number[]>('scipy', 'import json,sys\nfrom scipy.stats import kendalltau\nprint(json.dumps([kendalltau(c["a"], c["b"]).statistic for c in json.load(sys.stdin)]))', cases);
    cases.forEach((c, k) => assert.ok(Math.abs(kendallTauB(c.a, c.b)! - want[k]) < 1e-12, `case ${k}: ${kendallTauB(c.a, c.b)} vs SciPy ${want[k]}`));
    assert.equal(kendallTauB([1, 1, 1], [1, 2, 3]), null);
  });

  it('every method scores every edge of the receptive field; the table and τ come out of the CLI', async () => {
    const x = await explainJson(['--run', coraRun, '--node', '42', '--importance', 'all', '--explainer-epochs', '30']);
    const im: EdgeImportance = x.importance!;
    assert.deepEqual(im.methods.map((m) => m.method), ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'gnnexplainer']);
    for (const m of im.methods) assert.equal(m.scores.length, im.units.length);
    const flow = im.methods[0].scores;
    // attention flow: each layer passes on all of its share, so the node's own edges carry ≤ 1
    assert.ok(flow.every((v) => v >= 0 && v <= 1));
    const gnn = im.methods[4].scores;
    assert.ok(gnn.every((v) => v > 0 && v < 1));
    assert.equal(im.agreement.length, 4);
    for (const a of im.agreement) assert.ok(a.tau !== null && a.tau >= -1 && a.tau <= 1, JSON.stringify(a));
    const text = await runGat(['explain', '--run', coraRun, '--node', '42', '--importance', 'attention,leave-one-out']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /edge importance for class \S+ \(p = [\d.]+\), \d+ edges \(both directions each\) in the receptive field, by leave-one-out/);
    assert.match(text.stdout, /Kendall τ\(attention, leave-one-out\) = -?\d\.\d{3}/);
  });

  it('on a uniform-attention run, attention gives no ranking and says so instead of τ = NaN', async () => {
    const u = (await trainCora(5, 'wasm', { args: ['--attention', 'uniform'] })).runDir;
    const x = await explainJson(['--run', u, '--node', '1358', '--importance', 'attention,saliency']);
    const att = x.importance!.methods[0];
    assert.equal(att.uniform, true);
    // every neighbour of the node gets the same weight in every layer and head
    for (const l of x.layers) for (const h of l.perHead) for (const n of h.neighbours) assert.equal(n.weight, h.neighbours[0].weight);
    assert.deepEqual(x.importance!.agreement, [{ method: 'saliency', tau: null, reason: 'uniform attention: every neighbour of a node weighs the same, so attention ranks them all equally' }]);
    const text = await runGat(['explain', '--run', u, '--node', '1358', '--importance', 'attention,saliency']);
    assert.match(text.stdout, /Kendall τ\(attention, saliency\) = none: uniform attention/);
    assert.doesNotMatch(text.stdout, /NaN/);
  });

  it('feature edits switch one word off or on, the row normalised again as the loader does', async () => {
    const base = await explainJson(['--run', coraRun, '--node', '42']);
    const words = base.layers[0].input.nonZero;
    const off = await explainJson(['--run', coraRun, '--node', '42', '--feature-off', String(words[0].index)]);
    assert.deepEqual(off.layers[0].input.nonZero.map((v) => v.index), words.slice(1).map((v) => v.index));
    for (const v of off.layers[0].input.nonZero) assert.equal(v.value, Math.fround(1 / (words.length - 1)));
    const absent = [...Array(1433).keys()].find((f) => !words.some((w) => w.index === f))!;
    const on = await explainJson(['--run', coraRun, '--node', '42', '--feature-on', String(absent)]);
    assert.equal(on.layers[0].input.nonZero.length, words.length + 1);
    assert.ok(on.layers[0].input.nonZero.some((v) => v.index === absent));
    for (const v of on.layers[0].input.nonZero) assert.equal(v.value, Math.fround(1 / (words.length + 1)));
    assert.notDeepEqual(on.result.logits, base.result.logits);
  });

  it('bad input is refused with one line before any work', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--remove-edge', '5'], /remove edge 5 — 1358: there is no edge 5 → 1358 in cora/],
      [['--add-edge', '99999'], /node 99999 does not exist in cora: node ids are 0 to 2707/],
      [['--feature-off', '1433'], /feature 1433 of node 1358 off: cora has features 0 to 1432/],
      [['--importance', 'shap'], /--importance shap: unknown method; choose from attention, leave-one-out, saliency, integrated-gradients, gnnexplainer or all/],
      [['--remove-edge', '1:2:3'], /--remove-edge 1:2:3: expected J or J:K/],
      [['--add-edge', '0x5'], /--add-edge 0x5: expected a node or feature id/],
      [['--ig-steps', '8', '--importance', 'integrated-gradients'], /--ig-steps must be ≥ 32/],
      [['--label', '1'], /--label is for multi-label datasets/],
    ];
    for (const [args, message] of cases) {
      const r = await runGat(['explain', '--run', coraRun, '--node', '1358', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], message);
      assert.equal(r.stdout, '');
    }
  });
});
