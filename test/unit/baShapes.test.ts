import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { BA_SHAPES, barabasiAlbert, generateBaShapes } from '../../src/gat/data/baShapes';
import { loadDatasetInWorker } from '../../src/gat/data/datasetWorkerProtocol';
import { isMotifEdge, neighbourOffsets, neighboursOf, type GraphDataset } from '../../src/gat/data/graph';
import { loadDataset } from '../../src/gat/data/loadDataset';
import { buildNodeRecord } from '../../src/gat/records/nodeRecord';
import { seededRandom, shuffledRange } from '../../src/gat/data/seededRandom';
import { validateDataset } from '../../src/gat/model/validateDataset';
import { runPythonJson } from '../helpers/python';

const BASE = 300;
const HOUSES = 80;
const N = BASE + 5 * HOUSES;
/** Barabási–Albert with m = 5 on 300 nodes: each of nodes 5…299 brings 5 edges. */
const BA_EDGES = (BASE - 5) * 5;
const RANDOM_EDGES = 70; // 0.1 · N
const HOUSE_EDGES = 6;

/** Undirected edges (u < v) of a dataset, from its directed list. */
function undirected(g: GraphDataset): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let e = 0; e < g.edgeSource.length; e++) if (g.edgeSource[e] < g.edgeTarget[e]) out.push([g.edgeSource[e], g.edgeTarget[e]]);
  return out;
}

const houseOf = (v: number): number => (v < BASE ? -1 : Math.floor((v - BASE) / 5));

/** Every invariant of the recipe that holds whatever the seed. */
function checkRecipe(g: GraphDataset): void {
  assert.equal(g.numNodes, N);
  const sizes = [0, 0, 0, 0];
  for (const l of g.labels) sizes[l]++;
  assert.deepEqual(sizes, [300, 160, 160, 80], 'base, middle, bottom, top');
  for (let v = 0; v < N; v++) assert.equal(g.motifs![v], houseOf(v), `node ${v}'s house`);

  const edges = undirected(g);
  assert.equal(edges.length, BA_EDGES + HOUSES * HOUSE_EDGES + HOUSES + RANDOM_EDGES);
  const offsets = neighbourOffsets(g);
  const has = (a: number, b: number): boolean => neighboursOf(g, offsets, a).includes(b);
  for (let h = 0; h < HOUSES; h++) {
    const s = BASE + 5 * h;
    const inside = edges.filter(([u, v]) => houseOf(u) === h && houseOf(v) === h);
    assert.equal(inside.length, HOUSE_EDGES, `house ${h} has exactly its six edges`);
    // Roles: the apex (top) joins both middles; the middles join each other; each bottom joins one middle and the other bottom.
    assert.deepEqual(Array.from(g.labels.subarray(s, s + 5)), [1, 1, 2, 2, 3]);
    assert.ok(has(s + 4, s) && has(s + 4, s + 1) && has(s, s + 1) && has(s + 1, s + 2) && has(s + 2, s + 3) && has(s + 3, s));
    assert.ok(neighboursOf(g, offsets, s).some((v) => v < BASE), `house ${h} hangs from a base node`);
  }
  for (const [u, v] of edges) assert.equal(isMotifEdge(g, u, v), houseOf(u) >= 0 && houseOf(u) === houseOf(v));
}

describe('BA-Shapes (generated, the GNNExplainer recipe)', () => {
  const g = generateBaShapes('ba-shapes', 'constant');
  const informative = generateBaShapes('ba-shapes-informative', 'informative');

  it('has the published counts: 700 nodes, 80 houses of 5, classes 300/160/160/80, 1475 + 480 + 80 + 70 edges', () => {
    checkRecipe(g);
    assert.equal(g.edgeSource.length, 2 * 2105);
    assert.deepEqual(g.classNames, ['base', 'middle', 'bottom', 'top']);
    validateDataset(g);
    validateDataset(informative);
  });

  it('is exactly a Barabási–Albert graph, the houses, one anchor edge each and 70 random edges (stages re-derived from the seed)', () => {
    const random = seededRandom(BA_SHAPES.seed);
    const ba = new Set<string>();
    const perSource = new Map<number, number[]>();
    barabasiAlbert(BASE, 5, random, (a, b) => {
      ba.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
      perSource.set(Math.max(a, b), [...(perSource.get(Math.max(a, b)) ?? []), Math.min(a, b)]);
    });
    assert.equal(ba.size, BA_EDGES);
    for (let s = 5; s < BASE; s++) assert.equal(new Set(perSource.get(s)).size, 5, `node ${s} joins 5 distinct earlier nodes`);
    assert.deepEqual(perSource.get(5), [0, 1, 2, 3, 4]);
    const anchors = shuffledRange(BASE, random).subarray(0, HOUSES);
    const rest = undirected(g).filter(([u, v]) => {
      const key = `${u}-${v}`;
      if (ba.has(key)) return ba.delete(key) && false;
      if (houseOf(u) >= 0 && houseOf(u) === houseOf(v)) return false;
      const h = houseOf(v);
      if (u < BASE && h >= 0 && v === BASE + 5 * h && anchors[h] === u) return false;
      return true;
    });
    assert.equal(ba.size, 0, 'every Barabási–Albert edge is in the dataset');
    assert.equal(rest.length, RANDOM_EDGES, 'what is left are the 70 random edges');
    assert.equal(new Set(anchors).size, HOUSES, 'the houses hang from 80 different base nodes');
  });

  it('grows hubs by preferential attachment (a base node of degree far above m)', () => {
    const offsets = neighbourOffsets(g);
    let max = 0;
    for (let v = 0; v < BASE; v++) max = Math.max(max, offsets[v + 1] - offsets[v]);
    assert.ok(max >= 30, `max base degree ${max}`);
  });

  it('holds every invariant for other seeds too (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => checkRecipe(generateBaShapes('ba-shapes', 'constant', seed))),
      { seed: 27, numRuns: 15 },
    );
  });

  it('keeps the edge list as GraphDataset requires: both directions, sorted by (target, source), no duplicates, no self-loops', () => {
    for (let e = 1; e < g.edgeSource.length; e++) {
      const before = g.edgeTarget[e - 1] * N + g.edgeSource[e - 1];
      assert.ok(before < g.edgeTarget[e] * N + g.edgeSource[e], `edge ${e} out of order or repeated`);
    }
    const directed = new Set<number>();
    for (let e = 0; e < g.edgeSource.length; e++) {
      assert.notEqual(g.edgeSource[e], g.edgeTarget[e]);
      directed.add(g.edgeSource[e] * N + g.edgeTarget[e]);
    }
    for (let e = 0; e < g.edgeSource.length; e++) assert.ok(directed.has(g.edgeTarget[e] * N + g.edgeSource[e]), 'reverse direction present');
  });

  it('is the same bytes every time, and its checksum is pinned (a run reloads its dataset by name)', () => {
    const again = generateBaShapes('ba-shapes', 'constant');
    for (const k of ['labels', 'motifs', 'edgeSource', 'edgeTarget'] as const) assert.deepEqual(again[k], g[k]);
    assert.deepEqual(again.features, g.features);
    assert.deepEqual(again.split, g.split);
    assert.deepEqual(again.checksums, g.checksums);
    // Changing the generator changes the graph every saved ba-shapes run was trained on: these must not move.
    assert.deepEqual(g.checksums, { 'ba-shapes.generated': '731972cf48b6f4a6f7b5fce3e7a567d63bbd2a071cc6cae01c2380566fa173ce' });
    assert.deepEqual(informative.checksums, { 'ba-shapes-informative.generated': 'e45ea40ae109e335afa1d40e342747173cec73cfb1d1f335f14c525405113aca' });
    assert.notDeepEqual(generateBaShapes('ba-shapes', 'constant', 2).checksums, g.checksums);
  });

  it('splits 560 / 70 / 70 at random (seeded): disjoint, sorted, covering every node', () => {
    const { train, val, test } = g.split;
    assert.deepEqual([train.length, val.length, test.length], [560, 70, 70]);
    const all = [...train, ...val, ...test].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: N }, (_, i) => i));
    for (const part of [train, val, test]) for (let i = 1; i < part.length; i++) assert.ok(part[i - 1] < part[i]);
    const housesInTest = [...test].filter((v) => v >= BASE).length;
    assert.ok(housesInTest > 20 && housesInTest < 60, `not the last nodes: ${housesInTest} house nodes in test`);
  });

  it('constant features: ten ones on every node, as the published dataset', () => {
    assert.equal(g.numFeatures, 10);
    assert.equal(g.featureNonZeros, 7000);
    assert.ok(g.features.values.every((v) => v === 1));
    for (let i = 0; i < N; i++) assert.deepEqual(Array.from(g.features.indices.subarray(g.features.indptr[i], g.features.indptr[i + 1])), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('informative features: the same graph and split, a one-hot of min(degree, 10) and two noise columns in (0, 1)', () => {
    for (const k of ['labels', 'motifs', 'edgeSource', 'edgeTarget'] as const) assert.deepEqual(informative[k], g[k]);
    assert.deepEqual(informative.split, g.split);
    assert.equal(informative.numFeatures, 12);
    const offsets = neighbourOffsets(informative);
    const x = informative.features;
    for (let i = 0; i < N; i++) {
      const degree = offsets[i + 1] - offsets[i];
      const cols = Array.from(x.indices.subarray(x.indptr[i], x.indptr[i + 1]));
      const vals = Array.from(x.values.subarray(x.indptr[i], x.indptr[i + 1]));
      assert.deepEqual(cols, [Math.min(degree, 10) - 1, 10, 11], `node ${i} (degree ${degree})`);
      assert.equal(vals[0], 1);
      assert.ok(vals[1] > 0 && vals[1] < 1 && vals[2] > 0 && vals[2] < 1);
    }
  });

  it('degree does not give the class away: many top and bottom nodes share degree 2', () => {
    const offsets = neighbourOffsets(informative);
    const degree2 = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) if (offsets[i + 1] - offsets[i] === 2) degree2[informative.labels[i]]++;
    assert.ok(degree2[2] >= 40 && degree2[3] >= 40, `degree-2 nodes by class: ${degree2.join(', ')}`);
  });

  it('isMotifEdge: 480 house edges both ways, never a self-loop, never on a dataset without motifs', () => {
    let motifEdges = 0;
    for (let e = 0; e < g.edgeSource.length; e++) if (isMotifEdge(g, g.edgeSource[e], g.edgeTarget[e])) motifEdges++;
    assert.equal(motifEdges, 2 * HOUSES * HOUSE_EDGES);
    assert.equal(isMotifEdge(g, 300, 300), false);
    assert.equal(isMotifEdge(g, 0, 1), false, 'base nodes are in no motif');
    assert.equal(isMotifEdge(g, 300, 305), false, 'two houses');
    assert.equal(isMotifEdge({ motifs: undefined }, 300, 301), false);
  });

  it('each house is a house graph (networkx: isomorphic to nx.house_graph()) and the whole graph is connected', () => {
    const r = runPythonJson<{ houses: boolean[]; connected: boolean; nodes: number; edges: number }>(
      'networkx',
      `import json, sys, networkx as nx
d = json.load(sys.stdin)
G = nx.Graph(); G.add_nodes_from(range(d['n'])); G.add_edges_from(d['edges'])
house = nx.house_graph()
print(json.dumps({'houses': [nx.is_isomorphic(G.subgraph(range(300 + 5 * h, 305 + 5 * h)), house) for h in range(80)],
                  'connected': nx.is_connected(G), 'nodes': G.number_of_nodes(), 'edges': G.number_of_edges()}))`,
      { n: N, edges: undirected(g) },
    );
    assert.ok(r.houses.every(Boolean), 'every house isomorphic to the house graph');
    assert.equal(r.connected, true);
    assert.deepEqual([r.nodes, r.edges], [N, 2105]);
  });

  it("a node's record names its house (or none) and shows feature values, not bag-of-words indices", () => {
    const record = buildNodeRecord(informative, 304);
    assert.match(record, /- class: top \(3\)/);
    assert.match(record, /- planted motif: house 0 \(its edges are the ground truth of an explanation\)/);
    assert.match(record, /## Features \(12 values\)\n\n0: 0, 1: 1, 2: 0/, 'degree 2: the one-hot in column 1');
    assert.match(buildNodeRecord(informative, 0), /- planted motif: none \(base graph\)/);
  });

  it('loadDataset knows both names (any case), needs no files and ignores --data-dir', async () => {
    const a = await loadDataset('BA-Shapes', { dataDir: '/nonexistent/folder' });
    assert.equal(a.name, 'ba-shapes');
    assert.equal(a.format, 'generated');
    assert.deepEqual(a.checksums, g.checksums);
    const b = await loadDataset('ba-shapes-informative');
    assert.deepEqual(b.checksums, informative.checksums);
  });

  it('reaches the host intact through the dataset worker (the motifs too)', async () => {
    const w = await loadDatasetInWorker({ name: 'ba-shapes', download: false });
    assert.deepEqual(w.motifs, g.motifs);
    assert.deepEqual(w.edgeSource, g.edgeSource);
    assert.deepEqual(w.checksums, g.checksums);
  });
});
