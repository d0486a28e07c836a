/**
 * DictionaryLookup, the problem Brody, Alon and Yahav built to show GAT's static attention
 * ("How Attentive are Graph Attention Networks?", ICLR 2022, §4.1; their code's
 * dictionary_lookup task), generated in memory from a fixed seed.
 *
 * Each graph is a complete bipartite graph between k keys and k queries, with directed edges
 * key → query only (the paper's edge_index: sources are the keys, targets the queries), so a query
 * attends to every key and a key to nothing but itself. Key i carries the attribute i and a value;
 * query q carries the attribute q and no value. A query must output the value of the key with its
 * attribute: k classes. The values are a permutation of 0..k−1, different in every graph, so no
 * query can answer from its own features, and every query must rank the keys by its own attribute:
 * the best key differs per query, which GAT's attention (one global ranking of keys) cannot express.
 *
 * Nodes of graph g: queries at g·2k … g·2k + k − 1 (query q = attribute q), then keys at
 * g·2k + k … g·2k + 2k − 1 (key i = attribute i). Features, 2k + 1 columns, two ones per node:
 * the attribute's one-hot (columns 0 … k − 1), then the value's (columns k … 2k − 1), or for a
 * query column 2k, "no value" (the paper's empty id; their model embeds the two ids and sums,
 * which is a linear map of this concatenated one-hot). Only queries are labelled: the split lists
 * query nodes only; a key's label is its own value, so panels can colour it, and it is never scored.
 *
 * Graphs: train, validation and test graphs are different permutations (the paper draws up to
 * 32,000 permutations and keeps 80 % for training; here fewer, see DICTIONARY_LOOKUP.graphs). With
 * k! too small for every split (k = 2: two permutations, k = 3: six), the permutations are shared
 * out, test first, and validation reuses the test graphs' permutations.
 */
import { sha256OfArrays } from './checksums';
import type { CsrMatrix, GraphDataset, GraphPart } from './graph';
import { seededRandom, shuffledRange, type SeededRandom } from './seededRandom';

export const DICTIONARY_LOOKUP = {
  /** The name on the command line; a generated dataset is named `dictionary-lookup-k<K>`. */
  name: 'dictionary-lookup',
  /** The paper's default size (their --size). */
  defaultK: 10,
  minK: 2,
  /** The paper's largest (Figure 3 goes to k = 100). */
  maxK: 100,
  /** The seed of the datasets loadDataset gives by name. */
  seed: 1,
  /** Graphs per split when k! allows: distinct permutations. */
  graphs: { train: 1000, val: 100, test: 200 },
} as const;

/** The name of DictionaryLookup with k keys, `dictionary-lookup-k<K>`: what a run records and reloads by. */
export function dictionaryLookupName(k: number): string {
  return `${DICTIONARY_LOOKUP.name}-k${k}`;
}

/**
 * The k a dataset name asks for: `dictionary-lookup` → the default, `dictionary-lookup-k<K>` → K
 * (any case); undefined for any other name. K out of range is returned as it is (the caller refuses it).
 */
export function dictionaryLookupK(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower === DICTIONARY_LOOKUP.name) return DICTIONARY_LOOKUP.defaultK;
  const m = /^dictionary-lookup-k(\d{1,6})$/.exec(lower);
  return m ? Number(m[1]) : undefined;
}

/** Why k makes no dataset, or undefined. */
export function dictionaryLookupKProblem(k: number): string | undefined {
  const { minK, maxK } = DICTIONARY_LOOKUP;
  if (!Number.isInteger(k) || k < minK || k > maxK) return `k must be a whole number from ${minK} to ${maxK} (keys per graph); got ${k}`;
  return undefined;
}

/** How many distinct permutations each split gets, and whether validation reuses the test ones. */
export function graphCounts(k: number): { train: number; val: number; test: number; valReusesTest: boolean } {
  const wanted = DICTIONARY_LOOKUP.graphs;
  const available = factorialCapped(k, wanted.train + wanted.val + wanted.test);
  if (available >= wanted.train + wanted.val + wanted.test) return { ...wanted, valReusesTest: false };
  // k! is small: a fifth for testing (at least one), a tenth for validation when that leaves one to train on.
  const test = Math.max(1, Math.round(available * 0.2));
  const val = available - test >= 3 ? Math.max(1, Math.round(available * 0.1)) : 0;
  return { train: available - test - val, val: val || test, test, valReusesTest: val === 0 };
}

/** min(k!, cap), without overflowing. */
function factorialCapped(k: number, cap: number): number {
  let f = 1;
  for (let i = 2; i <= k && f < cap; i++) f *= i;
  return Math.min(f, cap);
}

/** `count` distinct permutations of 0..k−1: all of them in a shuffled order when k! ≤ count is needed, else drawn. */
function distinctPermutations(k: number, count: number, random: SeededRandom): Int32Array[] {
  const seen = new Set<string>();
  const out: Int32Array[] = [];
  const all = factorialCapped(k, count + 1);
  if (all <= count) {
    // Every permutation: enumerate them (k ≤ 6 here), then shuffle the list.
    const perms = permutationsOf(k);
    const order = shuffledRange(perms.length, random);
    return Array.from(order, (i) => perms[i]);
  }
  while (out.length < count) {
    const p = shuffledRange(k, random);
    const key = p.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** Every permutation of 0..k−1 in lexicographic order (small k only). */
function permutationsOf(k: number): Int32Array[] {
  const out: Int32Array[] = [];
  const walk = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) out.push(Int32Array.from(prefix));
    rest.forEach((v, i) => walk([...prefix, v], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  walk([], Array.from({ length: k }, (_, i) => i));
  return out;
}

/** DictionaryLookup with k keys per graph, from `seed`. Throws a RangeError for an invalid k. */
export function generateDictionaryLookup(k: number, seed: number = DICTIONARY_LOOKUP.seed): GraphDataset {
  const problem = dictionaryLookupKProblem(k);
  if (problem) throw new RangeError(problem);
  const random = seededRandom(seed);
  const counts = graphCounts(k);
  const distinct = counts.train + (counts.valReusesTest ? 0 : counts.val) + counts.test;
  const perms = distinctPermutations(k, distinct, random);
  // Test first, so that validation can reuse its permutations when k! is small.
  const testPerms = perms.slice(0, counts.test);
  const valPerms = counts.valReusesTest ? testPerms : perms.slice(counts.test, counts.test + counts.val);
  const trainPerms = perms.slice(distinct - counts.train);
  const splits: Array<[GraphPart['split'], Int32Array[]]> = [['train', trainPerms], ['val', valPerms], ['test', testPerms]];

  const perGraph = 2 * k;
  const numGraphs = trainPerms.length + valPerms.length + testPerms.length;
  const n = numGraphs * perGraph;
  const labels = new Int32Array(n);
  const graphs: GraphPart[] = [];
  const queries: Record<GraphPart['split'], Int32Array> = { train: new Int32Array(trainPerms.length * k), val: new Int32Array(valPerms.length * k), test: new Int32Array(testPerms.length * k) };
  const valueOf = new Int32Array(n); // column of each node's value: a key's value, k for a query ("no value")
  let g = 0;
  for (const [split, list] of splits) {
    list.forEach((perm, at) => {
      const start = g * perGraph;
      graphs.push({ id: g, split, nodeStart: start, numNodes: perGraph });
      for (let q = 0; q < k; q++) {
        labels[start + q] = perm[q]; // the value of key q, which has query q's attribute
        valueOf[start + q] = k;
        queries[split][at * k + q] = start + q;
      }
      for (let i = 0; i < k; i++) {
        labels[start + k + i] = perm[i];
        valueOf[start + k + i] = perm[i];
      }
      g++;
    });
  }
  const features = oneHotFeatures(n, k, valueOf);
  const { edgeSource, edgeTarget } = keyToQueryEdges(numGraphs, k);
  const name = dictionaryLookupName(k);
  const split = { train: queries.train, val: queries.val, test: queries.test };
  const checksum = sha256OfArrays([labels, edgeSource, edgeTarget, features.indptr, features.indices, features.values, split.train, split.val, split.test]);
  return {
    name,
    format: 'generated',
    numNodes: n,
    numFeatures: features.cols,
    numClasses: k,
    classNames: Array.from({ length: k }, (_, v) => `value ${v}`),
    features,
    featureNonZeros: features.values.length,
    labels,
    graphs,
    directed: true,
    edgeSource,
    edgeTarget,
    split,
    // Nothing was read: the one "checksum" is of what was generated, so a run records exactly which graphs it saw.
    checksums: { [`${name}.generated`]: checksum },
    sourceDir: '',
  };
}

/** Attribute one-hot then value one-hot (k + 1 columns, the last "no value"): two ones per node. */
function oneHotFeatures(n: number, k: number, valueOf: Int32Array): CsrMatrix {
  const indices = new Int32Array(2 * n);
  for (let v = 0; v < n; v++) {
    indices[2 * v] = v % (2 * k) % k; // a query's and a key's attribute is its place among its kind
    indices[2 * v + 1] = k + valueOf[v];
  }
  return { rows: n, cols: 2 * k + 1, indptr: Int32Array.from({ length: n + 1 }, (_, i) => 2 * i), indices, values: new Float32Array(2 * n).fill(1) };
}

/** Every key → every query of its graph, sorted by (target, source) as GraphDataset requires. */
function keyToQueryEdges(numGraphs: number, k: number): { edgeSource: Int32Array; edgeTarget: Int32Array } {
  const edgeSource = new Int32Array(numGraphs * k * k);
  const edgeTarget = new Int32Array(numGraphs * k * k);
  let e = 0;
  for (let g = 0; g < numGraphs; g++) {
    const start = g * 2 * k;
    for (let q = 0; q < k; q++) {
      for (let i = 0; i < k; i++) {
        edgeSource[e] = start + k + i;
        edgeTarget[e++] = start + q;
      }
    }
  }
  return { edgeSource, edgeTarget };
}
