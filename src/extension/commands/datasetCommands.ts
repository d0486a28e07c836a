import * as vscode from 'vscode';
import { resolveDataDir } from '../../gat/data/dataDirs';
import { downloadDataset } from '../../gat/data/download';
import { KNOWN_DATASETS } from '../../gat/data/knownDatasets';
import { loadDatasetInWorker } from '../../gat/data/datasetWorkerProtocol';
import * as path from 'node:path';
import { parseNodeId, UnknownNodeError } from '../../gat/records/nodeRecord';
import { readSettings } from '../core/config';
import { recordUri } from '../records/recordUri';
import type { Services } from './services';
import { notice } from '../../gat/io/safeText';

/** Download Dataset…: streams, verifies and caches a known dataset, with visible progress. */
export async function downloadDatasetCommand(services: Services, name?: string): Promise<void> {
  const choices = [
    ...Object.values(KNOWN_DATASETS).filter((d) => !d.bundled).map((d) => ({ label: d.name, description: 'Planetoid, checksums pinned' })),
    { label: 'ppi', description: 'PPI: 24 graphs, multi-label (7 MB archive, checksum pinned)' },
  ];
  const picked = name ?? (await vscode.window.showQuickPick(choices, { title: 'GAT: Download Dataset' }))?.label;
  if (!picked) return;
  const dir = resolveDataDir(readSettings().dataFolder);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notice`GAT: downloading ${picked}`, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    try {
      const onProgress = (e: { file: string; total: number; bytes: number }): void => progress.report({ increment: 100 / e.total, message: notice`${e.file} (${(e.bytes / 1024).toFixed(0)} KB, verified)` });
      if (picked === 'ppi') {
        // Unpacking (about 100 MB) and parsing take seconds: a worker thread does both, off the host's thread.
        progress.report({ message: 'downloading the 7 MB archive, verifying and unpacking it…' });
        const worker = path.join(services.context.extensionUri.fsPath, 'dist', 'datasetWorker.js');
        const g = await loadDatasetInWorker({ name: 'ppi', dataDir: dir, download: true }, worker);
        services.log.appendLine(`PPI is ready in ${g.sourceDir}: ${g.numNodes} nodes in ${g.graphs?.length ?? 0} graphs`);
        void vscode.window.showInformationMessage(notice`GAT: PPI is ready (${g.sourceDir}).`);
      } else {
        const fetched = await downloadDataset(picked, dir, { signal: abort.signal, onProgress });
        services.log.appendLine(`Downloaded ${fetched.length} files of ${picked} into ${dir}`);
        void vscode.window.showInformationMessage(notice`GAT: ${picked} is ready (${dir}).`);
      }
    } catch (err) {
      void vscode.window.showErrorMessage(notice`GAT: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  services.datasetsTree.refresh();
}

/** Open Node Record…: asks for a node id (validated against the dataset) and opens its record. */
export async function openNodeRecordCommand(services: Services, dataset = 'cora', node?: number | string, runId?: string): Promise<vscode.TextEditor | undefined> {
  try {
    const graph = await services.datasets.get(dataset);
    let text = node === undefined ? undefined : String(node);
    if (text === undefined) {
      text = await vscode.window.showInputBox({
        title: `GAT: Open Node Record (${dataset})`,
        prompt: `A node id from 0 to ${graph.numNodes - 1} (node 1358 is the largest hub)`,
        value: '1358',
        validateInput: (v) => {
          try {
            parseNodeId(graph, v);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (text === undefined) return undefined;
    }
    const id = parseNodeId(graph, text);
    const doc = await vscode.workspace.openTextDocument(recordUri(dataset, id, runId));
    return await vscode.window.showTextDocument(doc, { preview: true });
  } catch (err) {
    const message = err instanceof UnknownNodeError ? err.message : `cannot open the record: ${err instanceof Error ? err.message : String(err)}`;
    void vscode.window.showErrorMessage(notice`GAT: ${message}`);
    return undefined;
  }
}
