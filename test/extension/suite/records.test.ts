// Node records (`gat-record:` documents) through VS Code's own APIs: content, document links to
// the neighbours' records, hovers, a trained run's prediction and attention, GAT: Open Node
// Record, and unknown node ids as errors rather than empty editors.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import { closeEditorsAfterEach, gatApi, setQuickTrainEpochs, startTraining, trainCoraRun, waitFor, withTimeout } from './support';

const HUB = 1358; // Cora's largest hub: 168 neighbours
const HUB_URI = vscode.Uri.parse(`gat-record:/cora/${HUB}.md`);
const NEIGHBOUR_LINE = /^- node (\d+) · /;

function neighbourIds(text: string): number[] {
  const section = text.slice(text.indexOf('## Neighbours'), text.indexOf('## Features'));
  return section
    .split('\n')
    .map((line) => NEIGHBOUR_LINE.exec(line)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

describe('node records', function () {
  this.timeout(60_000);
  let api: GatExtensionApi;
  let className: string;

  before(async () => {
    api = await gatApi();
    const cora = await api.datasets.get('cora');
    className = cora.classNames[cora.labels[HUB]];
  });

  closeEditorsAfterEach();

  it(`shows node ${HUB}'s class, degree 168 and its 168 neighbours`, async () => {
    const doc = await vscode.workspace.openTextDocument(HUB_URI);
    const text = doc.getText();
    assert.match(text, new RegExp(`^# node ${HUB} · cora`));
    assert.ok(text.includes(`- class: ${className} (`), `no class line for ${className}:\n${text.slice(0, 400)}`);
    assert.match(text, /- degree: 168 \(169 with its self-loop\)/);
    assert.match(text, /## Neighbours \(168\)/);
    const ids = neighbourIds(text);
    assert.equal(ids.length, 168);
    assert.equal(new Set(ids).size, 168, 'a neighbour is listed twice');
  });

  it('links every neighbour to its own record, and the linked record opens', async () => {
    const doc = await vscode.workspace.openTextDocument(HUB_URI);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', HUB_URI);
    const targets = new Map<string, vscode.DocumentLink>();
    for (const link of links) if (link.target?.scheme === 'gat-record') targets.set(link.target.path, link);
    for (const id of neighbourIds(doc.getText())) {
      const link = targets.get(`/cora/${id}.md`);
      assert.ok(link, `no link to gat-record:/cora/${id}.md`);
      assert.equal(doc.getText(link.range), String(id), 'the link does not cover the node id');
    }

    const first = neighbourIds(doc.getText())[0];
    const followed = await vscode.workspace.openTextDocument(targets.get(`/cora/${first}.md`)!.target!);
    assert.match(followed.getText(), new RegExp(`^# node ${first} · cora\\n`));
  });

  it('hovering `node N` shows the node summary', async () => {
    const doc = await vscode.workspace.openTextDocument(HUB_URI);
    const first = neighbourIds(doc.getText())[0];
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith(`- node ${first} · `));
    const position = new vscode.Position(line, '- node '.length + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', HUB_URI, position);
    const cora = await api.datasets.get('cora');
    // The hover is Markdown with the dataset's text escaped (Neural\_Networks): read it as rendered.
    const rendered = hoverText(hovers).replace(/\\(.)/g, '$1');
    assert.match(rendered, new RegExp(`node ${first} · ${cora.classNames[cora.labels[first]]} · \\w+ · degree \\d+`));

    const plain = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', HUB_URI, new vscode.Position(2, 3));
    assert.doesNotMatch(hoverText(plain), /· degree \d+/, 'a hover outside a `node N` reference');
  });

  it("shows a trained run's prediction and attention with ?run=<runId>", async () => {
    const runId = await trainCoraRun(api, 15, 60_000);

    const uri = vscode.Uri.parse(`gat-record:/cora/${HUB}.md?run=${encodeURIComponent(runId)}`);
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.ok(text.includes(`## Prediction (run ${runId})`), `no prediction section:\n${text.slice(0, 600)}`);
    assert.match(text, /- predicted: \w[\w ]*\w \(\d\), confidence \d+\.\d%, (correct|wrong)/);
    assert.match(text, /### Attention given, layer 1 \(8 heads; uniform = 0\.0059\)/);
    assert.match(text, new RegExp(`- node ${HUB} \\(self\\): `));

    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    assert.ok(
      links.some((l) => l.target?.query === `run=${encodeURIComponent(runId)}`),
      'links from a run record should keep the run',
    );
  });

  it('records of a run asked about while it trains show its predictions once it has completed', async () => {
    await setQuickTrainEpochs(200); // a few seconds: long enough to ask during the training
    const { ended, live } = await startTraining(api, 1);
    const runId = live.start!.runId;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(`gat-record:/cora/5.md?run=${encodeURIComponent(runId)}`));
    assert.equal(live.exit, undefined, 'the training ended before the record was read: raise the epochs');
    assert.ok(!doc.getText().includes('## Prediction'), 'a prediction before the run has its analysis');
    const open = await vscode.window.showTextDocument(doc); // an editor keeps the document open

    await withTimeout('the 200-epoch training', ended, 60_000);
    assert.equal(live.done?.status, 'completed');
    // A record of the run opened now has the prediction…
    const after = (await vscode.workspace.openTextDocument(vscode.Uri.parse(`gat-record:/cora/6.md?run=${encodeURIComponent(runId)}`))).getText();
    assert.ok(after.includes(`## Prediction (run ${runId})`), `no prediction after the run completed:\n${after.slice(0, 300)}`);
    // …and so does the one open since the training (the provider tells VS Code its content changed).
    await waitFor('the open record to show the prediction', () => open.document.getText().includes(`## Prediction (run ${runId})`), 10_000);
  });

  it('GAT: Open Node Record opens the record in an editor', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('gat.openNodeRecord', 'cora', HUB);
    assert.ok(editor, 'the command returned no editor');
    assert.equal(editor.document.uri.toString(), HUB_URI.toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), HUB_URI.toString());
    assert.match(editor.document.getText(), new RegExp(`^# node ${HUB} · cora`));
  });

  for (const bad of ['99999', '2708', '-1', 'abc', '1.5']) {
    it(`node id '${bad}' is an error naming the valid range, not an empty document`, async () => {
      await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(vscode.Uri.parse(`gat-record:/cora/${bad}.md`))), (err: Error) => {
        assert.match(err.message, /node ids are integers from 0 to 2707/);
        return true;
      });
    });
  }

  it('an unknown dataset is an error naming the known ones', async () => {
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(vscode.Uri.parse('gat-record:/nosuchset/1.md'))), (err: Error) => {
      assert.match(err.message, /unknown dataset 'nosuchset'.*Known datasets: .*cora/s);
      return true;
    });
  });

  it('GAT: Open Node Record with an unknown id opens nothing and does not throw', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('gat.openNodeRecord', 'cora', '99999');
    assert.equal(editor, undefined);
    const active = vscode.window.activeTextEditor?.document.uri;
    assert.ok(!active || active.scheme !== 'gat-record', `an editor opened: ${active?.toString()}`);
    assert.ok(
      vscode.workspace.textDocuments.every((d) => !d.uri.path.includes('99999')),
      'a document for node 99999 was opened',
    );
  });
});
