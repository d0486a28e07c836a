import * as path from 'node:path';
import * as vscode from 'vscode';

export type BackendSetting = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** Every `gat.*` setting, read in one place with its type and default. */
export interface GatSettings {
  readonly backend: BackendSetting;
  /** Absolute output folder for runs and models, or undefined when no folder is open and none is set. */
  readonly outputFolder: string | undefined;
  readonly dataFolder: string | undefined;
  readonly seed: number;
  readonly quickTrainEpochs: number;
}

export function readSettings(): GatSettings {
  const c = vscode.workspace.getConfiguration('gat');
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const output = c.get<string>('outputFolder', '').trim();
  const data = c.get<string>('dataFolder', '').trim();
  return {
    backend: c.get<BackendSetting>('backend', 'auto'),
    outputFolder: output ? (path.isAbsolute(output) || !workspace ? output : path.join(workspace, output)) : workspace,
    dataFolder: data || undefined,
    seed: c.get<number>('seed', 42),
    quickTrainEpochs: c.get<number>('quickTrainEpochs', 10_000),
  };
}
