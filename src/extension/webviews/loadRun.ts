import type * as vscode from 'vscode';
import { AnalysisUnavailableError, type RunAnalyses } from '../../gat/analysis/runAnalyses';
import type { RunSnapshots } from '../../gat/analysis/runSnapshots';
import type { Analysis } from '../../gat/artifacts/analysis';
import type { RunRecord } from '../../gat/artifacts/runRecord';
import type { GraphDataset } from '../../gat/data/graph';
import { panelProvenance } from '../../gat/panels/provenance';
import type { AnalysisUnavailable } from '../../protocol/analysisSnapshots';
import type { Provenance } from '../../protocol/provenance';
import type { DatasetService } from '../core/datasetService';
import type { PanelArgs } from './panelArgs';
import type { PanelOpener } from './panelController';

/** What the panels of one run (attention, entropy, embedding, computation) need from the extension. */
export interface AnalysisPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly datasets: DatasetService;
  readonly analyses: RunAnalyses;
  /** The runs' training snapshots, for the panels' epoch timelines. */
  readonly snapshots: RunSnapshots;
  readonly outDir: () => string | undefined;
  /** The environment child processes of the CLI get (the back ends the extension installed). */
  readonly extraEnv?: () => NodeJS.ProcessEnv;
  /** Opens the other panels (the graph, a node's attention or computation). */
  readonly panels: PanelOpener<PanelArgs>;
}

/** A run with its analysis, its dataset and the panel header. */
export interface LoadedRun {
  readonly run: RunRecord;
  readonly analysis: Analysis;
  readonly graph: GraphDataset;
  readonly provenance: Provenance;
}

/** A run, its analysis, its dataset and the panel header, or why they cannot be shown. */
export async function loadRunForPanel(deps: Pick<AnalysisPanelDeps, 'analyses' | 'datasets' | 'outDir'>, runId: string): Promise<LoadedRun | AnalysisUnavailable> {
  try {
    const { run, analysis } = await deps.analyses.get(runId);
    const graph = await deps.datasets.get(run.dataset);
    return { run, analysis, graph, provenance: panelProvenance(graph, run, deps.outDir()) };
  } catch (err) {
    if (err instanceof AnalysisUnavailableError) return { type: 'analysisUnavailable', provenance: null, message: err.message };
    throw err;
  }
}
