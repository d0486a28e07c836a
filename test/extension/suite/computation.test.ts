// The Computation panel in the real workbench: GAT: Step Through Node… for node 1358 of a trained
// run gets gat explain's numbers from a child process, a step's source link opens the kernel at
// the line that computes it, a node record links to the panel, and what-if edits are recomputed
// by the explain process the panel keeps (which ends with the panel).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComputationPanel } from '../../../src/extension/webviews/computationPanel';
import type { GraphPanel } from '../../../src/extension/webviews/graphPanel';
import type { WhatIfSnapshot } from '../../../src/protocol/whatIf';
import { closeEditorsAfterEach, gatApi, recordCommandLinkArgs, trainCoraRun, waitFor, workspaceDir } from './support';

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

  it('what-if: an edit is recomputed by the kept explain process, undone, saved and opened as a scenario; the process ends with the panel', async () => {
    const panel = (await vscode.commands.executeCommand('gat.stepThroughNode', runId, 1358)) as ComputationPanel;
    await waitFor('the explanation', () => panel.explanation, 60_000);
    const base = panel.explanation!;
    const pid = panel.whatIf.server?.pid;
    assert.ok(pid, 'the explain process computed the first snapshot');
    const strongest = base.layers[1].perHead[0].neighbours.filter((n) => !n.isSelf).reduce((a, b) => (b.weight > a.weight ? b : a)).node;
    const whatIf = (): WhatIfSnapshot['whatIf'] => (panel.lastSnapshot as WhatIfSnapshot).whatIf;

    await panel.receive({ type: 'whatIfEdit', edit: { kind: 'remove-edge', node: strongest } });
    assert.deepEqual(panel.explanation?.edits?.applied, [`remove edge ${strongest} — 1358`]);
    assert.deepEqual(panel.explanation?.edits?.before.probabilities, base.result.probabilities);
    assert.notDeepEqual(panel.explanation?.result.probabilities, base.result.probabilities);
    assert.equal(panel.explanation?.degree, 167);
    assert.equal(panel.lastSnapshot?.type, 'computationWhatIf');
    assert.equal(panel.whatIf.server?.pid, pid, 'the same process: no start-up per edit');

    // ids the graph does not have are refused by the host, in the panel, before anything is computed
    await panel.receive({ type: 'whatIfEdit', edit: { kind: 'add-edge', node: 99_999 } });
    assert.deepEqual(whatIf().message, { kind: 'error', text: 'node 99999 does not exist in cora: node ids are 0 to 2707' });
    assert.equal(whatIf().edits.length, 1);

    await panel.receive({ type: 'saveScenario', name: 'ext-drop-strongest' });
    const file = path.join(workspaceDir(), 'runs', runId, 'scenarios', 'ext-drop-strongest.json');
    assert.ok(existsSync(file), file);
    assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as { edits: unknown }).edits, [{ kind: 'remove-edge', source: strongest, target: 1358 }]);

    await panel.receive({ type: 'whatIfUndo', index: 0 });
    assert.deepEqual(panel.explanation, base);
    await panel.receive({ type: 'openScenario', name: 'ext-drop-strongest' });
    assert.deepEqual(whatIf().edits, [{ kind: 'remove-edge', source: strongest, target: 1358 }]);
    await panel.receive({ type: 'whatIfReset' });
    assert.deepEqual(panel.explanation, base);

    // Edge importance, asked for: every method, from the same process
    await panel.receive({ type: 'whatIfImportance' });
    assert.deepEqual(whatIf().importance?.methods.map((m) => m.method), ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'gnnexplainer']);
    assert.equal(whatIf().importanceBusy, false);
    assert.equal(panel.whatIf.server?.pid, pid, 'no new process for importance');

    // VS Code's context menu on a neighbour row of the active Computation panel
    assert.ok(panel.panel.active, 'the computation panel is active');
    assert.equal(await vscode.commands.executeCommand('gat.whatIfRemoveEdge', { webview: 'gat.computation', webviewSection: 'neighbour', node: strongest }), true);
    await waitFor('the edit from the context menu', () => panel.explanation?.edits);

    panel.dispose();
    await waitFor('the explain process to end with its panel', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 10_000);
  });

  it("the graph panel's what-if items (webview/context): Edit in Computation opens the node's computation; Remove Edge to Selected Node removes the right-clicked neighbour's edge there", async () => {
    const api = await gatApi();
    const computation = (await vscode.commands.executeCommand('gat.stepThroughNode', runId, 1358)) as ComputationPanel;
    await waitFor('the explanation', () => computation.explanation, 60_000);
    const neighbour = computation.explanation!.layers[0].perHead[0].neighbours.find((n) => !n.isSelf)!.node;
    const graph = (await vscode.commands.executeCommand('gat.showCoraGraph', runId)) as GraphPanel;
    await waitFor('the graph snapshot', () => graph.snapshotsPosted > 0, 60_000);
    assert.ok(graph.panel.active, 'the graph panel is active');
    // without a selected node the item does nothing (its when clause hides it)
    assert.equal(await vscode.commands.executeCommand('gat.nodeRemoveEdgeToSelected', { webview: 'gat.graph', webviewSection: 'node', node: neighbour }), false);
    assert.equal(await vscode.commands.executeCommand('gat.nodeRemoveEdgeToSelected', { webview: 'gat.graph', webviewSection: 'node', node: neighbour, edgeToSelected: true, selected: 1358 }), true);
    await waitFor('the edit from the graph', () => computation.explanation?.edits?.applied.join() === `remove edge ${neighbour} — 1358`, 30_000);
    assert.deepEqual(api.panels.panels('gat.computation'), [computation], "the run's open Computation panel, reused");
    graph.panel.reveal();
    await waitFor('the graph panel active again', () => graph.panel.active);
    assert.equal(await vscode.commands.executeCommand('gat.nodeWhatIf', { webview: 'gat.graph', webviewSection: 'node', node: 2000 }), true);
    await waitFor('node 2000 in the computation', () => computation.explanation?.node === 2000 && computation.panel.title === `GAT Computation: node 2000 (${runId})`, 30_000);
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
