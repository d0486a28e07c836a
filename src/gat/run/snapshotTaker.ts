/**
 * Takes the training snapshots (see artifacts/snapshots.ts) from inside the training loop. The
 * forward pass runs in step with training (it needs this epoch's parameters); encoding and writing
 * run behind it, one at a time, so the loop goes on meanwhile. `finish` waits for the last write.
 * A write that fails is reported by `check()`, which the loop calls every epoch: the run stops at
 * once (a full disk), not when the next snapshot or the end of the run comes, thousands of epochs on.
 */
import { analysisInput, computeAnalysis, encodeAnalysis } from '../artifacts/analysis';
import { writeArtifact } from '../artifacts/artifactWrite';
import type { Provenance } from '../artifacts/provenance';
import { snapshotFile, snapshotSchedule } from '../artifacts/snapshots';
import type { GraphDataset } from '../data/graph';
import { defaultGraphIndex, scopeAnalysis } from '../panels/graphScope';
import type { Trainer } from '../train/trainerTypes';

export interface SnapshotPlan {
  readonly runDir: string;
  readonly graph: GraphDataset;
  readonly provenance: Provenance;
  /** K log-spaced epochs over the run's maximum… */
  readonly count: number;
  readonly maxEpochs: number;
  /** …plus every checkpoint epoch. */
  readonly checkpointFreq: number;
  /** The newest checkpoint on disk, offered as the --resume point when a write fails. */
  readonly lastCheckpoint?: () => string | null;
}

export class SnapshotTaker {
  private readonly scheduled: ReadonlySet<number>;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown;
  /** Epochs written so far, and their bytes. */
  readonly taken: number[] = [];
  bytes = 0;

  constructor(private readonly plan: SnapshotPlan) {
    this.scheduled = new Set(snapshotSchedule(plan.maxEpochs, plan.count));
  }

  /** Whether the model after `completed` epochs is snapshotted. */
  wants(completed: number): boolean {
    return this.plan.count > 0 && (this.scheduled.has(completed) || completed % this.plan.checkpointFreq === 0);
  }

  /** Throws the first write that failed (a full disk, say), as soon as it has failed. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Analyses the trainer's current model as the state after `completed` epochs, and queues the write. */
  async take(trainer: Trainer, completed: number): Promise<void> {
    this.check();
    const { graph, provenance, runDir } = this.plan;
    const output = await trainer.analyze();
    const whole = computeAnalysis(analysisInput(output, graph, { ...provenance, epoch: completed }));
    const analysis = graph.graphs ? scopeAnalysis(whole, graph.graphs[defaultGraphIndex(graph)]) : whole;
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      try {
        const bytes = encodeAnalysis(analysis, { precision: 'float16' });
        await writeArtifact(snapshotFile(runDir, completed), bytes, { resumeFrom: this.plan.lastCheckpoint?.() ?? null });
        this.taken.push(completed);
        this.bytes += bytes.length;
      } catch (err) {
        this.failure = err; // reported by the next check(), take() or finish()
      }
    });
  }

  /** Waits for the queued writes; throws the first write failure (a full disk, say). */
  async finish(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure;
  }
}
