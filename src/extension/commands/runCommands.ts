import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isPthFile } from '../../gat/import/importModel';
import { cliFailure, runCli } from '../cli/runCli';
import { decodeSafetensors } from '../../gat/artifacts/safetensors';
import type { RunRecord } from '../../gat/artifacts/runRecord';
import { runPaths } from '../../gat/artifacts/runPaths';
import type { Services } from './services';
import { resumeFromCheckpoint } from './trainingCommands';
import { md, mdCode, notice } from '../../gat/io/safeText';

/** Tree context commands receive the clicked node; palette calls may pass a run id. */
type RunArg = { run?: RunRecord } | string | undefined;

function runFrom(services: Services, arg: RunArg): RunRecord | undefined {
  if (typeof arg === 'string') return services.runsTree.findRun(arg);
  return arg?.run;
}

/** Opens a run's file: text as text, safetensors as a readable summary, folders in the OS. */
export async function openRunItem(extensionUri: vscode.Uri, file: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) {
    void vscode.window.showWarningMessage(notice`GAT: ${file} no longer exists. Refresh the Runs view, or regenerate it (npx gat analyze).`);
    return;
  }
  if (stat.isDirectory()) {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
    return;
  }
  if (file.endsWith('.safetensors')) {
    const decoded = decodeSafetensors(await fs.readFile(file));
    // Tensor names and metadata are the file's own text: code spans and escaped text (safeText), never markup.
    const lines = [md`# ${mdCode(path.basename(file))}`, '', md`${mdCode(file)}`, '', '## Tensors', '', ...decoded.tensors.map((t) => md`- ${mdCode(t.name)} ${t.data instanceof Int32Array ? 'I32' : t.data instanceof Uint16Array ? 'F16' : 'F32'} [${t.shape.join(', ')}]`), '', '## Metadata', ''];
    for (const [k, v] of Object.entries(decoded.metadata)) lines.push(md`- **${k}**: ${v.length > 400 ? `${v.slice(0, 400)}…` : v}`);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') + '\n' });
    await vscode.window.showTextDocument(doc, { preview: true });
    return;
  }
  if (isPthFile(file)) {
    // A model imported from PyTorch: what it holds, read as data by the CLI in a child process.
    const r = await runCli(extensionUri, ['inspect', '--model', file]);
    const content = r.code === 0 ? r.stdout : md`# ${mdCode(path.basename(file))}\n\nGAT Explorer cannot read it: ${cliFailure(r)}\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { preview: true });
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
}

export async function revealRun(services: Services, arg: RunArg): Promise<void> {
  const run = runFrom(services, arg);
  const out = services.requireOutDir();
  if (run && out) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(out, 'runs', run.runId, 'run.json')));
}

export async function deleteRun(services: Services, arg: RunArg): Promise<void> {
  const run = runFrom(services, arg);
  const out = services.requireOutDir();
  if (!run || !out) return;
  if (run.status === 'running') {
    void vscode.window.showWarningMessage('GAT: this run is still training; cancel it before deleting it.');
    return;
  }
  const choice = await vscode.window.showWarningMessage(notice`Delete run ${run.runId}?`, { modal: true, detail: 'Its run folder, checkpoints, final model and analysis are deleted from disk.' }, 'Delete');
  if (choice !== 'Delete') return;
  const p = runPaths(out, run.runId, run.dataset);
  await fs.rm(p.runDir, { recursive: true, force: true });
  await fs.rm(p.checkpointDir, { recursive: true, force: true });
  if (run.artifacts.binary) await fs.rm(path.join(out, run.artifacts.binary), { force: true });
  services.runsTree.refresh();
}

export async function resumeRun(services: Services, arg: RunArg): Promise<void> {
  const run = runFrom(services, arg);
  const out = services.requireOutDir();
  if (!run || !out) return;
  if (!run.artifacts.lastCheckpoint) {
    void vscode.window.showWarningMessage(notice`GAT: run ${run.runId} has no checkpoint to resume from.`);
    return;
  }
  await resumeFromCheckpoint(services, path.join(out, run.artifacts.lastCheckpoint));
}

export async function copyTensorboardCommand(services: Services): Promise<void> {
  const out = services.requireOutDir();
  if (!out) return;
  const command = `tensorboard --logdir "${path.join(out, 'runs')}"`;
  await vscode.env.clipboard.writeText(command);
  void vscode.window.showInformationMessage(notice`GAT: copied \`${command}\``);
}

/** CodeLens "Open Latest Run": the newest run whose spec is this file. */
export async function openLatestRun(services: Services, uri?: vscode.Uri): Promise<void> {
  const spec = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!spec) return;
  await services.runsTree.getChildren();
  const run = services.runsTree.current.find((r) => r.spec && path.resolve(r.spec.path) === path.resolve(spec.fsPath));
  if (!run) {
    void vscode.window.showInformationMessage(notice`GAT: no run was trained from ${path.basename(spec.fsPath)} yet.`);
    return;
  }
  await vscode.commands.executeCommand('gat.showTrainingMetrics', run.runId);
}
