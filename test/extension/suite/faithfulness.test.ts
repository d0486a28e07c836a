// The Faithfulness panel and GAT: Faithfulness… in the real workbench: a Cora run and its
// uniform-attention twin (trained from a spec); the panel of a run without results says so and names
// the twin; the command measures 30 test nodes in a child process and the open panel draws them; the
// exports go through the save dialog; Cancel kills the measurement and keeps what was saved; the
// twin's results and Compare Runs' faithfulness rows; a damaged file is told in place.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import type { ComparePanel } from '../../../src/extension/webviews/comparePanel';
import type { FaithfulnessPanel } from '../../../src/extension/webviews/faithfulnessPanel';
import type { CompareSnapshot } from '../../../src/protocol/compareSnapshot';
import type { FaithfulnessReport } from '../../../src/protocol/faithfulness';
import type { FaithfulnessSnapshot } from '../../../src/protocol/faithfulnessSnapshot';
import { closeEditorsAfterEach, gatApi, notificationsDuring, trainCoraRun, waitFor, webviewTab, withTimeout, workspaceDir } from './support';

const snapshotOf = (panel: FaithfulnessPanel): FaithfulnessSnapshot | undefined => (panel.lastSnapshot?.type === 'faithfulnessSnapshot' ? panel.lastSnapshot : undefined);

describe('Faithfulness panel and GAT: Faithfulness…', function () {
  this.timeout(240_000);
  let api: GatExtensionApi;
  let learned: string;
  let uniform: string;
  const spec = path.join(workspaceDir(), 'faithfulness-uniform.gat.json');
  const saved = (runId: string): string => path.join(workspaceDir(), 'runs', runId, 'faithfulness.json');

  before(async () => {
    api = await gatApi();
    learned = await trainCoraRun(api, 15);
    // Its twin: the same recipe (Train on Cora's epochs and seed) with attention fixed.
    writeFileSync(spec, JSON.stringify({ dataset_name: 'cora', attention: 'uniform', num_of_epochs: 15, should_test: true }, null, 2) + '\n');
    await withTimeout('gat.trainSpec', vscode.commands.executeCommand('gat.trainSpec', vscode.Uri.file(spec)), 60_000);
    uniform = api.training.latest!.done!.runId;
  });

  after(() => rmSync(spec, { force: true }));

  closeEditorsAfterEach();

  it('a run without results: the panel says so, names the uniform-attention twin, and its tab is named after the run', async () => {
    assert.equal(existsSync(saved(learned)), false);
    const panel = (await vscode.commands.executeCommand('gat.showFaithfulness', learned)) as FaithfulnessPanel;
    const s = await waitFor('the first snapshot', () => snapshotOf(panel), 30_000);
    assert.equal(s.run.runId, learned);
    assert.equal(s.run.attention, 'learned');
    assert.equal(s.run.results, null);
    assert.equal(s.twin?.runId, uniform);
    assert.equal(s.twin?.attention, 'uniform');
    assert.equal(s.twinNote, undefined);
    await waitFor('the faithfulness tab', () => webviewTab(new RegExp(`^GAT Faithfulness: ${learned}$`)));
  });

  it('GAT: Faithfulness… measures 30 test nodes in a child process; the open panel draws the results', async () => {
    const panel = (await vscode.commands.executeCommand('gat.showFaithfulness', learned)) as FaithfulnessPanel;
    await waitFor('the first snapshot', () => snapshotOf(panel), 30_000);
    const shown = await withTimeout('gat.faithfulness', vscode.commands.executeCommand('gat.faithfulness', learned, { nodes: 30, gnnExplainer: false }), 180_000);
    assert.equal(shown, panel, 'the command shows the same panel');
    const results = await waitFor('the results in the panel', () => snapshotOf(panel)?.run.results ?? undefined, 30_000);
    assert.equal(results.selection, '30 test nodes (seed 1)');
    assert.equal(results.nodes, 30);
    assert.deepEqual(results.ks, [1, 2, 5, 10]);
    assert.deepEqual([...new Set(results.summary.map((r) => r.method))], ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'random']);
    assert.equal(snapshotOf(panel)?.run.running, undefined, 'nothing running any more');
    const report = JSON.parse(readFileSync(saved(learned), 'utf8')) as FaithfulnessReport;
    assert.deepEqual(report.summary, results.summary, 'the panel shows what the CLI saved');
  });

  it('Export CSV and JSON through the save dialog: one row per node and method', async () => {
    const panel = (await vscode.commands.executeCommand('gat.showFaithfulness', learned)) as FaithfulnessPanel;
    await waitFor('the results', () => snapshotOf(panel)?.run.results ?? undefined, 30_000);
    const files = { csv: path.join(workspaceDir(), 'exports', 'faithfulness.csv'), json: path.join(workspaceDir(), 'exports', 'faithfulness.json') };
    const asked: string[] = [];
    panel.askSaveLocation = async (options) => {
      asked.push(Object.keys(options.filters ?? {}).join());
      return vscode.Uri.file(asked.length === 1 ? files.csv : files.json);
    };
    await panel.receive({ type: 'faithfulnessExport', target: 'run', format: 'csv' });
    await panel.receive({ type: 'faithfulnessExport', target: 'run', format: 'json' });
    assert.deepEqual(asked, ['CSV (one row per node and method)', 'JSON']);
    const lines = readFileSync(files.csv, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'node,method,edges,seconds,fid_plus@1,fid_plus@2,fid_plus@5,fid_plus@10,fid_minus@1,fid_minus@2,fid_minus@5,fid_minus@10,drop_plus@1,drop_plus@2,drop_plus@5,drop_plus@10,drop_minus@1,drop_minus@2,drop_minus@5,drop_minus@10');
    assert.equal(lines.length - 1, 30 * 5);
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as FaithfulnessReport;
    assert.equal(json.rows.length, 30 * 5);
    assert.deepEqual(json.rows, (JSON.parse(readFileSync(saved(learned), 'utf8')) as FaithfulnessReport).rows);
  });

  it('Cancel from the panel kills the measurement under way; the saved results stay as they were', async () => {
    const before = readFileSync(saved(learned));
    const panel = (await vscode.commands.executeCommand('gat.showFaithfulness', learned)) as FaithfulnessPanel;
    await waitFor('the results', () => snapshotOf(panel)?.run.results ?? undefined, 30_000);
    const shown = await notificationsDuring(async () => {
      // Every node with GNNExplainer: far longer than this test waits.
      const running = vscode.commands.executeCommand('gat.faithfulness', learned, { nodes: 'all', gnnExplainer: true });
      await waitFor('progress in the panel', () => (snapshotOf(panel)?.run.running?.total ?? 0) > 0, 60_000);
      await panel.receive({ type: 'faithfulnessCancel', target: 'run' });
      await withTimeout('the cancelled command', running, 15_000);
    });
    assert.ok(shown.some((n) => n.message === `GAT: faithfulness of run ${learned} cancelled; its saved results are unchanged.`), shown.map((n) => n.message).join(' | '));
    assert.deepEqual(readFileSync(saved(learned)), before);
    await waitFor('the panel without progress', () => snapshotOf(panel)?.run.running === undefined && snapshotOf(panel)?.run.results !== null, 10_000);
  });

  it("the twin measured too: both sides drawn; Compare with the twin opens Compare Runs with the faithfulness rows", async () => {
    await withTimeout('gat.faithfulness (twin)', vscode.commands.executeCommand('gat.faithfulness', uniform, { nodes: 30, gnnExplainer: false }), 180_000);
    const panel = (await vscode.commands.executeCommand('gat.showFaithfulness', learned)) as FaithfulnessPanel;
    const twin = await waitFor("the twin's results", () => snapshotOf(panel)?.twin?.results ?? undefined, 30_000);
    assert.equal(twin.nodes, 30);
    await panel.receive({ type: 'compareWithTwin' });
    const compare = await waitFor('the Compare panel', () => api.panels.panels('gat.compare').find((p) => (p as ComparePanel).runIds.join() === [learned, uniform].join()) as ComparePanel | undefined, 10_000);
    const rows = await waitFor('the comparison', () => (compare.lastSnapshot as CompareSnapshot | undefined)?.rows, 30_000);
    const attention = rows.find((r) => r.label === 'faithfulness fid+/fid− @k=5: attention');
    assert.ok(attention, rows.map((r) => r.label).join(' | '));
    assert.match(attention.a, /^\d\.\d{3} \/ \d\.\d{3}$/);
    assert.match(attention.b, /^\d\.\d{3} \/ \d\.\d{3}$/);
  });

  it('a damaged faithfulness.json is told in place of the charts, with the file and what to do', async () => {
    writeFileSync(saved(uniform), '{"format":"gat-explorer/faithfulness/1","runId":"x"');
    const panel = (await vscode.commands.executeCommand('gat.showFaithfulness', uniform)) as FaithfulnessPanel;
    const s = await waitFor('the snapshot', () => snapshotOf(panel), 30_000);
    assert.equal(s.run.results, null);
    assert.ok(s.run.problem?.includes(saved(uniform)), s.run.problem);
    assert.equal(s.twin?.runId, learned, "a uniform run's twin is its learned original");
  });
});
