import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readCheckpoint, readModelBinary } from '../../src/gat/artifacts/checkpoint';
import { readMetrics, readRun } from '../../src/gat/artifacts/runRecord';
import { assertNoStackTrace, runGat, spawnGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';

/** The one run folder under out/runs. */
function onlyRunDir(out: string): string {
  const dirs = runDirs(out);
  assert.equal(dirs.length, 1, `one run in ${out}: ${dirs.join(', ')}`);
  return dirs[0];
}

/** Starts `gat train` and resolves once its stdout shows `pattern`, for signal tests. */
function startTraining(args: string[]): { child: ReturnType<typeof spawnGat>; output: () => string; waitFor: (pattern: RegExp) => Promise<void>; exit: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawnGat(['train', ...args]);
  let out = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(out)) w.resolve();
      else waiters.push(w);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve, reject) =>
    child.on('close', (code, signal) => {
      try {
        assertNoStackTrace(['train', ...args], stderr);
        resolve({ code, signal });
      } catch (err) {
        reject(err);
      }
    }),
  );
  return {
    child,
    output: () => out,
    exit,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(out)) return resolve();
        waiters.push({ pattern, resolve });
        void exit.then(() => reject(new Error(`training ended before ${pattern}: ${out}`)));
      }),
  };
}

describe('gat train (the real CLI on Cora)', () => {
  it('trains and writes checkpoints, the model, run.json, metrics, TensorBoard events, analysis and graph statistics', async () => {
    const out = tempDir();
    const r = await runGat(['train', '--num_of_epochs', '40', '--checkpoint_freq', '20', '--should_test', '--enable_tensorboard', '--should_visualize', '--seed', '7', '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /back end (native|wasm|cpu)/);
    assert.match(r.stdout, /completed after 40 epochs/);

    const runDir = onlyRunDir(out);
    const run = await readRun(runDir);
    assert.equal(run.status, 'completed');
    assert.equal(run.epochs, 40);
    assert.equal(run.seed, 7);
    assert.ok(run.testAcc !== null && run.testAcc > 0.5, `test accuracy after 40 epochs: ${run.testAcc}`);
    assert.deepEqual(run.artifacts.checkpoints.map((c) => path.basename(c)), ['gat_cora_ckpt_epoch_20.safetensors', 'gat_cora_ckpt_epoch_40.safetensors']);

    const metrics = await readMetrics(runDir);
    assert.deepEqual(metrics.map((m) => m.epoch), Array.from({ length: 40 }, (_, i) => i));

    const binaryPath = path.join(out, run.artifacts.binary!);
    assert.ok(statSync(binaryPath).size <= 400 * 1024, `model ${statSync(binaryPath).size} bytes`);
    const binary = await readModelBinary(binaryPath);
    assert.equal(binary.metadata.dataset, 'cora');
    assert.equal(binary.metadata.seed, '7');
    assert.match(binary.metadata.backend, /^(native|wasm|cpu)$/);
    assert.match(binary.metadata.gitCommit ?? '', /^[0-9a-f]{40}$/, 'git commit recorded when run inside a repository');
    assert.equal(JSON.parse(binary.metadata.datasetChecksums)['ind.cora.x'], '23cfa55d91c6f624233f5eb7b6e3f141f1bd2b2ae39608a63cf5d084bb27baab');
    assert.deepEqual(binary.params.map((p) => p.name).sort(), ['gat_net.0.bias', 'gat_net.0.linear_proj.weight', 'gat_net.0.scoring_fn_source', 'gat_net.0.scoring_fn_target', 'gat_net.1.bias', 'gat_net.1.linear_proj.weight', 'gat_net.1.scoring_fn_source', 'gat_net.1.scoring_fn_target']);

    const ckpt = await readCheckpoint(path.join(out, run.artifacts.lastCheckpoint!));
    assert.equal(ckpt.epoch, 40);
    assert.ok(ckpt.optimizer.step >= 40);

    assert.equal(run.artifacts.events.length, 1);
    assert.match(path.basename(run.artifacts.events[0]), /^events\.out\.tfevents\.\d+\./);
    assert.ok(statSync(path.join(out, run.artifacts.events[0])).size > 40 * 4 * 20, 'four scalars per epoch');

    const analysis = await readAnalysis(path.join(runDir, 'analysis.safetensors'));
    assert.equal(analysis.numNodes, 2708);
    assert.deepEqual(analysis.heads, [8, 1]);
    assert.equal(analysis.edgeSource.length, 13_264, 'every edge plus a self-loop per node');

    const stats = JSON.parse(readFileSync(path.join(runDir, 'graphStatistics.json'), 'utf8'));
    assert.equal(stats.summary.maxDegreeNode, 1358);
    assert.equal(stats.edges.betweenness.length, 5278);
    assert.deepEqual(readdirSync(path.join(runDir, 'figures')).sort(), ['attention.html', 'attention.svg', 'degrees.html', 'embedding.html', 'embedding.svg', 'entropy.html', 'entropy.svg', 'graph.html', 'graph.svg', 'metrics.html']);
    assert.ok(!existsSync(path.join(out, '.gat-train.lock')), 'the output-folder lock is released');
  });

  it('is deterministic: the same seed and back end give the same metrics', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const out = tempDir();
      const r = await runGat(['train', '--num-of-epochs', '15', '--seed', '3', '--backend', 'cpu', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      runs.push((await readMetrics(onlyRunDir(out))).map(({ ms: _ms, ...m }) => m));
    }
    assert.deepEqual(runs[0], runs[1]);
  });

  it('records the threads and route it ran with in run.json, the model\'s provenance and the start event; the thread count does not change the metrics', async () => {
    const runs = [];
    for (const threads of ['1', '2']) {
      const out = tempDir();
      const r = await runGat(['train', '--num-of-epochs', '12', '--seed', '5', '--backend', 'wasm', '--threads', threads, '--progress', 'json', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const dir = onlyRunDir(out);
      const run = await readRun(dir);
      const expected = { engine: 'fused', kernels: 'wasm-simd', threads: Number(threads), products: null, gemmThreads: 1 };
      assert.deepEqual(run.provenance?.compute, expected, 'run.json');
      const model = await readModelBinary(path.join(out, run.artifacts.binary ?? ''));
      assert.deepEqual(JSON.parse(model.metadata.compute ?? 'null'), expected, "the model's metadata");
      const start = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'start');
      assert.deepEqual(start.compute, expected, 'the start event');
      runs.push((await readMetrics(dir)).map(({ ms: _ms, ...m }) => m));
    }
    assert.deepEqual(runs[1], runs[0]);
  });

  it('a kernel thread that dies mid-run ends it with exit code 5, the earlier checkpoints intact, a checkpoint of the last finished epoch and how to resume', async () => {
    const out = tempDir();
    // Fault injection: a worker thread of the kernel pool is terminated before the 8th optimisation step.
    const r = await runGat(['train', '--backend', 'wasm', '--threads', '2', '--num-of-epochs', '20', '--checkpoint-freq', '5', '--out', out], { env: { GAT_TEST_KILL_KERNEL_THREAD_AT_STEP: '7' } });
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.match(r.stderr, /GAT kernel thread 1 exited .*training cannot go on without it\. The state after epoch 7 was saved: resume with --resume \S+ \(add --threads 1 to train on one thread\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const dir = runDirs(out)[0];
    const run = await readRun(dir);
    assert.equal(run.status, 'failed');
    const checkpoints = readdirSync(path.join(out, 'models', 'checkpoints', run.runId)).sort();
    assert.deepEqual(checkpoints, ['gat_cora_ckpt_epoch_5.safetensors', 'gat_cora_ckpt_epoch_7.safetensors']);
    assert.equal((await readCheckpoint(path.join(out, 'models', 'checkpoints', run.runId, checkpoints[0]))).epoch, 5, 'the earlier checkpoint is intact');
    const resumed = await runGat(['train', '--backend', 'wasm', '--threads', '1', '--num-of-epochs', '9', '--resume', path.join(out, 'models', 'checkpoints', run.runId, checkpoints[1]), '--out', out]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual((await readMetrics(runDirs(out)[1])).map((m) => m.epoch), [7, 8], 'training goes on where the thread died');
  });

  it('emits one JSON event per line with --progress json', async () => {
    const out = tempDir();
    const r = await runGat(['train', '--num-of-epochs', '5', '--progress', 'json', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const types = events.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'start').length, 1);
    assert.equal(types.filter((t) => t === 'epoch').length, 5);
    assert.equal(types[types.length - 1], 'done');
    assert.equal(events[types.indexOf('start')].dataset, 'cora');
    assert.equal(events[events.length - 1].status, 'completed');
  });

  const badValues: Array<[string[], RegExp]> = [
    [['--lr', '0'], /--lr must be > 0 and ≤ 1; got 0/],
    [['--num_of_epochs', '-5'], /--num_of_epochs must be ≥ 1 and ≤ 100000; got -5/],
    [['--patience-period', 'soon'], /--patience-period must be an integer/],
    [['--backend', 'tpu'], /--backend must be one of auto, webgpu, tfjs-node-gpu, tfjs-node, native, wasm, cpu/],
    [['--threads', '0'], /--threads must be ≥ 1 and ≤ 256; got 0/],
    [['--threads', '-1'], /--threads must be ≥ 1 and ≤ 256; got -1/],
    [['--threads', 'abc'], /--threads must be an integer ≥ 1 and ≤ 256; got 'abc'/],
    [['--dataset_name', 'nosuch'], /unknown dataset 'nosuch'/],
  ];
  for (const [args, message] of badValues) {
    it(`rejects ${args.join(' ')} before any work`, async () => {
      const out = path.join(tempDir(), 'out');
      const r = await runGat(['train', ...args, '--out', out]);
      assert.ok(r.code === 2 || r.code === 3, `exit ${r.code}`);
      assert.match(r.stderr, message);
      assert.ok(!existsSync(path.join(out, 'runs')) || readdirSync(path.join(out, 'runs')).length === 0, 'no run was created');
    });
  }

  it('names the back ends that are available when the requested one is not', async () => {
    const r = await runGat(['train', '--backend', 'tfjs-node-gpu', '--out', tempDir()]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /tfjs-node-gpu/);
    assert.match(r.stderr, /wasm/);
    assert.match(r.stderr, /cpu/);
  });

  it('reads a training spec; an unknown key is an error naming it', async () => {
    const dir = tempDir();
    const spec = path.join(dir, 'short.gat.json');
    writeFileSync(spec, JSON.stringify({ num_of_epochs: 6, seed: 11, should_test: true }));
    const ok = await runGat(['train', '--spec', spec, '--out', dir]);
    assert.equal(ok.code, 0, ok.stderr);
    const run = await readRun(onlyRunDir(dir));
    assert.equal(run.epochs, 6);
    assert.equal(run.seed, 11);
    assert.equal(run.spec?.path, spec);
    assert.match(run.spec?.sha256 ?? '', /^[0-9a-f]{64}$/);

    writeFileSync(spec, JSON.stringify({ num_epochs: 6 }));
    const bad = await runGat(['train', '--spec', spec, '--out', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option 'num_epochs'/);
  });

  it("a spec's relative --out is its own folder's, not the working folder's", async () => {
    const dir = tempDir();
    const specs = path.join(dir, 'specs');
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(specs);
    mkdirSync(elsewhere);
    writeFileSync(path.join(specs, 'short.gat.json'), JSON.stringify({ num_of_epochs: 2, backend: 'cpu', out: '../results' }));
    const r = await runGat(['train', '--spec', path.join('..', 'specs', 'short.gat.json')], { cwd: elsewhere });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await readRun(onlyRunDir(path.join(dir, 'results')))).epochs, 2);
    assert.deepEqual(readdirSync(elsewhere), [], 'nothing in the working folder');
  });

  it('SIGINT stops after the epoch, keeps a checkpoint, marks the run cancelled (exit 130); --resume continues from it', async () => {
    const out = tempDir();
    const t = startTraining(['--num-of-epochs', '5000', '--console-log-freq', '1', '--checkpoint-freq', '100000', '--out', out]);
    await t.waitFor(/epoch=\s+5 /);
    t.child.kill('SIGINT');
    const exit = await t.exit;
    assert.equal(exit.code, 130, t.output());
    const run = await readRun(onlyRunDir(out));
    assert.equal(run.status, 'cancelled');
    assert.ok(run.artifacts.lastCheckpoint, 'a checkpoint was written on cancel');
    const ckpt = await readCheckpoint(path.join(out, run.artifacts.lastCheckpoint));
    assert.equal(ckpt.epoch, run.epochs);

    const resumed = await runGat(['train', '--resume', path.join(out, run.artifacts.lastCheckpoint), '--num-of-epochs', String(ckpt.epoch + 5), '--out', out]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`resumed after epoch ${ckpt.epoch}`));
    const runs = readdirSync(path.join(out, 'runs')).sort();
    const second = await readRun(path.join(out, 'runs', runs[1]));
    assert.equal(second.status, 'completed');
    assert.equal(second.resumedFrom, path.join(out, run.artifacts.lastCheckpoint));
    assert.deepEqual((await readMetrics(path.join(out, 'runs', runs[1]))).map((m) => m.epoch), [0, 1, 2, 3, 4].map((i) => ckpt.epoch + i));
  });

  it('--resume is exact: resuming from epoch 10 of a 20-epoch run reproduces its metrics and its final model', async () => {
    const out = tempDir();
    const full = await runGat(['train', '--num-of-epochs', '20', '--checkpoint-freq', '10', '--seed', '5', '--backend', 'cpu', '--out', out]);
    assert.equal(full.code, 0, full.stderr);
    const first = await readRun(onlyRunDir(out));
    const ckpt = first.artifacts.checkpoints.find((c) => c.endsWith('epoch_10.safetensors'))!;
    const resumed = await runGat(['train', '--resume', path.join(out, ckpt), '--num-of-epochs', '20', '--backend', 'cpu', '--out', out]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const runs = readdirSync(path.join(out, 'runs')).sort();
    const second = await readRun(path.join(out, 'runs', runs[1]));
    const strip = (ms: Awaited<ReturnType<typeof readMetrics>>) => ms.map(({ ms: _ms, ...m }) => m);
    const straight = strip(await readMetrics(path.join(out, 'runs', runs[0]))).slice(10);
    assert.deepEqual(strip(await readMetrics(path.join(out, 'runs', runs[1]))), straight);
    const a = await readModelBinary(path.join(out, first.artifacts.binary!));
    const b = await readModelBinary(path.join(out, second.artifacts.binary!));
    assert.deepEqual(b.params.map((t) => Array.from(t.data)), a.params.map((t) => Array.from(t.data)), 'same best model');
  });

  it('a SIGKILL leaves earlier files intact and the run readable as interrupted; a second training in the same folder is refused meanwhile', async () => {
    const out = tempDir();
    const t = startTraining(['--num-of-epochs', '5000', '--console-log-freq', '1', '--checkpoint-freq', '10', '--enable-tensorboard', '--out', out]);
    await t.waitFor(/checkpoint: .*epoch_10\.safetensors/);
    const second = await runGat(['train', '--num-of-epochs', '3', '--out', out]);
    assert.equal(second.code, 6);
    assert.match(second.stderr, /another training \(pid \d+.*\) is already writing to/);
    t.child.kill('SIGKILL');
    await t.exit;
    const run = await readRun(onlyRunDir(out));
    assert.equal(run.status, 'interrupted');
    const ckpt = await readCheckpoint(path.join(out, run.artifacts.lastCheckpoint!));
    assert.ok(ckpt.epoch >= 10);
    assert.ok((await readMetrics(onlyRunDir(out))).length >= 10);
  });

  it('a failed write is a clear error (exit 4) that loses nothing already saved', async () => {
    const out = tempDir();
    mkdirSync(path.join(out, 'models'), { recursive: true });
    writeFileSync(path.join(out, 'models', 'binaries'), 'a file where the binaries folder should be');
    const r = await runGat(['train', '--num-of-epochs', '10', '--checkpoint-freq', '5', '--out', out]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /binaries/);
    assert.match(r.stderr, /--resume/);
    const run = await readRun(onlyRunDir(out));
    assert.equal(run.status, 'failed');
    const ckpt = await readCheckpoint(path.join(out, run.artifacts.lastCheckpoint!));
    assert.equal(ckpt.epoch, 10);
  });
});
