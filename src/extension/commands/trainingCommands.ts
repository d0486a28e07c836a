import * as path from 'node:path';
import * as vscode from 'vscode';
import { GENERATED_DATASETS } from '../../gat/data/generatedDatasets';
import { KNOWN_DATASETS } from '../../gat/data/knownDatasets';
import { readSettings } from '../core/config';
import type { Services } from './services';
import { backendChoicesFor, MODEL_CHOICES } from './trainChoices';

/** The flags every training started from VS Code shares. */
function baseArgs(): string[] {
  const s = readSettings();
  const args = ['--seed', String(s.seed), '--backend', s.backend, '--should-test', '--enable-tensorboard', '--snapshots', String(s.snapshots)];
  if (s.dataFolder) args.push('--data-dir', s.dataFolder);
  // 0 leaves the count to the CLI: every core of the machine it runs on.
  if (s.threads > 0) args.push('--threads', String(s.threads));
  return args;
}

/** Later flags win in `gat train`, so overrides are appended after the defaults. */
async function startTraining(services: Services, title: string, extra: string[]): Promise<void> {
  const outDir = services.requireOutDir();
  if (!outDir) return;
  const live = await services.training.run({ args: [...baseArgs(), ...extra], outDir, title });
  services.runsTree.refresh();
  if (live?.done?.runId) services.log.appendLine(`Run ${live.done.runId} written to ${live.done.runDir}`);
}

export function trainCora(services: Services): Promise<void> {
  const s = readSettings();
  return startTraining(services, 'Training GAT on Cora', ['--dataset-name', 'cora', '--num-of-epochs', String(s.quickTrainEpochs)]);
}

/**
 * Train…: a spec file, or dataset, model (GAT, GATv2 or uniform attention), back end and seed, each with a sensible default.
 * The later steps survive a focus change (ignoreFocusOut) so a click elsewhere loses no answers.
 */
export async function trainWithOptions(services: Services): Promise<void> {
  const specs = await vscode.workspace.findFiles('**/*.gat.json', '**/node_modules/**', 50);
  const specPick = await vscode.window.showQuickPick(
    [{ label: '$(circle-slash) No spec file', description: 'choose the dataset, back end and seed now', spec: undefined as string | undefined }, ...specs.map((u) => ({ label: `$(settings) ${vscode.workspace.asRelativePath(u)}`, description: 'training spec', spec: u.fsPath }))],
    { title: 'GAT: Train…', placeHolder: 'Train from a spec file (*.gat.json), or choose the options' },
  );
  if (!specPick) return;
  if (specPick.spec) return startTraining(services, `Training GAT (${path.basename(specPick.spec)})`, ['--spec', specPick.spec]);
  const dataset = await vscode.window.showQuickPick(
    [
      ...Object.values(KNOWN_DATASETS).map((d) => ({ label: d.name, description: d.bundled ? 'bundled' : 'downloaded on first use' })),
      { label: 'ppi', description: 'PPI: 24 graphs, multi-label; downloaded on first use (7 MB); pytorch-GAT\'s PPI recipe' },
      ...GENERATED_DATASETS.map((d) => ({ label: d.name, description: d.description })),
    ],
    { title: 'GAT: Train… (1/4) dataset', ignoreFocusOut: true },
  );
  if (!dataset) return;
  const model = await vscode.window.showQuickPick(
    MODEL_CHOICES.map((c) => ({ label: c.label, description: c.description, choice: c })),
    { title: 'GAT: Train… (2/4) model', ignoreFocusOut: true },
  );
  if (!model) return;
  const backend = await vscode.window.showQuickPick(
    backendChoicesFor(model.choice.model).map((b) => ({ label: b, description: b === readSettings().backend ? 'current setting' : undefined })),
    { title: 'GAT: Train… (3/4) back end', ignoreFocusOut: true },
  );
  if (!backend) return;
  const seed = await vscode.window.showInputBox({
    title: 'GAT: Train… (4/4) seed',
    ignoreFocusOut: true,
    value: String(readSettings().seed),
    validateInput: (v) => (/^\d{1,10}$/.test(v.trim()) && Number(v) <= 2_147_483_647 ? undefined : 'a whole number from 0 to 2147483647'),
  });
  if (seed === undefined) return;
  return startTraining(services, `Training ${model.choice.title} on ${dataset.label}`, ['--dataset-name', dataset.label, '--backend', backend.label, ...model.choice.args, '--seed', seed.trim()]);
}

export async function resumeFromCheckpoint(services: Services, checkpoint?: string): Promise<void> {
  const outDir = services.requireOutDir();
  if (!outDir) return;
  let file = checkpoint;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      title: 'GAT: Resume from Checkpoint',
      defaultUri: vscode.Uri.file(path.join(outDir, 'models', 'checkpoints')),
      filters: { 'GAT checkpoints': ['safetensors'] },
      canSelectMany: false,
    });
    file = picked?.[0]?.fsPath;
  }
  if (!file) return;
  return startTraining(services, `Resuming GAT from ${path.basename(file)}`, ['--resume', file]);
}

export function trainSpec(services: Services, uri?: vscode.Uri): Promise<void> | undefined {
  const spec = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!spec) return undefined;
  return startTraining(services, `Training GAT (${path.basename(spec.fsPath)})`, ['--spec', spec.fsPath]);
}

export async function newTrainingSpec(services: Services): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const content = {
    dataset_name: 'cora',
    num_of_epochs: 10_000,
    patience_period: 1000,
    lr: 0.005,
    weight_decay: 0.0005,
    seed: readSettings().seed,
    backend: readSettings().backend,
    should_test: true,
    enable_tensorboard: true,
  };
  // No $schema needed: package.json's jsonValidation attaches the schema to every *.gat.json.
  const text = JSON.stringify(content, null, 2) + '\n';
  if (!folder) {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    await vscode.window.showTextDocument(doc);
    return;
  }
  let target = vscode.Uri.joinPath(folder, 'cora.gat.json');
  for (let i = 2; await exists(target); i++) target = vscode.Uri.joinPath(folder, `cora-${i}.gat.json`);
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  await vscode.window.showTextDocument(target);
  services.log.appendLine(`New training spec ${target.fsPath}`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
