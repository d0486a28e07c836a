/**
 * One check of a model's sizes (architectureProblem: heads ≥ 1 per layer, hidden ≥ 1, features and
 * classes ≥ 1) and one of its shapes (parameterShapeProblem), run by training configs and by every
 * command that reads a model: `gat inspect --model` printed "heads per layer: 0" for a safetensors
 * model with no heads, which `gat import` and `gat analyze` refused (without naming the file); `gat
 * analyze` of such a model without a config said its tensors did not fit the default config.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { encodeModelBinary } from '../../src/gat/artifacts/checkpoint';
import type { NamedTensor } from '../../src/gat/artifacts/namedTensor';
import { gatFromTensors } from '../../src/gat/import/gatFromPth';
import { PthError } from '../../src/gat/import/pthArchive';
import { architectureProblem } from '../../src/gat/model/architecture';
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig } from '../../src/gat/train/trainConfig';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

const tensor = (name: string, shape: number[]): NamedTensor => ({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });

/** pytorch-GAT's tensors for Cora (1433 features, 7 classes) with `heads0` heads of 8 features in layer 0. */
function coraTensors(heads0: number): NamedTensor[] {
  return [
    tensor('gat_net.0.linear_proj.weight', [heads0 * 8, 1433]),
    tensor('gat_net.0.scoring_fn_source', [1, heads0, 8]),
    tensor('gat_net.0.scoring_fn_target', [1, heads0, 8]),
    tensor('gat_net.0.bias', [heads0 * 8]),
    tensor('gat_net.1.linear_proj.weight', [7, heads0 * 8]),
    tensor('gat_net.1.scoring_fn_source', [1, 1, 7]),
    tensor('gat_net.1.scoring_fn_target', [1, 1, 7]),
    tensor('gat_net.1.bias', [7]),
  ];
}

function write(name: string, params: NamedTensor[], metadata: Record<string, string> = {}): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, encodeModelBinary(params, metadata));
  return file;
}

const NO_HEADS = 'layer 0 has 0 attention heads, and every layer needs at least 1 (heads per layer [0, 1])';

describe('architectureProblem: the one check of a GAT\'s sizes', () => {
  it('accepts a GAT and names the first size that is not one', () => {
    assert.equal(architectureProblem([8, 1], [8], 1433, 7), undefined);
    const cases: Array<[Parameters<typeof architectureProblem>, string]> = [
      [[[0, 1], [8]], NO_HEADS],
      [[[8, 1.5], [8]], 'layer 1 has 1.5 attention heads, and every layer needs at least 1 (heads per layer [8, 1.5])'],
      [[[8, 1], [0]], 'hidden layer 0 has 0 features per head, and every layer needs at least 1 (hidden [0])'],
      [[[8], [8]], 'heads needs 2 entries (hidden layers + output); got [8]'],
      [[[8, 1], [8], 0, 7], 'the model reads 0 input features; it needs at least 1'],
      [[[8, 1], [8], 1433, 0], 'the model predicts 0 classes; it needs at least 1'],
    ];
    for (const [args, message] of cases) assert.equal(architectureProblem(...args), message);
  });

  it('is what a training config is checked with', () => {
    assert.throws(() => validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, heads: [0, 1] }), new RangeError(`invalid training config: ${NO_HEADS}`));
  });

  it('is what a model file is checked with, naming the file', () => {
    assert.equal(gatFromTensors(coraTensors(8), 'ok.safetensors').heads.join(), '8,1');
    assert.throws(() => gatFromTensors(coraTensors(0), 'zero.safetensors'), (e: unknown) => e instanceof PthError && e.message === `zero.safetensors: its tensors describe no GAT that can run: ${NO_HEADS}`);
  });
});

describe('every command that reads a model refuses one with no heads, the same way (the real CLI)', () => {
  it('gat inspect --model and gat import --model give the same line and exit 2', async () => {
    const file = write('zero_heads.safetensors', coraTensors(0));
    for (const args of [['inspect', '--model', file], ['import', '--model', file, '--out', tempDir(), '--backend', 'wasm']]) {
      const r = await runGat(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `gat ${args[0]}: error: ${file}: its tensors describe no GAT that can run: ${NO_HEADS}\n`);
    }
  });

  it('gat analyze checks a model binary against its config, naming the file: no heads in the config, or tensors of another shape', async () => {
    const zeroConfig = write('zero_config.safetensors', coraTensors(8), { dataset: 'cora', config: JSON.stringify({ heads: [0, 1], hidden: [8] }) });
    const a = await runGat(['analyze', '--model', zeroConfig, '--output', path.join(tempDir(), 'a.safetensors'), '--backend', 'wasm']);
    assert.equal(a.code, 2, a.stderr);
    assert.equal(a.stderr, `gat analyze: error: ${zeroConfig}: its config describes no GAT that can run: ${NO_HEADS}\n`);
    const zeroTensors = write('zero_tensors.safetensors', coraTensors(0), { dataset: 'cora', config: JSON.stringify({ heads: [8, 1], hidden: [8] }) });
    const b = await runGat(['analyze', '--model', zeroTensors, '--output', path.join(tempDir(), 'b.safetensors'), '--backend', 'wasm']);
    assert.equal(b.code, 2, b.stderr);
    assert.equal(b.stderr, `gat analyze: error: ${zeroTensors}: its tensors do not fit its config (heads [8, 1], hidden [8]): tensor 'gat_net.0.linear_proj.weight' has shape [0, 1433]; this model needs [64, 1433]\n`);
  });

  it('gat analyze reads a safetensors model without a config as gat import does: no heads is the same line, other heads are analysed', async () => {
    const zero = write('zero_heads_no_config.safetensors', coraTensors(0));
    const r = await runGat(['analyze', '--model', zero, '--output', path.join(tempDir(), 'z.safetensors'), '--backend', 'wasm']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `gat analyze: error: ${zero}: its tensors describe no GAT that can run: ${NO_HEADS}\n`);
    // Its tensors, not the default config (8 heads), say the architecture.
    const four = write('four_heads_no_config.safetensors', coraTensors(4));
    const output = path.join(tempDir(), 'four.safetensors');
    const ok = await runGat(['analyze', '--model', four, '--output', output, '--backend', 'wasm']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual((await readAnalysis(output)).heads, [4, 1]);
  });
});
