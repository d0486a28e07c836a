// The Cora graph and degree panels in the real workbench: the commands open webview tabs whose
// bundles load under the panel CSP and say ready, the host lays the graph out in a worker
// (the host's thread stays free) and posts the snapshot; export and open-record messages work.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DegreePanel } from '../../../src/extension/webviews/degreePanel';
import type { GraphPanel } from '../../../src/extension/webviews/graphPanel';
import { closeEditorsAfterEach, gatApi, waitFor, webviewTab, workspaceDir } from './support';

describe('graph and degree panels', function () {
  this.timeout(90_000);

  before(async () => {
    await gatApi();
  });

  closeEditorsAfterEach();

  it('GAT: Show Cora Graph opens a webview tab that receives its snapshot, with the host never blocked', async () => {
    const panel = (await vscode.commands.executeCommand('gat.showCoraGraph')) as GraphPanel | undefined;
    assert.ok(panel, 'the command returns the panel');
    await waitFor('the graph tab', () => webviewTab(/^Cora Graph$/));
    // While the layout worker runs (a few seconds on first open), timers on the host fire on time.
    let worstLag = 0;
    await waitFor(
      'the graph snapshot (webview ready, layout done)',
      async () => {
        const t0 = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 20));
        worstLag = Math.max(worstLag, Date.now() - t0 - 20);
        return panel.snapshotsPosted > 0;
      },
      60_000,
      0,
    );
    assert.ok(worstLag < 300, `the extension host was blocked for ${worstLag} ms`);
  });

  it('writes gat.graphRenderer into the graph page (the app draws on the 2-D canvas for "canvas")', async () => {
    const config = vscode.workspace.getConfiguration('gat');
    const opened = (await vscode.commands.executeCommand('gat.showCoraGraph')) as GraphPanel;
    assert.match(opened.panel.webview.html, /<body data-graph-renderer="auto">/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config.update('graphRenderer', 'canvas', vscode.ConfigurationTarget.Global);
    try {
      const panel = (await vscode.commands.executeCommand('gat.showCoraGraph')) as GraphPanel;
      assert.match(panel.panel.webview.html, /<body data-graph-renderer="canvas">/);
    } finally {
      await config.update('graphRenderer', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('saves an exported SVG and PNG where the save dialog says, and opens a node record on openRecord', async () => {
    const panel = (await vscode.commands.executeCommand('gat.showCoraGraph')) as GraphPanel;
    const svgFile = vscode.Uri.file(path.join(workspaceDir(), 'exports', 'cora-graph.svg'));
    const pngFile = vscode.Uri.file(path.join(workspaceDir(), 'exports', 'cora-graph.png'));
    const asked: string[] = [];
    panel.askSaveLocation = async (options) => {
      asked.push(Object.keys(options.filters ?? {}).join());
      return asked.length === 1 ? svgFile : pngFile;
    };
    await panel.receive({ type: 'exportImage', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"><circle class="node" r="2"/></svg>', suggestedName: 'cora-graph.svg' });
    // A 1×1 PNG.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await panel.receive({ type: 'exportImage', format: 'png', data: `data:image/png;base64,${png}`, suggestedName: 'cora-graph.png' });
    assert.deepEqual(asked, ['SVG image', 'PNG image']);
    assert.match(readFileSync(svgFile.fsPath, 'utf8'), /^<svg .*class="node"/);
    assert.deepEqual([...readFileSync(pngFile.fsPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

    await panel.receive({ type: 'openRecord', dataset: 'cora', node: 1358 });
    const editor = await waitFor('the record editor', () => vscode.window.activeTextEditor?.document.uri.scheme === 'gat-record' && vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.path, '/cora/1358.md');
    assert.match(editor.document.getText(), /degree: 168/);
  });

  it('GAT: Show Degree Plots opens its tab; "show in graph" opens the graph panel', async () => {
    const degrees = (await vscode.commands.executeCommand('gat.showDegreePlots')) as DegreePanel | undefined;
    assert.ok(degrees);
    await waitFor('the degree tab', () => webviewTab(/^Cora Degrees$/));
    await waitFor('the degree snapshot', () => degrees.snapshotsPosted > 0, 30_000);
    await degrees.receive({ type: 'showInGraph', dataset: 'cora', node: 42 });
    await waitFor('the graph tab', () => webviewTab(/^Cora Graph$/));
    assert.ok(!existsSync(path.join(workspaceDir(), 'layouts')), 'layouts are cached in global storage, not the workspace');
  });
});
