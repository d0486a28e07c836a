// Training through the commands, in the real extension host: a quick run end to end (tree, files,
// metrics panel), cancel and resume, the Runs view during a training, one training per output
// folder, and a killed training process. Trainings are short (15 epochs, ~1–3 s) or cancelled early.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import { isProcessAlive } from '../../../src/gat/artifacts/runRecord';
import { gatApi, readRunJson, runFolders, setQuickTrainEpochs, startTraining, trainingChildPid, waitFor, withTimeout, workspaceDir } from './support';

const QUICK_EPOCHS = 15;
/** Long enough never to finish on its own during a test: these trainings are cancelled or killed. */
const LONG_EPOCHS = 5000;

type RunsNode = Awaited<ReturnType<GatExtensionApi['runs']['getChildren']>>[number];

async function runNode(api: GatExtensionApi, runId: string): Promise<Extract<RunsNode, { kind: 'run' }>> {
  const top = await api.runs.getChildren();
  const node = top.find((n): n is Extract<RunsNode, { kind: 'run' }> => n.kind === 'run' && n.run.runId === runId);
  assert.ok(node, `run ${runId} is not in the Runs tree: ${top.map((n) => (n.kind === 'run' ? n.run.runId : n.kind)).join(', ')}`);
  return node;
}

describe('training', function () {
  this.timeout(90_000);
  let api: GatExtensionApi;

  before(async () => {
    api = await gatApi();
  });

  afterEach(async () => {
    // A failed test must not leave a training behind for the next one.
    if (api?.training.isTraining()) {
      api.training.cancelAll();
      await waitFor('the leftover training to end', () => !api.training.isTraining(), 30_000);
    }
  });

  describe('GAT: Train on Cora, to the end', () => {
    let runId: string;
    let treeRefreshes = 0;

    before(async () => {
      await setQuickTrainEpochs(QUICK_EPOCHS);
      await withTimeout('gat.trainCora', vscode.commands.executeCommand('gat.trainCora'), 60_000);
      // The end of a training refreshes the Runs view (coalesced over 300 ms): wait for that refresh.
      const listener = api.runs.onDidChangeTreeData(() => treeRefreshes++);
      try {
        await waitFor('the Runs view to refresh after the training', () => treeRefreshes > 0, 5_000);
      } finally {
        listener.dispose();
      }
      const live = api.training.latest;
      assert.ok(live?.done, `the training reported no done event (exit: ${JSON.stringify(live?.exit)})`);
      runId = live.done.runId;
    });

    it('resolves when the training has ended, with a test accuracy and exit code 0', () => {
      const live = api.training.latest!;
      assert.deepEqual({ code: live.exit?.code, signal: live.exit?.signal }, { code: 0, signal: null });
      assert.equal(live.done!.status, 'completed');
      assert.equal(live.done!.epochs, QUICK_EPOCHS);
      assert.equal(live.epochs.length, QUICK_EPOCHS, 'one epoch event per epoch');
      const testAcc = live.done!.testAcc;
      assert.ok(typeof testAcc === 'number' && testAcc > 0 && testAcc <= 1, `test accuracy ${testAcc}`);
    });

    it('is no longer training afterwards', () => {
      // isTraining() reads the map the gat.training context key is set from (awaited before run()
      // resolves); VS Code has no API to read a context key back.
      assert.equal(api.training.isTraining(), false);
      assert.equal(api.training.isTraining(workspaceDir()), false);
    });

    it('shows the run in the Runs tree as completed, with checkpoints, final model, TensorBoard and analysis', async () => {
      const node = await runNode(api, runId);
      assert.equal(node.run.status, 'completed');
      const item = api.runs.getTreeItem(node);
      assert.equal(item.contextValue, 'run.completed');
      const children = await api.runs.getChildren(node);
      const labels = children.map((c) => ('label' in c ? c.label : c.kind));
      for (const expected of ['Run record', 'Training metrics', 'Checkpoints', 'Final model', 'TensorBoard', 'Analysis']) {
        assert.ok(labels.includes(expected), `no '${expected}' under the run: ${labels.join(', ')}`);
      }
      for (const c of children) {
        if (c.kind === 'file') assert.ok(existsSync(c.file), `tree item '${c.label}' points at a missing file: ${c.file}`);
      }
    });

    it('writes the model, run.json (completed) and metrics.jsonl under the workspace', () => {
      const out = workspaceDir();
      const binaries = readdirSync(path.join(out, 'models', 'binaries')).filter((f) => f.endsWith('.safetensors'));
      assert.ok(binaries.some((f) => f.includes(runId)), `no model binary of ${runId} in models/binaries: ${binaries.join(', ')}`);
      const runDir = path.join(out, 'runs', runId);
      const run = readRunJson(runDir);
      assert.equal(run.status, 'completed');
      assert.equal(run.epochs, QUICK_EPOCHS);
      assert.ok(run.artifacts.binary && existsSync(path.join(out, run.artifacts.binary)), `artifacts.binary ${run.artifacts.binary}`);
      const metrics = readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
      // Epoch numbers in events and metrics count from 0 (run.json's `epochs` counts completed ones).
      assert.deepEqual(
        metrics.map((line) => (JSON.parse(line) as { epoch: number }).epoch),
        Array.from({ length: QUICK_EPOCHS }, (_, i) => i),
        'one metrics line per epoch, in order',
      );
    });

    it('GAT: Show Training Metrics opens a webview tab for the run', async () => {
      await vscode.commands.executeCommand('gat.showTrainingMetrics', runId);
      const label = `GAT Metrics: ${runId}`;
      const tab = await waitFor(`a tab labelled '${label}'`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === label), 10_000);
      assert.ok(tab.input instanceof vscode.TabInputWebview, `the tab's input is not a webview: ${JSON.stringify(tab.input)}`);
      assert.match(tab.input.viewType, /gat\.metrics$/);
      await vscode.window.tabGroups.close(tab);
    });
  });

  it('GAT: Cancel Training stops the process, which exits with 130 and leaves a checkpoint', async () => {
    await setQuickTrainEpochs(LONG_EPOCHS);
    const { ended, live } = await startTraining(api, 3);
    const runDir = live.start!.runDir;
    const pid = trainingChildPid(runDir);
    assert.equal(api.training.isTraining(), true);

    await vscode.commands.executeCommand('gat.cancelTraining');
    // The cancel message stops it at the end of the epoch; the SIGTERM fallback would take 20 s.
    await withTimeout('the cancelled training', ended, 10_000);

    assert.equal(live.exit?.code, 130, `exit ${JSON.stringify(live.exit)}`);
    assert.equal(isProcessAlive(pid), false, `the training process ${pid} is still running`);
    assert.equal(api.training.isTraining(), false);
    const run = readRunJson(runDir);
    assert.equal(run.status, 'cancelled');
    assert.ok(run.epochs >= 3 && run.epochs < LONG_EPOCHS, `run.json epochs ${run.epochs}`);
    assert.ok(run.artifacts.lastCheckpoint, 'run.json names no last checkpoint');
    assert.ok(existsSync(path.join(workspaceDir(), run.artifacts.lastCheckpoint)), `checkpoint ${run.artifacts.lastCheckpoint} is missing`);
    const node = await runNode(api, run.runId);
    assert.equal(node.run.status, 'cancelled');
    const checkpoints = (await api.runs.getChildren(node)).find((c) => c.kind === 'folder' && c.label === 'Checkpoints');
    assert.ok(checkpoints, 'no Checkpoints folder under the cancelled run');
    const files = (await api.runs.getChildren(checkpoints)).map((c) => (c.kind === 'file' ? c.file : c.kind));
    assert.ok(files.includes(path.join(workspaceDir(), run.artifacts.lastCheckpoint)), `the tree's checkpoints ${files.join(', ')} lack ${run.artifacts.lastCheckpoint}`);
  });

  it('Resume Training on a cancelled run continues from its checkpoint', async () => {
    await setQuickTrainEpochs(LONG_EPOCHS);
    const first = await startTraining(api, 2);
    api.training.cancelAll();
    await withTimeout('the cancelled training', first.ended, 30_000);
    const cancelled = readRunJson(first.live.start!.runDir);
    assert.equal(cancelled.status, 'cancelled');
    const checkpoint = path.join(workspaceDir(), cancelled.artifacts.lastCheckpoint!);

    // As the Runs view's context menu does: the command gets the run's tree node.
    const { ended, live } = await startTraining(api, 1, 'gat.resumeRun', await runNode(api, cancelled.runId));
    assert.notEqual(live.start!.runId, cancelled.runId, 'a resumed training is a new run');
    assert.equal(live.start!.resumedFromEpoch, cancelled.epochs, 'resumed from the epochs the checkpoint holds');
    assert.equal(live.epochs[0].epoch, cancelled.epochs, 'the first epoch after the checkpoint (epochs count from 0)');
    assert.equal(readRunJson(live.start!.runDir).resumedFrom, checkpoint);
    api.training.cancelAll();
    await withTimeout('the resumed training, cancelled', ended, 30_000);
    assert.equal(live.exit?.code, 130);
  });

  it('refreshes the Runs view while a training runs, showing the run as running', async () => {
    await setQuickTrainEpochs(LONG_EPOCHS);
    const { ended, live } = await startTraining(api, 1);
    let refreshes = 0;
    const listener = api.runs.onDidChangeTreeData(() => refreshes++);
    try {
      // Epoch events arrive every few tens of ms for minutes: the view must not wait for a pause.
      await waitFor('a Runs view refresh during the training', () => refreshes > 0, 5_000);
    } finally {
      listener.dispose();
    }
    assert.equal(live.exit, undefined, 'the training ended before the view refreshed');
    assert.equal((await runNode(api, live.start!.runId)).run.status, 'running');
    api.training.cancelAll();
    await withTimeout('the cancelled training', ended, 30_000);
  });

  it('starts no second training in the same output folder while one runs', async () => {
    await setQuickTrainEpochs(LONG_EPOCHS);
    const { ended, live } = await startTraining(api, 1);
    const foldersWhileRunning = runFolders();
    assert.ok(foldersWhileRunning.includes(live.start!.runId));

    await withTimeout('the refused second gat.trainCora', vscode.commands.executeCommand('gat.trainCora'), 10_000);
    assert.equal(api.training.latest, live, 'the second command replaced the live training');
    assert.deepEqual(runFolders(), foldersWhileRunning, 'a second run folder appeared');
    assert.equal(api.training.isTraining(), true, 'the first training should still be running');

    api.training.cancelAll();
    await withTimeout('the first training, cancelled', ended, 30_000);
    assert.equal(live.exit?.code, 130);
  });

  it('starts one training when Train on Cora is run twice at once', async () => {
    await setQuickTrainEpochs(LONG_EPOCHS);
    const foldersBefore = runFolders();
    const previous = api.training.latest;
    const calls = [vscode.commands.executeCommand('gat.trainCora'), vscode.commands.executeCommand('gat.trainCora')];
    // The refused call returns at once; the other runs until cancelled.
    await withTimeout('the refused one of two simultaneous gat.trainCora', Promise.race(calls), 10_000);
    const live = await waitFor('the training to start', () => {
      const l = api.training.latest;
      return l !== previous && l?.start ? l : undefined;
    }, 30_000);
    api.training.cancelAll();
    await withTimeout('both gat.trainCora calls', Promise.all(calls), 30_000);
    assert.equal(live.exit?.code, 130);
    const added = runFolders().filter((f) => !foldersBefore.includes(f));
    assert.deepEqual(added, [live.start!.runId], 'exactly one new run folder');
  });

  it('allows a training in another output folder (gat.outputFolder) meanwhile', async () => {
    const config = vscode.workspace.getConfiguration('gat');
    await setQuickTrainEpochs(LONG_EPOCHS);
    const first = await startTraining(api, 1);
    try {
      await setQuickTrainEpochs(QUICK_EPOCHS);
      await config.update('outputFolder', 'elsewhere', vscode.ConfigurationTarget.Workspace);
      await withTimeout('a training in another folder', vscode.commands.executeCommand('gat.trainCora'), 60_000);
      const second = api.training.latest!;
      assert.notEqual(second, first.live);
      assert.equal(second.done?.status, 'completed', `exit ${JSON.stringify(second.exit)}`);
      assert.equal(path.dirname(second.done.runDir), path.join(workspaceDir(), 'elsewhere', 'runs'));
      assert.equal(api.training.isTraining(workspaceDir()), true, 'the first training should still be running');
      assert.equal(api.training.isTraining(path.join(workspaceDir(), 'elsewhere')), false);
    } finally {
      await config.update('outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
      api.training.cancelAll();
      await withTimeout('the first training, cancelled', first.ended, 30_000);
    }
    assert.equal(first.live.exit?.code, 130);
  });

  it('passes gat.threads to the training process, which records the threads it ran on', async () => {
    const config = vscode.workspace.getConfiguration('gat');
    await setQuickTrainEpochs(QUICK_EPOCHS);
    try {
      for (const threads of [1, 2]) {
        await config.update('threads', threads, vscode.ConfigurationTarget.Workspace);
        await withTimeout('gat.trainCora', vscode.commands.executeCommand('gat.trainCora'), 60_000);
        const live = api.training.latest!;
        assert.equal(live.done?.status, 'completed', `exit ${JSON.stringify(live.exit)}`);
        assert.equal(live.start?.compute?.threads, threads, 'the start event');
        const run = readRunJson(live.done.runDir);
        const at = run.commandLine.indexOf('--threads');
        assert.deepEqual(run.commandLine.slice(at, at + 2), ['--threads', String(threads)], 'the command line');
        assert.equal(run.provenance?.compute?.threads, threads, 'run.json');
      }
    } finally {
      await config.update('threads', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('reports a killed training process (SIGKILL) and shows the run as interrupted', async () => {
    await setQuickTrainEpochs(LONG_EPOCHS);
    const { ended, live } = await startTraining(api, 2);
    const pid = trainingChildPid(live.start!.runDir);
    process.kill(pid, 'SIGKILL');
    await withTimeout('gat.trainCora after its process was killed', ended, 20_000);

    assert.ok(live.exit, 'no exit recorded');
    assert.equal(live.exit.signal, 'SIGKILL');
    assert.equal(live.exit.code, null);
    assert.ok(live.exit.lastLines.length > 0, 'no last output lines kept for the crash report');
    assert.equal(live.done, undefined);
    assert.equal(api.training.isTraining(), false);
    assert.equal(readRunJson(live.start!.runDir).status, 'running', 'run.json is left as the killed process wrote it');
    const node = await runNode(api, live.start!.runId);
    assert.equal(node.run.status, 'interrupted');
    assert.equal(api.runs.getTreeItem(node).contextValue, 'run.interrupted');
  });
});
