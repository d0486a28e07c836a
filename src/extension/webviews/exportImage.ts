import * as vscode from 'vscode';
import type { ExportImage } from '../../protocol/webviewMessages';
import { notice } from '../../gat/io/safeText';

const PNG_PREFIX = 'data:image/png;base64,';

/** The bytes of an exported figure; throws on anything that is not a PNG data URL or an SVG document. */
export function exportedImageBytes(message: Pick<ExportImage, 'format' | 'data'>): Uint8Array {
  if (message.format === 'png') {
    if (!message.data.startsWith(PNG_PREFIX)) throw new Error('the exported PNG is not a PNG data URL');
    return Buffer.from(message.data.slice(PNG_PREFIX.length), 'base64');
  }
  if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(message.data)) throw new Error('the exported SVG is not an SVG document');
  return Buffer.from(message.data, 'utf8');
}

export type AskSaveLocation = (options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined>;

/** Asks where to save a figure the webview exported, then writes it. Returns the file, or undefined when cancelled. */
export async function saveExportedImage(message: ExportImage, ask: AskSaveLocation = (o) => vscode.window.showSaveDialog(o)): Promise<vscode.Uri | undefined> {
  const bytes = exportedImageBytes(message);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = message.suggestedName.replace(/[^\w.-]+/g, '-');
  const target = await ask({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: message.format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
    saveLabel: `Export ${message.format.toUpperCase()}`,
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(notice`GAT: saved ${vscode.workspace.asRelativePath(target)}`);
  return target;
}
