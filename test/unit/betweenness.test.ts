import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { edgeBetweenness, edgeThickness } from '../../src/gat/stats/edgeBetweenness';
import { degreeDistribution, degrees, edgeStats } from '../../src/gat/stats/graphStats';
import { runPythonJson } from '../helpers/python';

/** CSR of a small undirected graph from an edge list. */
function csr(n: number, edges: Array<[number, number]>): { offsets: Int32Array; neighbours: Int32Array } {
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    lists[a].push(b);
    lists[b].push(a);
  }
  lists.forEach((l) => l.sort((x, y) => x - y));
  const offsets = new Int32Array(n + 1);
  lists.forEach((l, i) => (offsets[i + 1] = offsets[i] + l.length));
  return { offsets, neighbours: Int32Array.from(lists.flat()) };
}

function ourScores(n: number, edges: Array<[number, number]>): Map<string, number> {
  const { offsets, neighbours } = csr(n, edges);
  const slots = edgeBetweenness(n, offsets, neighbours);
  const out = new Map<string, number>();
  for (let v = 0; v < n; v++) {
    for (let k = offsets[v]; k < offsets[v + 1]; k++) out.set(`${Math.min(v, neighbours[k])}-${Math.max(v, neighbours[k])}`, slots[k]);
  }
  return out;
}

const NETWORKX = `
import json, sys, networkx as nx
g = json.load(sys.stdin)
G = nx.Graph(); G.add_nodes_from(range(g['n'])); G.add_edges_from(g['edges'])
bc = nx.edge_betweenness_centrality(G, normalized=False)
print(json.dumps({f"{min(a,b)}-{max(a,b)}": v for (a, b), v in bc.items()}))
`;

describe('edge betweenness against networkx on small graphs', () => {
  const graphs: Array<[string, number, Array<[number, number]>]> = [
    ['a path', 5, [[0, 1], [1, 2], [2, 3], [3, 4]]],
    ['a cycle with a chord', 6, [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0], [0, 3]]],
    ['two triangles joined by a bridge, plus a separate component', 9, [[0, 1], [1, 2], [2, 0], [2, 3], [3, 4], [4, 5], [5, 3], [6, 7], [7, 8]]],
    ['a star', 7, [[0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0, 6]]],
    ['a seeded random graph', 40, randomEdges(40, 90, 7)],
  ];
  for (const [name, n, edges] of graphs) {
    it(`matches on ${name}`, () => {
      const expected = runPythonJson<Record<string, number>>('networkx', NETWORKX, { n, edges });
      const ours = ourScores(n, edges);
      assert.equal(ours.size, Object.keys(expected).length);
      for (const [key, value] of Object.entries(expected)) {
        assert.ok(Math.abs((ours.get(key) ?? NaN) - value) < 1e-9, `edge ${key}: ours ${ours.get(key)}, networkx ${value}`);
      }
    });
  }
});

describe('Cora statistics', () => {
  let cora: GraphDataset;
  before(async () => {
    cora = await loadPlanetoid('cora');
  });

  it('edge betweenness matches igraph on every one of the 5278 edges', () => {
    const stats = edgeStats(cora);
    assert.equal(stats.u.length, 5278);
    const edges = Array.from(stats.u, (u, i) => [u, stats.v[i]]);
    const IGRAPH = `
import json, sys, igraph as ig
g = json.load(sys.stdin)
G = ig.Graph(n=g['n'], edges=g['edges'], directed=False)
print(json.dumps(G.edge_betweenness(directed=False)))
`;
    const expected = runPythonJson<number[]>('igraph', IGRAPH, { n: cora.numNodes, edges });
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(stats.betweenness[i] - expected[i]) / Math.max(1, expected[i]));
    assert.ok(worst < 1e-9, `largest relative difference ${worst}`);
  });

  it("maps betweenness to the original's thickness: log, clipped at 0, divided by the max", () => {
    const t = edgeThickness(Float64Array.from([0, 0.5, 1, Math.E, Math.E ** 4]));
    assert.deepEqual(Array.from(t, (x) => Math.round(x * 1e6) / 1e6), [0, 0, 0, 0.25, 1]);
    const stats = edgeStats(cora);
    assert.equal(Math.max(...stats.thickness), 1);
    assert.ok(stats.thickness.every((x) => x >= 0 && x <= 1));
  });

  it('degree distribution peaks in the 2–4 range, with one node of degree 168', () => {
    const { inDegree } = degrees(cora);
    const dist = degreeDistribution(inDegree);
    let peak = 0;
    for (let d = 0; d < dist.length; d++) if (dist[d] > dist[peak]) peak = d;
    assert.ok(peak >= 2 && peak <= 4, `peak at ${peak}`);
    assert.equal(dist.length - 1, 168);
    assert.equal(dist[168], 1);
    assert.equal(dist.reduce((a, b) => a + b, 0), 2708);
  });
});

function randomEdges(n: number, m: number, seed: number): Array<[number, number]> {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const seen = new Set<string>();
  const out: Array<[number, number]> = [];
  while (out.length < m) {
    const a = Math.floor(next() * n);
    const b = Math.floor(next() * n);
    if (a === b || seen.has(`${Math.min(a, b)}-${Math.max(a, b)}`)) continue;
    seen.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
    out.push([a, b]);
  }
  return out;
}

describe('edge betweenness estimated from sampled sources (graphs above 5,000 nodes)', () => {
  it('is the exact value when every node is a source, and the same sample for the same seed', async () => {
    const { betweennessSources } = await import('../../src/gat/stats/edgeBetweenness');
    const edges: Array<[number, number]> = [[0, 1], [1, 2], [2, 3], [3, 0], [2, 4]];
    const { offsets, neighbours } = csr(5, edges);
    assert.deepEqual(edgeBetweenness(5, offsets, neighbours, Int32Array.from([0, 1, 2, 3, 4])), edgeBetweenness(5, offsets, neighbours));
    assert.equal(betweennessSources(5000), undefined, 'exact up to 5,000 nodes');
    const a = betweennessSources(20_000, 42)!;
    assert.equal(a.length, 1024);
    assert.deepEqual(betweennessSources(20_000, 42), a);
    assert.equal(new Set(a).size, 1024, "distinct sources");
    assert.notDeepEqual(betweennessSources(20_000, 43), a);
  });

  it("on a 6,000-node citation-like graph the estimate's edge thickness is within 0.05 of the exact one on average", async () => {
    const { writeSizedPlanetoid } = await import('../helpers/planetoidSized');
    const { tempDir } = await import('../helpers/tempDir');
    const { betweennessSources } = await import('../../src/gat/stats/edgeBetweenness');
    const dir = tempDir();
    writeSizedPlanetoid(dir, { name: 'midsized', nodes: 6000, features: 50, classes: 3, undirectedEdges: 13_500, train: 60, test: 500, wordsPerNode: 5, seed: 3 });
    const g = await loadPlanetoid('midsized', { dataDir: dir });
    const offsets = new Int32Array(g.numNodes + 1);
    for (const t of g.edgeTarget) offsets[t + 1]++;
    for (let i = 0; i < g.numNodes; i++) offsets[i + 1] += offsets[i];
    const exact = edgeThickness(edgeBetweenness(g.numNodes, offsets, g.edgeSource));
    const sampled = edgeThickness(edgeBetweenness(g.numNodes, offsets, g.edgeSource, betweennessSources(g.numNodes)));
    let diff = 0;
    for (let k = 0; k < exact.length; k++) diff += Math.abs(exact[k] - sampled[k]);
    const mean = diff / exact.length;
    assert.ok(mean < 0.05, `mean thickness difference ${mean.toFixed(4)}`);
  });
});
