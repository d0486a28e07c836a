import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComputationPanelState, ExplainSources, ExplainStep, NodeExplanation } from '../../protocol/explanation';
import { nonNegInt, savedFields, str, type SavedShape } from '../../protocol/fieldSchema';
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import type { WhatIfSnapshot } from '../../protocol/whatIf';
import type { AnalysisPanelDeps, LoadedRun } from './loadRun';
import type { PanelArgs, PanelKind } from './panelArgs';
import { RunPanel } from './runPanel';
import { WhatIfSession } from './whatIfSession';
import { notice } from '../../gat/io/safeText';

/**
 * The Computation panel: one node's forward pass with the run's parameters, step by step, each step
 * linked to the code that computes it, and what-if edits of the node's edges and features with all
 * of it recomputed. The numbers come from `gat explain-server`, a child process kept while the panel
 * is open (the reference forward pass of the training core; never computed here or in the webview).
 */
export class ComputationPanel extends RunPanel {
  /** The explanation posted last (tests read it). */
  explanation: NodeExplanation | undefined;

  /** How the controller opens, reuses and restores Computation panels: one per run. */
  static descriptor(deps: AnalysisPanelDeps): PanelKind<'gat.computation', ComputationPanel> {
    return {
      viewType: 'gat.computation',
      key: (a) => a.runId,
      title: titleFor,
      create: (panel, a) => new ComputationPanel(panel, deps, a),
      reuse: (panel, a) => panel.show(a.node, a.whatIf),
      revive: (state) => savedFields(SAVED, state),
    };
  }

  /** The what-if edits of the node shown, and the explain process that computes them. */
  readonly whatIf: WhatIfSession;
  /** Asked for from the graph panel: the what-if section gets the keyboard once drawn (an edge removed first). */
  private askedWhatIf: ComputationArgs['whatIf'];

  private constructor(panel: vscode.WebviewPanel, deps: AnalysisPanelDeps, args: ComputationArgs) {
    super(panel, deps, args.runId, 'computation', titleFor(args));
    this.askedWhatIf = args.whatIf;
    this.whatIf = new WhatIfSession({
      node: args.node,
      server: () => {
        const out = this.deps.outDir();
        if (!out) return 'No output folder: open a folder or set gat.outputFolder.';
        return { cli: path.join(this.deps.extensionUri.fsPath, 'dist', 'cli.js'), runDir: path.join(out, 'runs', this.runId), cwd: out, env: this.deps.extraEnv?.() };
      },
      post: (snapshot) => this.postWhatIf(snapshot),
      sources: () => this.sources(),
      confirmReplace: async (name) => (await vscode.window.showWarningMessage(notice`GAT: a scenario '${name}' is already saved for this run. Replace it?`, { modal: true }, 'Replace')) === 'Replace',
      retitle: (node) => (this.panel.title = titleFor({ runId: this.runId, node })),
    });
  }

  /** Another node of the run, in place (its what-if edits start empty unless it is the node shown). */
  show(node: number, whatIf?: ComputationArgs['whatIf']): void {
    this.askedWhatIf = whatIf;
    this.whatIf.showNode(node);
    this.panel.title = titleFor({ runId: this.runId, node });
    void this.refresh();
  }

  /** After the snapshot is posted: what the graph panel asked for (the edge removed, the keyboard on the what-if section). */
  override async refresh(): Promise<void> {
    await super.refresh();
    if (!this.isReady) return; // asked again once the page is ready
    const asked = this.askedWhatIf;
    this.askedWhatIf = undefined;
    if (!asked || this.lastSnapshot?.type !== 'computationWhatIf') return;
    if (asked.removeEdgeFrom !== undefined) await this.whatIf.edit({ kind: 'remove-edge', node: asked.removeEdgeFrom });
    await this.post({ type: 'computationFocus', target: 'what-if' });
  }

  protected async runSnapshot({ provenance, graph }: LoadedRun): Promise<HostToWebview> {
    const snapshot = await this.whatIf.snapshot({ runId: this.runId, provenance, graph });
    if (snapshot.type === 'computationWhatIf') this.explanation = snapshot.explanation;
    return snapshot;
  }

  /** A what-if answer, posted as the page's new complete snapshot. */
  private async postWhatIf(snapshot: WhatIfSnapshot): Promise<void> {
    if (!this.isReady) return;
    this.explanation = snapshot.explanation;
    if (await this.post(snapshot)) {
      this.lastSnapshot = snapshot;
      this.snapshotsPosted++;
    }
  }

  /** Where each step's code is: resolved when the package was built, so read once per session. */
  private sources(): ExplainSources {
    explainSources ??= readExplainSources(this.deps.extensionUri);
    return explainSources;
  }

  /**
   * Opens a step's code at its line: the repository's file in a development checkout, else the
   * copy the package ships, as a read-only `gat-source:` document (a file there would be checked by
   * the TypeScript server against modules the package does not ship, and show false errors).
   */
  async openSource(step: ExplainStep): Promise<vscode.TextEditor | undefined> {
    const at = this.sources()[step];
    if (!at) return undefined;
    const root = this.deps.extensionUri.fsPath;
    const line = Math.max(0, at.line - 1);
    const options = { selection: new vscode.Range(line, 0, line, 0), preview: true, viewColumn: vscode.ViewColumn.Beside };
    if (existsSync(path.join(root, at.file))) return vscode.window.showTextDocument(vscode.Uri.file(path.join(root, at.file)), options);
    if (!existsSync(path.join(root, 'dist', 'source', at.file))) {
      void vscode.window.showWarningMessage(notice`GAT: the source of step '${step}' (${at.file}) is not in this installation.`);
      return undefined;
    }
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SOURCE_SCHEME, path: `/${at.file}` })), 'typescript');
    return vscode.window.showTextDocument(doc, options);
  }

  protected override async onMessage(message: WebviewToHost): Promise<boolean> {
    switch (message.type) {
      case 'openSource':
        await this.openSource(message.step);
        return true;
      case 'explainNeighbour': {
        const explained = await this.whatIf.explainNeighbour(message.node);
        if (typeof explained === 'string') void vscode.window.showWarningMessage(notice`GAT: ${explained}`);
        else await this.post({ type: 'computationNeighbour', explanation: explained });
        return true;
      }
      case 'whatIfEdit':
        await this.whatIf.edit(message.edit);
        return true;
      case 'whatIfUndo':
        await this.whatIf.undo(message.index);
        return true;
      case 'whatIfReset':
        await this.whatIf.reset();
        return true;
      case 'whatIfImportance':
        await this.whatIf.computeImportance();
        return true;
      case 'saveScenario':
        await this.whatIf.save(message.name);
        return true;
      case 'openScenario':
        await this.whatIf.open(message.name);
        return true;
      default:
        return false;
    }
  }

  protected override onDispose(): void {
    this.whatIf.dispose();
  }
}

/** What a reload restores from the page's saved state (the layer and head shown are the page's own). */
const SAVED = { runId: str(), node: nonNegInt } satisfies SavedShape<ComputationPanelState>;

/** The packaged copies of the linked sources (dist/source), served read-only. */
export const SOURCE_SCHEME = 'gat-source';

export function registerSourceProvider(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(SOURCE_SCHEME, {
    provideTextDocumentContent(uri: vscode.Uri): string {
      // Only files under dist/source, named as the build wrote them (no '..').
      const rel = uri.path.replace(/^\/+/, '');
      if (!/^src\/gat\/[\w/]+\.ts$/.test(rel)) return `// ${rel} is not a source GAT Explorer links to\n`;
      return readFileSync(path.join(extensionUri.fsPath, 'dist', 'source', rel), 'utf8');
    },
  });
}

let explainSources: ExplainSources | undefined;

function readExplainSources(extensionUri: vscode.Uri): ExplainSources {
  try {
    return JSON.parse(readFileSync(path.join(extensionUri.fsPath, 'dist', 'explainSources.json'), 'utf8')) as ExplainSources;
  } catch {
    return {}; // a build without it: the steps show no code links
  }
}

type ComputationArgs = PanelArgs['gat.computation'];

function titleFor({ runId, node }: Pick<ComputationArgs, 'runId' | 'node'>): string {
  return `GAT Computation: node ${node} (${runId})`;
}
