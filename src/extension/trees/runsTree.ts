import * as path from 'node:path';
import * as vscode from 'vscode';
import { listRuns, type RunRecord } from '../../gat/artifacts/runRecord';
import { md } from '../../gat/io/safeText';
import { formatMetric } from '../../protocol/trainingEvents';

type RunsNode =
  | { kind: 'run'; run: RunRecord }
  | { kind: 'file'; run: RunRecord; label: string; file: string; icon: string }
  | { kind: 'folder'; run: RunRecord; label: string; files: string[]; icon: string }
  | { kind: 'panel'; run: RunRecord; label: string; command: string; icon: string; args?: unknown[] }
  | { kind: 'error'; message: string };

const STATUS_ICON: Record<RunRecord['status'], vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  interrupted: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

/**
 * The Runs view: every run under the output folder (made here or by the CLI), newest first,
 * with its artifacts and visualizations as children. Refreshed by a file watcher on runs/.
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private watchedDir: string | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private runs: RunRecord[] = [];

  constructor(
    private readonly outDir: () => string | undefined,
    /** Told where each run's dataset came from, so its panels find a --data-dir dataset. */
    private readonly onRunsListed: (runs: readonly RunRecord[]) => void = () => undefined,
  ) {}

  /**
   * Coalesced: a training writes run.json and sends epoch events many times a second, so calls
   * within 300 ms become one refresh. The first call's timer is kept, not restarted: restarting
   * it on each call never fired while epochs kept arriving (the view stayed stale all training).
   */
  refresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire(undefined);
    }, 300);
  }

  get current(): readonly RunRecord[] {
    return this.runs;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run': {
        const r = node.run;
        const item = new vscode.TreeItem(r.runId, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${r.runId}`;
        item.iconPath = STATUS_ICON[r.status];
        item.description = describeRun(r);
        item.tooltip = new vscode.MarkdownString(
          // The description (accuracy, time) is cut off in a narrow side bar: the hover repeats it.
          // Every field comes from run.json, a file someone else may have made: shown as text (safeText).
          md`**${r.runId}**  \n${item.description}  \ndataset ${r.dataset}, back end ${r.backend}, seed ${r.seed}  \n${r.epochs} epochs` + (r.error ? md`  \nerror: ${r.error}` : ''),
        );
        item.contextValue = `run.${r.status}`;
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.resourceUri = vscode.Uri.file(node.file);
        item.description = path.basename(node.file);
        item.command = { command: 'gat.openRunItem', title: 'Open', arguments: [node.file] };
        item.contextValue = 'runFile';
        return item;
      }
      case 'folder': {
        const item = new vscode.TreeItem(node.label, node.files.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.description = `${node.files.length}`;
        return item;
      }
      case 'panel': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = { command: node.command, title: node.label, arguments: [node.run.runId, ...(node.args ?? [])] };
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
    }
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    const out = this.outDir();
    if (!node) {
      if (!out) return [];
      this.watch(out);
      try {
        this.runs = (await listRuns(out)).sort((a, b) => b.runId.localeCompare(a.runId));
        this.onRunsListed(this.runs);
      } catch (err) {
        return [{ kind: 'error', message: `cannot list runs in ${out}: ${err instanceof Error ? err.message : String(err)}` }];
      }
      void vscode.commands.executeCommand('setContext', 'gat.hasRuns', this.runs.length > 0);
      return this.runs.map((run) => ({ kind: 'run', run }));
    }
    if (!out) return [];
    const abs = (rel: string): string => path.join(out, rel);
    if (node.kind === 'run') {
      const r = node.run;
      const a = r.artifacts;
      const children: RunsNode[] = [];
      if (r.spec) children.push({ kind: 'file', run: r, label: 'Spec', file: r.spec.path, icon: 'settings' });
      children.push({ kind: 'file', run: r, label: 'Run record', file: abs(a.runJson), icon: 'json' });
      children.push({ kind: 'panel', run: r, label: 'Training metrics', command: 'gat.showTrainingMetrics', icon: 'graph-line' });
      children.push({ kind: 'folder', run: r, label: 'Checkpoints', files: a.checkpoints.map(abs), icon: 'save-all' });
      if (a.binary) children.push({ kind: 'file', run: r, label: 'Final model', file: abs(a.binary), icon: 'package' });
      if (a.events.length) children.push({ kind: 'file', run: r, label: 'TensorBoard', file: abs(path.posix.dirname(a.events[0])), icon: 'dashboard' });
      if (a.analysis) {
        children.push({ kind: 'file', run: r, label: 'Analysis', file: abs(a.analysis), icon: 'beaker' });
        children.push(
          { kind: 'panel', run: r, label: 'Graph with predictions', command: 'gat.showCoraGraph', icon: 'type-hierarchy', args: [r.dataset] },
          { kind: 'panel', run: r, label: 'Attention of the largest hub', command: 'gat.showAttention', icon: 'eye', args: ['hub'] },
          { kind: 'panel', run: r, label: 'Entropy histograms', command: 'gat.showEntropy', icon: 'pulse' },
          { kind: 'panel', run: r, label: 'Embedding map (t-SNE)', command: 'gat.showEmbedding', icon: 'symbol-constant' },
          { kind: 'panel', run: r, label: 'Faithfulness', command: 'gat.showFaithfulness', icon: 'graph-scatter' },
        );
      }
      return children;
    }
    if (node.kind === 'folder') return node.files.map((file) => ({ kind: 'file', run: node.run, label: path.basename(file), file, icon: 'file-binary' }));
    return [];
  }

  findRun(runId: string): RunRecord | undefined {
    return this.runs.find((r) => r.runId === runId);
  }

  private watch(out: string): void {
    if (this.watchedDir === out) return;
    this.watcher?.dispose();
    this.watchedDir = out;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(out), 'runs/*/run.json'));
    const refresh = (): void => this.refresh();
    this.watcher.onDidCreate(refresh);
    this.watcher.onDidChange(refresh);
    this.watcher.onDidDelete(refresh);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.watcher?.dispose();
    this.changed.dispose();
  }
}

function describeRun(r: RunRecord): string {
  const parts: string[] = [r.status];
  if (importedFrom(r)) parts.push(`imported from ${path.basename(importedFrom(r)!)}`);
  if (isUniformAttention(r)) parts.push('uniform attention');
  if (r.bestValAcc !== null) parts.push(`val ${formatMetric(r.bestValAcc, r.metric)}`);
  if (r.testAcc !== null) parts.push(`test ${formatMetric(r.testAcc, r.metric)}`);
  if (r.endedAt && !importedFrom(r)) parts.push(`${((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

/** The file a run was imported from (`gat import`: config.imported.file), if it was. */
function importedFrom(r: RunRecord): string | undefined {
  const config = r.config as { imported?: { file?: unknown } } | null | undefined;
  const file = typeof config === 'object' && config !== null ? config.imported?.file : undefined;
  return typeof file === 'string' ? file : undefined;
}

/** A run of the Const-GAT control (`--attention uniform`). */
function isUniformAttention(r: RunRecord): boolean {
  const config = r.config as { attention?: unknown } | null | undefined;
  return typeof config === 'object' && config !== null && config.attention === 'uniform';
}
