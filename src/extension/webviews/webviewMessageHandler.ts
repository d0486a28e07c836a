import * as vscode from 'vscode';
import type { WebviewToHost } from '../../protocol/webviewMessages';
import { recordUri } from '../records/recordUri';

/** What every panel's messages may ask the host to do: open files, records and commands (checked by the guard). */
export async function handleCommonMessage(message: WebviewToHost): Promise<void> {
  switch (message.type) {
    case 'openFile':
      await vscode.commands.executeCommand('gat.openRunItem', message.path);
      return;
    case 'openRecord':
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(recordUri(message.dataset, message.node, message.runId, message.compareRunId)), { preview: true });
      return;
    case 'runCommand':
      await vscode.commands.executeCommand(message.command);
      return;
    case 'showRunMetrics':
      await vscode.commands.executeCommand('gat.showTrainingMetrics', message.runId, vscode.ViewColumn.Beside);
      return;
    case 'ready':
      return;
  }
}
