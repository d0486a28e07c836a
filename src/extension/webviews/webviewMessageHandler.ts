import * as vscode from 'vscode';
import { notice } from '../../gat/io/safeText';
import type { WebviewToHost } from '../../protocol/webviewMessages';
import { recordUri } from '../records/recordUri';
import { webviewBoundary } from './webviewBoundary';

/** Which page posted the message (for the log), and the files its header listed. */
export interface MessageSource {
  readonly where: string;
  readonly offered: ReadonlySet<string>;
}

/**
 * What every panel's messages may ask the host to do: open files, records and commands. The guard
 * has checked every field (commands are the declared allowlist); a path is opened only when the
 * boundary finds it inside a folder the extension knows, or listed by the host to this page.
 */
export async function handleCommonMessage(message: WebviewToHost, source: MessageSource): Promise<void> {
  switch (message.type) {
    case 'openFile': {
      const target = await webviewBoundary().openable(message.path, source.offered);
      if ('refused' in target) {
        webviewBoundary().refuse(source.where, `refused to open ${JSON.stringify(message.path.slice(0, 300))}: it ${target.refused}`);
        void vscode.window.showWarningMessage(notice`GAT: ${message.path} was not opened: it ${target.refused}.`);
        return;
      }
      await vscode.commands.executeCommand('gat.openRunItem', target.path);
      return;
    }
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
