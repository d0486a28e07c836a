// Keeps file-borne text off the paths where it could act (src/gat/io/safeText.ts): a notification
// message, a progress title or message, and Markdown (MarkdownString, appendMarkdown) take only
// literals, that module's templates (notice`…`, md`…`) or its functions (forNotification,
// forMarkdown), joined with + or ?:. Nothing sets isTrusted, and nothing appends Markdown to a
// trusted string. Usage: node scripts/checkSafeText.mjs [--root DIR] — exits 0, or 1 with one line
// per violation (file:line: what).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { tsFiles } from './checkLayers.mjs';

const NOTIFICATIONS = new Set(['showErrorMessage', 'showWarningMessage', 'showInformationMessage']);

/** Whether `node` is text made safe for `kind` ('notice' or 'md'), or a literal. */
function isSafe(node, kind) {
  if (ts.isParenthesizedExpression(node)) return isSafe(node.expression, kind);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (ts.isTaggedTemplateExpression(node)) return ts.isIdentifier(node.tag) && node.tag.text === kind;
  if (ts.isCallExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === (kind === 'md' ? 'forMarkdown' : 'forNotification');
  if (ts.isConditionalExpression(node)) return isSafe(node.whenTrue, kind) && isSafe(node.whenFalse, kind);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return isSafe(node.left, kind) && isSafe(node.right, kind);
  return false;
}

const calleeName = (call) => (ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : '');

/** An object literal's property `name`, when written out. */
function property(obj, name) {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return undefined;
  const p = obj.properties.find((q) => (ts.isPropertyAssignment(q) || ts.isShorthandPropertyAssignment(q)) && ts.isIdentifier(q.name) && q.name.text === name);
  // `{ message }` is the variable `message`: not safe by itself.
  return p && ts.isShorthandPropertyAssignment(p) ? p.name : p?.initializer;
}

/** Violations in one source text, as `line: what`. */
export function checkSource(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const report = (node, what) => found.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  const requireSafe = (node, kind, where) => {
    if (node && !isSafe(node, kind)) report(node, `${where} takes ${kind === 'md' ? 'md`…` or forMarkdown()' : 'notice`…` or forNotification()'}, not \`${node.getText().slice(0, 60)}\``);
  };
  const visit = (node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (NOTIFICATIONS.has(name)) requireSafe(node.arguments[0], 'notice', name);
      if (name === 'appendMarkdown') requireSafe(node.arguments[0], 'md', name);
      if (name === 'withProgress') requireSafe(property(node.arguments[0], 'title'), 'notice', 'a progress title');
      if (name === 'report') requireSafe(property(node.arguments[0], 'message'), 'notice', 'a progress message');
    }
    if (ts.isNewExpression(node) && /(^|\.)MarkdownString$/.test(node.expression.getText())) requireSafe(node.arguments?.[0], 'md', 'new MarkdownString');
    if (ts.isIdentifier(node) && node.text === 'isTrusted' && (ts.isPropertyAccessExpression(node.parent) || ts.isPropertyAssignment(node.parent))) report(node, 'isTrusted is never set: file-borne Markdown must not run commands');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function main(argv) {
  const at = argv.indexOf('--root');
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const root = path.resolve(at >= 0 ? argv[at + 1] : path.join(repo, 'src', 'extension'));
  const files = tsFiles(root);
  const violations = files.flatMap((file) => checkSource(file, readFileSync(file, 'utf8')).map((v) => `${path.relative(process.cwd(), file)}:${v}`));
  for (const v of violations) console.log(v);
  console.log(violations.length ? `${violations.length} place(s) show text that is not made safe (src/gat/io/safeText.ts)` : `${files.length} files: notifications, progress and Markdown take only safe text`);
  return violations.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
