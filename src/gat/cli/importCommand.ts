import * as path from 'node:path';
import { analysisInput, writeAnalysis } from '../artifacts/analysis';
import { collectProvenance, provenanceMetadata, type Provenance } from '../artifacts/provenance';
import { RunWriter } from '../artifacts/runWriter';
import { selectBackend } from '../backend/backends';
import type { BackendChoice } from '../backend/registry';
import { loadDataset } from '../data/loadDataset';
import { importedConfig, readModelFile } from '../import/importModel';
import { checkModelFitsDataset } from '../import/modelFit';
import { createTrainer } from '../train/trainer';
import type { OptionTable } from '../options/args';
import { DATA_DIR_OPTION, backendOption } from '../options/commonOptions';
import { defineCommand, type CommandOptions, type Write } from './command';

export const IMPORT_OPTIONS = {
  model: { type: 'string', placeholder: 'file.pth', help: "a PyTorch .pth (pytorch-GAT's checkpoint, models/binaries/*.pth, or a GAT state_dict) or a safetensors model with pytorch-GAT's tensor names (required)" },
  datasetName: { type: 'string', placeholder: 'name', help: "the dataset it was trained on (default: the checkpoint's dataset_name, else cora)" },
  dataDir: DATA_DIR_OPTION,
  out: { type: 'string', placeholder: 'dir', help: 'output folder for runs/ and models/ (default: the current folder)' },
  backend: backendOption('back end for the evaluation and analysis'),
} as const satisfies OptionTable;

/** `gat import`: a .pth becomes a run the explorer shows like any other, with the file's provenance. */
export const importCommand = defineCommand({
  summary: 'register a GAT trained elsewhere (a PyTorch .pth of pytorch-GAT) as a run every panel can show',
  usage: 'gat import --model FILE.pth [options]',
  description:
    'Register a GAT trained elsewhere as a run (runs/<date>-<dataset>-imported): its weights as a model binary, its validation\n' +
    'and test results on the dataset, and the analysis every panel draws from. The file is read as data, never run.',
  options: IMPORT_OPTIONS,
  required: ['model'],
  run: importModelRun,
});

async function importModelRun(opts: CommandOptions<typeof IMPORT_OPTIONS, 'model'>, write: Write, { argv }: { readonly argv: readonly string[] }): Promise<number> {
  const file = path.resolve(opts.model);
  const imported = await readModelFile(file);
  const m = imported.model;
  const graph = await loadDataset(opts.datasetName ?? m.dataset ?? 'cora', { dataDir: opts.dataDir });
  const config = importedConfig(imported);
  checkModelFitsDataset(m.params, graph, file, config);
  const backend = await selectBackend(opts.backend as BackendChoice, { model: m.model });
  const trainer = await createTrainer(graph, config, backend);
  try {
    await trainer.importState(m.params);
    const val = await trainer.evaluate('val');
    const test = await trainer.evaluate('test');
    const provenance: Provenance = collectProvenance({ dataset: graph.name, datasetChecksums: graph.checksums, config, seed: 0, backend: backend.name });
    const run = await RunWriter.create({
      outDir: opts.out ?? process.cwd(),
      dataset: graph.name,
      datasetDir: graph.sourceDir,
      metric: trainer.metric,
      seed: 0,
      config,
      backend: backend.name,
      provenance,
      commandLine: ['gat', 'import', ...argv],
      imported: true,
    });
    const final: Provenance = { ...provenance, endedAt: new Date().toISOString(), metrics: { bestValAcc: val.acc, testAcc: test.acc, imported: true } };
    await run.saveModelBinary(m.params, provenanceMetadata(final));
    await writeAnalysis(run.paths.analysis, analysisInput(await trainer.analyze(), graph, final));
    run.recordArtifact('analysis', run.paths.analysis);
    await run.finish('completed', { testAcc: test.acc, bestValAcc: val.acc, provenance: final });
    const what = trainer.metric === 'micro-F1' ? 'micro-F1' : 'accuracy';
    write(`imported ${file} (${m.format}, heads [${m.heads.join(', ')}]) as run ${run.record.runId}: val ${what} ${val.acc.toFixed(4)}, test ${what} ${test.acc.toFixed(4)}\n`);
    write(`run: ${run.paths.runDir}\n`);
    return 0;
  } finally {
    trainer.dispose();
  }
}
