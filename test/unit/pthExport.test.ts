/**
 * `gat export --format pth`: our model binary as pytorch-GAT's checkpoint dict. Read back by our
 * own reader (every tensor bit-identical, the round trip .safetensors → .pth → .safetensors exact)
 * and loaded by real PyTorch into the original's GAT (scripts/pthFixtures.py declares it), whose
 * outputs on Cora equal ours to 1e-5.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readModelBinary } from '../../src/gat/artifacts/checkpoint';
import { readRun } from '../../src/gat/artifacts/runRecord';
import { readPthModel } from '../../src/gat/import/importModel';
import { runGat } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { runPythonJson } from '../helpers/python';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

describe('gat export --format pth (the real CLI)', () => {
  let exported = '';
  let binary = '';
  let analysis = '';
  before(async () => {
    exported = path.join(tempDir(), 'gat_cora_000030.pth');
    const { out, runDir } = await trainCora(30, 'wasm');
    const run = await readRun(runDir);
    binary = path.join(out, run.artifacts.binary!);
    analysis = path.join(out, run.artifacts.analysis!);
    const e = await runGat(['export', '--model', binary, '--output', exported]);
    assert.equal(e.code, 0, e.stderr + e.stdout);
  });

  it('writes the checkpoint dict our reader opens with every tensor bit-identical', async () => {
    const { model } = await readPthModel(exported);
    assert.equal(model.format, 'pytorch-GAT checkpoint');
    assert.deepEqual([model.heads, model.hidden, model.dataset, model.info.num_of_layers, model.info.layer_type], [[8, 1], [8], 'cora', '2', '"IMP3"']);
    const ours = await readModelBinary(binary);
    for (const p of ours.params) assert.deepEqual(model.params.find((q) => q.name === p.name)?.data, p.data, p.name);
  });

  it('round-trips .safetensors → .pth → .safetensors (gat import) exactly', async () => {
    const again = tempDir();
    const r = await runGat(['import', '--model', exported, '--out', again, '--backend', 'wasm']);
    assert.equal(r.code, 0, r.stderr);
    const run = await readRun(path.join(again, 'runs', /as run (\S+):/.exec(r.stdout)![1]));
    const back = await readModelBinary(path.join(again, run.artifacts.binary!));
    const ours = await readModelBinary(binary);
    assert.deepEqual(back.params.map((p) => [p.name, Array.from(p.data)]).sort(), ours.params.map((p) => [p.name, Array.from(p.data)]).sort());
  });

  it("loads in real PyTorch into the original's GAT, which computes our outputs on Cora (to 1e-5)", async () => {
    const script = [
      'import json, sys, torch',
      `sys.path.insert(0, ${JSON.stringify(path.join(repoRoot, 'scripts'))})`,
      'from pthFixtures import GAT, load_cora',
      'args = json.load(sys.stdin)',
      'ck = torch.load(args["file"])',
      "m = GAT(ck['num_features_per_layer'], ck['num_heads_per_layer'], ck['add_skip_connection'])",
      "m.load_state_dict(ck['state_dict'])",
      'm.eval()',
      'x, ei, y = load_cora()',
      'with torch.no_grad(): out = m(x, ei)',
      "print(json.dumps({'keys': sorted(k for k in ck if k != 'state_dict'), 'outputs': out.reshape(-1).tolist()}))",
    ].join('\n');
    const py = runPythonJson<{ keys: string[]; outputs: number[] }>('torch', script, { file: exported });
    assert.deepEqual(py.keys, ['add_skip_connection', 'bias', 'commit_hash', 'dataset_name', 'dropout', 'layer_type', 'num_features_per_layer', 'num_heads_per_layer', 'num_of_epochs', 'num_of_layers', 'test_perf']);
    const ours = await readAnalysis(analysis);
    assert.equal(py.outputs.length, ours.outputs.length);
    let worst = 0;
    for (let i = 0; i < py.outputs.length; i++) worst = Math.max(worst, Math.abs(py.outputs[i] - ours.outputs[i]));
    assert.ok(worst < 1e-5, `largest difference between PyTorch's outputs and ours: ${worst}`);
  });

  it('refuses a uniform-attention model: the original has no layer to load it into', async () => {
    const u = await trainCora(3, 'wasm', { args: ['--attention', 'uniform'] });
    const run = await readRun(u.runDir);
    const r = await runGat(['export', '--model', path.join(u.out, run.artifacts.binary!)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has uniform attention \(no scoring vectors\)/);
  });
});
