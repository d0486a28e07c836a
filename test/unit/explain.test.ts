/**
 * `gat explain`: the reference forward pass for one node, checked against the training engine's
 * own numbers (the analysis artifact: attention of every layer and head, outputs) for several
 * nodes of a Cora run, of a PPI-format run (3 layers, skip connections, multi-label) and of a
 * uniform-attention run; and the CLI's text and JSON.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Analysis } from '../../src/gat/artifacts/analysis';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import type { NodeExplanation } from '../../src/protocol/explanation';
import { runGat } from '../helpers/cli';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { tempDir } from '../helpers/tempDir';
import { readTrained, trainCora } from '../helpers/trainedCora';

/** A wasm run and its analysis artifact. */
async function trainedRun(epochs: number, args: readonly string[] = []): Promise<{ runDir: string; analysis: Analysis }> {
  const t = await trainCora(epochs, 'wasm', { args });
  return { runDir: t.runDir, analysis: (await readTrained(t)).analysis };
}

/**
 * The explanation's attention and logits against the engine's, to `tol` (relative for logits above 1:
 * the engine accumulates in float32, the reference in float64).
 */
function assertMatchesEngine(x: NodeExplanation, a: Analysis, tol: number): void {
  x.layers.forEach((layer, l) => {
    const heads = a.heads[l];
    for (const hc of layer.perHead) {
      const engine = new Map<number, number>();
      for (let e = 0; e < a.edgeTarget.length; e++) if (a.edgeTarget[e] === x.node) engine.set(a.edgeSource[e], a.attention[l][e * heads + hc.head]);
      assert.equal(hc.neighbours.length, engine.size, `node ${x.node} layer ${layer.layer}: neighbourhood size`);
      const sum = hc.neighbours.reduce((s, n) => s + n.weight, 0);
      assert.ok(Math.abs(sum - 1) < 1e-9, `weights sum to ${sum}`);
      for (const n of hc.neighbours) assert.ok(Math.abs(n.weight - engine.get(n.node)!) <= tol, `node ${x.node} layer ${layer.layer} head ${hc.head + 1} neighbour ${n.node}: ${n.weight} vs the engine's ${engine.get(n.node)}`);
    }
  });
  const c = a.numClasses;
  x.result.logits.forEach((z, k) => {
    const engine = a.outputs[x.node * c + k];
    assert.ok(Math.abs(z - engine) <= tol * Math.max(1, Math.abs(engine)), `node ${x.node} logit ${k}: ${z} vs ${engine}`);
  });
}

describe('gat explain: the reference forward pass equals the engine', () => {
  let cora: { runDir: string; analysis: Analysis };
  const ppiData = tempDir();
  before(async () => {
    cora = await trainedRun(30);
    writeSyntheticPpi(ppiData, { scale: 'tiny', seed: 3 });
  });

  it('on Cora, for the hub and nodes of every split, every head of both layers and the logits, to 1e-6', async () => {
    for (const node of [1358, 0, 500, 1708, 2707]) {
      const x = await explainRunNode(cora.runDir, node);
      assert.equal(x.layers.length, 2);
      assert.equal(x.layers[0].perHead.length, 8);
      assertMatchesEngine(x, cora.analysis, 1e-6);
      assert.deepEqual(x.result.predicted, [cora.analysis.predictions[node]]);
    }
  });

  it('on a PPI-format run: 3 layers, skip connections, one sigmoid per label', async () => {
    const ppi = await trainedRun(3, ['--dataset_name', 'tinyppi', '--data_dir', ppiData]);
    for (const node of [0, 5, ppi.analysis.numNodes - 1]) {
      const x = await explainRunNode(ppi.runDir, node);
      assert.equal(x.layers.length, 3);
      assert.ok(x.multiLabel);
      assert.ok(x.layers.some((l) => l.skipAdded !== undefined), 'a skip connection is shown');
      assertMatchesEngine(x, ppi.analysis, 1e-6);
      const predicted = Array.from({ length: ppi.analysis.numClasses }, (_, k) => k).filter((k) => ppi.analysis.multiLabel!.predicted[node * ppi.analysis.numClasses + k]);
      assert.deepEqual(x.result.predicted, predicted);
    }
  });

  it("on GATv2 runs (PyG's GATv2Conv, separate and shared weights), every head and the logits equal the engine's", async () => {
    for (const extra of [[], ['--share_weights']]) {
      const t = await trainCora(5, 'cpu', { args: ['--model', 'gatv2', ...extra] });
      const analysis = (await readTrained(t)).analysis;
      for (const node of [1358, 0, 2707]) {
        const x = await explainRunNode(t.runDir, node);
        assert.deepEqual(x.layers.map((l) => l.model), ['gatv2', 'gatv2']);
        assert.equal(x.layers[0].perHead[0].targetProjection!.length, x.layers[0].fout);
        assertMatchesEngine(x, analysis, 1e-5);
        assert.deepEqual(x.result.predicted, [analysis.predictions[node]]);
      }
      const text = await runGat(['explain', '--run', t.runDir, '--node', '1358', '--layer', '1']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /e_ij = att·LeakyReLU\(x_l\[j\] \+ x_r\[i\]\) per pair/);
      assert.match(text.stdout, /the target's own map x_r = W_r·h_i \+ b_r/);
      const importance = await runGat(['explain', '--run', t.runDir, '--node', '1358', '--importance', 'saliency']);
      assert.equal(importance.code, 2);
      assert.match(importance.stderr, /edge importance scores GAT layers only so far: this run is a GATv2 model/);
    }
  });

  it('on a uniform-attention run every weight is 1/(in-degree + 1)', async () => {
    const u = await trainedRun(5, ['--attention', 'uniform']);
    const x = await explainRunNode(u.runDir, 1358);
    for (const l of x.layers) for (const h of l.perHead) for (const n of h.neighbours) assert.ok(Math.abs(n.weight - n.uniform) < 1e-12);
    assertMatchesEngine(x, u.analysis, 1e-6);
  });

  it('prints the steps as text, and every number as JSON', async () => {
    const text = await runGat(['explain', '--run', cora.runDir, '--node', '1358', '--layer', '1', '--head', '2']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^node 1358 of cora · none · degree 168 · truth Genetic_Algorithms/);
    assert.match(text.stdout, /layer 1: 1433 → 8 heads × 8, concatenated, ELU/);
    assert.match(text.stdout, /head 2 of 8/);
    assert.match(text.stdout, /4\. attention over 169 neighbours/);
    assert.doesNotMatch(text.stdout, /layer 2:/);
    const json = await runGat(['explain', '--run', cora.runDir, '--node', '1358', '--json']);
    const x = JSON.parse(json.stdout) as NodeExplanation;
    assert.equal(x.format, 'gat-explorer/explanation/1');
    assert.equal(x.layers[0].perHead[1].neighbours.length, 169);
    const bad = await runGat(['explain', '--run', cora.runDir, '--node', '9999']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /node 9999 does not exist in cora: node ids are 0 to 2707/);
  });
});
