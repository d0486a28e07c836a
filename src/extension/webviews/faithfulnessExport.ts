import * as path from 'node:path';
import * as vscode from 'vscode';
import { faithfulnessCsv, readFaithfulnessReport } from '../../gat/artifacts/faithfulnessReport';
import { writeFileAtomic } from '../../gat/io/atomicWrite';
import { notice } from '../../gat/io/safeText';
import type { AskSaveLocation } from './exportImage';

/**
 * Saves a run's faithfulness numbers where the user chooses: CSV (one row per node and method, the
 * columns of `gat faithfulness --csv`) or JSON (the saved report, every field checked). The saved
 * report is read as untrusted data first; the file is written atomically (a reader never sees half).
 * Returns the file, or undefined when the dialog was cancelled.
 */
export async function exportFaithfulness(runDir: string, runId: string, format: 'csv' | 'json', ask: AskSaveLocation): Promise<vscode.Uri | undefined> {
  const report = await readFaithfulnessReport(runDir);
  if (!report) throw new Error(`run ${runId} has no faithfulness results to export yet: run GAT: Faithfulness… first`);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${runId.replace(/[^\w.-]+/g, '-')}-faithfulness.${format}`;
  const target = await ask({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(runDir, name)),
    filters: format === 'csv' ? { 'CSV (one row per node and method)': ['csv'] } : { JSON: ['json'] },
    saveLabel: `Export ${format.toUpperCase()}`,
  });
  if (!target) return undefined;
  if (target.scheme !== 'file') throw new Error(`cannot save to ${target.toString()}: choose a file on this machine`);
  await writeFileAtomic(target.fsPath, format === 'csv' ? faithfulnessCsv(report) : JSON.stringify(report) + '\n');
  void vscode.window.showInformationMessage(notice`GAT: saved ${vscode.workspace.asRelativePath(target)} (${report.rows.length} rows: ${report.nodes.length} nodes × ${report.methods.length} methods)`);
  return target;
}
