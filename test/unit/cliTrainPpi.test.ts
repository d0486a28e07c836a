/**
 * The real CLI on a PPI-format folder (a synthetic dataset written as DGL's ppi.zip lays it out):
 * the PPI recipe, batches of graphs, micro-F1, the PPI script's TensorBoard tags, the artifacts,
 * exact resume, records and `gat inspect` / `gat analyze` on it.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readCheckpoint, readModelBinary } from '../../src/gat/artifacts/checkpoint';
import { readMetrics, readRun } from '../../src/gat/artifacts/runRecord';
import { readScalarEvents } from '../../src/gat/artifacts/tfEventReader';
import { loadDataset } from '../../src/gat/data/loadDataset';
import { defaultGraphIndex } from '../../src/gat/panels/graphScope';
import { buildNodeRecord } from '../../src/gat/records/nodeRecord';
import { analysisNodeView } from '../../src/gat/records/analysisView';
import { runGat } from '../helpers/cli';
import { writeSyntheticPpi } from '../helpers/ppiSynthetic';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';

describe('gat train on a PPI-format folder (the real CLI)', () => {
  const data = tempDir();
  before(() => writeSyntheticPpi(data, { scale: 'tiny', seed: 3 }));

  it('trains with the PPI recipe and writes micro-F1 metrics, TensorBoard scalars, checkpoints, the model and a multi-label analysis', async () => {
    const out = tempDir();
    const r = await runGat(['train', '--dataset_name', 'tinyppi', '--data_dir', data, '--num_of_epochs', '4', '--checkpoint_freq', '2', '--console_log_freq', '1', '--should_test', '--enable_tensorboard', '--backend', 'wasm', '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /batch=1\/2 \| train loss=[\d.]+ micro-F1=[\d.]+/, 'batch lines, as the PPI script logs them');
    assert.match(r.stdout, /completed after 4 epochs .*best val micro-F1 [\d.]+, test micro-F1 [\d.]+/);
    const [runDir] = runDirs(out);
    const run = await readRun(runDir);
    assert.equal(run.metric, 'micro-F1');
    assert.equal(run.datasetDir, path.resolve(data));
    const config = run.config as Record<string, unknown>;
    assert.deepEqual([config.heads, config.hidden, config.skipConnection, config.dropout, config.weightDecay, config.batchSize], [[4, 4, 6], [256, 256], true, 0, 0, 2]);
    assert.ok(run.testAcc !== null && run.testAcc > 0 && run.testAcc <= 1, `test micro-F1 ${run.testAcc}`);
    const metrics = await readMetrics(runDir);
    assert.equal(metrics.length, 4);

    // TensorBoard: pytorch-GAT's PPI tags, one value per epoch.
    const events = readdirSync(runDir).filter((f) => f.includes('tfevents'));
    const { events: scalars } = readScalarEvents(new Uint8Array(readFileSync(path.join(runDir, events[0]))), events[0]);
    const tags = new Set(scalars.flatMap((e) => e.values.map((v) => v.tag)));
    assert.deepEqual([...tags].sort(), ['training_loss', 'training_micro_f1', 'val_loss', 'val_micro_f1']);

    // The model: the original's state_dict names, skip projections included.
    const binary = await readModelBinary(path.join(out, run.artifacts.binary!));
    const names = binary.params.map((p) => p.name);
    for (let l = 0; l < 3; l++) for (const t of ['linear_proj.weight', 'skip_proj.weight', 'scoring_fn_source', 'scoring_fn_target', 'bias']) assert.ok(names.includes(`gat_net.${l}.${t}`), `gat_net.${l}.${t}`);
    assert.deepEqual(binary.params.find((p) => p.name === 'gat_net.2.skip_proj.weight')?.shape, [6 * 121, 4 * 256]);
    assert.deepEqual(run.artifacts.checkpoints.map((c) => path.basename(c)), ['gat_tinyppi_ckpt_epoch_2.safetensors', 'gat_tinyppi_ckpt_epoch_4.safetensors']);

    // The analysis covers every graph: outputs, multi-label targets and predictions, attention per layer and head.
    const g = await loadDataset('tinyppi', { dataDir: data });
    const a = await readAnalysis(path.join(out, run.artifacts.analysis!));
    assert.equal(a.numNodes, g.numNodes);
    assert.equal(a.numClasses, 121);
    assert.deepEqual(a.heads, [4, 4, 6]);
    assert.deepEqual(a.graphs, g.graphs);
    assert.deepEqual(Array.from(a.multiLabel!.targets), Array.from(g.multiLabels!));
    for (let i = 0; i < a.outputs.length; i++) assert.equal(a.multiLabel!.predicted[i], a.outputs[i] > 0 ? 1 : 0);
    // Every node's attention sums to 1 per head (a distribution over its neighbourhood, self-loop included).
    const sums = new Float64Array(g.numNodes * 6);
    a.attention[2].forEach((w, k) => (sums[a.edgeTarget[Math.floor(k / 6)] * 6 + (k % 6)] += w));
    for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-4, `sum ${s}`);

    // A node's record: its graph, labels, the 50 feature values, and per-label probabilities.
    const node = g.graphs![1].nodeStart + 2;
    const record = buildNodeRecord(g, node, analysisNodeView(run.runId, a));
    assert.match(record, new RegExp(`- graph: ${g.graphs![1].id} \\(train, nodes `));
    assert.match(record, /- labels: [\d, ]+ \(\d+ of 121\)/);
    assert.match(record, /## Features \(50 values\)/);
    assert.match(record, /\| label \| true \| predicted \| probability \|/);
    assert.equal((record.match(/^\| \d+ \|/gm) ?? []).length, 121);
  });

  it('resumes exactly: 2 epochs + 2 resumed give the metrics of 4 straight epochs', async () => {
    const straight = tempDir();
    const split = tempDir();
    const common = ['--dataset_name', 'tinyppi', '--data_dir', data, '--backend', 'wasm', '--seed', '5', '--checkpoint_freq', '2'];
    assert.equal((await runGat(['train', ...common, '--num_of_epochs', '4', '--out', straight])).code, 0);
    assert.equal((await runGat(['train', ...common, '--num_of_epochs', '2', '--out', split])).code, 0);
    const first = await readRun(runDirs(split)[0]);
    const ckpt = path.join(split, first.artifacts.lastCheckpoint!);
    assert.equal((await readCheckpoint(ckpt)).optimizer.step, 2 * 2, 'two batches of graphs per epoch: two Adam steps');
    const resumed = await runGat(['train', ...common, '--num_of_epochs', '4', '--resume', ckpt, '--out', split]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const strip = (m: Awaited<ReturnType<typeof readMetrics>>): unknown[] => m.map(({ ms: _ms, ...rest }) => rest);
    const whole = strip(await readMetrics(runDirs(straight)[0]));
    const parts = [...strip(await readMetrics(runDirs(split)[0])), ...strip(await readMetrics(runDirs(split)[1]))];
    assert.deepEqual(parts, whole);
  });

  it('gat inspect describes the graphs and labels; gat analyze recomputes the same analysis', async () => {
    const r = await runGat(['inspect', '--dataset-name', 'tinyppi', '--data-dir', data, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const facts = JSON.parse(r.stdout) as { format: string; multiLabel: boolean; graphs: Record<string, { graphs: number }>; classes: number };
    assert.equal(facts.format, 'ppi');
    assert.equal(facts.multiLabel, true);
    assert.deepEqual([facts.graphs.train.graphs, facts.graphs.val.graphs, facts.graphs.test.graphs], [3, 1, 1]);
    const text = await runGat(['inspect', '--dataset-name', 'tinyppi', '--data-dir', data]);
    assert.match(text.stdout, /labels {11}121 \(multi-label: [\d.]+ per node on average\)/);
    assert.match(text.stdout, /graphs {11}5: train 3 \(72 nodes\), val 1 \(22 nodes\), test 1 \(20 nodes\)/);

    const out = tempDir();
    assert.equal((await runGat(['train', '--dataset_name', 'tinyppi', '--data_dir', data, '--num_of_epochs', '2', '--backend', 'wasm', '--out', out])).code, 0);
    const run = await readRun(runDirs(out)[0]);
    const written = await readAnalysis(path.join(out, run.artifacts.analysis!));
    const again = path.join(out, 'again.safetensors');
    const analyzed = await runGat(['analyze', '--model', path.join(out, run.artifacts.binary!), '--output', again, '--backend', 'wasm']);
    assert.equal(analyzed.code, 0, analyzed.stderr);
    const b = await readAnalysis(again);
    for (let i = 0; i < b.outputs.length; i++) assert.ok(Math.abs(b.outputs[i] - written.outputs[i]) < 1e-5, `output ${i}`);
    assert.deepEqual(Array.from(b.multiLabel!.predicted), Array.from(written.multiLabel!.predicted));
  });

  it('--should_visualize draws one graph of the dataset (the panels\' default), attention and entropy over all of them', async () => {
    const out = tempDir();
    const r = await runGat(['train', '--dataset_name', 'tinyppi', '--data_dir', data, '--num_of_epochs', '2', '--backend', 'wasm', '--should_visualize', '--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const g = await loadDataset('tinyppi', { dataDir: data });
    const part = g.graphs![defaultGraphIndex(g)];
    const figures = path.join(runDirs(out)[0], 'figures');
    const baked = (file: string): Record<string, unknown> => {
      const m = /<script type="application\/json" id="gat-data">([\s\S]*?)<\/script>/.exec(readFileSync(path.join(figures, file), 'utf8'));
      assert.ok(m, `${file} carries its data`);
      return (JSON.parse(m[1]) as { snapshot: Record<string, unknown> }).snapshot;
    };
    const graph = baked('graph.html') as { labels: number[]; scope: { nodeOffset: number; graphs: unknown[] }; multiLabel: { labels: number } };
    assert.equal(graph.labels.length, part.numNodes, `graph ${part.id} only`);
    assert.equal(graph.scope.nodeOffset, part.nodeStart, 'tooltips show the dataset\'s node ids');
    assert.equal(graph.scope.graphs.length, 1, 'a page without a host offers no other graph');
    assert.equal(graph.multiLabel.labels, 121);
    assert.equal((baked('embedding.html') as { labels: number[] }).labels.length, part.numNodes);
    assert.equal((baked('degrees.html') as { scope: { nodeOffset: number } }).scope.nodeOffset, part.nodeStart);
    const entropy = baked('entropy.html') as { data: { learned: number[][] } };
    assert.equal(entropy.data.learned[0].length, g.numNodes, 'entropies pool every graph');
    assert.equal((readFileSync(path.join(figures, 'graph.svg'), 'utf8').match(/class="node"/g) ?? []).length, part.numNodes);
    assert.match(readFileSync(path.join(figures, 'metrics.html'), 'utf8'), /"metric":"micro-F1"/);
    const stats = JSON.parse(readFileSync(path.join(runDirs(out)[0], 'graphStatistics.json'), 'utf8')) as { graph: { id: number }; inDegree: number[] };
    assert.equal(stats.graph.id, part.id);
    assert.equal(stats.inDegree.length, part.numNodes);
  });
});
