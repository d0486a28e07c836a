import * as vscode from 'vscode';
import { parseGatSettings, SETTING_NAMES, type GatSettings } from './settingsModel';
import { notice } from '../../gat/io/safeText';

export type { BackendSetting, GatSettings } from './settingsModel';

/** Problems already shown, so a bad setting warns once per session, not on every read. */
const shown = new Set<string>();

export function readSettings(): GatSettings {
  const c = vscode.workspace.getConfiguration('gat');
  const raw = Object.fromEntries(SETTING_NAMES.map((name) => [name, c.get<unknown>(name)]));
  const { settings, problems } = parseGatSettings(raw, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  for (const p of problems) {
    if (shown.has(p)) continue;
    shown.add(p);
    void vscode.window.showWarningMessage(notice`GAT: ${p}`);
  }
  return settings;
}
