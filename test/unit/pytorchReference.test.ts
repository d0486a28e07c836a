// The PyTorch peer the PPI bench times (test/reference/pytorchGatPpi.py) runs on a PPI-format folder
// and reports what the bench quotes: a comparison is only as good as the peer's set-up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { pythonWith } from '../helpers/python';
import { tempDir } from '../helpers/tempDir';

describe('PyTorch reference for the PPI bench', () => {
  it('trains pytorch-GAT\'s PPI model on a PPI-format folder with the threads asked for and reports its timing', () => {
    const dir = tempDir();
    writeSyntheticPpi(dir, { scale: 'tiny', seed: 3 });
    const r = spawnSync(pythonWith('torch'), [path.join(repoRoot, 'test', 'reference', 'pytorchGatPpi.py'), '--data', dir, '--epochs', '3', '--threads', '2', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    assert.equal(out.threads, 2);
    assert.equal(out.epochs, 3);
    assert.match(String(out.torch), /^\d+\.\d+/);
    assert.ok(typeof out.msPerTrainingEpoch === 'number' && out.msPerTrainingEpoch > 0);
    assert.ok((out.msPerEpochWithValidation as number) >= (out.msPerTrainingEpoch as number));
    const f1 = out.lastValMicroF1 as number;
    assert.ok(f1 > 0 && f1 <= 1, `validation micro-F1 ${f1}`);
  });
});
