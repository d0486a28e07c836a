import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';

/** Where Install GPU Back End puts native TensorFlow.js; the training process looks there too. */
export function backendInstallDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'backends');
}

/** Environment for the training process: native back ends installed on demand are found via NODE_PATH. */
export function trainingEnv(context: vscode.ExtensionContext): NodeJS.ProcessEnv {
  const modules = path.join(backendInstallDir(context), 'node_modules');
  return { NODE_PATH: [modules, process.env.NODE_PATH].filter(Boolean).join(path.delimiter) };
}

/** Show Back End Info: asks the CLI (in a child process, never loading TensorFlow.js here). */
export async function showBackendInfo(services: Services): Promise<void> {
  const cli = path.join(services.context.extensionUri.fsPath, 'dist', 'cli.js');
  const text = await new Promise<string>((resolve) => {
    execFile(process.execPath, [cli, 'backends'], { env: { ...process.env, ...trainingEnv(services.context), ELECTRON_RUN_AS_NODE: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve(err && !stdout ? `Could not query the back ends: ${stderr || err.message}` : stdout);
    });
  });
  const last = services.training.latest?.start?.backend ?? services.runsTree.current[0]?.backend;
  const content = `# GAT back ends\n\n${text}\n\nLast run used: **${last ?? 'no run yet'}**\n\nNative back ends installed with **GAT: Install GPU Back End** live in \`${backendInstallDir(services.context)}\`.\n`;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: true });
}

/** Install GPU Back End: npm-installs tfjs-node-gpu (or tfjs-node) into the extension's storage. */
export async function installGpuBackend(services: Services): Promise<void> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '@tensorflow/tfjs-node-gpu', description: 'NVIDIA GPU: needs CUDA 11.2 and cuDNN 8.1 (libtensorflow 2.9)' },
      { label: '@tensorflow/tfjs-node', description: 'native CPU (libtensorflow)' },
    ],
    { title: 'GAT: Install GPU Back End' },
  );
  if (!pick) return;
  const dir = backendInstallDir(services.context);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GAT: installing ${pick.label}`, cancellable: true }, (_progress, token) =>
    new Promise<void>((resolve) => {
      services.log.appendLine(`$ npm install --prefix ${dir} ${pick.label}@4.22.0`);
      const child = execFile(npm, ['install', '--no-audit', '--no-fund', '--prefix', dir, `${pick.label}@4.22.0`], { timeout: 15 * 60_000 }, (err, stdout, stderr) => {
        services.log.append(stdout + stderr);
        if (err) {
          void vscode.window.showErrorMessage(`GAT: installing ${pick.label} failed (it downloads libtensorflow, so it needs internet access). See the GAT log.`, 'Show Log').then((c) => c && services.log.show(true));
        } else {
          void vscode.window.showInformationMessage(`GAT: ${pick.label} installed. Training now prefers it when the back end is auto.`);
        }
        resolve();
      });
      token.onCancellationRequested(() => child.kill());
    }),
  );
}
