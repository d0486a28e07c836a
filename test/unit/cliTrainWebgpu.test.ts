/**
 * `gat train --backend webgpu` as a user runs it, on SwiftShader (a Vulkan driver running on the
 * CPU): the same metrics as the wasm back end for the same seed, the same artifacts, cancel and
 * exact resume, and a clear refusal — never a silent fallback — when there is no GPU driver.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readModelBinary } from '../../src/gat/artifacts/checkpoint';
import { readMetrics, readRun } from '../../src/gat/artifacts/runRecord';
import { assertNoStackTrace, runGat, spawnGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';
import { SWIFTSHADER_ICD } from '../helpers/webgpuTestGpu';

const GPU_ENV = { VK_ICD_FILENAMES: SWIFTSHADER_ICD };

describe('gat train --backend webgpu (SwiftShader)', () => {
  it('50 Cora epochs give the wasm run\'s metrics to 1e-3, and the same artifacts', async () => {
    const gpu = tempDir();
    const cpu = tempDir();
    const common = ['train', '--num_of_epochs', '50', '--seed', '3', '--should_test', '--checkpoint_freq', '25'];
    const [g, c] = [await runGat([...common, '--backend', 'webgpu', '--out', gpu], { env: GPU_ENV, timeoutMs: 300_000 }), await runGat([...common, '--backend', 'wasm', '--out', cpu])];
    assert.equal(g.code, 0, g.stderr + g.stdout);
    assert.equal(c.code, 0, c.stderr);
    assert.match(g.stdout, /back end webgpu: WebGPU \(Dawn\) on google · swiftshader/, 'the run names the adapter it used');
    const [gm, cm] = [await readMetrics(runDirs(gpu)[0]), await readMetrics(runDirs(cpu)[0])];
    assert.equal(gm.length, 50);
    for (let e = 0; e < 50; e++) {
      for (const k of ['trainLoss', 'trainAcc', 'valLoss', 'valAcc'] as const) assert.ok(Math.abs(gm[e][k] - cm[e][k]) <= 1e-3, `epoch ${e + 1} ${k}: webgpu ${gm[e][k]}, wasm ${cm[e][k]}`);
    }
    const [gr, cr] = [await readRun(runDirs(gpu)[0]), await readRun(runDirs(cpu)[0])];
    assert.equal(gr.backend, 'webgpu');
    assert.equal(gr.status, 'completed');
    assert.ok(Math.abs(gr.testAcc! - cr.testAcc!) <= 2e-3, `test accuracy ${gr.testAcc} vs ${cr.testAcc}`);
    assert.deepEqual(gr.artifacts.checkpoints.map((p) => path.basename(p)), cr.artifacts.checkpoints.map((p) => path.basename(p)));
    const [gb, cb] = [await readModelBinary(path.join(gpu, gr.artifacts.binary!)), await readModelBinary(path.join(cpu, cr.artifacts.binary!))];
    assert.deepEqual(gb.params.map((p) => [p.name, p.shape]), cb.params.map((p) => [p.name, p.shape]));
    assert.equal(gb.metadata.backend, 'webgpu');
    const a = await readAnalysis(path.join(gpu, gr.artifacts.analysis!));
    assert.equal(a.attention[0].length, 13264 * 8);
  });

  it('--attention uniform on the GPU: the wasm run\'s metrics to 1e-3 and attention exactly uniform (the scoring gradient is cleared on the GPU)', async () => {
    const gpu = tempDir();
    const cpu = tempDir();
    const common = ['train', '--attention', 'uniform', '--num_of_epochs', '15', '--seed', '4'];
    const [g, c] = [await runGat([...common, '--backend', 'webgpu', '--out', gpu], { env: GPU_ENV, timeoutMs: 300_000 }), await runGat([...common, '--backend', 'wasm', '--out', cpu])];
    assert.equal(g.code, 0, g.stderr + g.stdout);
    assert.equal(c.code, 0, c.stderr);
    const [gm, cm] = [await readMetrics(runDirs(gpu)[0]), await readMetrics(runDirs(cpu)[0])];
    for (let e = 0; e < 15; e++) {
      for (const k of ['trainLoss', 'trainAcc', 'valLoss', 'valAcc'] as const) assert.ok(Math.abs(gm[e][k] - cm[e][k]) <= 1e-3, `epoch ${e + 1} ${k}: webgpu ${gm[e][k]}, wasm ${cm[e][k]}`);
    }
    const run = await readRun(runDirs(gpu)[0]);
    const a = await readAnalysis(path.join(gpu, run.artifacts.analysis!));
    const incoming = new Int32Array(a.numNodes);
    for (const t of a.edgeTarget) incoming[t]++;
    for (const [l, alpha] of a.attention.entries()) {
      for (let k = 0; k < alpha.length; k++) assert.ok(Math.abs(alpha[k] - 1 / incoming[a.edgeTarget[Math.floor(k / a.heads[l])]]) <= 1e-6, `layer ${l + 1}, entry ${k}: ${alpha[k]}`);
    }
  });

  it('cancels with a checkpoint (exit 130) and resumes from it to the metrics of an uninterrupted run', async () => {
    const out = tempDir();
    const straight = tempDir();
    const common = ['--backend', 'webgpu', '--seed', '4', '--checkpoint_freq', '100'];
    const args = ['train', ...common, '--num_of_epochs', '1000', '--console_log_freq', '1', '--out', out];
    const child = spawnGat(args, { env: GPU_ENV });
    let output = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer): void => {
        output += d.toString();
        if (/epoch= {3}3 \|/.test(output)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exit.then(() => resolve());
    });
    child.kill('SIGINT');
    assert.equal(await exit, 130, output);
    assertNoStackTrace(args, stderr);
    const cancelled = await readRun(runDirs(out)[0]);
    assert.equal(cancelled.status, 'cancelled');
    const done = cancelled.epochs;
    const resumed = await runGat(['train', ...common, '--num_of_epochs', String(done + 2), '--resume', path.join(out, cancelled.artifacts.lastCheckpoint!), '--out', out], { env: GPU_ENV, timeoutMs: 300_000 });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((await runGat(['train', ...common, '--num_of_epochs', String(done + 2), '--out', straight], { env: GPU_ENV, timeoutMs: 300_000 })).code, 0);
    const strip = (m: Awaited<ReturnType<typeof readMetrics>>): unknown[] => m.map(({ ms: _ms, ...rest }) => rest);
    const parts = [...strip(await readMetrics(runDirs(out)[0])), ...strip(await readMetrics(runDirs(out)[1]))];
    assert.deepEqual(parts, strip(await readMetrics(runDirs(straight)[0])));
  });

  it('a lost device ends the run with exit code 5, a checkpoint of the last finished epoch, and how to resume', async () => {
    const out = tempDir();
    // Fault injection: the device is destroyed before the 4th optimisation step, as a driver reset would lose it.
    const r = await runGat(['train', '--backend', 'webgpu', '--num_of_epochs', '10', '--out', out], { env: { ...GPU_ENV, GAT_TEST_LOSE_GPU_AT_STEP: '3' }, timeoutMs: 300_000 });
    assert.equal(r.code, 5, r.stdout + r.stderr);
    const ckpt = /resume with --resume (\S+\.safetensors)/.exec(r.stderr)?.[1];
    assert.ok(ckpt, r.stderr);
    assert.match(r.stderr, /the WebGPU device was lost \(destroyed\).*The state after epoch 3 was saved/);
    const run = await readRun(runDirs(out)[0]);
    assert.equal(run.status, 'failed');
    assert.equal(path.basename(ckpt), 'gat_cora_ckpt_epoch_3.safetensors');
    const resumed = await runGat(['train', '--backend', 'wasm', '--num_of_epochs', '5', '--resume', ckpt, '--out', out]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual((await readMetrics(runDirs(out)[1])).map((m) => m.epoch), [3, 4], 'the CPU continues where the GPU stopped');
  });

  it('without a GPU driver, --backend webgpu stops with the back-end exit code and names the driver; it never falls back', async () => {
    const out = tempDir();
    const r = await runGat(['train', '--backend', 'webgpu', '--num_of_epochs', '2', '--out', out], { env: { VK_ICD_FILENAMES: '/nonexistent/icd.json' } });
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.match(r.stderr, /back end 'webgpu' is not available: .*Vulkan/);
    assert.doesNotMatch(r.stdout, /Training GAT/);
  });
});
