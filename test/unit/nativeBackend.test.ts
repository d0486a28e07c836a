/**
 * The native back end (fused kernels, dense products on onnxruntime-node) against the wasm one,
 * with the real library: `gat backends` names it, auto picks it before wasm, the same seed gives the
 * same training on Cora (which has no wide layers, so no product runs at all) and on a PPI-format
 * folder (whose wide layers run on onnxruntime's GEMM), the real CLI trains with it, and where it
 * cannot run, `gat backends` says why.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readRun } from '../../src/gat/artifacts/runRecord';
import { availableBackends, selectBackend } from '../../src/gat/backend/backends';
import type { BackendName } from '../../src/gat/backend/registry';
import { loadDataset } from '../../src/gat/data/loadDataset';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { PPI_RECIPE } from '../../src/gat/train/recipes';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src/gat/train/trainConfig';
import { createTrainer } from '../../src/gat/train/trainer';
import type { Trainer } from '../../src/gat/train/trainerTypes';
import { runGat } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';

interface Trace {
  readonly losses: number[];
  readonly valAcc: number[];
  readonly params: Float32Array;
  readonly productsMs: number;
  readonly gemmThreads: number;
}

async function train(graph: GraphDataset, config: TrainConfig, name: BackendName, epochs: number): Promise<Trace> {
  const t: Trainer = await createTrainer(graph, config, await selectBackend(name));
  try {
    const losses: number[] = [];
    const valAcc: number[] = [];
    for (let e = 0; e < epochs; e++) {
      losses.push((await t.trainEpoch()).trainLoss);
      valAcc.push((await t.evaluate('val')).acc);
    }
    const params = Float32Array.from((await t.exportParameters()).flatMap((p) => [...p.data]));
    return { losses, valAcc, params, productsMs: t.timings.products, gemmThreads: t.gemmThreads };
  } finally {
    t.dispose();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('the native back end', () => {
  it('gat backends lists it as available here, and auto takes it before wasm', async () => {
    const list = await availableBackends();
    const native = list.find((b) => b.name === 'native');
    assert.equal(native?.available, true, native?.reason);
    assert.ok(list.findIndex((b) => b.name === 'native') < list.findIndex((b) => b.name === 'wasm'));
    const auto = await selectBackend('auto');
    assert.equal(auto.name, 'native', JSON.stringify(auto.unavailable));
    assert.match(auto.detail, /^onnxruntime-node 1\.\d+\.\d+ native multi-threaded GEMM \(MLAS\) for the dense products; graph ops: fused kernels/);
    assert.equal(typeof auto.startProducts, 'function');
  });

  it('Cora, 50 epochs, the same seed: native and wasm agree to 1e-4, and neither runs a dense product', async () => {
    const cora = await loadPlanetoid('cora');
    const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, seed: 3 };
    const native = await train(cora, config, 'native', 50);
    const wasm = await train(cora, config, 'wasm', 50);
    assert.equal(native.productsMs, 0, 'Cora has no wide layers: no products ran');
    assert.equal(wasm.productsMs, 0);
    assert.ok(maxAbsDiff(native.losses, wasm.losses) <= 1e-4, `losses ${native.losses} vs ${wasm.losses}`);
    assert.ok(maxAbsDiff(native.valAcc, wasm.valAcc) <= 1e-4);
    assert.ok(maxAbsDiff(native.params, wasm.params) <= 1e-4);
    assert.ok(native.losses[49] < native.losses[0], 'it learned');
  });

  describe('on a PPI-format folder', () => {
    const data = tempDir();
    before(() => writeSyntheticPpi(data, { scale: 'small', seed: 11 }));
    const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, heads: PPI_RECIPE.heads, hidden: PPI_RECIPE.hidden, dropout: PPI_RECIPE.dropout, weightDecay: PPI_RECIPE.weightDecay, skipConnection: true, batchSize: PPI_RECIPE.batchSize, seed: 2 };

    it('the same seed: native (onnxruntime GEMM) and wasm (XNNPACK) agree to 1e-4 over 3 epochs', async () => {
      const g = await loadDataset('smallppi', { dataDir: data });
      const native = await train(g, config, 'native', 3);
      const wasm = await train(g, config, 'wasm', 3);
      assert.ok(native.productsMs > 0, 'the wide layers ran their products');
      assert.ok(native.gemmThreads >= 1);
      assert.ok(maxAbsDiff(native.losses, wasm.losses) <= 1e-4, `losses ${native.losses} vs ${wasm.losses}`);
      assert.ok(maxAbsDiff(native.valAcc, wasm.valAcc) <= 1e-4, `val micro-F1 ${native.valAcc} vs ${wasm.valAcc}`);
      assert.ok(maxAbsDiff(native.params, wasm.params) <= 1e-4, `parameters differ by ${maxAbsDiff(native.params, wasm.params)}`);
    });

    it('gat train --backend native trains it and records the back end', async () => {
      const out = tempDir();
      const r = await runGat(['train', '--dataset_name', 'smallppi', '--data_dir', data, '--num_of_epochs', '2', '--backend', 'native', '--out', out]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /back end native: onnxruntime-node [\d.]+ native multi-threaded GEMM/);
      assert.match(r.stdout, /completed after 2 epochs/);
      const [runDir] = runDirs(out);
      assert.equal((await readRun(runDir)).backend, 'native');
    });
  });
});

describe('gat backends says why native cannot run', () => {
  /**
   * The CLI bundle alone in a folder of its own, as a packaged extension holds it, with the real
   * onnxruntime-node staged next to it as `binary` says: intact, without this platform's binary,
   * or with the binary cut short (a library that fails to load). Node resolves the package from
   * there, never from this repository's node_modules.
   */
  function stagedCli(binary: 'intact' | 'missing' | 'truncated' | 'no-package'): string {
    const root = tempDir();
    mkdirSync(path.join(root, 'dist'));
    copyFileSync(path.join(repoRoot, 'dist', 'cli.js'), path.join(root, 'dist', 'cli.js'));
    if (binary === 'no-package') return path.join(root, 'dist', 'cli.js');
    const modules = path.join(root, 'dist', 'node_modules');
    const from = path.join(repoRoot, 'node_modules', 'onnxruntime-node');
    const to = path.join(modules, 'onnxruntime-node');
    for (const f of ['package.json', 'dist']) cpSync(path.join(from, f), path.join(to, f), { recursive: true });
    cpSync(path.join(repoRoot, 'node_modules', 'onnxruntime-common'), path.join(modules, 'onnxruntime-common'), { recursive: true });
    const bin = path.join('bin', 'napi-v6', process.platform, process.arch);
    if (binary === 'intact') cpSync(path.join(from, bin), path.join(to, bin), { recursive: true });
    if (binary === 'truncated') {
      mkdirSync(path.join(to, bin), { recursive: true });
      writeFileSync(path.join(to, bin, 'onnxruntime_binding.node'), new Uint8Array(64));
    }
    return path.join(root, 'dist', 'cli.js');
  }

  const nativeLine = (cli: string): string => {
    const r = spawnSync(process.execPath, [cli, 'backends'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').find((l) => l.startsWith('- native:')) ?? '';
  };

  it('available with the package staged next to the bundle (as a per-platform .vsix has it)', () => {
    assert.match(nativeLine(stagedCli('intact')), /^- native: available/);
  });

  it('not installed, no binary for this platform, or a binary that fails to load: each says so', () => {
    assert.match(nativeLine(stagedCli('no-package')), /^- native: not available: onnxruntime-node is not installed \(an optional dependency with CPU binaries for Linux x64\/arm64, Windows x64\/arm64 and macOS arm64\)$/);
    assert.match(nativeLine(stagedCli('missing')), new RegExp(`^- native: not available: onnxruntime-node has no binary for ${process.platform}-${process.arch} \\(it ships CPU binaries for `));
    assert.match(nativeLine(stagedCli('truncated')), /^- native: not available: onnxruntime-node failed to load: .+/);
  });
});
