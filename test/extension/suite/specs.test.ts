// Training specs (*.gat.json): the contributed JSON schema reaches VS Code's JSON language server
// (invalid values and unknown keys become diagnostics), and valid specs get Train / Open Latest
// Run CodeLenses whose commands train from the spec and open the run's metrics.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import { gatApi, readRunJson, waitFor, withTimeout, workspaceDir } from './support';

function writeSpec(name: string, content: unknown): vscode.Uri {
  const file = path.join(workspaceDir(), name);
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n');
  return vscode.Uri.file(file);
}

describe('training specs (*.gat.json)', function () {
  this.timeout(60_000);
  const written: vscode.Uri[] = [];
  let api: GatExtensionApi;

  before(async () => {
    api = await gatApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written) rmSync(uri.fsPath, { force: true });
  });

  it('reports an out-of-range value and an unknown property as diagnostics', async () => {
    const uri = writeSpec('bad.gat.json', { num_of_epochs: 0, bogus: 1 });
    written.push(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'json');
    await vscode.window.showTextDocument(doc);

    // The JSON language server starts on first use and fetches the schema: allow it ~20 s.
    const diagnostics = await waitFor(
      'two schema diagnostics on bad.gat.json',
      () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.length >= 2 ? d : undefined;
      },
      25_000,
      200,
    );
    const summary = diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`).join('\n');
    const epochs = diagnostics.find((d) => doc.getText(d.range).includes('0') && /minimum/i.test(d.message));
    assert.ok(epochs, `no 'below the minimum' diagnostic on num_of_epochs:\n${summary}`);
    assert.match(epochs.message, /\b1\b/, 'the message should name the minimum, 1');
    const bogus = diagnostics.find((d) => /bogus/.test(d.message) && /not allowed/i.test(d.message));
    assert.ok(bogus, `no 'property not allowed' diagnostic for bogus:\n${summary}`);
    assert.equal(doc.getText(bogus.range), '"bogus"');
    for (const d of [epochs, bogus]) assert.notEqual(d.severity, vscode.DiagnosticSeverity.Hint);
  });

  it('offers Train and Open Latest Run CodeLenses on a valid spec', async () => {
    const uri = writeSpec('quick.gat.json', { dataset_name: 'cora', num_of_epochs: 10, should_test: true });
    written.push(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const commands = lenses.map((l) => l.command).filter((c): c is vscode.Command => c !== undefined);
    const train = commands.find((c) => c.title.endsWith('Train'));
    const latest = commands.find((c) => c.title.endsWith('Open Latest Run'));
    assert.ok(train, `no Train lens: ${commands.map((c) => c.title).join(', ')}`);
    assert.ok(latest, `no Open Latest Run lens: ${commands.map((c) => c.title).join(', ')}`);
    assert.equal(train.command, 'gat.trainSpec');
    assert.equal(latest.command, 'gat.openLatestRun');
    assert.equal((train.arguments?.[0] as vscode.Uri).toString(), uri.toString());
  });

  it("the lenses' commands train from the spec and open that run's metrics", async () => {
    const uri = writeSpec('lens.gat.json', { dataset_name: 'cora', num_of_epochs: 12, should_test: true });
    written.push(uri);
    const label = (runId: string): string => `GAT Metrics: ${runId}`;
    const metricsTabs = (): string[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).filter((l) => l.startsWith('GAT Metrics'));

    await vscode.commands.executeCommand('gat.openLatestRun', uri);
    assert.deepEqual(metricsTabs(), [], 'Open Latest Run opened a panel for a spec that has no run');

    await withTimeout('gat.trainSpec', vscode.commands.executeCommand('gat.trainSpec', uri), 60_000);
    const done = api.training.latest?.done;
    assert.ok(done, `the spec's training did not complete: ${JSON.stringify(api.training.latest?.exit)}`);
    assert.equal(done.epochs, 12, 'num_of_epochs from the spec');
    const run = readRunJson(done.runDir);
    assert.equal(run.spec && path.resolve(run.spec.path), uri.fsPath);
    const node = (await api.runs.getChildren()).find((n) => n.kind === 'run' && n.run.runId === done.runId);
    assert.ok(node, 'the spec run is not in the Runs tree');
    const spec = (await api.runs.getChildren(node)).find((c) => c.kind === 'file' && c.label === 'Spec');
    assert.ok(spec && spec.kind === 'file' && path.resolve(spec.file) === uri.fsPath, 'the run has no Spec item pointing at the spec file');

    await vscode.commands.executeCommand('gat.openLatestRun', uri);
    await waitFor(`a '${label(done.runId)}' tab`, () => metricsTabs().includes(label(done.runId)), 10_000);
  });
});
