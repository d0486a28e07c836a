import { backendHelp, backendsFor } from '../backend/registry';
import { MODEL_KINDS } from '../model/parameters';
import type { OptionTable } from './args';
import { backendOption } from './commonOptions';

/**
 * Every option of `gat train`, declared once: the CLI parser, `--help`, the training-spec
 * JSON schema (media/schemas/trainingSpec.schema.json, checked against this table by a test)
 * and the extension's Train… command all follow it. Options without a default here take the
 * recipe of the dataset (src/gat/train/recipes.ts): the paper's Cora recipe, pytorch-GAT's PPI one, BA-Shapes' or DictionaryLookup's.
 */
export const TRAIN_OPTIONS = {
  numOfEpochs: { type: 'int', min: 1, max: 100_000, help: 'maximum number of training epochs (default: Cora 10000, PPI 200, BA-Shapes 1000, DictionaryLookup 100)' },
  patiencePeriod: { type: 'int', min: 1, max: 100_000, help: 'stop when neither validation accuracy (PPI: micro-F1) nor loss improved for this many epochs (default: Cora 1000, PPI 100, BA-Shapes 200, DictionaryLookup 20)' },
  lr: { type: 'number', min: 0, max: 1, exclusiveMin: true, help: 'Adam learning rate (default: Cora and PPI 5e-3, PubMed 0.01)' },
  weightDecay: { type: 'number', min: 0, max: 1, help: 'L2 weight decay added to the gradient, PyTorch Adam style (default: Cora 5e-4, PubMed 1e-3, PPI 0)' },
  datasetName: { type: 'string', default: 'cora', placeholder: 'name', help: 'cora (bundled), citeseer, pubmed or ppi (downloaded on first use), ba-shapes, ba-shapes-informative or dictionary-lookup (generated), or your own with --data-dir (Planetoid or PPI format)' },
  k: { type: 'int', min: 2, max: 100, help: "dictionary-lookup only: keys (and queries) per graph, the GATv2 paper's k (default 10); the run's dataset is dictionary-lookup-k<K>" },
  model: { type: 'enum', values: MODEL_KINDS, help: `gat (Veličković et al., the default) or gatv2 (Brody et al.'s dynamic attention, as PyG's GATv2Conv; so far on --backend ${backendsFor('gatv2').join(', ')}); a resumed run keeps its checkpoint's model` },
  shareWeights: { type: 'boolean', help: "gatv2: one map for both sides of the score, W_l = W_r (PyG's share_weights, the paper's form)" },
  attention: { type: 'enum', values: ['learned', 'uniform'], default: 'learned', help: "uniform: attention fixed to 1/(in-degree + 1), the same network without scoring parameters (the GAT paper's Const-GAT control)" },
  batchSize: { type: 'int', min: 1, max: 1000, help: 'inductive datasets (PPI, DictionaryLookup): graphs per training batch, merged into one disconnected graph (default: PPI 2, DictionaryLookup 64, fewer for small k)' },
  forceCpu: { type: 'boolean', help: 'train on the CPU even where a GPU back end is available (pytorch-GAT\'s PPI flag; the run says which back end ran)' },
  shouldTest: { type: 'boolean', help: 'evaluate the final model on the test split' },
  shouldVisualize: { type: 'boolean', help: 'write the graph statistics (degrees, edge betweenness) next to the run' },
  enableTensorboard: { type: 'boolean', help: 'write TensorBoard scalars to runs/<run-id>/ (tensorboard --logdir=runs)' },
  consoleLogFreq: { type: 'int', min: 1, max: 100_000, help: 'log progress to the console every this many epochs (default 100), or batches of graphs on PPI (default 10)' },
  snapshots: { type: 'int', min: 0, max: 256, default: 0, help: 'snapshot the analysis (outputs, attention, entropies; floats as F16) at this many log-spaced epochs plus every checkpoint, for the panels\' epoch timeline (0: none; the extension asks for 32)' },
  checkpointFreq: { type: 'int', min: 1, max: 100_000, help: 'write a checkpoint every this many epochs (default: Cora 1000, PPI 5, BA-Shapes 100, DictionaryLookup 20)' },
  seed: { type: 'int', min: 0, max: 2_147_483_647, default: 42, help: 'random seed (initialisation and dropout)' },
  backend: backendOption(backendHelp()),
  threads: { type: 'int', min: 1, max: 256, help: 'threads the CPU back ends train on (default: every core this machine has); results do not depend on it' },
  dataDir: { type: 'string', placeholder: 'dir', help: 'folder with ind.<name>.* files and the download cache' },
  out: { type: 'string', placeholder: 'dir', help: 'output folder for models/ and runs/ (default: the current folder)' },
  resume: { type: 'string', placeholder: 'checkpoint', help: 'continue exactly from a checkpoint (.safetensors) written by an earlier run' },
  spec: { type: 'string', placeholder: 'file.gat.json', help: 'read options from a training spec; flags given on the command line win' },
  progress: { type: 'enum', values: ['text', 'json'], default: 'text', help: 'json: one JSON event per line on stdout (start, epoch, checkpoint, done, error)' },
} as const satisfies OptionTable;

/** Options that make sense in a spec file (everything but the spec itself and the output format). */
export const SPEC_KEYS = Object.keys(TRAIN_OPTIONS).filter((k) => k !== 'spec' && k !== 'progress');
