// GAT: Open Model… in the real workbench: a .pth written by PyTorch (pytorch-GAT's checkpoint of a
// Cora GAT) becomes a run through `gat import` in a child process, the Runs view lists it as
// imported, and its graph opens with its predictions; a hostile .pth is refused and leaves no run.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImportedRun } from '../../../src/extension/commands/importCommands';
import type { GatExtensionApi } from '../../../src/extension/extension';
import { closeEditorsAfterEach, gatApi, readRunJson, runFolders, waitFor } from './support';

/** The repository root: the compiled suite runs from out/test/extension/suite. */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'pth', name);

describe('GAT: Open Model…', function () {
  this.timeout(120_000);
  let api: GatExtensionApi;

  before(async () => {
    api = await gatApi();
  });

  closeEditorsAfterEach();

  it("registers pytorch-GAT's Cora checkpoint as an imported run and opens its graph with predictions", async () => {
    const imported = (await vscode.commands.executeCommand('gat.openModel', fixture('gat_cora_checkpoint.pth'))) as ImportedRun | undefined;
    assert.ok(imported, 'the command returns the run');
    assert.match(imported.runId, /-cora-imported$/);
    const record = readRunJson(imported.runDir);
    assert.equal(record.status, 'completed');
    assert.ok(record.testAcc !== null && record.testAcc > 0.7, `test accuracy ${record.testAcc}`);
    const row = await waitFor('the Runs row', async () => (await api.runs.getChildren()).find((n) => n.kind === 'run' && n.run.runId === imported.runId));
    const item = api.runs.getTreeItem(row);
    assert.match(String(item.description), /^completed · imported from gat_cora_checkpoint\.pth · val \d+\.\d% · test \d+\.\d%$/);
    await waitFor('the graph tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /^Cora Graph/.test(t.label)));
  });

  it("the run's provenance links to the .pth, which opens as a summary of what it holds (never as binary)", async () => {
    await vscode.commands.executeCommand('gat.openRunItem', fixture('gat_cora_checkpoint.pth'));
    const text = await waitFor('the summary', () => vscode.window.activeTextEditor?.document.getText());
    assert.match(text, /- \*\*format\*\*: pytorch-GAT checkpoint/);
    assert.match(text, /- \*\*heads per layer\*\*: 8, 1/);
    assert.match(text, /`gat_net\.0\.linear_proj\.weight` \[64, 1433\]/);
  });

  it('a PyG state_dict dropped on the Runs view becomes a run too; other files dropped there are ignored', async () => {
    const transfer = new vscode.DataTransfer();
    transfer.set('text/uri-list', new vscode.DataTransferItem([vscode.Uri.file(fixture('pyg_cora_state_dict.pth')).toString(), vscode.Uri.file(fixture('gat_cora_outputs.npy')).toString()].join('\r\n')));
    const runs = await api.runsDrop.importDropped(transfer);
    assert.equal(runs.length, 1);
    assert.equal((readRunJson(runs[0].runDir).config as { imported?: { format?: string } }).imported?.format, 'PyG GATConv');
  });

  it('refuses a .pth whose pickle would run os.system, and registers nothing', async () => {
    const before = runFolders().length;
    const imported = await vscode.commands.executeCommand('gat.openModel', fixture('hostile_os_system.pth'));
    assert.equal(imported, undefined);
    assert.equal(runFolders().length, before);
  });
});
