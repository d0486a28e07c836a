import * as vscode from 'vscode';
import type { Services } from './services';

/**
 * The dataset a graph or degree command is for: the one given (a name from a link, or an item of
 * the Datasets view), else the only dataset on this machine, else the user's pick.
 */
export async function pickDataset(services: Services, arg: unknown, title: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'dataset' && 'name' in arg && typeof arg.name === 'string') return arg.name;
  const available = (await services.datasetsTree.getChildren()).filter((n) => n.kind === 'dataset' && n.available);
  const names = available.map((n) => (n.kind === 'dataset' ? n.name : ''));
  if (names.length <= 1) return names[0] ?? 'cora';
  const pick = await vscode.window.showQuickPick(
    available.map((n) => ({ label: n.kind === 'dataset' ? n.name : '', description: n.kind === 'dataset' && n.bundled ? 'bundled' : 'downloaded' })),
    { title, placeHolder: 'Datasets on this machine (download others from the Datasets view)' },
  );
  return pick?.label;
}
