// The WebGPU back end through the extension, in the real extension host: Show Back End Info opens a
// read-only document naming the adapter, and GAT: Train on Cora with gat.backend = webgpu trains in
// the child process on it (SwiftShader here: the runner points the Vulkan loader at it).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import { gatApi, readRunJson, setQuickTrainEpochs, waitFor, withTimeout, workspaceDir } from './support';

describe('WebGPU back end', function () {
  this.timeout(120_000);
  let api: GatExtensionApi;

  before(async () => {
    api = await gatApi();
    assert.ok(process.env.VK_ICD_FILENAMES, 'the runner sets VK_ICD_FILENAMES (SwiftShader) for these tests');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('gat').update('backend', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('GAT: Show Back End Info opens a read-only document that names the WebGPU adapter and is never dirty', async () => {
    await withTimeout('gat.showBackendInfo', vscode.commands.executeCommand('gat.showBackendInfo'), 60_000);
    const editor = await waitFor('the back-end document', () => (vscode.window.activeTextEditor?.document.uri.scheme === 'gat-info' ? vscode.window.activeTextEditor : undefined), 30_000);
    const doc = editor.document;
    assert.equal(doc.languageId, 'markdown');
    assert.equal(doc.isDirty, false);
    assert.match(doc.getText(), /- webgpu: available with a software adapter .*\n {4}adapter: google swiftshader/);
    // onnxruntime-node is installed with the repository's dependencies, so auto's CPU pick is the native route, wasm its fallback.
    assert.match(doc.getText(), /- native: available \(auto picks this one\)/);
    assert.match(doc.getText(), /- wasm: available\n/);
    // A content-provider document (no file, no untitled buffer): closing it asks nothing and leaves no editor behind.
    await withTimeout('closing the back-end document', vscode.commands.executeCommand('workbench.action.closeActiveEditor'), 10_000);
    await waitFor('the document to close', () => !vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'gat-info'), 10_000);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'gat-info' && d.isDirty).length, 0);
  });

  it('GAT: Train on Cora with gat.backend = webgpu trains in the child process on the WebGPU adapter', async () => {
    await vscode.workspace.getConfiguration('gat').update('backend', 'webgpu', vscode.ConfigurationTarget.Workspace);
    await setQuickTrainEpochs(4);
    const before = api.training.latest;
    await withTimeout('gat.trainCora on webgpu', vscode.commands.executeCommand('gat.trainCora'), 110_000);
    const live = api.training.latest;
    assert.ok(live && live !== before && live.done, `the training ended without a done event: ${JSON.stringify(live?.exit)}`);
    assert.equal(live.start?.backend, 'webgpu');
    assert.equal(live.epochs.length, 4);
    const run = readRunJson(path.join(workspaceDir(), 'runs', live.done.runId));
    assert.equal(run.backend, 'webgpu');
    assert.equal(run.status, 'completed');
    assert.ok(run.artifacts.binary && run.artifacts.analysis, 'the model and analysis are written as on the other back ends');
  });
});
