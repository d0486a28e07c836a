import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkEmbeddingSettings, embeddingCachePath, fitEmbeddingSettings, readCachedEmbedding, writeCachedEmbedding, DEFAULT_EMBEDDING_SETTINGS } from '../../src/gat/analysis/embeddingCache';
import { tempDir } from '../helpers/tempDir';

describe('t-SNE embedding cache', () => {
  it('stores one file per run and settings, and reads it back', async () => {
    const runDir = tempDir();
    const value = { format: 'gat-explorer/embedding/1' as const, runId: 'r', settings: DEFAULT_EMBEDDING_SETTINGS, kl: 1.2, seconds: 2, embedding: [0, 1, 2, 3, 4, 5] };
    await writeCachedEmbedding(runDir, value);
    assert.equal(path.basename(embeddingCachePath(runDir, DEFAULT_EMBEDDING_SETTINGS)), 'p30-i1000-s42.json');
    assert.deepEqual(await readCachedEmbedding(runDir, DEFAULT_EMBEDDING_SETTINGS, 3), value);
    assert.equal(await readCachedEmbedding(runDir, { ...DEFAULT_EMBEDDING_SETTINGS, seed: 1 }, 3), undefined, 'other settings miss');
  });

  it('ignores a cache for another graph size, an unknown format or corrupt JSON', async () => {
    const runDir = tempDir();
    const value = { format: 'gat-explorer/embedding/1' as const, runId: 'r', settings: DEFAULT_EMBEDDING_SETTINGS, kl: 1, seconds: 1, embedding: [0, 1] };
    await writeCachedEmbedding(runDir, value);
    assert.equal(await readCachedEmbedding(runDir, DEFAULT_EMBEDDING_SETTINGS, 2), undefined);
    mkdirSync(path.join(runDir, 'tsne'), { recursive: true });
    writeFileSync(embeddingCachePath(runDir, DEFAULT_EMBEDDING_SETTINGS), '{ not json');
    assert.equal(await readCachedEmbedding(runDir, DEFAULT_EMBEDDING_SETTINGS, 1), undefined);
  });

  it('maps a graph too small for the default perplexity with the largest it allows', () => {
    assert.equal(fitEmbeddingSettings(DEFAULT_EMBEDDING_SETTINGS, 2708), DEFAULT_EMBEDDING_SETTINGS);
    const small = fitEmbeddingSettings(DEFAULT_EMBEDDING_SETTINGS, 20);
    assert.deepEqual(small, { ...DEFAULT_EMBEDDING_SETTINGS, perplexity: 6 });
    assert.doesNotThrow(() => checkEmbeddingSettings(small, 20));
  });

  it('names the allowed range of each setting', () => {
    assert.doesNotThrow(() => checkEmbeddingSettings(DEFAULT_EMBEDDING_SETTINGS, 2708));
    assert.throws(() => checkEmbeddingSettings({ ...DEFAULT_EMBEDDING_SETTINGS, perplexity: 1000 }, 2708), /perplexity must be between 2 and 902 for 2708 points; got 1000/);
    assert.throws(() => checkEmbeddingSettings({ ...DEFAULT_EMBEDDING_SETTINGS, iterations: 10 }, 2708), /iterations must be a whole number from 250 to 10000/);
    assert.throws(() => checkEmbeddingSettings({ ...DEFAULT_EMBEDDING_SETTINGS, seed: -1 }, 2708), /seed must be a non-negative/);
  });
});
