/**
 * A run's training snapshots for the panels' timelines: which epochs exist, each decoded once and
 * kept in a small LRU cache (a Cora snapshot decodes to ~1 MB, so 40 hold a whole run), and the
 * frames of one view across them.
 */
import * as path from 'node:path';
import type { Analysis } from '../artifacts/analysis';
import { listSnapshots, readSnapshot } from '../artifacts/snapshots';
import type { GraphPart } from '../data/graph';
import { defaultGraphIndex } from '../panels/graphScope';
import type { TimelineFrame } from '../../protocol/timeline';

export class RunSnapshots {
  private readonly cache = new Map<string, Promise<Analysis>>();

  constructor(
    private readonly outDir: () => string | undefined,
    private readonly capacity = 40,
  ) {}

  private runDir(runId: string): string | undefined {
    const out = this.outDir();
    return out ? path.join(out, 'runs', runId) : undefined;
  }

  async epochs(runId: string): Promise<number[]> {
    const dir = this.runDir(runId);
    return dir ? listSnapshots(dir) : [];
  }

  read(runId: string, epoch: number): Promise<Analysis> {
    const dir = this.runDir(runId);
    if (!dir) return Promise.reject(new Error('no output folder'));
    const key = `${dir}#${epoch}`;
    let pending = this.cache.get(key);
    if (pending) this.cache.delete(key); // re-inserted below: most recently used last
    else {
      pending = readSnapshot(dir, epoch);
      pending.catch(() => this.cache.delete(key));
    }
    this.cache.set(key, pending);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return pending;
  }

  /**
   * `build` applied to every readable snapshot, then to the trained model's analysis as the last
   * frame; undefined when the run has no snapshots or `build` declines them all (a view the
   * snapshots do not cover). A snapshot that cannot be read is left out of the timeline.
   */
  async frames<T>(runId: string, final: Analysis, build: (snapshot: Analysis, scope: SnapshotScope) => T | undefined, buildFinal: (a: Analysis) => T): Promise<TimelineFrame<T>[] | undefined> {
    const epochs = await this.epochs(runId);
    const scope = snapshotScope(final);
    const frames: TimelineFrame<T>[] = [];
    for (const epoch of epochs) {
      const snapshot = await this.read(runId, epoch).catch(() => undefined);
      const data = snapshot && build(snapshot, scope);
      if (data !== undefined) frames.push({ epoch, final: false, data });
    }
    if (frames.length === 0) return undefined;
    frames.push({ epoch: final.provenance.epoch ?? epochs[epochs.length - 1], final: true, data: buildFinal(final) });
    return frames;
  }
}

/** Where a snapshot's nodes sit in the dataset: PPI-format runs snapshot one graph (see snapshots.ts). */
export interface SnapshotScope {
  /** The snapshotted graph, or undefined when the snapshot holds the whole dataset. */
  readonly part: GraphPart | undefined;
  /** Dataset node id → snapshot node id, or undefined outside the snapshot. */
  local(node: number): number | undefined;
}

export function snapshotScope(a: Pick<Analysis, 'graphs'>): SnapshotScope {
  const part = a.graphs?.[defaultGraphIndex(a)];
  if (!part) return { part: undefined, local: (node) => node };
  return { part, local: (node) => (node >= part.nodeStart && node < part.nodeStart + part.numNodes ? node - part.nodeStart : undefined) };
}
