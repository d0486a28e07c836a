// The panel controller in the real workbench: every kind of panel is registered (each one package.json
// activates the extension for), one key is one tab (showing it again reveals it, closing it forgets
// it), a tab VS Code restores is adopted from its page's saved state, and a message the declaration
// does not allow has no effect.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import type { DegreePanel } from '../../../src/extension/webviews/degreePanel';
import { closeEditorsAfterEach, EXTENSION_ID, gatApi, waitFor, webviewTab } from './support';

function tabCount(label: string): number {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === label).length;
}

/** A webview panel as VS Code hands one to a serializer after a reload (before the extension fills it). */
function restoredWebviewPanel(viewType: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, 'restoring…', vscode.ViewColumn.Active, { enableScripts: true });
}

describe('panel controller', function () {
  this.timeout(60_000);
  let api: GatExtensionApi;

  before(async () => {
    api = await gatApi();
  });

  closeEditorsAfterEach();

  it('registers every kind of panel, and package.json activates the extension for each (onWebviewPanel)', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { activationEvents: string[] };
    const activated = manifest.activationEvents.filter((e) => e.startsWith('onWebviewPanel:')).map((e) => e.slice('onWebviewPanel:'.length));
    assert.deepEqual([...api.panels.viewTypes].sort(), activated.sort());
  });

  it("opens one tab per key: the command again reveals the same panel; once closed, a new one opens", async () => {
    const first = await vscode.commands.executeCommand('gat.showDegreePlots', 'cora');
    await waitFor('the degree tab', () => webviewTab(/^Cora Degrees$/));
    const again = await vscode.commands.executeCommand('gat.showDegreePlots', 'cora');
    assert.equal(again, first);
    assert.equal(tabCount('Cora Degrees'), 1);
    assert.deepEqual(api.panels.panels('gat.degrees'), [first]);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the closed panel to be forgotten', () => api.panels.panels('gat.degrees').length === 0);
    const reopened = await vscode.commands.executeCommand('gat.showDegreePlots', 'cora');
    assert.notEqual(reopened, first);
    assert.deepEqual(api.panels.panels('gat.degrees'), [reopened]);
  });

  it("adopts a tab VS Code restores: its title and data come from the page's saved state, and it is the panel of its key", async () => {
    const restored = restoredWebviewPanel('gat.degrees');
    const panel = api.panels.revive('gat.degrees', restored, { dataset: 'cora', logScale: true, selection: null }) as DegreePanel | undefined;
    assert.ok(panel, 'the degree panel was not restored');
    assert.equal(restored.title, 'Cora Degrees');
    await waitFor("the restored panel's snapshot", () => panel.snapshotsPosted > 0, 30_000);
    assert.equal(await vscode.commands.executeCommand('gat.showDegreePlots', 'cora'), panel);
    assert.equal(tabCount('Cora Degrees'), 1);
  });

  it('closes a restored tab whose saved state does not say what it showed', () => {
    const restored = restoredWebviewPanel('gat.attention');
    let closed = false;
    restored.onDidDispose(() => (closed = true));
    assert.equal(api.panels.revive('gat.attention', restored, { node: 1358, layer: 1 }), undefined);
    assert.equal(closed, true);
    assert.equal(api.panels.panels('gat.attention').length, 0);
  });

  it('ignores messages the declaration does not allow; the allowed one opens the graph through the controller', async () => {
    const degrees = (await vscode.commands.executeCommand('gat.showDegreePlots', 'cora')) as DegreePanel;
    await waitFor('the degree tab', () => webviewTab(/^Cora Degrees$/));
    // A command outside the allowlist (this one would close the degree tab), and wrong or extra fields.
    await degrees.receive({ type: 'runCommand', command: 'workbench.action.closeAllEditors' });
    await degrees.receive({ type: 'showInGraph', dataset: 'cora', node: '42' });
    await degrees.receive({ type: 'showInGraph', dataset: 'cora', node: 42, focus: true });
    await degrees.receive({ type: 'showInGraph', dataset: { toString: 'cora' }, node: 42 });
    assert.ok(webviewTab(/^Cora Degrees$/), 'the degree tab was closed');
    assert.equal(api.panels.panels('gat.graph').length, 0, 'a refused message opened the graph');

    await degrees.receive({ type: 'showInGraph', dataset: 'cora', node: 42 });
    await waitFor('the graph tab', () => webviewTab(/^Cora Graph$/));
    assert.equal(api.panels.panels('gat.graph').length, 1);
  });
});
