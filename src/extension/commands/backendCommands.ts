import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { availableParallelism } from 'node:os';
import { describeRoute } from '../../protocol/computeRoute';
import { runCli } from '../cli/runCli';
import { readSettings } from '../core/config';
import type { Services } from './services';
import { notice } from '../../gat/io/safeText';

/** Where Install GPU Back End puts native TensorFlow.js; the training process looks there too. */
export function backendInstallDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'backends');
}

/** Environment for the training process: native back ends installed on demand are found via NODE_PATH. */
export function trainingEnv(context: vscode.ExtensionContext): NodeJS.ProcessEnv {
  const modules = path.join(backendInstallDir(context), 'node_modules');
  return { NODE_PATH: [modules, process.env.NODE_PATH].filter(Boolean).join(path.delimiter) };
}

/** The read-only document Show Back End Info opens (a virtual document: closing it never asks to save). */
export const BACKEND_INFO_URI = vscode.Uri.from({ scheme: 'gat-info', path: '/GAT Back Ends.md' });

/**
 * The back-end report, asked of the CLI in a child process (never loading TensorFlow.js or Dawn on
 * the extension host), served as the read-only gat-info: document.
 */
export class BackendInfoProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: () => Services) {}

  async provideTextDocumentContent(): Promise<string> {
    const services = this.services();
    const r = await runCli(services.context.extensionUri, ['backends'], { env: trainingEnv(services.context), timeoutMs: 60_000 });
    const text = r.code !== 0 && !r.stdout ? `Could not query the back ends: ${r.stderr || `exit code ${r.code}`}` : r.stdout;
    const started = services.training.latest?.start;
    const recorded = services.runsTree.current[0];
    const last = started?.backend ?? recorded?.backend;
    const route = started ? started.compute : recorded?.provenance?.compute;
    const threads = readSettings().threads;
    const setting = `Training threads (\`gat.threads\`): **${threads > 0 ? threads : `every core (${availableParallelism()} here)`}**`;
    const lastRun = last ? `**${last}**${route ? `: ${describeRoute(route)}` : ''}` : 'no run yet';
    return `# GAT back ends\n\nIn the order \`auto\` tries them (\`webgpu\` only on a hardware adapter):\n\n${text}\n${setting}\n\nLast run used: ${lastRun}\n\nBack ends installed with **GAT: Install GPU Back End** live in \`${backendInstallDir(services.context)}\`.\n`;
  }

  /** Asks the CLI again the next time the document is shown. */
  refresh(): void {
    this.changed.fire(BACKEND_INFO_URI);
  }
}

export async function showBackendInfo(provider: BackendInfoProvider): Promise<void> {
  provider.refresh();
  const doc = await vscode.workspace.openTextDocument(BACKEND_INFO_URI);
  await vscode.window.showTextDocument(doc, { preview: true });
}

interface BackendPackage {
  readonly label: string;
  readonly spec: string;
  readonly description: string;
  readonly detail: string;
}

/** What Install GPU Back End offers, the WebGPU route first: it works on any recent GPU with no CUDA. */
const BACKEND_PACKAGES: readonly BackendPackage[] = [
  { label: 'webgpu', spec: 'webgpu@0.6.2', description: 'any recent GPU through Dawn: Vulkan, Metal or D3D12 — no CUDA', detail: 'About 21 MB once the other platforms\' binaries are removed; nothing else is downloaded.' },
  { label: '@tensorflow/tfjs-node-gpu', spec: '@tensorflow/tfjs-node-gpu@4.22.0', description: 'NVIDIA only: needs CUDA 11.2 and cuDNN 8.1 (libtensorflow 2.9)', detail: 'Its install downloads libtensorflow from Google storage (internet needed).' },
  { label: '@tensorflow/tfjs-node', spec: '@tensorflow/tfjs-node@4.22.0', description: 'native CPU (libtensorflow)', detail: 'Its install downloads libtensorflow from Google storage (internet needed).' },
];
const FROM_FILE = 'From a local .tgz file…';

/**
 * Install GPU Back End: npm-installs a back end into the extension's storage, from the registry or,
 * for offline machines, from a package file (`npm pack webgpu@0.6.2` elsewhere). The training process
 * finds it there through NODE_PATH.
 */
export async function installGpuBackend(services: Services, backendInfo?: BackendInfoProvider): Promise<void> {
  const pick = await vscode.window.showQuickPick([...BACKEND_PACKAGES, { label: FROM_FILE, description: 'an npm package file of one of the above (offline machines)', detail: '', spec: '' }], { title: 'GAT: Install GPU Back End', matchOnDescription: true });
  if (!pick) return;
  let spec = pick.spec;
  if (pick.label === FROM_FILE) {
    const file = await vscode.window.showOpenDialog({ title: 'GAT: npm package file of a back end', filters: { 'npm package': ['tgz'] }, canSelectMany: false });
    if (!file?.[0]) return;
    spec = file[0].fsPath;
  }
  const dir = backendInstallDir(services.context);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const name = pick.label === FROM_FILE ? path.basename(spec) : pick.label;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notice`GAT: installing ${name}`, cancellable: true }, (_progress, token) =>
    new Promise<void>((resolve) => {
      services.log.appendLine(`$ npm install --prefix ${dir} ${spec}`);
      const child = execFile(npm, ['install', '--no-audit', '--no-fund', '--prefix', dir, spec], { timeout: 15 * 60_000 }, (err, stdout, stderr) => {
        services.log.append(stdout + stderr);
        if (err) {
          const why = pick.label === 'webgpu' ? 'it needs the npm registry, or install it from a package file' : pick.label === FROM_FILE ? 'see the log for npm\'s reason' : 'it downloads libtensorflow, so it needs internet access';
          void vscode.window.showErrorMessage(notice`GAT: installing ${name} failed (${why}). See the GAT log.`, 'Show Log').then((c) => c && services.log.show(true));
          resolve();
          return;
        }
        void pruneWebGpuPlatforms(dir).then((freed) => {
          if (freed) services.log.appendLine(`Removed the webgpu binaries of other platforms (${(freed / 2 ** 20).toFixed(0)} MB).`);
          backendInfo?.refresh();
          void vscode.window.showInformationMessage(notice`GAT: ${name} installed. Set gat.backend to webgpu, or keep auto (it prefers a GPU it finds). Show Back End Info says what is found.`);
          resolve();
        });
      });
      token.onCancellationRequested(() => child.kill());
    }),
  );
}

/** The webgpu package ships Dawn for five platforms (132 MB); only this one's is needed. Returns the bytes freed. */
async function pruneWebGpuPlatforms(dir: string): Promise<number> {
  const dist = path.join(dir, 'node_modules', 'webgpu', 'dist');
  const mine = `${process.platform}-${process.arch}`;
  let entries: string[];
  try {
    entries = await fs.readdir(dist);
  } catch {
    return 0; // not installed
  }
  let freed = 0;
  for (const e of entries) {
    if (e === mine || (process.platform === 'darwin' && e.startsWith('darwin')) || !/^(linux|darwin|win32)-/.test(e)) continue;
    freed += await folderBytes(path.join(dist, e));
    await fs.rm(path.join(dist, e), { recursive: true, force: true });
  }
  return freed;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await folderBytes(p) : (await fs.stat(p)).size;
  }
  return total;
}
