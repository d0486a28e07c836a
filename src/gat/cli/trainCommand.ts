import { TRAINING_EXIT, isTrainingCommand } from '../../protocol/trainingEvents';
import { errorEvent } from '../run/errorEvent';
import { ipcSink, jsonLinesSink, textSink, type EventSink } from '../run/eventSink';
import { readTrainingSpec } from '../run/specFile';
import { trainRun, type CancelFlag } from '../run/trainRun';
import { DICTIONARY_LOOKUP, dictionaryLookupK, dictionaryLookupName } from '../data/dictionaryLookup';
import { parseArgs, UsageError, type Parsed } from '../options/args';
import { TRAIN_OPTIONS } from '../options/trainOptions';
import { defineCommand, type Write } from './command';

/** `gat train`: flags (and an optional spec file) → one training run, with signals wired to cancel. */
export const trainCommand = defineCommand({
  summary: "train GAT (the original's flags: --should_test, --should_visualize, --enable_tensorboard, …)",
  usage: 'gat train [options]',
  description:
    'Train GAT and write models/checkpoints/, models/binaries/ and runs/<run-id>/ under --out: the paper\'s 2-layer, 8-head recipe on\n' +
    'Cora-like datasets, pytorch-GAT\'s 3-layer recipe with skip connections on PPI (inductive, multi-label, micro-F1), and a\n' +
    '3-layer recipe with skip connections and no dropout on the generated BA-Shapes datasets; the GATv2 paper\'s DictionaryLookup\n' +
    '(--dataset_name dictionary-lookup --k K) with a 128-feature attention layer, scored on its query nodes.\n' +
    'Ctrl+C stops at the end of the epoch, saves a checkpoint and exits with code 130; --resume continues from it.',
  options: TRAIN_OPTIONS,
  run: train,
});

/** The command line was validated before any work; a spec's options come first, so flags win. */
async function train(first: Parsed<typeof TRAIN_OPTIONS>, write: Write, { argv }: { readonly argv: readonly string[] }): Promise<number> {
  const spec = first.spec ? await readTrainingSpec(first.spec) : undefined;
  const opts = spec ? parseArgs([...spec.args, ...argv], TRAIN_OPTIONS) : first;
  const consoleSink = textSink(write, opts.consoleLogFreq);
  const send = process.env.GAT_TRAIN_IPC && process.send ? process.send.bind(process) : undefined;
  const sink: EventSink = send ? ipcSink((m) => send(m), consoleSink) : opts.progress === 'json' ? jsonLinesSink(write) : consoleSink;

  const cancel: CancelFlag = { requested: false };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancel.requested) process.exit(TRAINING_EXIT.cancelled); // a second Ctrl+C: stop now
    cancel.requested = true;
    sink.info(`${signal}: stopping after this epoch and saving a checkpoint (press Ctrl+C again to stop at once)`);
  };
  const onMessage = (message: unknown): void => {
    if (isTrainingCommand(message)) onSignal('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('message', onMessage);
  try {
    return await trainRun(
      {
        datasetName: datasetWithKeys(opts.datasetName, opts.k),
        dataDir: opts.dataDir,
        outDir: opts.out ?? process.cwd(),
        numOfEpochs: opts.numOfEpochs,
        patiencePeriod: opts.patiencePeriod,
        lr: opts.lr,
        weightDecay: opts.weightDecay,
        seed: opts.seed,
        backend: opts.backend as Parameters<typeof trainRun>[0]['backend'],
        forceCpu: opts.forceCpu,
        batchSize: opts.batchSize,
        attention: opts.attention as 'learned' | 'uniform',
        model: opts.model as Parameters<typeof trainRun>[0]['model'],
        shareWeights: opts.shareWeights,
        threads: opts.threads,
        shouldTest: opts.shouldTest,
        shouldVisualize: opts.shouldVisualize,
        enableTensorboard: opts.enableTensorboard,
        checkpointFreq: opts.checkpointFreq,
        snapshots: opts.snapshots,
        resume: opts.resume,
        spec: spec ? { path: spec.path, sha256: spec.sha256 } : undefined,
        commandLine: ['gat', 'train', ...argv],
      },
      sink,
      cancel,
    );
  } catch (err) {
    sink.emit(errorEvent(err));
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('message', onMessage);
  }
}

/** --k sizes DictionaryLookup: `dictionary-lookup --k 5` is the dataset `dictionary-lookup-k5` (the name its run records). */
function datasetWithKeys(name: string, k: number | undefined): string {
  if (k === undefined) return name;
  const named = dictionaryLookupK(name);
  if (named === undefined) throw new UsageError(`--k (keys per graph) is an option of the generated dictionary-lookup dataset, not of ${name}: drop --k, or pass --dataset_name dictionary-lookup`);
  if (name.toLowerCase() !== DICTIONARY_LOOKUP.name && named !== k) throw new UsageError(`--dataset_name ${name} has k = ${named}, but --k is ${k}: give only one of them`);
  return dictionaryLookupName(k);
}
