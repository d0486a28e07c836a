import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveDataDir } from '../../gat/data/dataDirs';
import { GENERATED_DATASETS } from '../../gat/data/generatedDatasets';
import { KNOWN_DATASETS, planetoidFileName } from '../../gat/data/knownDatasets';
import { ppiCacheDir } from '../../gat/data/ppiDownload';
import { ppiFileName } from '../../gat/data/ppiFiles';
import { summarize } from '../../gat/stats/graphStats';
import type { DatasetService } from '../core/datasetService';

export type DatasetsNode = { kind: 'dataset'; name: string; available: boolean; bundled: boolean; generated?: string } | { kind: 'fact'; label: string; value: string };

/** The Datasets view: Cora (bundled), Citeseer and PPI (downloadable), BA-Shapes (generated), each with its statistics. */
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
    item.description = node.generated ? 'generated' : node.bundled ? 'bundled' : node.available ? 'downloaded' : 'not downloaded';
    if (node.generated) item.tooltip = node.generated;
    if (node.name === 'ppi') item.tooltip = 'PPI: 24 protein–protein interaction graphs (20 train, 2 validation, 2 test), 121 labels per node (multi-label, inductive). Downloaded from data.dgl.ai (7 MB, checksum pinned).';
    item.contextValue = node.available ? 'dataset.available' : 'dataset.downloadable';
    if (!node.available) item.command = { command: 'gat.downloadDataset', title: 'Download', arguments: [node.name] };
    return item;
  }

  async getChildren(node?: DatasetsNode): Promise<DatasetsNode[]> {
    if (!node) {
      const dir = resolveDataDir(this.dataDir());
      const planetoid: DatasetsNode[] = Object.values(KNOWN_DATASETS).map((d) => ({
        kind: 'dataset',
        name: d.name,
        bundled: d.bundled,
        available: d.bundled || existsSync(path.join(dir, planetoidFileName(d.name, 'graph'))),
      }));
      const ppi = existsSync(path.join(ppiCacheDir(dir), ppiFileName('test', 'graph_id.npy'))) || existsSync(path.join(dir, ppiFileName('test', 'graph_id.npy')));
      const generated: DatasetsNode[] = GENERATED_DATASETS.map((d) => ({ kind: 'dataset', name: d.name, bundled: false, available: true, generated: d.description }));
      return [...planetoid, { kind: 'dataset', name: 'ppi', bundled: false, available: ppi }, ...generated];
    }
    if (node.kind !== 'dataset') return [];
    try {
      const g = await this.datasets.get(node.name);
      const s = summarize(g);
      if (g.graphs) {
        const count = (split: string): string => {
          const parts = g.graphs!.filter((p) => p.split === split);
          return `${parts.length} (${parts.reduce((a, p) => a + p.numNodes, 0)} nodes)`;
        };
        return [
          { kind: 'fact', label: 'graphs', value: `train ${count('train')}, val ${count('val')}, test ${count('test')}` },
          { kind: 'fact', label: 'nodes', value: String(s.nodes) },
          { kind: 'fact', label: 'features', value: String(s.features) },
          { kind: 'fact', label: 'edges', value: `${s.undirectedEdges} undirected` },
          { kind: 'fact', label: 'labels', value: `${s.classes} per node (multi-label)` },
          { kind: 'fact', label: 'max degree', value: `${s.maxDegree} (node ${s.maxDegreeNode})` },
        ];
      }
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
