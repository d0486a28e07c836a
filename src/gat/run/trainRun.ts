import * as path from 'node:path';
import { TRAINING_EXIT } from '../../protocol/trainingEvents';
import { analysisInput, writeAnalysis } from '../artifacts/analysis';
import { describeRoute, routeOf } from '../../protocol/computeRoute';
import { readCheckpoint } from '../artifacts/checkpoint';
import { collectProvenance, provenanceMetadata, type Provenance } from '../artifacts/provenance';
import type { RunRecord } from '../artifacts/runRecord';
import { RunWriter } from '../artifacts/runWriter';
import { EventFileWriter } from '../artifacts/tensorboardWriter';
import { writeFileAtomic } from '../io/atomicWrite';
import { writeFigures } from '../figures/writeFigures';
import { BackendError, selectBackend } from '../backend/backends';
import type { BackendChoice } from '../backend/registry';
import { isGpuFailure } from '../gpu/gpuErrors';
import { KernelThreadError } from '../kernels/kernelPool';
import type { NamedTensor } from '../artifacts/namedTensor';
import { loadDataset } from '../data/loadDataset';
import type { GraphDataset } from '../data/graph';
import { defaultGraphIndex, scopeDataset } from '../panels/graphScope';
import { UsageError } from '../options/args';
import { edgeStats, degrees, summarize } from '../stats/graphStats';
import { recipeFor } from '../train/recipes';
import { MODEL_KINDS, type ModelKind } from '../model/parameters';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../train/trainConfig';
import { createTrainer } from '../train/trainer';
import type { Trainer } from '../train/trainerTypes';
import { runTrainingLoop, type LoopState } from '../train/trainingLoop';
import type { EventSink } from './eventSink';
import { SnapshotTaker } from './snapshotTaker';
import { acquireTrainLock } from './trainLock';

export interface TrainRunOptions {
  readonly datasetName: string;
  readonly dataDir?: string;
  readonly outDir: string;
  /** Options left undefined take the dataset's recipe (see recipes.ts). */
  readonly numOfEpochs?: number;
  readonly patiencePeriod?: number;
  readonly lr?: number;
  readonly weightDecay?: number;
  readonly seed: number;
  readonly backend: BackendChoice;
  /** pytorch-GAT's --force_cpu: 'auto' never picks a GPU back end. */
  readonly forceCpu?: boolean;
  readonly shouldTest: boolean;
  readonly shouldVisualize: boolean;
  readonly enableTensorboard: boolean;
  readonly checkpointFreq?: number;
  readonly batchSize?: number;
  /** 'uniform': the Const-GAT control (attention fixed to 1/(in-degree + 1)). Default 'learned'. */
  readonly attention?: 'learned' | 'uniform';
  /** GAT or GATv2; undefined: a resumed run's own, else GAT. */
  readonly model?: ModelKind;
  /** GATv2's W_l = W_r (PyG's share_weights). */
  readonly shareWeights?: boolean;
  /** Threads for the CPU back ends (undefined: every core; see threadPlan.ts). A resumed run takes this one, not the checkpoint's. */
  readonly threads?: number;
  /** K: snapshot the analysis at K log-spaced epochs and every checkpoint (0 or undefined: none). */
  readonly snapshots?: number;
  readonly resume?: string;
  /** The spec the options came from: its path and the SHA-256 of the bytes that were parsed. */
  readonly spec?: RunRecord['spec'];
  readonly commandLine: readonly string[];
}

/**
 * The model a run trains: --model, else a resumed checkpoint's (`saved`), else GAT. A checkpoint
 * continues only as the model it was trained as, with the same weight sharing.
 */
function modelOfRun(o: Pick<TrainRunOptions, 'model' | 'shareWeights' | 'resume'>, saved: ModelKind | undefined, savedShared: boolean): ModelKind {
  if (saved !== undefined && !MODEL_KINDS.includes(saved)) {
    throw new UsageError(`--resume ${o.resume} records an unknown model '${String(saved)}' (this version trains ${MODEL_KINDS.join(', ')}): resume it with the version that wrote it, or start a new run`);
  }
  const model = o.model ?? saved ?? 'gat';
  if (saved !== undefined && model !== saved) {
    throw new UsageError(`--resume ${o.resume} is a ${saved} checkpoint: it cannot continue as --model ${model} (drop --model ${model}, or start a new run)`);
  }
  if (o.shareWeights && model !== 'gatv2') throw new UsageError(`--share_weights (W_l = W_r) is a GATv2 option: add --model gatv2, or drop --share_weights`);
  if (saved !== undefined && o.shareWeights && !savedShared) {
    throw new UsageError(`--resume ${o.resume} was trained with separate W_l and W_r: it cannot continue with --share_weights (drop it, or start a new run)`);
  }
  return model;
}

/** Set by SIGINT/SIGTERM or an IPC 'cancel': the run stops after the current epoch. */
export interface CancelFlag {
  requested: boolean;
}

/**
 * One training run from start to artifacts: lock the output folder, load and verify the data,
 * pick the back end, train with the paper's patience rule, and write checkpoints, TensorBoard
 * scalars, the final model and the analysis artifact. Returns the process exit code.
 */
export async function trainRun(o: TrainRunOptions, sink: EventSink, cancel: CancelFlag): Promise<number> {
  const started = performance.now();
  const releaseLock = await acquireTrainLock(o.outDir);
  let trainer: Trainer | undefined;
  let run: RunWriter | undefined;
  let tensorboard: EventFileWriter | undefined;
  /** WebGPU runs: the last finished epoch's state, copied to the host. */
  let lastGood: CapturedState | undefined;
  try {
    const resumeFrom = o.resume ? await readCheckpoint(path.resolve(o.resume)) : undefined;
    const graph = await loadDataset(o.datasetName, { dataDir: o.dataDir, downloadOptions: { onProgress: (e) => sink.info(`downloaded ${e.file} (${e.bytes} bytes, verified)`) } });
    const recipe = recipeFor(graph);
    const numOfEpochs = o.numOfEpochs ?? recipe.numOfEpochs;
    const patiencePeriod = o.patiencePeriod ?? recipe.patiencePeriod;
    const checkpointFreq = o.checkpointFreq ?? recipe.checkpointFreq;
    if (resumeFrom && resumeFrom.metadata.dataset && resumeFrom.metadata.dataset !== graph.name) {
      throw new UsageError(`--resume ${o.resume} was trained on ${resumeFrom.metadata.dataset}, not ${graph.name}: pass --dataset-name ${resumeFrom.metadata.dataset}`);
    }
    // Resuming continues the checkpoint's own recipe (seed, lr, weight decay) so the run is exact.
    const saved = resumeFrom ? (JSON.parse(resumeFrom.metadata.config ?? 'null') as Partial<TrainConfig> | null) : null;
    if (resumeFrom && o.attention === 'uniform' && saved?.attention !== 'uniform') {
      throw new UsageError(`--resume ${o.resume} was trained with learned attention: a run cannot switch to --attention uniform midway (start a new run instead)`);
    }
    const model = modelOfRun(o, resumeFrom ? (saved?.model ?? 'gat') : undefined, saved?.shareWeights === true);
    const backend = await selectBackend(o.backend, { cpuOnly: o.forceCpu, model });
    const config: TrainConfig = {
      ...DEFAULT_TRAIN_CONFIG,
      heads: recipe.heads,
      hidden: recipe.hidden,
      dropout: recipe.dropout,
      ...(recipe.skipConnection ? { skipConnection: true } : {}),
      ...(graph.graphs ? { batchSize: o.batchSize ?? recipe.batchSize } : {}),
      ...(o.attention === 'uniform' ? { attention: 'uniform' as const } : {}),
      // GAT runs' records stay as they were: the field appears only for GATv2.
      ...(model === 'gatv2' ? { model, ...(o.shareWeights ? { shareWeights: true } : {}) } : {}),
      seed: o.seed,
      lr: o.lr ?? recipe.lr,
      weightDecay: o.weightDecay ?? recipe.weightDecay,
      ...(saved ?? {}),
      // The machine's, not the recipe's: never carried over from a checkpoint.
      threads: o.threads,
    };
    trainer = await createTrainer(graph, config, backend);
    // Checkpoints are named by epochs completed (pytorch-GAT's epoch + 1), which is also where to restart.
    const startEpoch = resumeFrom ? resumeFrom.epoch : 0;
    if (resumeFrom) {
      await trainer.importState(resumeFrom.params, { step: resumeFrom.optimizer.step, tensors: [...resumeFrom.optimizer.tensors] });
      trainer.importBest(resumeFrom.optimizer.tensors);
    }
    const initialState = resumeFrom ? parseLoopState(resumeFrom.metadata.loopState) : undefined;

    const compute = routeOf(trainer);
    const provenance: Provenance = collectProvenance({ dataset: graph.name, datasetChecksums: graph.checksums, config, seed: config.seed, backend: backend.name, compute });
    run = await RunWriter.create({
      outDir: o.outDir,
      dataset: graph.name,
      datasetDir: graph.sourceDir,
      metric: trainer.metric,
      seed: config.seed,
      config: { ...config, numOfEpochs, patiencePeriod, checkpointFreq },
      backend: backend.name,
      provenance,
      commandLine: o.commandLine,
      spec: o.spec ?? null,
      resumedFrom: o.resume ? path.resolve(o.resume) : null,
    });
    if (o.enableTensorboard) {
      tensorboard = EventFileWriter.open(run.paths.runDir, { metric: trainer.metric });
      run.recordArtifact('events', tensorboard.path);
      await run.save();
    }
    sink.info(`back end ${backend.name}: ${backend.detail}`);
    sink.info(`compute: ${describeRoute(compute)}`);
    for (const [name, reason] of Object.entries(backend.unavailable)) sink.info(`  (${name} not used: ${reason})`);
    sink.emit({
      type: 'start', version: 1, runId: run.record.runId, runDir: run.paths.runDir, dataset: graph.name, backend: backend.name, ...(config.model === 'gatv2' ? { model: 'gatv2' as const } : {}), compute, maxEpochs: numOfEpochs,
      resumedFromEpoch: resumeFrom ? resumeFrom.epoch : null, metric: trainer.metric, batchesPerEpoch: trainer.stepsPerEpoch,
    });

    const activeRun = run;
    const activeTrainer = trainer;
    let loopState: LoopState | undefined = initialState;
    /** The state after `completed` epochs, as a checkpoint holds it (read back from a GPU). */
    const captureState = async (completed: number): Promise<CapturedState> => {
      const optimizer = await activeTrainer.exportOptimizerState();
      // The best-so-far parameters and the patience state travel too, so --resume is exact.
      return { params: await activeTrainer.exportParameters(), optimizer: { step: optimizer.step, tensors: [...optimizer.tensors, ...activeTrainer.exportBest()] }, completed, loopState };
    };
    /** `completed` = number of epochs finished, as in the original's checkpoint names. */
    const saveCheckpoint = async (state: CapturedState): Promise<string> => {
      const file = await activeRun.saveCheckpoint({
        params: state.params,
        optimizer: state.optimizer,
        epoch: state.completed,
        metadata: { ...provenanceMetadata({ ...provenance, epoch: state.completed }), ...(state.loopState ? { loopState: formatLoopState(state.loopState) } : {}) },
      });
      tensorboard?.flush();
      sink.emit({ type: 'checkpoint', epoch: state.completed, path: file });
      return file;
    };
    // On a GPU the state lives in GPU memory, which a lost device takes with it; on worker threads a
    // thread can die inside an update, leaving the state half written. Either way keep a copy of each
    // finished epoch's state, so a failure still leaves a checkpoint to resume from.
    const mirrorOnHost = backend.device !== null || trainer.threads > 1;
    const snapshots = o.snapshots ? new SnapshotTaker({ runDir: run.paths.runDir, graph, provenance, count: o.snapshots, maxEpochs: numOfEpochs, checkpointFreq, lastCheckpoint: () => activeRun.lastCheckpoint }) : undefined;
    let lastEpoch = startEpoch - 1;
    let checkpointedAt = -1;
    const result = await runTrainingLoop(trainer, {
      maxEpochs: numOfEpochs,
      patience: patiencePeriod,
      startEpoch,
      initialState,
      shouldStop: () => cancel.requested,
      onBatch: (epoch, b) => sink.emit({ type: 'batch', epoch, ...b }),
      onEpoch: async (m, state) => {
        snapshots?.check(); // a snapshot that could not be written ends the run now
        lastEpoch = m.epoch;
        loopState = state;
        await activeRun.appendEpoch(m);
        tensorboard?.addEpochMetrics(m);
        sink.emit({ type: 'epoch', ...m });
        if (mirrorOnHost) lastGood = await captureState(m.epoch + 1);
        // A cancel request checkpoints the current (not the best) state, so --resume is exact.
        if ((m.epoch + 1) % checkpointFreq === 0 || cancel.requested) {
          await saveCheckpoint(lastGood?.completed === m.epoch + 1 ? lastGood : await captureState(m.epoch + 1));
          checkpointedAt = m.epoch;
        }
        if (snapshots?.wants(m.epoch + 1)) await snapshots.take(activeTrainer, m.epoch + 1);
      },
    });
    if (snapshots) {
      await snapshots.finish();
      sink.info(`snapshots: ${snapshots.taken.length} epochs, ${(snapshots.bytes / 1e6).toFixed(1)} MB in ${path.join(run.paths.runDir, 'snapshots')}`);
    }
    tensorboard?.close();
    tensorboard = undefined;

    if (result.stoppedBy === 'cancelled') {
      if (checkpointedAt !== lastEpoch && lastEpoch >= startEpoch) await saveCheckpoint(await captureState(lastEpoch + 1));
      await run.finish('cancelled', { provenance: { ...provenance, endedAt: new Date().toISOString(), epoch: lastEpoch } });
      sink.emit(doneEvent(run, 'cancelled', result.epochs, result.bestValAcc, null, null, started));
      return TRAINING_EXIT.cancelled;
    }

    // After the loop the trainer holds the model we report (the paper's best-validation rule).
    const testAcc = o.shouldTest ? (await trainer.evaluate('test')).acc : null;
    const metrics = { bestValAcc: result.bestValAcc, bestValLoss: result.bestValLoss, bestEpoch: result.bestEpoch, epochs: result.epochs, stoppedBy: result.stoppedBy, testAcc };
    const final: Provenance = { ...provenance, endedAt: new Date().toISOString(), epoch: result.bestEpoch, metrics };
    const binary = await run.saveModelBinary(await trainer.exportParameters(), provenanceMetadata(final));
    const analysis = await trainer.analyze();
    await writeAnalysis(run.paths.analysis, analysisInput(analysis, graph, final));
    run.recordArtifact('analysis', run.paths.analysis);
    await run.finish('completed', { testAcc, provenance: final });
    if (o.shouldVisualize) {
      // The original's --should_visualize: the statistics it plots, and every panel as a standalone page.
      await writeGraphStatistics(path.join(run.paths.runDir, 'graphStatistics.json'), graph, sink);
      const figures = await writeFigures({ runDir: run.paths.runDir, outDir: path.join(run.paths.runDir, 'figures'), dataDir: o.dataDir, log: (m) => sink.info(m) });
      sink.info(`figures: ${path.dirname(figures[0])} (${figures.map((f) => path.basename(f)).join(', ')})`);
    }
    sink.emit(doneEvent(run, 'completed', result.epochs, result.bestValAcc, testAcc, binary, started));
    return TRAINING_EXIT.ok;
  } catch (caught) {
    tensorboard?.close();
    let err = caught;
    // The GPU failed (device lost, out of memory) or a kernel thread died: save the last finished
    // epoch's copy, which is whole whatever the failure left half done, and say how to go on.
    const fallback = isGpuFailure(caught) ? { flag: '--backend wasm', to: 'continue on the CPU' } : caught instanceof KernelThreadError ? { flag: '--threads 1', to: 'train on one thread' } : null;
    if (run && fallback) {
      const saved = lastGood ? await saveFailureCheckpoint(run, lastGood, sink).catch(() => null) : null;
      const resume = saved ? ` The state after epoch ${lastGood!.completed} was saved: resume with --resume ${saved} (add ${fallback.flag} to ${fallback.to}).` : ` No epoch had finished, so there is nothing to resume: try again, or train with ${fallback.flag}.`;
      err = new BackendError(`${(caught as Error).message}.${resume}`);
    }
    if (run) {
      const message = err instanceof Error ? err.message : String(err);
      await run.finish('failed', { error: message }).catch(() => undefined); // the original error matters more
    }
    throw err;
  } finally {
    trainer?.dispose();
    await releaseLock();
  }
}

/** What a checkpoint holds: the state after `completed` epochs. */
interface CapturedState {
  readonly params: readonly NamedTensor[];
  readonly optimizer: { step: number; tensors: NamedTensor[] };
  readonly completed: number;
  readonly loopState: LoopState | undefined;
}

async function saveFailureCheckpoint(run: RunWriter, state: CapturedState, sink: EventSink): Promise<string> {
  const file = await run.saveCheckpoint({
    params: state.params,
    optimizer: state.optimizer,
    epoch: state.completed,
    metadata: { ...provenanceMetadata({ ...(run.record.provenance as Provenance), epoch: state.completed }), ...(state.loopState ? { loopState: formatLoopState(state.loopState) } : {}) },
  });
  sink.emit({ type: 'checkpoint', epoch: state.completed, path: file });
  return file;
}

function doneEvent(run: RunWriter, status: 'completed' | 'cancelled', epochs: number, bestValAcc: number, testAcc: number | null, binary: string | null, started: number) {
  return {
    type: 'done' as const,
    status,
    runId: run.record.runId,
    runDir: run.paths.runDir,
    epochs,
    bestValAcc: Number.isFinite(bestValAcc) ? bestValAcc : 0,
    testAcc,
    binaryPath: binary,
    checkpointPath: run.lastCheckpoint,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** JSON has no Infinity: the unset bests of a fresh run are stored as null. */
function formatLoopState(s: LoopState): string {
  return JSON.stringify(s, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

function parseLoopState(text: string | undefined): LoopState | undefined {
  if (!text) return undefined;
  const raw = JSON.parse(text) as Record<string, number | null>;
  return {
    bestValAcc: raw.bestValAcc ?? -Infinity,
    bestValLoss: raw.bestValLoss ?? Infinity,
    bestEpoch: raw.bestEpoch ?? -1,
    sinceImprovement: raw.sinceImprovement ?? 0,
  };
}

/**
 * `--should_visualize`: the data the original plots (degrees, edge betweenness), as JSON. Of an
 * inductive dataset, the graph the panels open on: Brandes' betweenness is O(nodes × edges), hours
 * on all of PPI's 57,000 nodes and seconds on one of its graphs.
 */
async function writeGraphStatistics(file: string, whole: GraphDataset, sink: EventSink): Promise<void> {
  const part = whole.graphs?.[defaultGraphIndex(whole)];
  const graph = part ? scopeDataset(whole, part) : whole;
  const { inDegree, outDegree } = degrees(graph);
  const edges = edgeStats(graph);
  const stats = {
    ...(part ? { graph: { id: part.id, split: part.split, nodeStart: part.nodeStart, numNodes: part.numNodes } } : {}),
    summary: summarize(graph),
    inDegree: Array.from(inDegree),
    outDegree: Array.from(outDegree),
    edges: { u: Array.from(edges.u), v: Array.from(edges.v), betweenness: Array.from(edges.betweenness), thickness: Array.from(edges.thickness) },
  };
  await writeFileAtomic(file, JSON.stringify(stats));
  sink.info(`graph statistics: ${file}`);
}
