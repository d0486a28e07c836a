// The Computation panel in the real workbench: GAT: Step Through Node… for node 1358 of a trained
// run gets gat explain's numbers from a child process, a step's source link opens the kernel at
// the line that computes it, and a node record links to the panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ComputationPanel } from '../../../src/extension/webviews/computationPanel';
import type { GraphPanel } from '../../../src/extension/webviews/graphPanel';
import { closeEditorsAfterEach, gatApi, recordCommandLinkArgs, trainCoraRun, waitFor } from './support';

describe('Computation panel (GAT: Step Through Node…)', function () {
  this.timeout(120_000);
  let runId: string;

  before(async () => {
    runId = await trainCoraRun(await gatApi(), 15);
  });

  closeEditorsAfterEach();

  it("posts node 1358's computation, computed off the host by gat explain", async () => {
    const panel = (await vscode.commands.executeCommand('gat.stepThroughNode', runId, 1358)) as ComputationPanel;
    await waitFor('the explanation', () => panel.explanation, 60_000);
    const x = panel.explanation!;
    assert.equal(x.node, 1358);
    assert.equal(x.runId, runId);
    assert.deepEqual(x.layers.map((l) => [l.heads, l.perHead[0].neighbours.length]), [[8, 169], [1, 169]]);
    assert.equal(panel.panel.title, `GAT Computation: node 1358 (${runId})`);
  });

  it("a step's source link opens the kernel that computes it, at that line", async () => {
    const panel = (await vscode.commands.executeCommand('gat.stepThroughNode', runId, 1358)) as ComputationPanel;
    await waitFor('the explanation', () => panel.explanation, 60_000);
    const editor = await panel.openSource('attention');
    assert.ok(editor, 'an editor opened');
    assert.match(editor.document.uri.fsPath, /src[\\/]gat[\\/]kernels[\\/]attention\.ts$/);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /^export function edgeSoftmax\(/);
  });

  it("a run's node record links to the node's computation", async () => {
    assert.deepEqual(await recordCommandLinkArgs(runId, 1358, 'gat.stepThroughNode'), [runId, 1358]);
  });

  it("a node's context-menu command (webview/context) steps through it from the active graph panel", async () => {
    const graph = (await vscode.commands.executeCommand('gat.showCoraGraph', runId)) as GraphPanel;
    await waitFor('the graph snapshot', () => graph.snapshotsPosted > 0, 60_000);
    assert.ok(graph.panel.active, 'the graph panel is active');
    const done = await vscode.commands.executeCommand('gat.nodeStepThrough', { webview: 'gat.graph', node: 1358 });
    assert.equal(done, true);
    await waitFor('the computation tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === `GAT Computation: node 1358 (${runId})`));
  });
});
