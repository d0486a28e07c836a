// Shared helpers for the extension-host suites: the extension's API, polling with a deadline,
// settings, a trained Cora run, webview tabs, node records' command links, and reading what a
// training wrote under the test workspace. Bundled into each *.test.js by buildSuite.mjs (this
// file is not a suite of its own).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatExtensionApi } from '../../../src/extension/extension';
import type { LiveTraining } from '../../../src/extension/training/trainingController';
import type { RunRecord } from '../../../src/gat/artifacts/runRecord';

export const EXTENSION_ID = 'gat-explorer.gat-explorer';

/** Activates the extension (idempotent) and returns what activate() returned. */
export async function gatApi(): Promise<GatExtensionApi> {
  const ext = vscode.extensions.getExtension<GatExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  const api = await ext.activate();
  assert.ok(api?.training && api.runs && api.datasets, 'activate() did not return the GAT API (training, runs, datasets)');
  return api;
}

/** The workspace folder the runner opened; the extension writes runs and models there. */
export function workspaceDir(): string {
  const dir = process.env.GAT_TEST_WORKSPACE;
  assert.ok(dir, 'GAT_TEST_WORKSPACE is not set: the runner passes it to VS Code');
  return dir;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Rejects after `ms` with a message naming what hung: no test waits forever on a training. */
export function withTimeout<T>(what: string, promise: Thenable<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/** `gat.quickTrainEpochs` in the workspace settings: the epoch cap of GAT: Train on Cora. */
export async function setQuickTrainEpochs(epochs: number): Promise<void> {
  await vscode.workspace.getConfiguration('gat').update('quickTrainEpochs', epochs, vscode.ConfigurationTarget.Workspace);
  assert.equal(vscode.workspace.getConfiguration('gat').get('quickTrainEpochs'), epochs);
}

/** Run folder names under <workspace>/runs, sorted. */
export function runFolders(): string[] {
  const dir = path.join(workspaceDir(), 'runs');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** run.json as written, without the reader's 'interrupted' inference. */
export function readRunJson(runDir: string): RunRecord {
  return JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
}

/**
 * Runs a training command (default `gat.trainCora`) without waiting for it, and waits until the
 * new training has reported `minEpochs` epochs. Returns the command's promise (it resolves when
 * the training ends) and the live state of this training (not an earlier one).
 */
export async function startTraining(api: GatExtensionApi, minEpochs: number, command = 'gat.trainCora', ...args: unknown[]): Promise<{ ended: Thenable<unknown>; live: LiveTraining }> {
  const before = api.training.latest;
  const ended = vscode.commands.executeCommand(command, ...args);
  const live = await waitFor(
    `the new training to report ${minEpochs} epochs`,
    () => {
      const l = api.training.latest;
      if (l === before || !l) return undefined;
      if (l.exit) throw new Error(`the training ended before ${minEpochs} epochs: ${JSON.stringify(l.exit)}`);
      return l.start && l.epochs.length >= minEpochs ? l : undefined;
    },
    30_000,
    50,
  );
  return { ended, live };
}

/**
 * The training process's pid as its run.json records it, checked to be a child of this extension
 * host: the tests signal it, and must never signal an unrelated process.
 */
export function trainingChildPid(runDir: string): number {
  const pid = readRunJson(runDir).process.pid;
  assert.ok(Number.isInteger(pid) && pid > 0, `run.json has no process.pid: ${pid}`);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  assert.equal(ppid, process.pid, `pid ${pid} from run.json is not a child of the extension host (${process.pid})`);
  return pid;
}

/**
 * GAT: Train on Cora for `epochs` epochs (the quick-train cap) to the end; returns the run id of the
 * completed run (fails when the training did not complete).
 */
export async function trainCoraRun(api: GatExtensionApi, epochs: number, timeoutMs = 90_000): Promise<string> {
  await setQuickTrainEpochs(epochs);
  await withTimeout('gat.trainCora', vscode.commands.executeCommand('gat.trainCora'), timeoutMs);
  const done = api.training.latest?.done;
  assert.ok(done && done.status === 'completed', `training did not complete: ${JSON.stringify(api.training.latest?.exit)}`);
  return done.runId;
}

/** Closes every editor after each test of the suite it is called in: each test starts from an empty workbench. */
export function closeEditorsAfterEach(): void {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}

/** The webview tab whose label matches, if open. */
export function webviewTab(label: RegExp): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && label.test(t.label));
}

/** The arguments of the `command:` link to `command` in a run's node record (fails when there is none). */
export async function recordCommandLinkArgs(runId: string, node: number, command: string): Promise<unknown> {
  const uri = vscode.Uri.parse(`gat-record:/cora/${node}.md?run=${encodeURIComponent(runId)}`);
  await vscode.workspace.openTextDocument(uri);
  const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
  const link = links.find((l) => l.target?.scheme === 'command' && l.target.path === command);
  assert.ok(link?.target, `no command link to ${command}`);
  return JSON.parse(decodeURIComponent(link.target.query)) as unknown;
}

type NotificationKind = 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage';

/** A notification shown: its message and the buttons it offered. */
export interface ShownNotification {
  readonly message: string;
  readonly items: readonly string[];
}

/**
 * Records the notifications shown while `body` runs: the test files load in the extension's own
 * folder, so they share the extension's `vscode` API object, and wrapping its window functions sees
 * every notification the extension shows (they are still shown).
 */
export async function notificationsDuring(body: () => Promise<unknown>): Promise<ShownNotification[]> {
  const window = vscode.window as unknown as Record<NotificationKind, (...args: unknown[]) => Thenable<unknown>>;
  const kinds: NotificationKind[] = ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'];
  const originals = kinds.map((k) => window[k]);
  const shown: ShownNotification[] = [];
  kinds.forEach((k, i) => {
    window[k] = (message: unknown, ...rest: unknown[]) => {
      shown.push({ message: String(message), items: rest.filter((r): r is string => typeof r === 'string') });
      return originals[i].call(vscode.window, message, ...rest);
    };
  });
  try {
    await body();
  } finally {
    kinds.forEach((k, i) => (window[k] = originals[i]));
  }
  return shown;
}
