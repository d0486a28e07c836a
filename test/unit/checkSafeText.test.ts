import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

function check(source: string): { status: number | null; out: string } {
  const root = path.join(tempDir('gat-safe-text-'), 'src');
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'panel.ts'), source);
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'checkSafeText.mjs'), '--root', root], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const SAFE = `
import * as vscode from 'vscode';
import { forMarkdown, forNotification, md, notice } from './safeText';
declare const file: string, error: string | undefined, stage: string;
void vscode.window.showErrorMessage(notice\`GAT: cannot read \${file}\`, 'Show Log');
void vscode.window.showInformationMessage('GAT: done.');
void vscode.window.showWarningMessage(error ? notice\`GAT: \${error}\` : 'GAT: no error', { modal: true });
const tip = new vscode.MarkdownString(md\`**\${file}**\` + (error ? md\`  \\nerror: \${error}\` : ''));
tip.appendMarkdown(forMarkdown(stage));
void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notice\`GAT: importing \${file}\` }, async (p) => p.report({ message: forNotification(stage) }));
`;

describe('checkSafeText (npm run lint): file-borne text reaches notifications and Markdown only made safe', () => {
  it('passes literals, notice`…`, md`…`, forNotification and forMarkdown, joined with + and ?:', () => {
    const r = check(SAFE);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /1 files: notifications, progress and Markdown take only safe text/);
  });

  it('fails on a raw template, a variable, a raw progress message, raw Markdown and isTrusted, naming each line', () => {
    const r = check(`
import * as vscode from 'vscode';
declare const file: string, message: string;
void vscode.window.showErrorMessage(\`GAT: cannot read \${file}\`);
void vscode.window.showWarningMessage(message);
void vscode.window.withProgress({ location: 1, title: 'ok' }, async (p) => p.report({ message }));
const tip = new vscode.MarkdownString(\`**\${file}**\`);
tip.isTrusted = true;
tip.appendMarkdown(message);
`);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /panel\.ts:4: showErrorMessage takes notice/);
    assert.match(r.out, /panel\.ts:5: showWarningMessage takes notice.*not `message`/);
    assert.match(r.out, /panel\.ts:6: a progress message takes notice/);
    assert.match(r.out, /panel\.ts:7: new MarkdownString takes md/);
    assert.match(r.out, /panel\.ts:8: isTrusted is never set/);
    assert.match(r.out, /panel\.ts:9: appendMarkdown takes md/);
    assert.match(r.out, /6 place\(s\) show text that is not made safe/);
  });

  it('the extension itself passes', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'checkSafeText.mjs')], { encoding: 'utf8', cwd: repoRoot });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
