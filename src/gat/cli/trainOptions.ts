import type { OptionTable } from './args';

/**
 * Every option of `gat train`, declared once: the CLI parser, `--help`, the training-spec
 * JSON schema (media/schemas/trainingSpec.schema.json, checked against this table by a test)
 * and the extension's Train… command all follow it. Defaults are the GAT paper's Cora recipe.
 */
export const TRAIN_OPTIONS = {
  numOfEpochs: { type: 'int', min: 1, max: 100_000, default: 10_000, help: 'maximum number of training epochs' },
  patiencePeriod: { type: 'int', min: 1, max: 100_000, default: 1000, help: 'stop when neither validation accuracy nor loss improved for this many epochs' },
  lr: { type: 'number', min: 0, max: 1, exclusiveMin: true, default: 5e-3, help: 'Adam learning rate' },
  weightDecay: { type: 'number', min: 0, max: 1, default: 5e-4, help: 'L2 weight decay added to the gradient (PyTorch Adam style)' },
  datasetName: { type: 'string', default: 'cora', placeholder: 'name', help: 'cora (bundled), citeseer (downloaded on first use), or your own with --data-dir' },
  shouldTest: { type: 'boolean', help: 'evaluate the final model on the test split' },
  shouldVisualize: { type: 'boolean', help: 'write the graph statistics (degrees, edge betweenness) next to the run' },
  enableTensorboard: { type: 'boolean', help: 'write TensorBoard scalars to runs/<run-id>/ (tensorboard --logdir=runs)' },
  consoleLogFreq: { type: 'int', min: 1, max: 100_000, default: 100, help: 'log progress to the console every this many epochs' },
  checkpointFreq: { type: 'int', min: 1, max: 100_000, default: 1000, help: 'write a checkpoint every this many epochs' },
  seed: { type: 'int', min: 0, max: 2_147_483_647, default: 42, help: 'random seed (initialisation and dropout)' },
  backend: { type: 'enum', values: ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'], default: 'auto', help: 'TensorFlow.js back end; auto picks the fastest available' },
  dataDir: { type: 'string', placeholder: 'dir', help: 'folder with ind.<name>.* files and the download cache' },
  out: { type: 'string', placeholder: 'dir', help: 'output folder for models/ and runs/ (default: the current folder)' },
  resume: { type: 'string', placeholder: 'checkpoint', help: 'continue exactly from a checkpoint (.safetensors) written by an earlier run' },
  spec: { type: 'string', placeholder: 'file.gat.json', help: 'read options from a training spec; flags given on the command line win' },
  progress: { type: 'enum', values: ['text', 'json'], default: 'text', help: 'json: one JSON event per line on stdout (start, epoch, checkpoint, done, error)' },
} as const satisfies OptionTable;

/** Options that make sense in a spec file (everything but the spec itself and the output format). */
export const SPEC_KEYS = Object.keys(TRAIN_OPTIONS).filter((k) => k !== 'spec' && k !== 'progress');
