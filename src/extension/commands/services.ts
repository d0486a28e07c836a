import type * as vscode from 'vscode';
import type { DatasetService } from '../core/datasetService';
import type { TrainingController } from '../training/trainingController';
import type { PanelArgs } from '../webviews/panelArgs';
import type { PanelController } from '../webviews/panelController';
import type { DatasetsTreeProvider } from '../trees/datasetsTree';
import type { RunsTreeProvider } from '../trees/runsTree';

/** What command handlers share; built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.OutputChannel;
  readonly datasets: DatasetService;
  readonly training: TrainingController;
  readonly runsTree: RunsTreeProvider;
  readonly datasetsTree: DatasetsTreeProvider;
  /** Opens, reveals and finds the webview panels. */
  readonly panels: PanelController<PanelArgs>;
  /** The output folder, or undefined (with a message shown) when there is none. */
  requireOutDir(): string | undefined;
}
