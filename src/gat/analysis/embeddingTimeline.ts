/**
 * The embedding map of each training snapshot, for the embedding panel's timeline. Each map starts
 * from its later neighbour's (the trained model's map first) and runs a short t-SNE without early
 * exaggeration, so a point moves only as far as the outputs changed and the animation stays
 * readable; maps are cached next to the trained model's (runs/<id>/tsne/…-e<E>.json).
 */
import type { Analysis } from '../artifacts/analysis';
import type { TsneOptions } from '../tsne/options';
import type { TsneResult } from '../tsne/tsne';
import { readCachedEmbedding, writeCachedEmbedding, type EmbeddingSettings } from './embeddingCache';

/** Iterations of a continued map: enough for the neighbourhoods to settle, from a nearby start. */
export const CONTINUED_ITERATIONS = 300;

export interface SnapshotMapsInput {
  readonly runDir: string;
  readonly runId: string;
  /** Snapshot epochs, ascending. */
  readonly epochs: readonly number[];
  /** The snapshot's analysis (of the mapped points), or undefined when it does not cover them. */
  readonly read: (epoch: number) => Promise<Analysis | undefined>;
  /** The trained model's map (N × 2), where the chain starts. */
  readonly finalEmbedding: ArrayLike<number>;
  readonly settings: EmbeddingSettings;
  readonly graphId?: number;
  /** Runs t-SNE off the caller's thread (runTsneInWorker). */
  readonly compute: (points: Float32Array, n: number, dims: number, options: TsneOptions) => Promise<TsneResult>;
  /** Each map as it is ready (latest epoch first). */
  readonly onMap?: (epoch: number, embedding: Float64Array, done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Epoch → map, for every snapshot that covers the points. */
export async function snapshotMaps(input: SnapshotMapsInput): Promise<Map<number, Float64Array>> {
  const maps = new Map<number, Float64Array>();
  let previous: Float64Array = Float64Array.from(input.finalEmbedding);
  const order = [...input.epochs].reverse();
  for (const [k, epoch] of order.entries()) {
    if (input.signal?.aborted) break;
    const snapshot = await input.read(epoch);
    if (!snapshot) continue;
    const n = snapshot.numNodes;
    if (2 * n !== previous.length) continue; // another set of points: nothing to continue from
    const cached = await readCachedEmbedding(input.runDir, input.settings, n, input.graphId, epoch);
    let embedding: Float64Array;
    if (cached) embedding = Float64Array.from(cached.embedding);
    else {
      const result = await input.compute(snapshot.outputs, n, snapshot.numClasses, { perplexity: input.settings.perplexity, seed: input.settings.seed, iterations: CONTINUED_ITERATIONS, exaggerationIterations: 0, initialEmbedding: previous });
      embedding = result.embedding;
      const value = { format: 'gat-explorer/embedding/1' as const, runId: input.runId, settings: input.settings, kl: result.kl, seconds: result.timings.totalSeconds, embedding: Array.from(embedding, (v) => Math.round(v * 1e4) / 1e4) };
      await writeCachedEmbedding(input.runDir, value, input.graphId, epoch).catch(() => undefined); // a read-only run folder still animates
    }
    maps.set(epoch, embedding);
    input.onMap?.(epoch, embedding, k + 1, order.length);
    previous = embedding;
  }
  return maps;
}
