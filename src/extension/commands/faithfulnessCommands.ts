import * as path from 'node:path';
import * as vscode from 'vscode';
import { notice } from '../../gat/io/safeText';
import { SAMPLE_NODES, type FaithfulnessChoice } from '../cli/faithfulnessArgs';
import type { FaithfulnessJobs } from '../cli/faithfulnessJobs';
import type { ControlledPanel } from '../webviews/panelController';
import { pickAnalysedRun } from './analysisCommands';
import type { Services } from './services';

/** What the faithfulness command needs besides the shared services. */
export interface FaithfulnessServices extends Services {
  readonly faithfulnessJobs: FaithfulnessJobs;
}

/** GAT: Show Faithfulness: a run's Faithfulness panel (its empty state offers to measure it). */
export async function showFaithfulness(services: Services, runArg?: unknown): Promise<ControlledPanel | undefined> {
  const runId = await pickAnalysedRun(services, runArg);
  return runId ? services.panels.show('gat.faithfulness', { runId }) : undefined;
}

/**
 * GAT: Faithfulness…: asks which nodes and methods (unless a test passes them), runs `gat
 * faithfulness` in a child process with a cancellable progress notification, and shows the run's
 * Faithfulness panel (not when a panel's own button asked: `{ openPanel: false }`), which shows the
 * progress and draws the results when the process ends. A failure is one line
 * with what to do; a cancel kills the child and leaves the saved results as they were.
 */
export async function runFaithfulness(services: FaithfulnessServices, runArg?: unknown, givenArg?: unknown): Promise<ControlledPanel | undefined> {
  const given = givenChoice(givenArg);
  // A panel's Run button (its own run or its twin's) shows the progress in that panel: no other opens.
  const openPanel = !(typeof givenArg === 'object' && givenArg !== null && (givenArg as { openPanel?: unknown }).openPanel === false);
  const show = (runId: string): ControlledPanel | undefined => (openPanel ? services.panels.show('gat.faithfulness', { runId }) : undefined);
  const runId = await pickAnalysedRun(services, runArg);
  const out = services.requireOutDir();
  if (!runId || !out) return undefined;
  const alreadyRunning = (): boolean => {
    if (!services.faithfulnessJobs.get(runId)) return false;
    void vscode.window.showInformationMessage(notice`GAT: faithfulness of run ${runId} is already being measured; its panel shows the progress.`);
    return true;
  };
  if (alreadyRunning()) return show(runId);
  // Asked before the panel opens: a webview that loads meanwhile would take the focus and close the pick.
  const choice = await pickChoice(runId, given);
  if (!choice) return undefined;
  if (alreadyRunning()) return show(runId); // started from elsewhere while the user chose
  const panel = show(runId);
  const job = services.faithfulnessJobs.start(runId, path.join(out, 'runs', runId), choice);
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notice`GAT: faithfulness of ${runId}`, cancellable: true }, async (progress, token) => {
    token.onCancellationRequested(() => job.cancel());
    let shown = 0;
    const listener = services.faithfulnessJobs.onDidChange((changed) => {
      const p = changed === runId ? job.progress : undefined;
      if (!p || p.total === 0) return;
      const fraction = p.done / p.total;
      progress.report({ increment: 100 * (fraction - shown), message: notice`${p.done}/${p.total} nodes, ${p.seconds.toFixed(0)} s` });
      shown = fraction;
    });
    try {
      return await job.finished;
    } finally {
      listener.dispose();
    }
  });
  if (outcome.kind === 'cancelled') {
    void vscode.window.showInformationMessage(notice`GAT: faithfulness of run ${runId} cancelled; its saved results are unchanged.`);
  } else if (outcome.kind === 'failed') {
    services.log.appendLine(`gat faithfulness (run ${runId}) failed:\n${outcome.stderr}`);
    const [retry, log] = ['Try Again…', 'Show Log'];
    void vscode.window.showErrorMessage(notice`GAT: faithfulness of run ${runId} failed: ${outcome.message}`, retry, log).then((action) => {
      if (action === retry) void vscode.commands.executeCommand('gat.faithfulness', runId);
      if (action === log) services.log.show(true);
    });
  }
  return panel;
}

/**
 * The choices a caller passed (tests); anything else, such as the Runs view's list of selected
 * items (its second argument), passes nothing and the user is asked.
 */
function givenChoice(raw: unknown): Partial<FaithfulnessChoice> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const { nodes, gnnExplainer } = raw as Record<string, unknown>;
  const validNodes = nodes === 'test' || nodes === 'all' || (typeof nodes === 'number' && Number.isInteger(nodes) && nodes > 0);
  return { ...(validNodes ? { nodes } : {}), ...(typeof gnnExplainer === 'boolean' ? { gnnExplainer } : {}) };
}

interface Choice<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** The nodes (a typed number becomes a sample of that many test nodes), then the methods; undefined: the user pressed Escape. */
async function pickChoice(runId: string, given: Partial<FaithfulnessChoice>): Promise<FaithfulnessChoice | undefined> {
  const nodes = given.nodes ?? (await pickNodes(runId));
  if (nodes === undefined) return undefined;
  if (given.gnnExplainer !== undefined) return { nodes, gnnExplainer: given.gnnExplainer };
  const methods = await vscode.window.showQuickPick<Choice<boolean>>(
    [
      { label: 'Attention, leave-one-out, saliency, Integrated Gradients', description: 'the default set, against a random ranking', value: false },
      { label: '… and GNNExplainer', description: 'an optimisation per node: several times slower', value: true },
    ],
    { title: `GAT: Faithfulness of ${runId} (2/2): which rankings?`, placeHolder: 'Each ranking is tested against a seeded random one' },
  );
  return methods && { nodes, gnnExplainer: methods.value };
}

function pickNodes(runId: string): Promise<FaithfulnessChoice['nodes'] | undefined> {
  const fixed: Array<Choice<FaithfulnessChoice['nodes']>> = [
    { label: 'Test nodes', description: 'every node of the test split (Cora: 1,000; minutes on two cores)', value: 'test' },
    { label: `A sample of ${SAMPLE_NODES} test nodes`, description: 'seeded: the same nodes each time', value: SAMPLE_NODES },
    { label: 'All nodes', description: 'every node of the graph (the longest)', value: 'all' },
  ];
  const pick = vscode.window.createQuickPick<Choice<FaithfulnessChoice['nodes']>>();
  pick.title = `GAT: Faithfulness of ${runId} (1/2): which nodes?`;
  pick.placeholder = 'Or type a number for a sample of that many test nodes';
  pick.items = fixed;
  return new Promise((resolve) => {
    let chosen: FaithfulnessChoice['nodes'] | undefined;
    pick.onDidChangeValue((value) => {
      const count = /^\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : 0;
      // A typed count comes first, so Enter takes it.
      pick.items = count > 0 ? [{ label: `A sample of ${count} test nodes`, description: 'seeded', value: count, alwaysShow: true }, ...fixed] : fixed;
    });
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.value;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}
