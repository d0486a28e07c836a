// The epoch timeline in the real workbench: Train on Cora takes snapshots (gat.snapshots, default
// 32), the attention panel posts them as timeline frames ending with the trained model, and an
// epoch the panel reports is marked by the run's metrics panel.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AttentionPanel } from '../../../src/extension/webviews/attentionPanel';
import type { EmbeddingPanel } from '../../../src/extension/webviews/embeddingPanel';
import type { MetricsPanel } from '../../../src/extension/webviews/metricsPanel';
import type { AttentionSnapshot } from '../../../src/protocol/analysisSnapshots';
import { closeEditorsAfterEach, gatApi, trainCoraRun, waitFor, workspaceDir } from './support';

describe('epoch timeline', function () {
  this.timeout(180_000);
  let runId: string;

  before(async () => {
    runId = await trainCoraRun(await gatApi(), 40, 150_000);
  });

  closeEditorsAfterEach();

  it('Train on Cora writes snapshots by default (log-spaced epochs up to the last)', () => {
    const files = readdirSync(path.join(workspaceDir(), 'runs', runId, 'snapshots')).sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10));
    assert.ok(files.length >= 20, `only ${files.length} snapshots: ${files.join(', ')}`);
    assert.equal(files[0], 'epoch_1.safetensors');
    assert.equal(files.at(-1), 'epoch_40.safetensors');
  });

  it("the attention panel posts a frame per snapshot then the trained model; the metrics panel marks the epoch a panel shows", async () => {
    const attention = (await vscode.commands.executeCommand('gat.showAttention', runId, 1358)) as AttentionPanel;
    await waitFor('the attention snapshot', () => attention.snapshotsPosted > 0, 30_000);
    const snapshot = attention.lastSnapshot as AttentionSnapshot;
    const frames = snapshot.timeline ?? [];
    const snapshots = readdirSync(path.join(workspaceDir(), 'runs', runId, 'snapshots')).length;
    assert.equal(frames.length, snapshots + 1);
    assert.deepEqual(frames.at(-1)?.data, snapshot.data, 'the last frame is the trained model');
    assert.ok(frames.at(-1)?.final && frames.slice(0, -1).every((f) => !f.final));
    assert.notDeepEqual(frames[0].data.neighbours.map((n) => n.weights), snapshot.data.neighbours.map((n) => n.weights), 'epoch 1 differs from the trained model');

    const metrics = (await vscode.commands.executeCommand('gat.showTrainingMetrics', runId)) as MetricsPanel;
    await attention.receive({ type: 'timelineEpoch', runId, epoch: frames[2].epoch });
    await waitFor('the marked epoch', () => metrics.markedEpoch === frames[2].epoch);
    await attention.receive({ type: 'timelineEpoch', runId, epoch: null });
    await waitFor('the mark cleared', () => metrics.markedEpoch === null);
  });

  it('the embedding panel maps every snapshot in a worker, continued from the trained model\'s map, caches them and posts the frames', async () => {
    const panel = (await vscode.commands.executeCommand('gat.showEmbedding', runId)) as EmbeddingPanel;
    const snapshots = readdirSync(path.join(workspaceDir(), 'runs', runId, 'snapshots')).length;
    await waitFor('the embedding timeline', () => panel.timelineFrames > 0, 110_000, 250);
    assert.equal(panel.timelineFrames, snapshots + 1);
    const maps = readdirSync(path.join(workspaceDir(), 'runs', runId, 'tsne')).filter((f) => /^p30-i1000-s42-e\d+\.json$/.test(f));
    assert.equal(maps.length, snapshots, `cached snapshot maps: ${maps.join(', ')}`);
  });
});
