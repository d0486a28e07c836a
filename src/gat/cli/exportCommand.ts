import * as path from 'node:path';
import { writeArtifact } from '../artifacts/artifactWrite';
import { readModelBinary } from '../artifacts/checkpoint';
import { parseProvenance } from '../artifacts/provenance';
import { encodePth, type CheckpointFact } from '../export/pthWriter';
import { gatFromPth, gatFromTensors } from '../import/gatFromPth';
import { readPth } from '../import/pthArchive';
import { modelByteLimit } from '../import/pthBudget';
import { UsageError, type OptionTable } from '../options/args';
import { defineCommand, type CommandOptions, type Write } from './command';

const EXPORT_OPTIONS = {
  model: { type: 'string', placeholder: 'file.safetensors', help: 'model binary (models/binaries/…) or checkpoint to export (required)' },
  format: { type: 'enum', values: ['pth'], default: 'pth', help: "pth: pytorch-GAT's checkpoint dict, which its scripts load (torch.load, then load_state_dict)" },
  output: { type: 'string', placeholder: 'file.pth', help: 'where to write it (default: next to the model, .pth)' },
} as const satisfies OptionTable;

/** `gat export`: our model binary → pytorch-GAT's checkpoint dict (.pth). */
export const exportCommand = defineCommand({
  summary: 'write a model as a .pth the original pytorch-GAT loads',
  usage: 'gat export --model BINARY [--format pth] [--output FILE]',
  description: "Write a model in another tool's format: a .pth the original pytorch-GAT loads, with its architecture facts.",
  options: EXPORT_OPTIONS,
  required: ['model'],
  run: exportPth,
});

async function exportPth(opts: CommandOptions<typeof EXPORT_OPTIONS, 'model'>, write: Write): Promise<number> {
  const model = path.resolve(opts.model);
  const binary = await readModelBinary(model);
  const provenance = parseProvenance(binary.metadata);
  const config = (provenance.config ?? {}) as { attention?: string; dropout?: number; model?: string };
  if (config.model === 'gatv2') throw new UsageError(`${model} is a GATv2 model: the original pytorch-GAT has no GATv2 layer to load it into (its tensors already carry PyG GATv2Conv's names: lin_l, lin_r, att, bias)`);
  if (config.attention === 'uniform') throw new UsageError(`${model} has uniform attention (no scoring vectors): the original's GAT has no such layer to load it into`);
  const params = binary.params.filter((p) => p.data instanceof Float32Array);
  // ── the architecture, read back from the tensors the same way an import reads it ──
  const arch = gatFromTensors(params, model);
  const metrics = (provenance.metrics ?? {}) as { testAcc?: unknown };
  const facts: Array<readonly [string, CheckpointFact]> = [
    ['commit_hash', provenance.gitCommit ?? ''],
    ['dataset_name', provenance.dataset.toUpperCase()],
    ['num_of_epochs', provenance.epoch ?? 0],
    ['test_perf', typeof metrics.testAcc === 'number' ? metrics.testAcc : 0],
    ['num_of_layers', arch.heads.length],
    ['num_heads_per_layer', arch.heads],
    ['num_features_per_layer', [arch.numFeatures, ...arch.hidden, arch.numClasses]],
    ['add_skip_connection', arch.skipConnection],
    ['bias', true],
    ['dropout', typeof config.dropout === 'number' ? config.dropout : 0.6],
    ['layer_type', 'IMP3'],
  ];
  const target = opts.output ? path.resolve(opts.output) : model.replace(/\.safetensors$/, '') + '.pth';
  const name = path.basename(target).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'archive';
  const bytes = encodePth({ stateDict: arch.params, facts }, name);
  // What we write we can read back, before it replaces anything.
  gatFromPth(readPth(bytes, target, { maxBytes: modelByteLimit() }), target);
  await writeArtifact(target, bytes);
  write(`${model} exported as pytorch-GAT's checkpoint (${arch.heads.length} layers, heads [${arch.heads.join(', ')}]) to ${target}\n`);
  return 0;
}
