import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../core/config';
import { cliFailure, runCli } from '../cli/runCli';
import type { Services } from './services';
import { trainingEnv } from './backendCommands';
import { notice } from '../../gat/io/safeText';

export interface ImportedRun {
  readonly runId: string;
  readonly runDir: string;
}

/** Model files Open Model… accepts: PyTorch's (pytorch-GAT's models/binaries/*.pth, a state_dict), or safetensors weights. */
export const IMPORTABLE = /\.(pth|pt|safetensors)$/i;

/**
 * GAT: Open Model…: a .pth trained elsewhere becomes a run (`gat import` in a child process, so
 * reading and analysing it never blocks the extension host), then its graph opens with its
 * predictions. `file` is given by a drop on the Runs view; otherwise an open dialog asks.
 */
export async function openModel(services: Services, file?: string): Promise<ImportedRun | undefined> {
  const outDir = services.requireOutDir();
  if (!outDir) return undefined;
  let model = file;
  if (!model) {
    const picked = await vscode.window.showOpenDialog({ title: 'GAT: Open Model', canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri, filters: { 'GAT models (PyTorch .pth, safetensors)': ['pth', 'pt', 'safetensors'] } });
    model = picked?.[0]?.fsPath;
  }
  if (!model) return undefined;
  if (!IMPORTABLE.test(model)) {
    void vscode.window.showErrorMessage(notice`GAT: ${path.basename(model)} is not a model file (.pth, .pt or .safetensors).`);
    return undefined;
  }
  const settings = readSettings();
  const args = ['import', '--model', model, '--out', outDir, '--backend', settings.backend, ...(settings.dataFolder ? ['--data-dir', settings.dataFolder] : [])];
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notice`GAT: importing ${path.basename(model)}…` }, () =>
    runCli(services.context.extensionUri, args, { cwd: outDir, env: trainingEnv(services.context) }),
  );
  services.log.appendLine(`gat ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  const runDir = /^run: (.+)$/m.exec(result.stdout)?.[1];
  if (result.code !== 0 || !runDir) {
    // The CLI's own message says what is wrong with the file (refused global, shapes, dataset).
    void vscode.window.showErrorMessage(notice`GAT: could not open ${path.basename(model)}: ${cliFailure(result)}`, 'Show Log').then((a) => a && services.log.show());
    return undefined;
  }
  services.runsTree.refresh();
  const imported = { runId: path.basename(runDir), runDir };
  const summary = result.stdout.split('\n').find((l) => l.startsWith('imported ')) ?? '';
  void vscode.window.showInformationMessage(notice`GAT: ${summary.replace(/^imported \S+ /, `opened ${path.basename(model)} `)}`);
  await vscode.commands.executeCommand('gat.showCoraGraph', imported.runId);
  return imported;
}

/** Dropping a .pth on the Runs view opens it as Open Model… does. */
export class RunsDropController implements vscode.TreeDragAndDropController<unknown> {
  readonly dropMimeTypes = ['text/uri-list'];
  readonly dragMimeTypes: string[] = [];

  constructor(private readonly services: Services) {}

  async handleDrop(_target: unknown, data: vscode.DataTransfer): Promise<void> {
    await this.importDropped(data);
  }

  /** Imports the model files among the dropped ones; returns the runs made. */
  async importDropped(data: vscode.DataTransfer): Promise<ImportedRun[]> {
    const text = await data.get('text/uri-list')?.asString();
    const files = (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => vscode.Uri.parse(l)).filter((u) => u.scheme === 'file');
    const models = files.filter((u) => IMPORTABLE.test(u.fsPath));
    if (models.length === 0) {
      if (files.length) void vscode.window.showWarningMessage('GAT: drop a model file (.pth, .pt or .safetensors) on the Runs view to open it.');
      return [];
    }
    const runs: ImportedRun[] = [];
    for (const m of models) {
      const run = await openModel(this.services, m.fsPath);
      if (run) runs.push(run);
    }
    return runs;
  }
}
