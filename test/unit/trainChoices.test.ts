/**
 * Train…'s model step (src/extension/commands/trainChoices.ts): every choice's flags are what the
 * CLI accepts, GATv2 is offered only the back ends that train it, and the GATv2 choice trains a
 * GATv2 model through the real CLI.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { backendsFor, BACKEND_CHOICES } from '../../src/gat/backend/registry';
import { parseArgs } from '../../src/gat/options/args';
import { TRAIN_OPTIONS } from '../../src/gat/options/trainOptions';
import { backendChoicesFor, MODEL_CHOICES } from '../../src/extension/commands/trainChoices';
import { runIds } from '../helpers/trainedCora';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

describe("Train…'s model step", () => {
  it('offers GAT, GATv2 and the uniform control, each as flags the CLI parses to that model', () => {
    assert.deepEqual(MODEL_CHOICES.map((c) => c.label), ['GAT', 'GATv2', 'GAT, uniform attention']);
    const parsed = MODEL_CHOICES.map((c) => parseArgs(c.args, TRAIN_OPTIONS));
    assert.deepEqual(parsed.map((p) => [p.model, p.attention]), [['gat', 'learned'], ['gatv2', 'learned'], ['gat', 'uniform']]);
  });

  it('lists for GATv2 only auto and the back ends that train it; for GAT every back end', () => {
    assert.deepEqual(backendChoicesFor('gat'), [...BACKEND_CHOICES]);
    const v2 = backendChoicesFor('gatv2');
    assert.equal(v2[0], 'auto');
    assert.deepEqual(v2.slice(1).sort(), [...backendsFor('gatv2')].sort());
    assert.ok(!v2.includes('wasm') && !v2.includes('webgpu'), v2.join());
  });

  it("the GATv2 choice with 'auto' trains a GATv2 model", async () => {
    const out = tempDir();
    const choice = MODEL_CHOICES.find((c) => c.label === 'GATv2')!;
    const r = await runGat(['train', '--dataset-name', 'cora', '--backend', 'auto', ...choice.args, '--seed', '3', '--num-of-epochs', '2', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const run = JSON.parse(readFileSync(path.join(out, 'runs', runIds(out)[0], 'run.json'), 'utf8')) as { config: { model?: string } };
    assert.equal(run.config.model, 'gatv2');
  });
});
