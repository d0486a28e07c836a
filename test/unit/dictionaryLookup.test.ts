import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DICTIONARY_LOOKUP, dictionaryLookupK, generateDictionaryLookup, graphCounts } from '../../src/gat/data/dictionaryLookup';
import { generatedDataset } from '../../src/gat/data/generatedDatasets';
import type { GraphDataset } from '../../src/gat/data/graph';
import { buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { summarize, undirectedEdges } from '../../src/gat/stats/graphStats';
import { cutGraphs, mergeBatch } from '../../src/gat/train/graphBatches';
import { recipeFor } from '../../src/gat/train/recipes';

/** The attribute and value of node v, read back from its two one-hot columns (value k: none). */
function attributeAndValue(g: GraphDataset, k: number, v: number): [number, number] {
  const cols = Array.from(g.features.indices.subarray(g.features.indptr[v], g.features.indptr[v + 1]));
  assert.equal(cols.length, 2, `node ${v} has two ones`);
  return [cols[0], cols[1] - k];
}

describe('DictionaryLookup (generated, the GATv2 paper §4.1)', () => {
  it('each graph is k queries then k keys, with every key → query edge and no other', () => {
    const k = 4;
    const g = generateDictionaryLookup(k);
    assert.equal(g.numFeatures, 2 * k + 1);
    assert.equal(g.numClasses, k);
    assert.equal(g.directed, true);
    for (const part of g.graphs!) {
      assert.equal(part.numNodes, 2 * k);
      const start = part.nodeStart;
      const edges = new Set<string>();
      for (let e = 0; e < g.edgeSource.length; e++) if (g.edgeTarget[e] >= start && g.edgeTarget[e] < start + 2 * k) edges.add(`${g.edgeSource[e] - start}>${g.edgeTarget[e] - start}`);
      const expected = new Set<string>();
      for (let q = 0; q < k; q++) for (let i = 0; i < k; i++) expected.add(`${k + i}>${q}`);
      assert.deepEqual(edges, expected, `graph ${part.id}: keys send to queries only`);
    }
    // Sorted by (target, source), as every GraphDataset is.
    for (let e = 1; e < g.edgeSource.length; e++) assert.ok(g.edgeTarget[e - 1] < g.edgeTarget[e] || (g.edgeTarget[e - 1] === g.edgeTarget[e] && g.edgeSource[e - 1] < g.edgeSource[e]));
  });

  it("a query's label is the value of the key with its attribute; queries have no value", () => {
    const k = 6;
    const g = generateDictionaryLookup(k);
    for (const part of g.graphs!) {
      const keyValue = new Map<number, number>();
      for (let i = 0; i < k; i++) {
        const [attr, value] = attributeAndValue(g, k, part.nodeStart + k + i);
        assert.ok(value >= 0 && value < k);
        keyValue.set(attr, value);
      }
      assert.equal(keyValue.size, k, 'every attribute once among the keys');
      assert.deepEqual(new Set(keyValue.values()).size, k, 'the values are a permutation');
      for (let q = 0; q < k; q++) {
        const [attr, value] = attributeAndValue(g, k, part.nodeStart + q);
        assert.equal(value, k, 'a query has the "no value" column');
        assert.equal(g.labels[part.nodeStart + q], keyValue.get(attr));
      }
    }
  });

  it('the split lists only query nodes, each graph wholly in one split; train, validation and test permutations differ', () => {
    const k = 10;
    const g = generateDictionaryLookup(k);
    const counts = graphCounts(k);
    assert.deepEqual(counts, { ...DICTIONARY_LOOKUP.graphs, valReusesTest: false });
    const perm = (start: number): string => Array.from(g.labels.subarray(start, start + k)).join(',');
    const seen = new Map<string, string>();
    for (const part of g.graphs!) {
      const p = perm(part.nodeStart);
      assert.equal(seen.get(p), undefined, `permutation ${p} appears twice`);
      seen.set(p, part.split);
      const listed = Array.from(g.split[part.split]).filter((v) => v >= part.nodeStart && v < part.nodeStart + 2 * k);
      assert.deepEqual(listed, Array.from({ length: k }, (_, q) => part.nodeStart + q), `graph ${part.id}: its queries only`);
    }
    assert.equal(g.split.train.length, counts.train * k);
    assert.equal(g.split.val.length, counts.val * k);
    assert.equal(g.split.test.length, counts.test * k);
  });

  it('with k! too small for three splits, every permutation is used and validation reuses the test ones', () => {
    assert.deepEqual(graphCounts(2), { train: 1, val: 1, test: 1, valReusesTest: true });
    assert.deepEqual(graphCounts(3), { train: 4, val: 1, test: 1, valReusesTest: false });
    assert.deepEqual(graphCounts(5), { train: 84, val: 12, test: 24, valReusesTest: false });
    const g = generateDictionaryLookup(3);
    const perms = g.graphs!.map((p) => Array.from(g.labels.subarray(p.nodeStart, p.nodeStart + 3)).join(','));
    assert.equal(new Set(perms).size, 6, 'all 3! permutations');
    const two = generateDictionaryLookup(2);
    const [train, val, test] = ['train', 'val', 'test'].map((s) => two.graphs!.find((p) => p.split === s)!);
    const at = (p: typeof train): string => Array.from(two.labels.subarray(p.nodeStart, p.nodeStart + 2)).join(',');
    assert.notEqual(at(train), at(test));
    assert.equal(at(val), at(test));
  });

  it('is the same bytes every time; its name carries k, and a name with another k is another dataset', () => {
    const a = generateDictionaryLookup(10);
    assert.equal(a.name, 'dictionary-lookup-k10');
    assert.deepEqual(generateDictionaryLookup(10).checksums, a.checksums);
    // Pinned: a run reloads its dataset by name, so the generator (and seededRandom's sequence) must not drift.
    assert.deepEqual(a.checksums, { 'dictionary-lookup-k10.generated': '0ad7de1c1e956daa7c82f7efde5fc9c873ecb854897c64d818cfe1e984a05fd2' });
    assert.deepEqual(generateDictionaryLookup(2).checksums, { 'dictionary-lookup-k2.generated': 'a1fc83bffc40b70c88869ba9bfcbe8268a1a217b77ab57943b8c6b88fab6dfcd' });
    assert.notDeepEqual(generateDictionaryLookup(10, 2).checksums, a.checksums);
    assert.equal(dictionaryLookupK('dictionary-lookup'), 10);
    assert.equal(dictionaryLookupK('Dictionary-Lookup-K7'), 7);
    assert.equal(dictionaryLookupK('dictionary-lookup-7'), undefined);
    assert.equal(generatedDataset('dictionary-lookup')!.generate().name, 'dictionary-lookup-k10');
    assert.equal(generatedDataset('dictionary-lookup-k4')!.generate().numClasses, 4);
    assert.throws(() => generatedDataset('dictionary-lookup-k1'), /k must be a whole number from 2 to 100/);
    assert.throws(() => generateDictionaryLookup(101), RangeError);
  });

  it('training and evaluation batches score only the queries of their graphs', () => {
    const k = 5;
    const g = generateDictionaryLookup(k);
    const pieces = cutGraphs(g, buildGatGraph(g));
    const train = pieces.filter((p) => p.part.split === 'train').slice(0, 3);
    for (const p of train) assert.deepEqual(Array.from(p.labelled), [0, 1, 2, 3, 4]);
    const batch = mergeBatch(train, g);
    assert.deepEqual(Array.from(batch.trainNodes), [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24]);
    for (const v of batch.trainNodes) assert.equal(batch.labels[v], g.labels[train[Math.floor(v / (2 * k))].part.nodeStart + (v % (2 * k))]);
  });

  it('trains with its own recipe (not PPI\'s), smaller batches for small k', () => {
    const r = recipeFor(generateDictionaryLookup(10));
    assert.equal(r.name, 'dictionary-lookup');
    assert.deepEqual([r.heads, r.hidden, r.dropout, r.skipConnection, r.batchSize], [[1, 1], [128], 0, true, 64]);
    assert.equal(recipeFor(generateDictionaryLookup(5)).batchSize, 6); // 84 training graphs: ~16 steps an epoch
    assert.equal(recipeFor(generateDictionaryLookup(2)).batchSize, 1);
  });

  it('statistics take the one-way edges as undirected: no key is isolated, every pair counted once', () => {
    const k = 3;
    const g = generateDictionaryLookup(k);
    const s = summarize(g);
    assert.equal(s.directedEdges, g.graphs!.length * k * k);
    assert.equal(s.undirectedEdges, g.graphs!.length * k * k);
    assert.equal(s.isolatedNodes, 0);
    assert.equal(s.maxDegree, k);
    const { u, v } = undirectedEdges(g);
    assert.equal(u.length, g.graphs!.length * k * k, 'every edge once (half of them were dropped before)');
    for (let e = 0; e < u.length; e++) assert.ok(u[e] < v[e]);
  });
});
