/**
 * The embedding timeline's maps: t-SNE continued from a given layout, and the chain over a real
 * run's snapshots (each map from its later neighbour's, cached next to the run's other maps).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { embeddingCachePath } from '../../src/gat/analysis/embeddingCache';
import { snapshotMaps } from '../../src/gat/analysis/embeddingTimeline';
import { readAnalysis } from '../../src/gat/artifacts/analysis';
import { readRun } from '../../src/gat/artifacts/runRecord';
import { listSnapshots, readSnapshot } from '../../src/gat/artifacts/snapshots';
import { TsneInputError } from '../../src/gat/tsne/options';
import { runTsne } from '../../src/gat/tsne/tsne';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

/** Mean distance between the same points of two maps, over the maps' spread (root mean square radius). */
function relativeShift(a: Float64Array, b: Float64Array): number {
  const n = a.length / 2;
  let shift = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    shift += Math.hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]);
    spread += b[2 * i] ** 2 + b[2 * i + 1] ** 2;
  }
  return shift / n / Math.sqrt(spread / n);
}

describe('t-SNE continued from a layout', () => {
  const points = Float32Array.from({ length: 300 * 4 }, (_, k) => Math.sin(k * 12.9898) * 43758.5453 % 1);

  it('starts from the given layout: a few iterations move it little, a fresh map lands elsewhere', () => {
    const first = runTsne(points, 300, 4, { perplexity: 20, iterations: 400, seed: 1 }).embedding;
    const continued = runTsne(points, 300, 4, { perplexity: 20, iterations: 20, exaggerationIterations: 0, initialEmbedding: first, seed: 1 }).embedding;
    const fresh = runTsne(points, 300, 4, { perplexity: 20, iterations: 400, seed: 2 }).embedding;
    const kept = relativeShift(continued, first);
    const elsewhere = relativeShift(fresh, first);
    assert.ok(kept < 0.1 && kept < elsewhere / 3, `the continued map moved ${kept.toFixed(3)} of its spread; a fresh one lands ${elsewhere.toFixed(3)} away`);
  });

  it('refuses a starting layout of the wrong size or with a non-finite value', () => {
    assert.throws(() => runTsne(points, 300, 4, { perplexity: 20, initialEmbedding: new Float64Array(10) }), (e: unknown) => e instanceof TsneInputError && /2 × 300 coordinates; got 10/.test(e.message));
    const bad = new Float64Array(600);
    bad[7] = NaN;
    assert.throws(() => runTsne(points, 300, 4, { perplexity: 20, initialEmbedding: bad }), (e: unknown) => e instanceof TsneInputError && /value 7 is NaN/.test(e.message));
  });
});

describe('snapshotMaps over a real Cora run', () => {
  const out = tempDir();
  let runDir = '';
  let runId = '';
  before(async () => {
    ({ runId, runDir } = await trainCora(12, 'wasm', { args: ['--snapshots', '3', '--checkpoint-freq', '100'], out }));
  });

  it('maps every snapshot from its later neighbour, caches the maps, and reads them back without computing', async () => {
    const run = await readRun(runDir);
    const final = await readAnalysis(path.join(out, run.artifacts.analysis!));
    const settings = { perplexity: 30, iterations: 1000, seed: 42 };
    const finalMap = runTsne(final.outputs, final.numNodes, final.numClasses, { ...settings, iterations: 500 }).embedding;
    const epochs = await listSnapshots(runDir);
    assert.deepEqual(epochs, [1, 3, 12]);
    const starts: Array<[number, Float64Array]> = [];
    let computed = 0;
    const input = {
      runDir,
      runId,
      epochs,
      read: (epoch: number) => readSnapshot(runDir, epoch),
      finalEmbedding: finalMap,
      settings,
      compute: async (p: Float32Array, n: number, d: number, options: Parameters<typeof runTsne>[3]) => {
        computed++;
        return runTsne(p, n, d, options);
      },
      onMap: (epoch: number, map: Float64Array) => starts.push([epoch, map]),
    };
    const maps = await snapshotMaps(input);
    assert.deepEqual([...maps.keys()], [12, 3, 1], 'the latest snapshot first: the chain starts at the trained model');
    assert.equal(computed, 3);
    for (const e of epochs) assert.ok(existsSync(embeddingCachePath(runDir, settings, undefined, e)), `no cached map for epoch ${e}`);
    // each map stays near the one it continued from
    assert.ok(relativeShift(maps.get(12)!, finalMap) < 0.5, `epoch 12 moved ${relativeShift(maps.get(12)!, finalMap).toFixed(2)} from the trained model's map`);
    assert.ok(relativeShift(maps.get(1)!, maps.get(3)!) < 0.5);
    computed = 0;
    const again = await snapshotMaps(input);
    assert.equal(computed, 0, 'cached maps are read, not computed');
    for (const e of epochs) assert.ok(relativeShift(again.get(e)!, maps.get(e)!) < 1e-3);
  });
});
