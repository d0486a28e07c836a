// Activation: the extension is found, activates on demand only, and registers every command it
// declares. Runs inside a real VS Code (code-server locally, desktop VS Code via test-electron).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'gat-explorer.gat-explorer';

interface CommandContribution {
  command: string;
  title: string;
}

interface Manifest {
  activationEvents?: string[];
  contributes?: { commands?: CommandContribution[] };
}

function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

describe('activation', () => {
  it('the extension under test is present', () => {
    const ext = getExtension();
    const manifest = ext.packageJSON as Manifest & { name: string; publisher: string };
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
  });

  it('opens the workspace the runner prepared', () => {
    const expected = process.env.GAT_TEST_WORKSPACE;
    assert.ok(expected, 'GAT_TEST_WORKSPACE is not set: the runner passes it to VS Code');
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(
      folders.map((f) => f.uri.fsPath),
      [expected],
    );
  });

  it('declares no eager activation event (`*`, onStartupFinished)', () => {
    const events = (getExtension().packageJSON as Manifest).activationEvents ?? [];
    for (const eager of ['*', 'onStartupFinished']) {
      assert.ok(!events.includes(eager), `activationEvents contains ${eager}: ${JSON.stringify(events)}`);
    }
  });

  it('is not active before anything asks for it (no *.gat.json in the workspace)', async () => {
    const specs = await vscode.workspace.findFiles('**/*.gat.json', undefined, 1);
    assert.equal(specs.length, 0, 'the test workspace should hold no training spec');
    assert.equal(getExtension().isActive, false);
  });

  it('activates without error, and reports its activation time', async () => {
    const ext = getExtension();
    const start = performance.now();
    await ext.activate();
    const ms = performance.now() - start;
    assert.equal(ext.isActive, true);
    // No timing assertion: the number is quoted, not gated (machines differ too much).
    console.log(`      activation time: ext.activate() took ${ms.toFixed(1)} ms`);
  });

  it('registers every command declared in package.json contributes.commands', async () => {
    const ext = getExtension();
    await ext.activate();
    const declared = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });
});
