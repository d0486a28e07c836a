/**
 * Planetoid-format files of a given size, citation-like, for what the real files cannot be fetched
 * for here (PubMed's allx): each node has a class, a bag of words drawn mostly from its class's
 * vocabulary (TF-IDF-like float values, as PubMed's), and edges mostly within its class, with a
 * few hubs (preferential attachment). Written as SciPy/NumPy/Python 2 write the real ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { adjacencyPickle, csrPickle, ndarrayPickle } from './pickleWriter';

export interface SizedPlanetoid {
  readonly name: string;
  readonly nodes: number;
  readonly features: number;
  readonly classes: number;
  readonly undirectedEdges: number;
  readonly train: number;
  readonly test: number;
  readonly wordsPerNode: number;
  readonly seed: number;
}

/** PubMed's published sizes (19,717 nodes, 500 features, 3 classes, 44,324 edges, split 60 / 500 / 1,000). */
export const PUBMED_SIZES: SizedPlanetoid = { name: 'pubmedsized', nodes: 19_717, features: 500, classes: 3, undirectedEdges: 44_324, train: 60, test: 1000, wordsPerNode: 50, seed: 7 };

export function writeSizedPlanetoid(dir: string, s: SizedPlanetoid): void {
  let state = s.seed >>> 0;
  const rand = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const n = s.nodes;
  const label = Int32Array.from({ length: n }, () => Math.floor(rand() * s.classes));

  // ── features: words mostly from the class's share of the vocabulary, TF-IDF-like values ──
  const share = Math.floor(s.features / s.classes);
  const rows: Array<{ indices: number[]; values: number[] }> = [];
  for (let i = 0; i < n; i++) {
    const words = new Set<number>();
    while (words.size < s.wordsPerNode) words.add(rand() < 0.7 ? label[i] * share + Math.floor(rand() * share) : Math.floor(rand() * s.features));
    const indices = [...words].sort((a, b) => a - b);
    rows.push({ indices, values: indices.map(() => Math.round((0.01 + rand() * 0.1) * 1e4) / 1e4) });
  }
  const csr = (from: number, to: number): { rows: number; cols: number; indptr: number[]; indices: number[]; data: number[] } => {
    const indptr = [0];
    const indices: number[] = [];
    const data: number[] = [];
    for (let i = from; i < to; i++) {
      indices.push(...rows[i].indices);
      data.push(...rows[i].values);
      indptr.push(indices.length);
    }
    return { rows: to - from, cols: s.features, indptr, indices, data };
  };

  // ── edges: 85 % within the class, endpoints by preferential attachment (a few hubs) ──
  const byClass = Array.from({ length: s.classes }, () => [] as number[]);
  for (let i = 0; i < n; i++) byClass[label[i]].push(i);
  const seen = new Set<string>();
  const adjacency = new Map<number, number[]>();
  const degreeBag: number[] = [];
  const pick = (pool: readonly number[]): number => (rand() < 0.3 && degreeBag.length > 0 ? degreeBag[Math.floor(rand() * degreeBag.length)] : pool[Math.floor(rand() * pool.length)]);
  while (seen.size < s.undirectedEdges) {
    const a = Math.floor(rand() * n);
    const b = rand() < 0.85 ? pick(byClass[label[a]]) : pick(Array.from({ length: 1 }, () => Math.floor(rand() * n)));
    if (a === b) continue;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    adjacency.set(a, [...(adjacency.get(a) ?? []), b]);
    degreeBag.push(a, b);
  }
  for (let i = 0; i < n; i++) if (!adjacency.has(i)) adjacency.set(i, []);

  // ── the Planetoid split: x = the first `train` nodes, allx = all but the test nodes, tx = the last `test` ──
  const allx = n - s.test;
  const oneHot = (from: number, to: number): number[] => Array.from({ length: (to - from) * s.classes }, (_, k) => (label[from + Math.floor(k / s.classes)] === k % s.classes ? 1 : 0));
  const testIndex = Array.from({ length: s.test }, (_, i) => allx + i);
  for (let i = testIndex.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [testIndex[i], testIndex[j]] = [testIndex[j], testIndex[i]];
  }
  // tx row k is the node test.index[k] names (the loader places it back)
  const tx = (() => {
    const indptr = [0];
    const indices: number[] = [];
    const data: number[] = [];
    for (const node of testIndex) {
      indices.push(...rows[node].indices);
      data.push(...rows[node].values);
      indptr.push(indices.length);
    }
    return { rows: s.test, cols: s.features, indptr, indices, data };
  })();
  const ty = testIndex.flatMap((node) => Array.from({ length: s.classes }, (_, c) => (label[node] === c ? 1 : 0)));
  mkdirSync(dir, { recursive: true });
  const file = (suffix: string): string => path.join(dir, `ind.${s.name}.${suffix}`);
  writeFileSync(file('x'), csrPickle(csr(0, s.train)));
  writeFileSync(file('allx'), csrPickle(csr(0, allx)));
  writeFileSync(file('tx'), csrPickle(tx));
  writeFileSync(file('y'), ndarrayPickle('f8', [s.train, s.classes], oneHot(0, s.train)));
  writeFileSync(file('ally'), ndarrayPickle('f8', [allx, s.classes], oneHot(0, allx)));
  writeFileSync(file('ty'), ndarrayPickle('f8', [s.test, s.classes], ty));
  writeFileSync(file('graph'), adjacencyPickle(adjacency));
  writeFileSync(file('test.index'), testIndex.join('\n') + '\n');
}
