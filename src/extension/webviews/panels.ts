import * as vscode from 'vscode';
import { AttentionPanel } from './attentionPanel';
import { ComparePanel, type CompareDeps } from './comparePanel';
import { ComputationPanel } from './computationPanel';
import { DegreePanel } from './degreePanel';
import { EmbeddingPanel } from './embeddingPanel';
import { EntropyPanel } from './entropyPanel';
import { FaithfulnessPanel, type FaithfulnessDeps } from './faithfulnessPanel';
import { GraphPanel, type DataPanelDeps } from './graphPanel';
import type { AnalysisPanelDeps } from './loadRun';
import { MetricsPanel, type MetricsDeps } from './metricsPanel';
import type { PanelArgs } from './panelArgs';
import { PanelController } from './panelController';
import { webviewOptions } from './webviewHtml';

/** What every panel needs from the extension, less the controller they open each other through. */
export type PanelDeps = Omit<AnalysisPanelDeps & DataPanelDeps & CompareDeps & MetricsDeps & FaithfulnessDeps, 'panels'>;

/** The controller with every kind of panel registered (the list package.json's `onWebviewPanel:*` events match). */
export function createPanels(deps: PanelDeps): PanelController<PanelArgs> {
  const panels = new PanelController<PanelArgs>(vscode.window, { column: vscode.ViewColumn.Active, options: webviewOptions(deps.extensionUri) });
  const withPanels = { ...deps, panels };
  panels.register(MetricsPanel.descriptor(withPanels));
  panels.register(GraphPanel.descriptor(withPanels));
  panels.register(DegreePanel.descriptor(withPanels));
  panels.register(AttentionPanel.descriptor(withPanels));
  panels.register(EntropyPanel.descriptor(withPanels));
  panels.register(EmbeddingPanel.descriptor(withPanels));
  panels.register(ComparePanel.descriptor(withPanels));
  panels.register(ComputationPanel.descriptor(withPanels));
  panels.register(FaithfulnessPanel.descriptor(withPanels));
  return panels;
}
