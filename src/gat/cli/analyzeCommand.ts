import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { analysisInput, writeAnalysis } from '../artifacts/analysis';
import { readModelBinary } from '../artifacts/checkpoint';
import type { NamedTensor } from '../artifacts/namedTensor';
import { collectProvenance, parseProvenance, type Provenance } from '../artifacts/provenance';
import { importedConfig, isPthFile, readPthModel, readSafetensorsModel } from '../import/importModel';
import { checkModelFitsDataset } from '../import/modelFit';
import { selectBackend } from '../backend/backends';
import type { BackendChoice } from '../backend/registry';
import { readRun } from '../artifacts/runRecord';
import { loadDataset } from '../data/loadDataset';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../train/trainConfig';
import { createTrainer } from '../train/trainer';
import type { OptionTable } from '../options/args';
import { DATA_DIR_OPTION, backendOption } from '../options/commonOptions';
import { formatStaticAttention } from '../analysis/staticAttention';
import { staticAttentionOfModel } from '../analysis/staticAttentionOfModel';
import { tfjsProducts } from '../kernels/denseProducts';
import { configShapes } from '../train/trainConfig';
import { defineCommand, type CommandOptions, type Write } from './command';

export const ANALYZE_OPTIONS = {
  model: { type: 'string', placeholder: 'file', help: 'model binary (models/binaries/…), checkpoint, or a PyTorch .pth (pytorch-GAT checkpoint or state_dict) to analyse (required)' },
  datasetName: { type: 'string', placeholder: 'name', help: "dataset to run it on (default: the model's own record; a .pth without one: cora)" },
  output: { type: 'string', placeholder: 'file', help: "where to write the analysis (default: the run's runs/<run-id>/analysis.safetensors, else next to the model)" },
  dataDir: DATA_DIR_OPTION,
  backend: backendOption('back end (webgpu: Dawn on the GPU; the others TensorFlow.js)'),
  json: { type: 'boolean', help: "print one JSON object: where the analysis went and the static-attention diagnostic (per layer and head: Kendall τ of each node's ranking of its neighbours against one global ranking, its histogram, the hubs ranked first, collapsed attention)" },
} as const satisfies OptionTable;

export const analyzeCommand = defineCommand({
  summary: 'recompute the analysis artifact (attention, entropy, outputs) of a trained model',
  usage: 'gat analyze --model BINARY [options]',
  description:
    'Recompute the analysis artifact (outputs, predictions, attention per layer and head, entropies) of a trained model, and\n' +
    "say per head whether its attention is static (Brody et al.): each node's ranking of its neighbours against one global\n" +
    'ranking of keys (Kendall τ; exactly 1 for every GAT head), the hubs every node ranks first, and collapsed attention.',
  options: ANALYZE_OPTIONS,
  required: ['model'],
  run: analyze,
});

async function analyze(opts: CommandOptions<typeof ANALYZE_OPTIONS, 'model'>, write: Write): Promise<number> {
  const model = path.resolve(opts.model);
  const source = await modelToAnalyse(model, opts.datasetName, opts.dataDir);
  const graph = await loadDataset(source.dataset || 'cora', { dataDir: source.datasetDir });
  const saved = (source.provenance?.config ?? source.config ?? {}) as Partial<TrainConfig>;
  const backend = await selectBackend(opts.backend as BackendChoice, { model: saved.model ?? 'gat' });
  // An imported model's provenance names the dataset it ran on here, with that dataset's checksums.
  const provenance = source.provenance ?? collectProvenance({ dataset: graph.name, datasetChecksums: graph.checksums, config: source.config, seed: 0, backend: backend.name });
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...((provenance.config ?? {}) as Partial<TrainConfig>) };
  const { params } = source;
  checkModelFitsDataset(params, graph, model, config);
  const trainer = await createTrainer(graph, config, backend);
  try {
    await trainer.importState(params);
    const target = opts.output ? path.resolve(opts.output) : defaultOutput(model);
    const analysis = await writeAnalysis(target, analysisInput(await trainer.analyze(), graph, provenance));
    // The dense products of the recomputation go to the active TensorFlow.js back end (XNNPACK on wasm).
    const diagnostic = staticAttentionOfModel(graph, configShapes(graph, config), params, analysis, tfjsProducts);
    if (opts.json) {
      write(JSON.stringify({ analysis: target, model, dataset: graph.name, backend: backend.name, staticAttention: diagnostic }) + '\n');
      return 0;
    }
    write(`analysis of ${model} (${graph.name}, back end ${backend.name}) written to ${target}\n`);
    write(formatStaticAttention(diagnostic));
    return 0;
  } finally {
    trainer.dispose();
  }
}

/**
 * What to analyse: a model binary or checkpoint (with its own provenance), or a .pth or config-less
 * safetensors trained elsewhere (its architecture as config; its provenance is made once its dataset is loaded).
 */
async function modelToAnalyse(model: string, datasetName: string | undefined, dataDir: string | undefined): Promise<{ params: NamedTensor[]; dataset: string; datasetDir: string | undefined; provenance?: Provenance; config?: TrainConfig }> {
  if (isPthFile(model)) {
    const imported = await readPthModel(model);
    return { params: imported.model.params, dataset: datasetName ?? imported.model.dataset ?? 'cora', datasetDir: dataDir, config: importedConfig(imported) };
  }
  const binary = await readModelBinary(model);
  const provenance = parseProvenance(binary.metadata);
  if (provenance.config === null) {
    // Weights without our config (converted by hand, or saved by another tool): its tensors say what
    // GAT it is, read and checked as `gat import` and `gat inspect` do (no heads is refused by name,
    // not as a mismatch with a default config), and it gets an imported model's provenance.
    const imported = await readSafetensorsModel(model);
    return { params: imported.model.params, dataset: datasetName ?? imported.model.dataset ?? 'cora', datasetDir: dataDir, config: importedConfig(imported) };
  }
  // Without --data-dir, the folder the model's own run read its dataset from (a --data-dir dataset).
  const run = runOfModel(model);
  const datasetDir = dataDir ?? (run ? ((await readRun(run).catch(() => undefined))?.datasetDir ?? undefined) : undefined);
  return { params: binary.params, dataset: datasetName ?? provenance.dataset, datasetDir, provenance: datasetName ? { ...provenance, dataset: datasetName } : provenance };
}

/** models/binaries/gat_<ds>_<run-id>.safetensors → the folder runs/<run-id>, when that run exists. */
function runOfModel(model: string): string | undefined {
  const m = /^gat_[^_]+_(.+)\.safetensors$/.exec(path.basename(model));
  const runDir = m ? path.join(path.resolve(path.dirname(model), '..', '..'), 'runs', m[1]) : undefined;
  return runDir && existsSync(runDir) ? runDir : undefined;
}

/** The model's run's analysis.safetensors, else next to the model. */
function defaultOutput(model: string): string {
  const run = runOfModel(model);
  return run ? path.join(run, 'analysis.safetensors') : model.replace(/\.safetensors$/, '') + '.analysis.safetensors';
}
