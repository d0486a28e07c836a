/**
 * PyTorch Geometric GATv2 models (GATv2Conv layers, as PyG's GAT(v2=True) names them), written by
 * real PyTorch (test/reference/gatv2PygFixtures.py re-declares GATv2Conv with PyG's names and
 * self-loop order, and saves the eval-mode logits it computed): imported here they give PyTorch's
 * outputs, through `gat analyze` and `gat import`, with separate and with shared weights; and the
 * float64 step-through of the imported run agrees.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { parseNpy } from '../../src/gat/data/npy';
import { readPthModel } from '../../src/gat/import/importModel';
import { runGat } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'pth', name);
const expected = (name: string): Float32Array => parseNpy(new Uint8Array(readFileSync(fixture(name))), name).data as Float32Array;

describe('PyTorch Geometric GATv2Conv weights', () => {
  for (const [name, shared] of [['pyg_gatv2_cora', false], ['pyg_gatv2_shared_cora', true]] as const) {
    it(`${name}: maps GAT(v2=True)'s convs onto a GATv2 model${shared ? ' with shared weights (lin_r is lin_l)' : ''} and gives PyTorch's outputs (to 1e-5)`, async () => {
      const { model } = await readPthModel(fixture(`${name}_state_dict.pth`));
      assert.deepEqual([model.format, model.model, model.shareWeights, model.heads, model.hidden, model.numClasses], ['PyG GATv2Conv', 'gatv2', shared, [8, 1], [8], 7]);
      assert.equal(model.params.some((p) => p.name.includes('lin_r')), !shared);
      const out = path.join(tempDir(), 'v2.safetensors');
      const r = await runGat(['analyze', '--model', fixture(`${name}_state_dict.pth`), '--output', out]);
      assert.equal(r.code, 0, r.stderr);
      const want = expected(`${name}_outputs.npy`);
      const outputs = (await readAnalysis(out)).outputs;
      let worst = 0;
      outputs.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]))));
      assert.ok(worst < 1e-5, `largest difference from PyTorch ${worst}`);
    });
  }

  it('gat import makes a GATv2 run whose step-through equals PyTorch', async () => {
    const out = tempDir();
    const r = await runGat(['import', '--model', fixture('pyg_gatv2_cora_state_dict.pth'), '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /imported \S+ \(PyG GATv2Conv, heads \[8, 1\]\)/);
    const runId = /as run (\S+):/.exec(r.stdout)![1];
    const want = expected('pyg_gatv2_cora_outputs.npy');
    for (const node of [0, 1358, 2707]) {
      const x = await explainRunNode(path.join(out, 'runs', runId), node);
      assert.equal(x.layers[0].model, 'gatv2');
      x.result.logits.forEach((z, k) => assert.ok(Math.abs(z - want[node * 7 + k]) < 1e-5, `node ${node} logit ${k}: ${z} vs PyTorch ${want[node * 7 + k]}`));
    }
  });
});
