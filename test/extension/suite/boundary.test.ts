// The editor boundary in the real workbench: a page's messages are untrusted (a foreign command and
// a path outside the runs do nothing, and the output says why), and text from files (a model's file
// name, a pickle's global, a run record's fields) reaches notifications and the Runs view's hover as
// text, never as a link that runs a command.
import * as assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import type { DegreePanel } from '../../../src/extension/webviews/degreePanel';
import { closeEditorsAfterEach, gatApi, notificationsDuring, readRunJson, trainCoraRun, waitFor, webviewTab, workspaceDir } from './support';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'pth', name);
/** VS Code's notification link syntax: `[label](command:…)`, `(file:…)`, `(https:…)`. */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
const COMMAND_LINK = '[Run](command:workbench.action.terminal.new)';

/** A copy of the hostile fixture whose refused global is named by a command link instead of posix.system. */
function pickleGlobalWithLink(dir: string): string {
  const files = unzipSync(readFileSync(fixture('hostile_os_system.pth')));
  const pkl = Object.keys(files).find((k) => k.endsWith('/data.pkl'))!;
  const text = Buffer.from(files[pkl]).toString('latin1');
  assert.ok(text.includes('cposix\nsystem\n'), 'the fixture names posix.system with GLOBAL');
  files[pkl] = Buffer.from(text.replace('cposix\nsystem\n', `c${COMMAND_LINK}\nsystem\n`), 'latin1');
  const file = path.join(dir, `hostile ${COMMAND_LINK}.pth`);
  writeFileSync(file, zipSync(files, { level: 0 }));
  return file;
}

describe('the editor boundary', function () {
  this.timeout(180_000);
  let api: GatExtensionApi;

  before(async () => {
    api = await gatApi();
  });

  closeEditorsAfterEach();

  it('a panel asking for a foreign command or a path outside the runs gets nothing, and the output says why', async () => {
    const degrees = (await vscode.commands.executeCommand('gat.showDegreePlots', 'cora')) as DegreePanel;
    await waitFor('the degree tab', () => webviewTab(/^Cora Degrees$/));
    const terminals = vscode.window.terminals.length;
    await degrees.receive({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    const outside = path.join(mkdtempSync(path.join(os.tmpdir(), 'gat-outside-')), 'secret.txt');
    writeFileSync(outside, 'not for a page to open\n');
    const shown = await notificationsDuring(async () => {
      await degrees.receive({ type: 'openFile', path: '/etc/passwd' });
      await degrees.receive({ type: 'openFile', path: outside });
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(vscode.window.terminals.length, terminals, 'a terminal was opened');
    const opened = vscode.window.visibleTextEditors.map((e) => e.document.uri.fsPath);
    assert.ok(!opened.includes('/etc/passwd') && !opened.includes(outside), `opened ${opened.join(', ')}`);
    assert.equal(shown.map((n) => n.message).filter((m) => /was not opened: it is outside the output folder and the workspace/.test(m)).length, 2, JSON.stringify(shown));
    const lines = api.webviewBoundary.lines.join('\n');
    assert.match(lines, /gat\.degrees panel: dropped a message: runCommand: 'command' must be one of "gat\.trainCora"/);
    assert.match(lines, /gat\.degrees panel: refused to open "\/etc\/passwd": it is outside the output folder and the workspace/);
  });

  it('a model whose file name and pickle carry a command link: the notifications show the text and hold no link', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-links-'));
    const hostile = pickleGlobalWithLink(dir);
    const real = path.join(dir, `cora ${COMMAND_LINK}.pth`);
    copyFileSync(fixture('gat_cora_checkpoint.pth'), real);
    const shown = (
      await notificationsDuring(async () => {
        assert.equal(await vscode.commands.executeCommand('gat.openModel', hostile), undefined, 'the hostile model was refused');
        assert.ok(await vscode.commands.executeCommand('gat.openModel', real), 'the real model was imported');
      })
    ).map((n) => n.message);
    const refusal = shown.find((m) => /could not open/.test(m));
    const success = shown.find((m) => /^GAT: opened /.test(m));
    assert.ok(refusal && success, `notifications: ${shown.join('\n')}`);
    assert.match(refusal, /refusing to load global/);
    assert.match(refusal, /\[Run\] \(command:workbench\.action\.terminal\.new\)/, 'the refused global is named, as text');
    for (const m of shown) assert.doesNotMatch(m, NOTIFICATION_LINK, m);
  });

  it("a run whose record carries Markdown, a link and an image: the Runs view's hover shows them as text", async () => {
    const runId = await trainCoraRun(api, 2);
    const runsDir = path.join(workspaceDir(), 'runs');
    const editedId = `${runId}-edited`;
    cpSync(path.join(runsDir, runId), path.join(runsDir, editedId), { recursive: true });
    const record = readRunJson(path.join(runsDir, editedId));
    const hostile = { ...record, runId: editedId, backend: `wasm ${COMMAND_LINK}`, error: '**bold** ![img](https://example.com/x.png) <img src=x>' };
    writeFileSync(path.join(runsDir, editedId, 'run.json'), JSON.stringify(hostile, null, 2));
    api.runs.refresh();
    const row = await waitFor('the edited run in the Runs view', async () => (await api.runs.getChildren()).find((n) => n.kind === 'run' && n.run.runId === editedId));
    const tooltip = api.runs.getTreeItem(row).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString, 'the hover is Markdown');
    assert.ok(!tooltip.isTrusted, 'the hover never runs commands');
    // Past the run id (in bold: our own Markdown), every link, image and HTML character is escaped.
    const fields = tooltip.value.split('  \n').slice(1).join('\n');
    assert.doesNotMatch(fields, /(^|[^\\])[[\]()<>!*]/, tooltip.value);
    assert.ok(tooltip.value.includes('\\[Run\\]\\(command\\:workbench.action.terminal.new\\)'), tooltip.value);
    assert.ok(tooltip.value.includes('\\!\\[img\\]\\(https\\://example.com/x.png\\)'), tooltip.value);
  });
});
