// The attention, entropy and embedding panels of a trained run, opened through their commands in
// the real workbench: each becomes a webview tab named after its run, the attention panel opens the
// Computation panel through the panel controller, and the embedding's t-SNE runs off the extension
// host's thread and lands in the run's cache. (A missing artifact's message is covered by the unit
// and Chromium tiers, which can read it.)
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AttentionPanel } from '../../../src/extension/webviews/attentionPanel';
import type { EmbeddingPanel } from '../../../src/extension/webviews/embeddingPanel';
import { closeEditorsAfterEach, gatApi, recordCommandLinkArgs, trainCoraRun, waitFor, webviewTab, workspaceDir } from './support';

describe('attention, entropy and embedding panels', function () {
  this.timeout(120_000);
  let runId: string;

  before(async () => {
    runId = await trainCoraRun(await gatApi(), 15);
  });

  closeEditorsAfterEach();

  it('GAT: Show Attention for Node… opens node 1358 of the run (the tree passes the run and "hub")', async () => {
    await vscode.commands.executeCommand('gat.showAttention', runId, 'hub');
    const tab = await waitFor('the attention tab', () => webviewTab(new RegExp(`^GAT Attention: node 1358 \\(${runId}\\)$`)));
    assert.ok(tab.isActive);
  });

  it("the attention panel's Step through opens the run's Computation panel (through the controller)", async () => {
    const attention = (await vscode.commands.executeCommand('gat.showAttention', runId, 1358)) as AttentionPanel;
    await attention.receive({ type: 'stepThrough', node: 1358 });
    await waitFor('the computation tab', () => webviewTab(new RegExp(`^GAT Computation: node 1358 \\(${runId}\\)$`)));
  });

  it("a run's node record links to that node's attention panel", async () => {
    assert.deepEqual(await recordCommandLinkArgs(runId, 1358, 'gat.showAttention'), [runId, 1358]);
  });

  it('GAT: Show Entropy Histograms opens the run\'s entropy panel', async () => {
    await vscode.commands.executeCommand('gat.showEntropy', runId);
    await waitFor('the entropy tab', () => webviewTab(new RegExp(`^GAT Entropy: ${runId}$`)));
  });

  it('GAT: Show Embedding Map runs t-SNE off the host thread and caches it with the run', async () => {
    const started = Date.now();
    const panel = (await vscode.commands.executeCommand('gat.showEmbedding', runId)) as EmbeddingPanel | undefined;
    assert.ok(panel, 'the command returns the panel');
    await waitFor('the embedding tab', () => webviewTab(new RegExp(`^GAT Embedding \\(t-SNE\\): ${runId}$`)));
    // The host stays responsive while t-SNE runs: a timer fires on time.
    const lag = await new Promise<number>((resolve) => {
      const t0 = Date.now();
      setTimeout(() => resolve(Date.now() - t0 - 50), 50);
    });
    assert.ok(lag < 500, `the extension host was blocked for ${lag} ms`);
    const cacheDir = path.join(workspaceDir(), 'runs', runId, 'tsne');
    await waitFor('the cached embedding', () => existsSync(cacheDir) && readdirSync(cacheDir).includes('p30-i1000-s42.json'), 90_000, 250);
    assert.ok(Date.now() - started < 90_000);
  });
});
