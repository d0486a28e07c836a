import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunAnalyses } from '../gat/analysis/runAnalyses';
import { RunSnapshots } from '../gat/analysis/runSnapshots';
import { showAttention, showEmbedding, showEntropy, stepThroughNode, webviewGraphWhatIf, webviewNodeAction, webviewRemoveEdge } from './commands/analysisCommands';
import { BACKEND_INFO_URI, BackendInfoProvider, installGpuBackend, showBackendInfo, trainingEnv } from './commands/backendCommands';
import { compareRuns } from './commands/compareCommands';
import { downloadDatasetCommand, openNodeRecordCommand } from './commands/datasetCommands';
import { runFaithfulness, showFaithfulness } from './commands/faithfulnessCommands';
import { pickDataset } from './commands/datasetPanels';
import { openModel, RunsDropController } from './commands/importCommands';
import { copyTensorboardCommand, deleteRun, openLatestRun, openRunItem, resumeRun, revealRun } from './commands/runCommands';
import type { Services } from './commands/services';
import { newTrainingSpec, resumeFromCheckpoint, trainCora, trainSpec, trainWithOptions } from './commands/trainingCommands';
import { FaithfulnessJobs } from './cli/faithfulnessJobs';
import { readSettings } from './core/config';
import { DatasetService } from './core/datasetService';
import { RecordProvider } from './records/recordProvider';
import { RunViews } from './records/runViews';
import { SpecCodeLensProvider } from './specs/specCodeLens';
import { TrainingController } from './training/trainingController';
import { DatasetsTreeProvider } from './trees/datasetsTree';
import { RunsTreeProvider } from './trees/runsTree';
import { registerSourceProvider } from './webviews/computationPanel';
import type { PanelArgs } from './webviews/panelArgs';
import type { PanelController } from './webviews/panelController';
import { createPanels } from './webviews/panels';
import { configureWebviewBoundary, type WebviewBoundary } from './webviews/webviewBoundary';
import { TrainingViewProvider } from './webviews/trainingView';

let controller: TrainingController | undefined;

/** What activate() returns: the live objects, for integration tests and other extensions. */
export interface GatExtensionApi {
  readonly training: TrainingController;
  readonly runs: RunsTreeProvider;
  readonly datasets: DatasetService;
  /** What a drop on the Runs view runs (tests drop files through it). */
  readonly runsDrop: RunsDropController;
  /** The webview panels' controller (tests open, find and restore panels through it). */
  readonly panels: PanelController<PanelArgs>;
  /** What webviews may ask of the host, and what it refused (tests read its log lines). */
  readonly webviewBoundary: WebviewBoundary;
}

/**
 * Activation is lazy (commands, views, *.gat.json in the workspace): it only wires providers
 * and commands. Datasets load on first use; training runs in a child process.
 */
export function activate(context: vscode.ExtensionContext): GatExtensionApi {
  const log = vscode.window.createOutputChannel('GAT Explorer');
  const outDir = (): string | undefined => readSettings().outputFolder;
  const webviewBoundary = configureWebviewBoundary({ log: (line) => log.appendLine(line), outDir, workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) });
  const datasets = new DatasetService(() => readSettings().dataFolder, context.extensionUri);
  const training = new TrainingController(path.join(context.extensionUri.fsPath, 'dist', 'cli.js'), log, () => trainingEnv(context));
  controller = training;
  const runsTree = new RunsTreeProvider(outDir, (runs) => runs.forEach((r) => datasets.learn(r.dataset, r.datasetDir)));
  const datasetsTree = new DatasetsTreeProvider(datasets, () => readSettings().dataFolder);
  const analyses = new RunAnalyses(outDir);
  const snapshots = new RunSnapshots(outDir);
  const runViews = new RunViews(analyses);
  const faithfulnessJobs = new FaithfulnessJobs(context.extensionUri, () => trainingEnv(context));
  const panels = createPanels({
    extensionUri: context.extensionUri,
    datasets,
    analyses,
    snapshots,
    runViews,
    training,
    runs: runsTree,
    outDir,
    cacheDir: path.join(context.globalStorageUri.fsPath, 'layouts'),
    extraEnv: () => trainingEnv(context),
    faithfulnessJobs,
  });
  const services: Services = {
    context,
    log,
    datasets,
    training,
    runsTree,
    datasetsTree,
    panels,
    requireOutDir() {
      const dir = outDir();
      if (!dir) void vscode.window.showWarningMessage('GAT: open a folder, or set gat.outputFolder, to choose where runs and models are written.');
      return dir;
    },
  };
  const runsDrop = new RunsDropController(services);
  const faithfulnessServices = { ...services, faithfulnessJobs };

  context.subscriptions.push(
    log,
    training,
    faithfulnessJobs,
    runsTree,
    datasetsTree,
    panels,
    // Several runs can be selected: two of them are what Compare Runs compares.
    vscode.window.createTreeView('gat.runs', { treeDataProvider: runsTree, canSelectMany: true, dragAndDropController: runsDrop }),
    vscode.window.registerTreeDataProvider('gat.datasets', datasetsTree),
    vscode.window.registerWebviewViewProvider(TrainingViewProvider.viewId, new TrainingViewProvider({ extensionUri: context.extensionUri, training, runs: runsTree, outDir })),
    registerSourceProvider(context.extensionUri),
    vscode.languages.registerCodeLensProvider(SpecCodeLensProvider.selector, new SpecCodeLensProvider()),
    training.onDidChange(() => runsTree.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gat')) {
        runsTree.refresh();
        datasetsTree.refresh();
      }
    }),
  );
  const records = new RecordProvider(datasets, (runId) => runViews.get(runId));
  RecordProvider.register(context, records);
  context.subscriptions.push(
    training.onDidChange((live) => {
      if (live.exit && live.start) records.runEnded(live.start.runId);
    }),
  );

  const backendInfo = new BackendInfoProvider(() => services);
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(BACKEND_INFO_URI.scheme, backendInfo));

  const commands: Record<string, (...args: never[]) => unknown> = {
    'gat.trainCora': () => trainCora(services),
    'gat.train': () => trainWithOptions(services),
    'gat.openModel': (file?: unknown) => openModel(services, file instanceof vscode.Uri ? file.fsPath : typeof file === 'string' ? file : undefined),
    'gat.cancelTraining': () => training.cancelAll(),
    'gat.resumeFromCheckpoint': (file?: string) => resumeFromCheckpoint(services, typeof file === 'string' ? file : undefined),
    'gat.downloadDataset': (name?: string | { name?: string }) => downloadDatasetCommand(services, typeof name === 'string' ? name : name?.name),
    'gat.openNodeRecord': (dataset?: string, node?: number | string, runId?: string) => openNodeRecordCommand(services, dataset, node, runId),
    'gat.showTrainingMetrics': (runId?: string, column?: vscode.ViewColumn) =>
      panels.show('gat.metrics', { runId: typeof runId === 'string' ? runId : null, column: column === vscode.ViewColumn.Beside ? column : undefined }),
    'gat.showBackendInfo': () => showBackendInfo(backendInfo),
    'gat.installGpuBackend': () => installGpuBackend(services, backendInfo),
    'gat.newTrainingSpec': () => newTrainingSpec(services),
    // From the palette: Cora; from a run in the Runs view: that run's dataset, with its predictions;
    // with a second run: coloured by where the two agree (Compare Runs).
    'gat.showCoraGraph': (runId?: string, dataset?: string, compareRunId?: string) =>
      panels.show('gat.graph', { runId: typeof runId === 'string' ? runId : null, dataset: typeof dataset === 'string' ? dataset : undefined, compareRunId: typeof compareRunId === 'string' ? compareRunId : null }),
    // From the Datasets view: that dataset; from the palette: the only one here, or the user's pick.
    'gat.showDatasetGraph': async (dataset?: unknown) => {
      const name = await pickDataset(services, dataset, 'GAT: graph of which dataset?');
      return name ? panels.show('gat.graph', { runId: null, dataset: name }) : undefined;
    },
    'gat.showDegreePlots': async (dataset?: unknown) => {
      const name = await pickDataset(services, dataset, 'GAT: degree plots of which dataset?');
      return name ? panels.show('gat.degrees', { dataset: name }) : undefined;
    },
    // Tree items pass the run id; the palette asks for the run and the node.
    'gat.showAttention': (runId?: unknown, node?: unknown) => showAttention(services, runId, node),
    'gat.stepThroughNode': (runId?: unknown, node?: unknown) => stepThroughNode(services, runId, node),
    // A node's context menu in a webview (package.json "webview/context"): VS Code passes the webview's context.
    'gat.nodeShowAttention': (context?: { webview?: unknown; node?: unknown }) => webviewNodeAction(services, 'showAttention', context),
    'gat.nodeStepThrough': (context?: { webview?: unknown; node?: unknown }) => webviewNodeAction(services, 'stepThrough', context),
    'gat.whatIfRemoveEdge': (context?: { node?: unknown }) => webviewRemoveEdge(services, context),
    'gat.nodeWhatIf': (context?: { node?: unknown }) => webviewGraphWhatIf(services, 'edit', context),
    'gat.nodeRemoveEdgeToSelected': (context?: { node?: unknown; selected?: unknown }) => webviewGraphWhatIf(services, 'removeEdge', context),
    'gat.showEntropy': (runId?: unknown) => showEntropy(services, runId),
    'gat.showEmbedding': (runId?: unknown) => showEmbedding(services, runId),
    // From the palette, a run in the Runs view (its id or its item) or the Faithfulness panel's Run button;
    // tests pass the choices the quick picks would ask for ({ nodes, gnnExplainer }).
    'gat.faithfulness': (runId?: unknown, choice?: unknown) => runFaithfulness(faithfulnessServices, runId, choice),
    'gat.showFaithfulness': (runId?: unknown) => showFaithfulness(services, runId),
    // From the Runs view: (clicked run, selected runs); from a link or a test: two run ids; else a pick.
    'gat.compareRuns': (first?: unknown, second?: unknown) => compareRuns(services, first, second),
    'gat.refreshRuns': () => runsTree.refresh(),
    'gat.openRunItem': (file: string) => openRunItem(context.extensionUri, file),
    'gat.revealRun': (arg: never) => revealRun(services, arg),
    'gat.deleteRun': (arg: never) => deleteRun(services, arg),
    'gat.resumeRun': (arg: never) => resumeRun(services, arg),
    'gat.copyTensorboardCommand': () => copyTensorboardCommand(services),
    'gat.trainSpec': (uri?: vscode.Uri) => trainSpec(services, uri),
    'gat.openLatestRun': (uri?: vscode.Uri) => openLatestRun(services, uri),
  };
  for (const [id, handler] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  return { training, runs: runsTree, datasets, runsDrop, panels, webviewBoundary };
}

/** Ends any training: each process saves a checkpoint on SIGTERM. */
export function deactivate(): void {
  controller?.dispose();
  controller = undefined;
}
