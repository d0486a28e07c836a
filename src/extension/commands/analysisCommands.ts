import * as vscode from 'vscode';
import type { RunRecord } from '../../gat/artifacts/runRecord';
import { neighbourOffsets } from '../../gat/data/graph';
import { formatMetric } from '../../protocol/trainingEvents';
import type { ControlledPanel } from '../webviews/panelController';
import type { Services } from './services';

/**
 * The run a visualization is for: the one given (a run id from the Runs tree or a panel), else
 * the only finished run with an analysis, else the user's pick, newest first.
 */
export async function pickAnalysedRun(services: Services, runId?: unknown): Promise<string | undefined> {
  if (typeof runId === 'string') return runId;
  if (runId && typeof runId === 'object' && 'run' in runId) return (runId as { run: RunRecord }).run.runId;
  await services.runsTree.getChildren();
  const runs = services.runsTree.current.filter((r) => r.artifacts.analysis);
  if (runs.length === 0) {
    const train = 'Train on Cora';
    const choice = await vscode.window.showInformationMessage('GAT: no trained run with an analysis yet. Train one first (it takes well under a minute).', train);
    if (choice === train) await vscode.commands.executeCommand('gat.trainCora');
    return undefined;
  }
  if (runs.length === 1) return runs[0].runId;
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.runId, description: [r.dataset, r.status, r.testAcc !== null ? `test ${formatMetric(r.testAcc, r.metric)}` : ''].filter(Boolean).join(' · ') })),
    { title: 'GAT: which run?', placeHolder: 'Runs with an analysis, newest first' },
  );
  return pick?.label;
}

/** A node by id, with completion: every node, highest degree first (1358 on Cora). */
export async function pickNode(services: Services, dataset: string, what = 'attention of which node?'): Promise<number | undefined> {
  const g = await services.datasets.get(dataset);
  const offsets = neighbourOffsets(g);
  const nodes = Array.from({ length: g.numNodes }, (_, i) => i).sort((a, b) => offsets[b + 1] - offsets[b] - (offsets[a + 1] - offsets[a]) || a - b);
  const pick = await vscode.window.showQuickPick(
    nodes.map((i) => ({ label: String(i), description: `${g.classNames[g.labels[i]]} · degree ${offsets[i + 1] - offsets[i]}` })),
    { title: `GAT: ${what} (${dataset})`, placeHolder: 'Type a node id; the largest hubs come first', matchOnDescription: true },
  );
  return pick ? Number(pick.label) : undefined;
}

/** The node with the most neighbours (1358 on Cora), the original's default. */
async function largestHub(services: Services, dataset: string): Promise<number> {
  const g = await services.datasets.get(dataset);
  const offsets = neighbourOffsets(g);
  let best = 0;
  for (let i = 1; i < g.numNodes; i++) if (offsets[i + 1] - offsets[i] > offsets[best + 1] - offsets[best]) best = i;
  return best;
}

/** A run and one of its dataset's nodes: the ones given (a node id, or 'hub' for the largest), else the user's picks. */
async function pickRunAndNode(services: Services, runId: unknown, node: unknown, what: string): Promise<{ run: string; node: number } | undefined> {
  const run = await pickAnalysedRun(services, runId);
  if (!run) return undefined;
  const dataset = services.runsTree.findRun(run)?.dataset ?? 'cora';
  const target = typeof node === 'number' ? node : node === 'hub' ? await largestHub(services, dataset) : await pickNode(services, dataset, what);
  return target === undefined ? undefined : { run, node: target };
}

export async function showAttention(services: Services, runId?: unknown, node?: unknown): Promise<ControlledPanel | undefined> {
  const picked = await pickRunAndNode(services, runId, node, 'attention of which node?');
  return picked && services.panels.show('gat.attention', { runId: picked.run, node: picked.node });
}

export async function showEntropy(services: Services, runId?: unknown): Promise<ControlledPanel | undefined> {
  const run = await pickAnalysedRun(services, runId);
  return run ? services.panels.show('gat.entropy', { runId: run }) : undefined;
}

export async function showEmbedding(services: Services, runId?: unknown): Promise<ControlledPanel | undefined> {
  const run = await pickAnalysedRun(services, runId);
  return run ? services.panels.show('gat.embedding', { runId: run }) : undefined;
}

/** GAT: Step Through Node…: a run's node, step by step (from the palette it asks for the run and the node). */
export async function stepThroughNode(services: Services, runId?: unknown, node?: unknown): Promise<ControlledPanel | undefined> {
  const picked = await pickRunAndNode(services, runId, node, 'step through which node?');
  return picked && services.panels.show('gat.computation', { runId: picked.run, node: picked.node });
}

/**
 * A node's context-menu action in a webview (package.json "webview/context"; VS Code passes the
 * webview's context): the active panel handles it as if its page had asked. Step Through from a
 * neighbour in the attention panel; everything else from the graph.
 */
export function webviewNodeAction(services: Services, action: 'showAttention' | 'stepThrough', context?: { webview?: unknown; node?: unknown }): boolean {
  if (typeof context?.node !== 'number') return false;
  const active = services.panels.active(action === 'stepThrough' && context.webview === 'gat.attention' ? 'gat.attention' : 'gat.graph');
  if (!active) return false;
  void active.receive({ type: action, node: context.node });
  return true;
}

/**
 * The graph panel's what-if items in a node's context menu (package.json "webview/context"): "Edit
 * in Computation (What If)…" opens the node's computation at its what-if section; "Remove Edge to
 * Selected Node (What If)", on a neighbour of the selected node, opens the selected node's
 * computation with the edge from the right-clicked one removed. Ids are the page's (the panel
 * translates them).
 */
export function webviewGraphWhatIf(services: Services, action: 'edit' | 'removeEdge', context?: { node?: unknown; selected?: unknown }): boolean {
  const active = services.panels.active('gat.graph');
  if (!active || typeof context?.node !== 'number') return false;
  if (action === 'edit') {
    void active.receive({ type: 'whatIfInComputation', node: context.node });
    return true;
  }
  if (typeof context.selected !== 'number' || context.selected === context.node) return false;
  void active.receive({ type: 'whatIfInComputation', node: context.selected, removeEdgeFrom: context.node });
  return true;
}

/**
 * "Remove Edge (What If)" on a neighbour row of the Computation panel (package.json "webview/context"):
 * the active Computation panel removes that neighbour's edge as if its page had asked.
 */
export function webviewRemoveEdge(services: Services, context?: { node?: unknown }): boolean {
  const active = services.panels.active('gat.computation');
  if (!active || typeof context?.node !== 'number') return false;
  void active.receive({ type: 'whatIfEdit', edit: { kind: 'remove-edge', node: context.node } });
  return true;
}
