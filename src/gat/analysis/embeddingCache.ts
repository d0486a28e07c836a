import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite';
import { readUserText, type ByteBudget } from '../io/userFile';

/** The t-SNE settings a user can change; together with the run they key the cache. */
export interface EmbeddingSettings {
  readonly perplexity: number;
  readonly iterations: number;
  readonly seed: number;
}

export const DEFAULT_EMBEDDING_SETTINGS: EmbeddingSettings = { perplexity: 30, iterations: 1000, seed: 42 };

export interface CachedEmbedding {
  readonly format: 'gat-explorer/embedding/1';
  readonly runId: string;
  readonly settings: EmbeddingSettings;
  readonly kl: number;
  readonly seconds: number;
  /** (N × 2) interleaved x, y. */
  readonly embedding: number[];
}

/**
 * runs/<run-id>/tsne/p30-i1000-s42.json: one file per settings, next to the run's other artifacts;
 * on an inductive dataset one per graph too (…-g23.json).
 */
export function embeddingCachePath(runDir: string, s: EmbeddingSettings, graphId?: number, epoch?: number): string {
  return path.join(runDir, 'tsne', `p${s.perplexity}-i${s.iterations}-s${s.seed}${graphId === undefined ? '' : `-g${graphId}`}${epoch === undefined ? '' : `-e${epoch}`}.json`);
}

/**
 * A cached map is two numbers of JSON per node, about 40 bytes: PPI's 57,000 nodes take 2–3 MB.
 * Past 64 MiB (or not a file at all) a cache is not trusted and the map is recomputed.
 */
const EMBEDDING_CACHE_BUDGET: ByteBudget = { what: 't-SNE cache', maxBytes: 64 << 20 };

/** `epoch`: the map of the snapshot after that many epochs (the epoch timeline), else of the trained model. */
export async function readCachedEmbedding(runDir: string, s: EmbeddingSettings, numNodes: number, graphId?: number, epoch?: number): Promise<CachedEmbedding | undefined> {
  let text: string;
  try {
    text = await readUserText(embeddingCachePath(runDir, s, graphId, epoch), EMBEDDING_CACHE_BUDGET);
  } catch {
    return undefined;
  }
  try {
    const cached = JSON.parse(text) as CachedEmbedding;
    // A cache from another format or a different graph is recomputed, not trusted.
    if (cached.format !== 'gat-explorer/embedding/1' || !Array.isArray(cached.embedding) || cached.embedding.length !== 2 * numNodes || !cached.embedding.every(Number.isFinite)) return undefined;
    return cached;
  } catch {
    return undefined;
  }
}

export async function writeCachedEmbedding(runDir: string, value: CachedEmbedding, graphId?: number, epoch?: number): Promise<void> {
  await writeFileAtomic(embeddingCachePath(runDir, value.settings, graphId, epoch), JSON.stringify(value));
}

/**
 * The settings for a map of `numNodes` points: a perplexity above (N − 1) / 3 has too few
 * neighbours to mean what it says, so a small graph (a PPI-format dataset of 20-node graphs) is
 * mapped with the largest that does, instead of failing. Explicit user choices are checked instead.
 */
export function fitEmbeddingSettings(s: EmbeddingSettings, numNodes: number): EmbeddingSettings {
  const max = Math.max(1, Math.floor((numNodes - 1) / 3));
  return s.perplexity > max ? { ...s, perplexity: max } : s;
}

/** Validates settings typed by a user, with the allowed ranges in the message. */
export function checkEmbeddingSettings(s: EmbeddingSettings, numNodes: number): void {
  const maxPerplexity = Math.floor((numNodes - 1) / 3);
  if (!(Number.isFinite(s.perplexity) && s.perplexity >= 2 && s.perplexity <= maxPerplexity)) throw new RangeError(`perplexity must be between 2 and ${maxPerplexity} for ${numNodes} points; got ${s.perplexity}`);
  if (!(Number.isInteger(s.iterations) && s.iterations >= 250 && s.iterations <= 10_000)) throw new RangeError(`iterations must be a whole number from 250 to 10000; got ${s.iterations}`);
  if (!(Number.isInteger(s.seed) && s.seed >= 0)) throw new RangeError(`seed must be a non-negative whole number; got ${s.seed}`);
}
