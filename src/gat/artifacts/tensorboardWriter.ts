/**
 * TensorBoard event files, so `tensorboard --logdir=runs` shows our curves as it did pytorch-GAT's.
 * Each record is TFRecord-framed: u64 LE length | masked CRC32C(length) | data | masked CRC32C(data).
 * The file is opened once and records are appended with one write each; fsync happens only at
 * flush() (call it at checkpoints) and close(). A kill leaves every complete record readable.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EpochMetrics } from '../../protocol/trainingEvents';
import { ArtifactWriteError, describeWriteFailure } from './artifactWrite';
import { maskedCrc32c } from './crc32c';
import { encodeFileVersionEvent, encodeScalarEvent } from './tfEventProto';

/** The scalar tags pytorch-GAT's training script logs, kept so curves line up across tools. */
export const TENSORBOARD_TAGS = {
  trainLoss: 'training_loss',
  trainAcc: 'training_acc',
  valLoss: 'val_loss',
  valAcc: 'val_acc',
} as const;

/** pytorch-GAT's PPI script logs micro-F1 under these tags instead of the accuracies. */
export const MICRO_F1_TAGS = { trainAcc: 'training_micro_f1', valAcc: 'val_micro_f1' } as const;

export function eventFileName(wallSeconds: number, hostname: string): string {
  return `events.out.tfevents.${Math.floor(wallSeconds)}.${hostname}`;
}

/** One TFRecord: length, its masked CRC, the data, its masked CRC. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

export interface EventFileOptions {
  /** Start time (default now); names the file and stamps the version record. */
  readonly now?: Date;
  readonly hostname?: string;
  /** What trainAcc/valAcc hold: accuracy (default) or micro-F1, which is logged under the PPI script's tags. */
  readonly metric?: 'accuracy' | 'micro-F1';
}

export class EventFileWriter {
  private fd: number | null;

  private constructor(
    readonly path: string,
    fd: number,
    private readonly tags: { readonly trainAcc: string; readonly valAcc: string },
  ) {
    this.fd = fd;
  }

  /** Creates a new event file in `dir` (never appends to another writer's file) and writes the version record. */
  static open(dir: string, options: EventFileOptions = {}): EventFileWriter {
    const now = options.now ?? new Date();
    const base = path.join(dir, eventFileName(now.getTime() / 1000, options.hostname ?? os.hostname()));
    let target = base;
    try {
      mkdirSync(dir, { recursive: true });
      for (let n = 1; ; n++) {
        try {
          const writer = new EventFileWriter(target, openSync(target, 'wx'), options.metric === 'micro-F1' ? MICRO_F1_TAGS : TENSORBOARD_TAGS);
          writer.append(encodeFileVersionEvent(now.getTime() / 1000));
          return writer;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          target = `${base}.${n}`; // TensorBoard reads every file matching *tfevents*
        }
      }
    } catch (err) {
      if (err instanceof ArtifactWriteError) throw err;
      throw new ArtifactWriteError(target, describeWriteFailure(target, err), err);
    }
  }

  addScalar(tag: string, value: number, step: number, wallTime: number = Date.now() / 1000): void {
    this.append(encodeScalarEvent(wallTime, step, [{ tag, value }]));
  }

  /** The four curves of one epoch, one Event each (as SummaryWriter.add_scalar writes them). */
  addEpochMetrics(m: EpochMetrics, wallTime: number = Date.now() / 1000): void {
    this.addScalar(TENSORBOARD_TAGS.trainLoss, m.trainLoss, m.epoch, wallTime);
    this.addScalar(this.tags.trainAcc, m.trainAcc, m.epoch, wallTime);
    this.addScalar(TENSORBOARD_TAGS.valLoss, m.valLoss, m.epoch, wallTime);
    this.addScalar(this.tags.valAcc, m.valAcc, m.epoch, wallTime);
  }

  /** Makes everything appended so far durable. */
  flush(): void {
    const fd = this.requireOpen();
    try {
      fsyncSync(fd);
    } catch (err) {
      throw new ArtifactWriteError(this.path, describeWriteFailure(this.path, err), err);
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private append(data: Uint8Array): void {
    const fd = this.requireOpen();
    const record = frameRecord(data);
    try {
      for (let off = 0; off < record.length; ) off += writeSync(fd, record, off, record.length - off);
    } catch (err) {
      throw new ArtifactWriteError(this.path, describeWriteFailure(this.path, err), err);
    }
  }

  private requireOpen(): number {
    if (this.fd === null) throw new Error(`event file ${this.path} is already closed`);
    return this.fd;
  }
}
