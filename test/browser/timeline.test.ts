/**
 * The epoch timeline in Chromium, from a real Cora run trained with snapshots: the frames come from
 * the host's own code (RunSnapshots), the slider is driven by keyboard and play, and what is drawn
 * is checked against the snapshot files read independently.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attentionSnapshotData, entropySnapshotData } from '../../src/gat/analysis/panelData';
import { RunSnapshots } from '../../src/gat/analysis/runSnapshots';
import type { Analysis } from '../../src/gat/artifacts/analysis';
import { readMetrics } from '../../src/gat/artifacts/runRecord';
import { readSnapshot } from '../../src/gat/artifacts/snapshots';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { graphSnapshot } from '../../src/gat/panels/graphSnapshot';
import { entropyHistogram } from '../../src/figures/entropyModel';
import type { AttentionSnapshot, EntropySnapshot } from '../../src/protocol/analysisSnapshots';
import type { GraphSnapshot, MetricsSnapshot, Provenance, RunFrame, RunPredictions } from '../../src/protocol/webviewMessages';
import type { TimelineFrame } from '../../src/protocol/timeline';
import { embeddingSnapshot, scaleEmbedding } from '../../src/gat/panels/embeddingSnapshot';
import { runTsne } from '../../src/gat/tsne/tsne';
import { coraLayout } from '../helpers/coraPanels';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';
import { nodeScreenPoint, openGraph } from './graphPage';
import { launchChromium, openPanel, withPanel, type BrowserHandle, type PanelPage } from './harness';
import { trainedCora } from './trainedCora';

describe('the epoch timeline in Chromium (a Cora run with snapshots)', () => {
  const out = tempDir();
  let chromium: BrowserHandle;
  let runId: string;
  let runDir: string;
  let analysis: Analysis;
  let provenance: Provenance;
  let attention: AttentionSnapshot;
  let entropy: EntropySnapshot;
  let graph: GraphSnapshot;
  let epochs: number[];

  before(async () => {
    const trained = await trainedCora('cpu', { args: ['--snapshots', '4', '--checkpoint-freq', '100'], out });
    ({ runId, runDir, provenance } = trained);
    const { cora } = trained;
    analysis = trained.analysis;
    const snapshots = new RunSnapshots(() => out);
    epochs = await snapshots.epochs(runId);
    assert.deepEqual(epochs, [1, 3, 10, 30]);
    const att = attentionSnapshotData('cora', runId, analysis, 1358, 1);
    const attFrames = await snapshots.frames(runId, analysis, (s) => attentionSnapshotData('cora', runId, s, 1358, 1), () => att);
    attention = { type: 'attentionSnapshot', provenance, data: att, numNodes: analysis.numNodes, layers: 2, timeline: attFrames };
    const ent = entropySnapshotData('cora', runId, analysis, 1);
    // rounded to 4 decimals, as the entropy panel posts them
    const round = (d: ReturnType<typeof entropySnapshotData>): ReturnType<typeof entropySnapshotData> => ({ ...d, learned: d.learned.map((h) => h.map((v) => Math.round(v * 1e4) / 1e4)), uniform: d.uniform.map((v) => Math.round(v * 1e4) / 1e4) });
    entropy = { type: 'entropySnapshot', provenance, data: ent, layers: 2, timeline: await snapshots.frames(runId, analysis, (s) => round(entropySnapshotData('cora', runId, s, 1)), () => ent) };
    const predictions = (a: Analysis): RunPredictions => ({ predictions: Array.from(a.predictions), confidence: Array.from(a.confidence) });
    const layout = await coraLayout(cora);
    graph = { ...graphSnapshot(cora, layout, provenance, { runId, predictions: analysis.predictions, confidence: analysis.confidence }), runTimeline: await snapshots.frames(runId, analysis, predictions, predictions) };
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  const label = (p: PanelPage): Promise<string> => p.page.locator('.timeline-label').innerText();
  const epochsPosted = async (p: PanelPage): Promise<Array<number | null>> => (await p.posted()).flatMap((m) => (m.type === 'timelineEpoch' ? [m.epoch] : []));

  it('attention: starts at the trained model; Home, arrow keys and play step through the snapshots, each drawn from its file', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'attention'), async (p) => {
      await p.post(attention);
      await p.page.waitForSelector('[data-drawn]:not([data-drawn="0"])');
      assert.match(await label(p), /^trained model \(parameters kept at epoch \d+\)$/);
      assert.equal(await p.page.locator('.timeline-slider').getAttribute('aria-valuetext'), await label(p));
      await p.page.focus('.timeline-slider');
      await p.page.keyboard.press('Home');
      await p.page.waitForSelector('.timeline[data-epoch="1"]');
      assert.equal(await label(p), 'after epoch 1 (snapshot 1 of 4)');
      // what is drawn is snapshot 1's attention of node 1358, head 1 (read from the file here)
      const first = await readSnapshot(runDir, 1);
      const drawn = await p.page.$$eval('.attention-svg .edge', (els) => els.map((e) => [Number(e.getAttribute('data-node')), Number(e.getAttribute('data-weight'))] as [number, number]));
      const expected = new Map<number, number>();
      for (let e = 0; e < first.edgeTarget.length; e++) if (first.edgeTarget[e] === 1358) expected.set(first.edgeSource[e], first.attention[0][e * 8]);
      assert.equal(drawn.length, 169);
      for (const [node, w] of drawn) assert.equal(w, expected.get(node), `node ${node} at epoch 1`);
      assert.match(await p.page.locator('.summary').innerText(), /· after epoch 1 ·/);
      await p.page.keyboard.press('ArrowRight');
      await p.page.waitForSelector('.timeline[data-epoch="3"]');
      // play runs to the trained model and stops there
      await p.page.click('.timeline-play');
      await p.page.waitForSelector('.timeline[data-final="true"]', { timeout: 10_000 });
      await p.page.waitForFunction(() => document.querySelector('.timeline-play')?.textContent === 'Play');
      assert.deepEqual(await epochsPosted(p), [1, 3, 10, 30, null], 'each frame tells the host its epoch (the metrics panel marks it)');
      // taking the slider while playing pauses, and the frame the user chose stays
      await p.page.click('.timeline-play');
      await p.page.waitForFunction(() => document.querySelector('.timeline-play')?.textContent === 'Pause');
      await p.page.focus('.timeline-slider');
      await p.page.keyboard.press('Home');
      assert.equal(await p.page.locator('.timeline-play').textContent(), 'Play');
      await p.page.waitForTimeout(1200);
      assert.equal(await p.page.getAttribute('.timeline', 'data-epoch'), '1', 'play went on after the user took the slider');
      // another head keeps the frame on screen
      await p.page.focus('.timeline-slider');
      await p.page.keyboard.press('Home');
      await p.page.waitForSelector('.timeline[data-epoch="1"]');
      await p.page.selectOption('.head-select', '2');
      assert.equal(await p.page.getAttribute('.timeline', 'data-epoch'), '1');
    });
  });

  it('entropy: the histograms follow the slider and say which epoch they show', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'entropy'), async (p) => {
      await p.post(entropy);
      await p.page.waitForSelector('[data-drawn]:not([data-drawn="0"])');
      const finalSummary = await p.page.locator('.summary').innerText();
      assert.match(finalSummary, /^Most distinct head/);
      await p.page.focus('.timeline-slider');
      await p.page.keyboard.press('Home');
      await p.page.waitForSelector('.timeline[data-epoch="1"]');
      assert.match(await p.page.locator('.summary').innerText(), /^After epoch 1: most distinct head/);
      // head 1's bars count epoch 1's entropies, binned here from the snapshot file
      const first = await readSnapshot(runDir, 1);
      const learned = Array.from({ length: first.numNodes }, (_, i) => Math.round(first.entropy[0][i * 8] * 1e4) / 1e4);
      const uniform = Array.from(first.uniformEntropy, (v) => Math.round(v * 1e4) / 1e4);
      const expected = entropyHistogram(learned, uniform, 30).learned;
      const drawn = await p.page.$$eval('svg[data-head="0"] .learned-bars [data-bin]', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
      assert.deepEqual(drawn, expected);
      await p.page.keyboard.press('End');
      await p.page.waitForSelector('.timeline[data-final="true"]');
      assert.equal(await p.page.locator('.summary').innerText(), finalSummary);
    });
  });

  it('graph: colour by prediction follows the slider, under 50 ms a step, with the counts of that snapshot', async () => {
    await withPanel(openGraph(chromium, graph), async (p) => {
      await p.page.selectOption('.colour-mode', 'correct');
      await p.page.focus('.timeline-slider');
      for (const [index, epoch] of epochs.entries()) {
        await p.page.keyboard.press(index === 0 ? 'Home' : 'ArrowRight');
        await p.page.waitForSelector(`.timeline[data-epoch="${epoch}"]`);
        const ms = Number(await p.page.getAttribute('body', 'data-frame-ms'));
        assert.ok(ms <= 50, `epoch ${epoch} redrew in ${ms} ms`);
        const snap = await readSnapshot(runDir, epoch);
        const right = Array.from(snap.predictions).filter((c, i) => c === snap.labels[i]).length;
        const legend = await p.page.$$eval('.legend-toggle', (els) => els.map((e) => e.textContent ?? ''));
        assert.equal(Number(/\((\d+)\)/.exec(legend[0])![1]), right, `epoch ${epoch}: legend ${legend.join(' | ')}`);
      }
    });
  });

  it('embedding map: the snapshots\' maps arrive after the trained model\'s; the slider moves the points to each', async () => {
    const cora = await loadPlanetoid('cora');
    const finalMap = runTsne(analysis.outputs, analysis.numNodes, analysis.numClasses, { iterations: 300 }).embedding;
    const map = embeddingSnapshot(cora, analysis, runId, provenance, finalMap, { settings: { perplexity: 30, iterations: 300, seed: 42 }, status: 'done', iteration: 300 });
    await withPanel(openGraph(chromium, map), async (p) => {
      assert.equal(await p.page.locator('.timeline').isHidden(), true, 'no timeline before the maps arrive');
      // each snapshot's map, continued from the later one's as the host does (short runs here)
      const frames: TimelineFrame<RunFrame>[] = [];
      let previous = finalMap;
      const maps = new Map<number, Float64Array>();
      for (const epoch of [...epochs].reverse()) {
        const s = await readSnapshot(runDir, epoch);
        previous = runTsne(s.outputs, s.numNodes, s.numClasses, { iterations: 50, exaggerationIterations: 0, initialEmbedding: previous }).embedding;
        maps.set(epoch, previous);
      }
      for (const epoch of epochs) {
        const s = await readSnapshot(runDir, epoch);
        const { x, y } = scaleEmbedding(maps.get(epoch)!, s.numNodes);
        frames.push({ epoch, final: false, data: { predictions: Array.from(s.predictions), confidence: Array.from(s.confidence), x: Array.from(x), y: Array.from(y) } });
      }
      frames.push({ epoch: 29, final: true, data: { predictions: map.run!.predictions, confidence: map.run!.confidence, x: map.x, y: map.y } });
      await p.post({ type: 'embeddingTimeline', frames });
      await p.page.waitForSelector('.timeline:not([hidden])[data-final="true"]');
      const before = await nodeScreenPoint(p, map, 1358);
      await p.page.focus('.timeline-slider');
      await p.page.keyboard.press('Home');
      await p.page.waitForSelector('.timeline[data-epoch="1"]');
      const moved = await nodeScreenPoint(p, { ...map, x: frames[0].data.x!, y: frames[0].data.y! }, 1358);
      assert.notDeepEqual(moved, before, 'node 1358 sits where epoch 1\'s map puts it');
      assert.ok(Number(await p.page.getAttribute('body', 'data-frame-ms')) <= 50);
    });
  });

  it('metrics: a marked epoch draws a line on both curves, and none once cleared', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'metrics'), async (p) => {
      const snapshot: MetricsSnapshot = { type: 'metricsSnapshot', provenance, live: false, epochs: await readMetrics(runDir), compact: false };
      await p.post(snapshot);
      await p.page.waitForSelector('.loss-chart path.series');
      assert.equal(await p.page.locator('.epoch-mark').count(), 0);
      await p.post({ type: 'markEpoch', epoch: 10 });
      await p.page.waitForSelector('.charts[data-marked-epoch="10"]');
      assert.equal(await p.page.locator('.epoch-mark').count(), 2);
      assert.equal((await p.page.locator('.loss-chart .epoch-mark-label').textContent())?.trim(), 'snapshot: after epoch 10');
      await p.post({ type: 'markEpoch', epoch: null });
      await p.page.waitForSelector('.charts[data-marked-epoch=""]');
      assert.equal(await p.page.locator('.epoch-mark').count(), 0);
    });
  });
});
