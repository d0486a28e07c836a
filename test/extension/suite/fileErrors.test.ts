// A file where a folder should be, or a folder where a file should be, in the real workbench: the
// training's lock in the output folder is a folder. The training refuses in one line that names the
// lock, and its notification offers the fix (Open Folder) beside Show Log; no run is left behind.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { gatApi, notificationsDuring, runFolders, setQuickTrainEpochs, waitFor, withTimeout, workspaceDir } from './support';

describe('a folder where the training lock should be', function () {
  this.timeout(120_000);
  const lock = (): string => path.join(workspaceDir(), '.gat-train.lock');

  after(() => rmSync(lock(), { recursive: true, force: true }));

  it('GAT: Train on Cora says what is in the way, in one line, and offers Open Folder', async () => {
    const api = await gatApi();
    await setQuickTrainEpochs(2);
    mkdirSync(lock(), { recursive: true });
    const runsBefore = runFolders().length;
    const shown = await notificationsDuring(async () => {
      await withTimeout('gat.trainCora', vscode.commands.executeCommand('gat.trainCora'), 90_000);
      await waitFor('the failure notification', () => api.training.latest?.exit);
      await new Promise((r) => setTimeout(r, 300));
    });
    const failure = shown.find((n) => /\.gat-train\.lock/.test(n.message));
    assert.ok(failure, `notifications: ${JSON.stringify(shown)}`);
    assert.match(failure.message, /^GAT: .*\.gat-train\.lock.* is a folder/);
    assert.doesNotMatch(failure.message, /\n\s+at /, 'no stack trace');
    assert.deepEqual(failure.items, ['Open Folder', 'Show Log']);
    assert.equal(api.training.latest?.exit?.code, 4, 'a file could not be written');
    assert.equal(runFolders().length, runsBefore, 'no run folder is left behind');
  });
});
