import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BackendError, availableBackends, selectBackend } from '../../src/gat/backend/backends';
import { BACKENDS, BACKEND_CHOICES, BACKEND_NAMES, MODEL_ENGINES, backendsFor, modelRefusal, type BackendSpec } from '../../src/gat/backend/registry';
import { ANALYZE_OPTIONS } from '../../src/gat/cli/analyzeCommand';
import { IMPORT_OPTIONS } from '../../src/gat/cli/importCommand';
import { trainCommand } from '../../src/gat/cli/trainCommand';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { TRAIN_OPTIONS } from '../../src/gat/options/trainOptions';
import { CpuTrainer } from '../../src/gat/train/cpuTrainer';
import { planThreads } from '../../src/gat/train/threadPlan';
import { PPI_RECIPE } from '../../src/gat/train/recipes';
import { DEFAULT_TRAIN_CONFIG, configShapes, type TrainConfig } from '../../src/gat/train/trainConfig';
import { createTrainer } from '../../src/gat/train/trainer';
import { BACKEND_SETTINGS, parseGatSettings } from '../../src/extension/core/settingsModel';
import { repoRoot } from '../helpers/paths';
import { tinyGraph } from '../helpers/tinyGraph';
import { testGpu } from '../helpers/webgpuTestGpu';

const TINY: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, heads: [4, 1], hidden: [4], seed: 5 };
const spec = (name: string): BackendSpec => BACKENDS.find((b) => b.name === name)!;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('back-end registry: every consumer reads one list', () => {
  it('auto, then every back end in auto’s order', () => {
    assert.deepEqual(BACKEND_NAMES, ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'native', 'wasm', 'cpu']);
    assert.deepEqual(BACKEND_CHOICES, ['auto', ...BACKEND_NAMES]);
  });

  it('--backend of gat train, analyze and import accepts exactly the choices, and train’s help names each back end', () => {
    for (const table of [TRAIN_OPTIONS, ANALYZE_OPTIONS, IMPORT_OPTIONS]) {
      assert.deepEqual(table.backend.values, BACKEND_CHOICES);
      assert.equal(table.backend.default, 'auto');
    }
    for (const name of BACKEND_NAMES) assert.ok(trainCommand.help.includes(name), `gat train --help names ${name}`);
  });

  it('the gat.backend setting: the settings model and package.json list the choices (package.json: see specSchema.test.ts)', () => {
    assert.deepEqual(BACKEND_SETTINGS, BACKEND_CHOICES);
    for (const choice of BACKEND_CHOICES) assert.equal(parseGatSettings({ backend: choice }, '/ws').settings.backend, choice);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const setting = pkg.contributes.configuration.properties['gat.backend'];
    assert.deepEqual(setting.enum, BACKEND_CHOICES);
  });

  it('gat backends lists every back end of the registry, in its order', async () => {
    assert.deepEqual((await availableBackends()).map((b) => b.name), BACKEND_NAMES);
  });

  it('no source file but the registry writes the list out again', () => {
    const names = BACKEND_NAMES.map((n) => new RegExp(`['"\`]${n}['"\`]`));
    const registry = path.join(repoRoot, 'src', 'gat', 'backend', 'registry.ts');
    for (const file of sourceFiles(path.join(repoRoot, 'src')).filter((f) => f !== registry)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const listed = names.filter((re) => re.test(line)).length;
          assert.ok(listed < 3, `${path.relative(repoRoot, file)}:${i + 1} lists ${listed} back-end names: read BACKEND_NAMES or BACKEND_CHOICES instead`);
        });
    }
  });

  it('each declaration is consistent: engines, hot kernels, device and GPU go together', () => {
    for (const b of BACKENDS) {
      assert.ok(b.engines.length > 0, b.name);
      assert.equal(b.hotKernels !== null, b.engines.includes('fused'), `${b.name}: hot kernels exactly when it runs the fused engine`);
      assert.equal(b.needs.device, b.engines.includes('webgpu'), `${b.name}: a device exactly when it runs WGSL`);
      if (b.needs.device) assert.ok(b.gpu, `${b.name} opens a GPU device, so it runs on a GPU`);
      assert.equal(b.bundled, b.notInstalled === '', `${b.name}: a reason to be missing exactly when it is optional`);
      assert.ok(b.models.includes('gat'), `${b.name} trains GAT`);
      for (const m of b.models) assert.ok(b.engines.some((e) => MODEL_ENGINES[m].includes(e)), `${b.name}: an engine of its computes ${m}`);
    }
  });

  it('GATv2: the back ends that train it name it, and auto never lands elsewhere', () => {
    assert.deepEqual(backendsFor('gatv2'), BACKENDS.filter((b) => b.models.includes('gatv2')).map((b) => b.name));
    assert.deepEqual(backendsFor('gat'), BACKEND_NAMES);
    assert.equal(modelRefusal(spec('cpu'), 'gatv2'), null);
    assert.match(modelRefusal(spec('native'), 'gatv2') ?? '', /^--model gatv2 does not run on the native back end yet \(it trains gat\): use --backend .* or cpu$/);
  });

  it("wasm leaves GATv2 out for a reason: TensorFlow.js's wasm back end has no UnsortedSegmentSum for the generic engine", async () => {
    await selectBackend('wasm');
    const g = tinyGraph({ nodes: 6, features: 4, classes: 2, seed: 1 });
    await assert.rejects(createTrainer(g, { ...TINY, model: 'gatv2' }, { name: 'wasm' }), (e: unknown) => e instanceof BackendError && /does not run on the wasm back end/.test(e.message));
    // Were it let through, its generic engine would fail on the first step: drop wasm's exclusion once this passes.
    const t = await createTrainer(g, { ...TINY, engine: 'generic' }, { name: 'wasm' });
    try {
      await assert.rejects(t.trainEpoch(), /UnsortedSegmentSum' not registered for backend 'wasm'/);
    } finally {
      t.dispose();
    }
  });

  it('a GATv2 session on cpu runs the generic engine; asking it for the fused kernels is refused', async () => {
    await selectBackend('cpu');
    const g = tinyGraph({ nodes: 6, features: 4, classes: 2, seed: 1 });
    const t = await createTrainer(g, { ...TINY, model: 'gatv2' }, { name: 'cpu' });
    try {
      assert.ok(t instanceof CpuTrainer && t.engine === 'generic');
    } finally {
      t.dispose();
    }
    await assert.rejects(createTrainer(g, { ...TINY, model: 'gatv2', engine: 'fused' }, { name: 'cpu' }), (e: unknown) => e instanceof BackendError && /--model gatv2 runs on generic ops only, not on fused kernels/.test(e.message));
  });
});

describe('back-end registry: the device and the threads are arguments', () => {
  it('selectBackend hands back the WebGPU device it opened, and none for the others', async () => {
    const gpu = await selectBackend('webgpu');
    assert.ok(gpu.device, 'webgpu opened a device');
    assert.equal((await selectBackend('cpu')).device, null);
  });

  it('a webgpu session runs on the device it is given, and refuses to start without one', async () => {
    const g = tinyGraph({ nodes: 16, seed: 2 });
    await assert.rejects(createTrainer(g, TINY, { name: 'webgpu' }), (e: unknown) => e instanceof BackendError && /not active.*pass the device it opened/.test(e.message));
    const device = await testGpu();
    const t = await createTrainer(g, TINY, { name: 'webgpu', device });
    try {
      assert.equal(t.backend, 'webgpu');
      assert.equal(t.engine, 'webgpu');
      const { trainLoss } = await t.trainEpoch();
      assert.ok(Number.isFinite(trainLoss));
    } finally {
      t.dispose();
    }
  });

  it('planThreads decides the kernel and GEMM threads from the back end, the engine, the config and the machine', async () => {
    const cora = await loadPlanetoid('cora');
    const narrow = configShapes(cora, DEFAULT_TRAIN_CONFIG);
    const wide = configShapes({ numFeatures: 50, numClasses: 121 }, { heads: PPI_RECIPE.heads, hidden: PPI_RECIPE.hidden, skipConnection: true });
    const cases: Array<[string, string, 'fused' | 'generic', Partial<TrainConfig>, typeof narrow, number, { kernels: number; gemm: number }]> = [
      ['wasm, fused, wide layers, 2 CPUs', 'wasm', 'fused', {}, wide, 2, { kernels: 2, gemm: 2 }],
      ['wasm, fused, wide layers, 1 CPU', 'wasm', 'fused', {}, wide, 1, { kernels: 1, gemm: 1 }],
      ['wasm, fused, wide layers, gemmThreads 1', 'wasm', 'fused', { gemmThreads: 1 }, wide, 4, { kernels: 4, gemm: 1 }],
      ['wasm, fused, Cora, 16 CPUs: every core', 'wasm', 'fused', {}, narrow, 16, { kernels: 16, gemm: 1 }],
      ['wasm, fused, Cora, threads 3 on 2 CPUs', 'wasm', 'fused', { threads: 3 }, narrow, 2, { kernels: 3, gemm: 1 }],
      ['wasm, fused, Cora, threads 2', 'wasm', 'fused', { threads: 2 }, narrow, 4, { kernels: 2, gemm: 1 }],
      ['wasm, fused, wide layers, 16 CPUs: its GEMM runs on 2', 'wasm', 'fused', {}, wide, 16, { kernels: 16, gemm: 2 }],
      ['wasm, fused, wide layers, threads 1: one thread for both', 'wasm', 'fused', { threads: 1 }, wide, 16, { kernels: 1, gemm: 1 }],
      ['native, fused, wide layers, 16 CPUs: every core for both', 'native', 'fused', {}, wide, 16, { kernels: 16, gemm: 16 }],
      ['native, fused, wide layers, threads 4', 'native', 'fused', { threads: 4 }, wide, 16, { kernels: 4, gemm: 4 }],
      ['native, fused, wide layers, gemmThreads 3', 'native', 'fused', { gemmThreads: 3 }, wide, 16, { kernels: 16, gemm: 3 }],
      ['native, fused, Cora: no products', 'native', 'fused', {}, narrow, 16, { kernels: 16, gemm: 1 }],
      ['wasm, generic', 'wasm', 'generic', { threads: 2, gemmThreads: 2 }, wide, 4, { kernels: 1, gemm: 1 }],
      ['cpu, fused (no worker threads)', 'cpu', 'fused', { threads: 2, gemmThreads: 2 }, wide, 4, { kernels: 1, gemm: 1 }],
    ];
    for (const [what, name, engine, config, shapes, cpus, expected] of cases) {
      assert.deepEqual(planThreads(spec(name), engine, config, shapes, cpus), expected, what);
    }
  });

  it('a CPU session runs its kernels on the threads it is given, whatever its config says', async () => {
    await selectBackend('cpu');
    const g = tinyGraph({ nodes: 24, seed: 4 });
    const config: TrainConfig = { ...TINY, heads: [8, 1], hidden: [8], engine: 'fused', threads: 1 };
    const shapes = configShapes(g, config);
    const two = new CpuTrainer(g, config, shapes, { backend: 'wasm', engine: 'fused', hotKernels: 'wasm-simd', threads: 2, products: null });
    const one = new CpuTrainer(g, { ...config, threads: 2 }, shapes, { backend: 'wasm', engine: 'fused', hotKernels: 'wasm-simd', threads: 1, products: null });
    try {
      assert.equal(two.threads, 2);
      assert.equal(one.threads, 1);
      assert.equal(two.gemmThreads, 1, 'no products were started');
      assert.deepEqual(await two.trainEpoch(), await one.trainEpoch());
    } finally {
      two.dispose();
      one.dispose();
    }
  });
});
