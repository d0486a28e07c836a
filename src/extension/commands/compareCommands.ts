import * as vscode from 'vscode';
import type { RunRecord } from '../../gat/artifacts/runRecord';
import { formatMetric } from '../../protocol/trainingEvents';
import type { ControlledPanel } from '../webviews/panelController';
import type { Services } from './services';
import { notice } from '../../gat/io/safeText';

/** A run id from a Runs view item or a string. */
function runIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'run' in value) return (value as { run: RunRecord }).run.runId;
  return undefined;
}

/**
 * Compare Runs: the two runs selected in the Runs view (context menu), two ids (links, tests), or
 * two picked from a list, the clicked run pre-selected. A is the run that started first.
 */
export async function compareRuns(services: Services, first?: unknown, second?: unknown): Promise<ControlledPanel | undefined> {
  await services.runsTree.getChildren();
  const runs = services.runsTree.current;
  const startOf = (id: string): string => runs.find((r) => r.runId === id)?.startedAt ?? '';
  const ordered = (ids: string[]): [string, string] => (startOf(ids[0]) <= startOf(ids[1]) ? [ids[0], ids[1]] : [ids[1], ids[0]]);
  const show = (ids: string[]): ControlledPanel => services.panels.show('gat.compare', { runIds: ordered(ids) });
  const selected = Array.isArray(second) ? second.map(runIdOf).filter((id): id is string => id !== undefined) : [];
  if (selected.length === 2) return show(selected);
  if (typeof first === 'string' && typeof second === 'string') return show([first, second]);
  if (runs.length < 2) {
    void vscode.window.showInformationMessage(notice`GAT: Compare Runs needs two runs; ${runs.length === 0 ? 'there are none' : 'there is one'} in the output folder. Train another (for example with uniform attention, from Train…).`);
    return undefined;
  }
  const clicked = runIdOf(first);
  const picks = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.runId, description: [r.dataset, r.status, r.testAcc !== null ? `test ${formatMetric(r.testAcc, r.metric)}` : ''].filter(Boolean).join(' · '), picked: r.runId === clicked })),
    { canPickMany: true, title: 'GAT: Compare Runs', placeHolder: 'Select exactly two runs, then press Enter' },
  );
  if (!picks) return undefined;
  if (picks.length !== 2) {
    void vscode.window.showWarningMessage(notice`GAT: choose exactly two runs to compare (${picks.length} chosen).`);
    return undefined;
  }
  return show(picks.map((p) => p.label));
}
