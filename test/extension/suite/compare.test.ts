// Compare Runs in the real workbench: two Cora runs (GAT and its uniform-attention control, the
// second trained from a spec), compared from the Runs view's selection and by id; the panel gets
// its snapshot, and Swap exchanges A and B.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import type { ComparePanel } from '../../../src/extension/webviews/comparePanel';
import type { GraphPanel } from '../../../src/extension/webviews/graphPanel';
import type { GraphSnapshot } from '../../../src/protocol/webviewMessages';
import { closeEditorsAfterEach, gatApi, readRunJson, trainCoraRun, waitFor, withTimeout, workspaceDir } from './support';

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
}

describe('Compare Runs', function () {
  this.timeout(120_000);
  let api: GatExtensionApi;
  let learned: string;
  let uniform: string;
  const spec = path.join(workspaceDir(), 'uniform-control.gat.json');

  before(async () => {
    api = await gatApi();
    learned = await trainCoraRun(api, 15);
    writeFileSync(spec, JSON.stringify({ dataset_name: 'cora', attention: 'uniform', num_of_epochs: 15, should_test: true }, null, 2) + '\n');
    await withTimeout('gat.trainSpec', vscode.commands.executeCommand('gat.trainSpec', vscode.Uri.file(spec)), 60_000);
    uniform = api.training.latest!.done!.runId;
    assert.equal((readRunJson(path.join(workspaceDir(), 'runs', uniform)).config as { attention?: string }).attention, 'uniform');
  });

  after(() => rmSync(spec, { force: true }));

  closeEditorsAfterEach();

  it('compares the two runs selected in the Runs view, the earlier one as A', async () => {
    const nodes = (await api.runs.getChildren()).filter((n) => n.kind === 'run' && (n.run.runId === learned || n.run.runId === uniform));
    assert.equal(nodes.length, 2);
    const panel = (await vscode.commands.executeCommand('gat.compareRuns', nodes[0], nodes)) as ComparePanel | undefined;
    assert.ok(panel, 'the command returns the panel');
    assert.deepEqual(panel.runIds, [learned, uniform]);
    await waitFor('the compare snapshot', () => panel.snapshotsPosted > 0, 30_000);
    assert.ok(tabLabels().includes(`GAT Compare: ${learned} vs ${uniform}`), tabLabels().join(', '));
  });

  it('Swap exchanges A and B and posts the comparison again', async () => {
    const panel = (await vscode.commands.executeCommand('gat.compareRuns', learned, uniform)) as ComparePanel;
    await waitFor('the compare snapshot', () => panel.snapshotsPosted > 0, 30_000);
    const before = panel.snapshotsPosted;
    await panel.receive({ type: 'swapRuns' });
    await waitFor('a second snapshot', () => panel.snapshotsPosted > before, 30_000);
    assert.deepEqual(panel.runIds, [uniform, learned]);
    assert.equal(panel.panel.title, `GAT Compare: ${uniform} vs ${learned}`);
  });

  it('"Show agreement in graph" opens the graph of both runs, and a node\'s record shows both predictions', async () => {
    const panel = (await vscode.commands.executeCommand('gat.compareRuns', learned, uniform)) as ComparePanel;
    await waitFor('the compare snapshot', () => panel.snapshotsPosted > 0, 30_000);
    await panel.receive({ type: 'showAgreementGraph' });
    const title = `Cora Graph: ${learned} vs ${uniform}`;
    await waitFor(`a '${title}' tab`, () => tabLabels().includes(title), 10_000);
    // The same (dataset, run, compared run) is one panel: the command hands back the one just opened.
    const graph = (await vscode.commands.executeCommand('gat.showCoraGraph', learned, 'cora', uniform)) as GraphPanel;
    assert.equal(graph.compareRunId, uniform);
    assert.equal(tabLabels().filter((l) => l === title).length, 1);
    await waitFor('the graph snapshot', () => graph.snapshotsPosted > 0, 60_000);
    const snapshot = graph.lastSnapshot as GraphSnapshot;
    assert.equal(snapshot.run?.runId, learned);
    assert.equal(snapshot.comparison?.runId, uniform, 'the compared run\'s predictions reached the webview');
    assert.equal(snapshot.comparison?.predictions.length, 2708);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(`gat-record:/cora/1358.md?run=${encodeURIComponent(learned)}&compare=${encodeURIComponent(uniform)}`));
    const text = doc.getText();
    assert.match(text, new RegExp(`## Prediction \\(run ${learned}\\)`));
    assert.match(text, new RegExp(`## Compared with run ${uniform}\\n\\n- predicted: \\w+ \\(\\d\\), confidence [\\d.]+%, (correct|wrong)\\n- agreement: (both right|only A right|only B right|both wrong)`));
  });
});
