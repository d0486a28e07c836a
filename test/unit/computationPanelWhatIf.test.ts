import { vscodeStandIn } from '../helpers/vscodeStandIn';
/**
 * The Computation panel on the host, opened as the graph panel's what-if items open it (through the
 * real PanelController, the real panel class, its real explain process and a trained Cora run; only
 * VS Code's window and webview are stand-ins that record what is posted): the page gets its
 * snapshot, then the edge named in the graph removed, then the keyboard moved to the what-if
 * section; an open panel is reused the same way; an edge the graph does not have is refused in the
 * panel; and Edge importance is computed on request for the edits applied.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { RunAnalyses } from '../../src/gat/analysis/runAnalyses';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import { DatasetService } from '../../src/extension/core/datasetService';
import { ComputationPanel } from '../../src/extension/webviews/computationPanel';
import type { PanelArgs } from '../../src/extension/webviews/panelArgs';
import { PanelController, type PanelWindow } from '../../src/extension/webviews/panelController';
import { IMPORTANCE_METHODS } from '../../src/protocol/explanation';
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import type { WhatIfSnapshot } from '../../src/protocol/whatIf';
import { repoRoot } from '../helpers/paths';
import { trainCora, type TrainedRun } from '../helpers/trainedCora';

/** A webview panel whose page is ready at once and records every message posted to it. */
class RecordingWebviewPanel {
  title = '';
  active = true;
  readonly posted: HostToWebview[] = [];
  private readonly disposeListeners: Array<() => void> = [];
  readonly webview = {
    options: {},
    html: '',
    cspSource: 'vscode-resource:',
    asWebviewUri: (u: unknown) => u,
    onDidReceiveMessage: () => ({ dispose: () => undefined }),
    postMessage: async (m: HostToWebview): Promise<boolean> => {
      this.posted.push(m);
      return true;
    },
  };
  constructor(readonly viewType: string) {}
  reveal(): void {}
  onDidDispose(listener: () => void): { dispose(): void } {
    this.disposeListeners.push(listener);
    return { dispose: () => undefined };
  }
  dispose(): void {
    for (const l of this.disposeListeners.splice(0)) l();
  }
}

describe('Computation panel opened from the graph panel: what-if on the host (a trained Cora run)', () => {
  let trained: TrainedRun;
  let panels: PanelController<PanelArgs>;
  const created: RecordingWebviewPanel[] = [];
  let strongest: number;

  const types = (p: RecordingWebviewPanel): string[] => p.posted.map((m) => m.type);
  const whatIf = (m: HostToWebview | undefined): WhatIfSnapshot['whatIf'] => (m as WhatIfSnapshot).whatIf;
  async function until(what: string, probe: () => boolean): Promise<void> {
    for (const deadline = Date.now() + 30_000; !probe(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
  }

  before(async () => {
    trained = await trainCora(30, 'wasm');
    const base = await explainRunNode(trained.runDir, 1358);
    strongest = base.layers[1].perHead[0].neighbours.filter((n) => !n.isSelf).reduce((a, b) => (b.weight > a.weight ? b : a)).node;
    const window: PanelWindow = {
      createWebviewPanel: ((viewType: string) => {
        const p = new RecordingWebviewPanel(viewType);
        created.push(p);
        return p as unknown as vscode.WebviewPanel;
      }) as PanelWindow['createWebviewPanel'],
      registerWebviewPanelSerializer: () => ({ dispose: () => undefined }),
    };
    panels = new PanelController<PanelArgs>(window, { column: -1 as vscode.ViewColumn, options: {} });
    const extensionUri = vscodeStandIn.Uri.file(repoRoot) as unknown as vscode.Uri;
    const outDir = (): string => trained.out;
    panels.register(ComputationPanel.descriptor({ extensionUri, outDir, panels, datasets: new DatasetService(() => undefined, extensionUri), analyses: new RunAnalyses(outDir), snapshots: undefined as never }));
  });
  after(() => {
    for (const p of panels.panels('gat.computation')) (p as ComputationPanel).dispose();
  });

  it("Remove Edge to Selected Node: a new panel draws the node, then removes the edge, then moves the keyboard to its what-if section", async () => {
    const panel = panels.show('gat.computation', { runId: trained.runId, node: 1358, whatIf: { removeEdgeFrom: strongest } }) as ComputationPanel;
    const page = created.at(-1)!;
    assert.deepEqual(page.posted, [], 'nothing before the page is ready');
    await panel.receive({ type: 'ready' });
    assert.deepEqual(types(page), ['computationWhatIf', 'computationWhatIf', 'computationFocus']);
    assert.deepEqual(whatIf(page.posted[0]).edits, [], 'first the node as the run has it');
    assert.deepEqual(whatIf(page.posted[1]).edits, [{ kind: 'remove-edge', source: strongest, target: 1358 }]);
    assert.deepEqual(whatIf(page.posted[1]).message, { kind: 'info', text: `remove edge ${strongest} — 1358: recomputed` });
    assert.deepEqual(page.posted[2], { type: 'computationFocus', target: 'what-if' });
    assert.deepEqual(panel.explanation?.edits?.applied, [`remove edge ${strongest} — 1358`]);
  });

  it('Edit in Computation (What If)… on the open panel: reused, its edits kept, the keyboard moved there', async () => {
    const page = created.at(-1)!;
    const before = page.posted.length;
    const same = panels.show('gat.computation', { runId: trained.runId, node: 1358, whatIf: {} });
    assert.equal(created.length, 1, 'the open panel of the run, not a new one');
    assert.equal(same, panels.panels('gat.computation')[0]);
    await until('the focus message', () => page.posted.length >= before + 2);
    assert.deepEqual(types(page).slice(before), ['computationWhatIf', 'computationFocus']);
    assert.deepEqual(whatIf(page.posted[before]).edits, [{ kind: 'remove-edge', source: strongest, target: 1358 }], 'the same node keeps its edits');
  });

  it('Edge importance on request: every method, for the edits applied, from the same process', async () => {
    const panel = panels.panels('gat.computation')[0] as ComputationPanel;
    const page = created.at(-1)!;
    const pid = panel.whatIf.server?.pid;
    await panel.receive({ type: 'whatIfImportance' });
    const view = whatIf(page.posted.at(-1));
    assert.deepEqual(view.importance?.methods.map((m) => m.method), [...IMPORTANCE_METHODS]);
    assert.equal(view.importanceBusy, false);
    assert.ok(!view.importance!.units.some((u) => u.hop === 1 && (u.source === strongest || u.target === strongest)), 'computed without the removed edge');
    assert.equal(panel.whatIf.server?.pid, pid, 'no new process');
  });

  it('an edge the graph does not have is refused in the panel, in one line, and the keyboard still goes there', async () => {
    const page = created.at(-1)!;
    const before = page.posted.length;
    panels.show('gat.computation', { runId: trained.runId, node: 0, whatIf: { removeEdgeFrom: 1358 } });
    await until('the focus message', () => page.posted.at(-1)?.type === 'computationFocus');
    const answers = page.posted.slice(before, -1).map(whatIf);
    assert.deepEqual(answers.at(-1)!.message, { kind: 'error', text: 'remove edge 1358 — 0: there is no edge 1358 → 0 in cora' });
    assert.deepEqual(answers.at(-1)!.edits, [], 'another node starts with no edits, and the refused one is not added');
  });
});
