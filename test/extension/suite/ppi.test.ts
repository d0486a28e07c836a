// A PPI-format dataset in the real workbench: a folder of DGL's twelve files (generated, as the
// real archive cannot be fetched here) trained from a spec in the child process, then every panel
// opened on that run (graph, degrees, attention, entropy, embedding) receives its snapshot, and the
// metrics and status speak micro-F1.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import type { PanelBase } from '../../../src/extension/webviews/panelBase';
import { writeSyntheticPpi } from '../../helpers/ppiSynthetic';
import { closeEditorsAfterEach, gatApi, readRunJson, waitFor, withTimeout, workspaceDir } from './support';

const DATASET = 'extppi';

function webviewTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).map((t) => t.label);
}

async function receivesSnapshot(what: string, panel: unknown): Promise<void> {
  assert.ok(panel, `${what}: the command returned no panel`);
  await waitFor(`the ${what} snapshot`, () => (panel as PanelBase).snapshotsPosted > 0, 60_000, 100);
}

describe('a PPI-format dataset', function () {
  this.timeout(180_000);
  let api: GatExtensionApi;
  let runId: string;
  const dataDir = path.join(workspaceDir(), 'ppi-format-data');
  const spec = path.join(workspaceDir(), `${DATASET}.gat.json`);

  before(async () => {
    api = await gatApi();
    writeSyntheticPpi(dataDir, { scale: 'tiny', seed: 11 });
    writeFileSync(spec, JSON.stringify({ dataset_name: DATASET, data_dir: dataDir, num_of_epochs: 2, backend: 'wasm', should_test: true }, null, 2) + '\n');
    await withTimeout('gat.trainSpec', vscode.commands.executeCommand('gat.trainSpec', vscode.Uri.file(spec)), 120_000);
    const done = api.training.latest?.done;
    assert.ok(done && done.status === 'completed', `training did not complete: ${JSON.stringify(api.training.latest?.exit)}`);
    runId = done.runId;
    await api.runs.getChildren(); // the Runs view reads run.json and learns where the dataset lives
  });

  after(() => {
    rmSync(spec, { force: true });
  });

  closeEditorsAfterEach();

  it('trains with the PPI recipe in the child process: micro-F1, batches of graphs', () => {
    const run = readRunJson(path.join(workspaceDir(), 'runs', runId));
    assert.equal(run.metric, 'micro-F1');
    assert.equal(run.datasetDir, dataDir);
    assert.equal(api.training.latest?.start?.metric, 'micro-F1');
    assert.equal(api.training.latest?.start?.batchesPerEpoch, 2, 'three training graphs in batches of two');
    assert.equal(api.training.latest?.batch?.batches, 2, 'the batch events reached the host');
  });

  it('the graph panel of the run opens on one graph and receives its snapshot', async () => {
    await receivesSnapshot('graph', await vscode.commands.executeCommand('gat.showCoraGraph', runId, DATASET));
    assert.ok(webviewTabs().some((l) => /^Extppi Graph: /.test(l)), `tabs: ${webviewTabs().join(', ')}`);
  });

  it('the degree plots open from the Datasets view item of the dataset', async () => {
    await receivesSnapshot('degree', await vscode.commands.executeCommand('gat.showDegreePlots', { kind: 'dataset', name: DATASET, available: true, bundled: false }));
  });

  it('attention of the largest hub, entropy histograms and the embedding map open on the run', async () => {
    await receivesSnapshot('attention', await vscode.commands.executeCommand('gat.showAttention', runId, 'hub'));
    await receivesSnapshot('entropy', await vscode.commands.executeCommand('gat.showEntropy', runId));
    await receivesSnapshot('embedding', await vscode.commands.executeCommand('gat.showEmbedding', runId));
    const tabs = webviewTabs();
    for (const prefix of ['GAT Attention: node', 'GAT Entropy:', 'GAT Embedding (t-SNE):']) assert.ok(tabs.some((l) => l.startsWith(prefix) && l.includes(runId)), `no ${prefix} tab for the run: ${tabs.join(', ')}`);
  });
});
