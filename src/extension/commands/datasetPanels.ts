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
  // Generated datasets (BA-Shapes) are always there: only files on disk decide whether to ask.
  const onDisk = available.filter((n) => n.kind === 'dataset' && !n.generated);
  if (onDisk.length <= 1) return onDisk[0]?.kind === 'dataset' ? onDisk[0].name : 'cora';
  const pick = await vscode.window.showQuickPick(
    available.map((n) => ({ label: n.kind === 'dataset' ? n.name : '', description: n.kind === 'dataset' && n.generated ? 'generated' : n.kind === 'dataset' && n.bundled ? 'bundled' : 'downloaded' })),
    { title, placeHolder: 'Datasets on this machine (download others from the Datasets view)' },
  );
  return pick?.label;
}
