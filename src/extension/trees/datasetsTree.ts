import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveDataDir } from '../../gat/data/dataDirs';
import { KNOWN_DATASETS, planetoidFileName } from '../../gat/data/knownDatasets';
import { summarize } from '../../gat/stats/graphStats';
import type { DatasetService } from '../datasetService';

type DatasetsNode = { kind: 'dataset'; name: string; available: boolean; bundled: boolean } | { kind: 'fact'; label: string; value: string };

/** The Datasets view: Cora (bundled), Citeseer (downloadable), each with its statistics. */
export class DatasetsTreeProvider implements vscode.TreeDataProvider<DatasetsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DatasetsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly datasets: DatasetService,
    private readonly dataDir: () => string | undefined,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: DatasetsNode): vscode.TreeItem {
    if (node.kind === 'fact') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.value;
      return item;
    }
    const item = new vscode.TreeItem(node.name, node.available ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `dataset:${node.name}`;
    item.iconPath = new vscode.ThemeIcon(node.available ? 'database' : 'cloud-download');
    item.description = node.bundled ? 'bundled' : node.available ? 'downloaded' : 'not downloaded';
    item.contextValue = node.available ? 'dataset.available' : 'dataset.downloadable';
    if (!node.available) item.command = { command: 'gat.downloadDataset', title: 'Download', arguments: [node.name] };
    return item;
  }

  async getChildren(node?: DatasetsNode): Promise<DatasetsNode[]> {
    if (!node) {
      const dir = resolveDataDir(this.dataDir());
      return Object.values(KNOWN_DATASETS).map((d) => ({
        kind: 'dataset',
        name: d.name,
        bundled: d.bundled,
        available: d.bundled || existsSync(path.join(dir, planetoidFileName(d.name, 'graph'))),
      }));
    }
    if (node.kind !== 'dataset') return [];
    try {
      const s = summarize(await this.datasets.get(node.name));
      return [
        { kind: 'fact', label: 'nodes', value: String(s.nodes) },
        { kind: 'fact', label: 'features', value: `${s.features} (${s.nonZeros} non-zeros)` },
        { kind: 'fact', label: 'edges', value: `${s.undirectedEdges} undirected` },
        { kind: 'fact', label: 'classes', value: s.classNames.map((n, i) => `${n} ${s.classSizes[i]}`).join(', ') },
        { kind: 'fact', label: 'max degree', value: `${s.maxDegree} (node ${s.maxDegreeNode})` },
        { kind: 'fact', label: 'split', value: `train ${s.split.train}, val ${s.split.val}, test ${s.split.test}` },
      ];
    } catch (err) {
      return [{ kind: 'fact', label: 'error', value: err instanceof Error ? err.message : String(err) }];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
