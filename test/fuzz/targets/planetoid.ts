/**
 * Planetoid assembly (src/gat/data/planetoid.ts parsePlanetoidFiles): eight files in, one dataset out.
 * An input is the eight files in a small container; generated ones are small datasets written as
 * NumPy/SciPy/Python write them, then broken in one of the ways real files break.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { DatasetError } from '../../../src/gat/data/datasetError';
import type { GraphDataset } from '../../../src/gat/data/graph';
import { PLANETOID_SUFFIXES, type PlanetoidSuffix } from '../../../src/gat/data/knownDatasets';
import { parsePlanetoidFiles } from '../../../src/gat/data/planetoid';
import { bundledPlanetoidDir } from '../../helpers/paths';
import { adjacencyPickle, csrPickle, ndarrayPickle } from '../../helpers/pickleWriter';
import { applyMutations, lazy, mutations } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

const MAGIC = 0x314e4c50; // 'PLN1'

export function packFiles(files: ReadonlyMap<PlanetoidSuffix, Uint8Array>): Uint8Array {
  const parts = PLANETOID_SUFFIXES.map((s) => files.get(s) ?? new Uint8Array(0));
  const out = new Uint8Array(4 + parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  let at = 4;
  for (const p of parts) {
    view.setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

function unpackFiles(input: Uint8Array): Map<PlanetoidSuffix, Uint8Array> {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  if (input.length < 4 || view.getUint32(0, true) !== MAGIC) throw new Error('not a Planetoid fuzz container');
  const files = new Map<PlanetoidSuffix, Uint8Array>();
  let at = 4;
  for (const s of PLANETOID_SUFFIXES) {
    if (at + 4 > input.length) throw new Error('truncated Planetoid fuzz container');
    const n = view.getUint32(at, true);
    files.set(s, input.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return files;
}

function coraSeed(): Uint8Array {
  return packFiles(new Map(PLANETOID_SUFFIXES.map((s) => [s, new Uint8Array(readFileSync(path.join(bundledPlanetoidDir, `ind.cora.${s}`)))])));
}

interface Spec {
  allx: number; // rows of allx (labelled + unlabelled training nodes)
  train: number; // rows of x / y
  test: number[]; // test indices, in file order
  features: number;
  classes: number;
  edges: Array<[number, number]>;
  seed: number;
}

const BREAKS = ['none', 'indptr-decreasing', 'index-out-of-range', 'index-negative', 'indptr-short', 'shape-lies', 'label-width', 'label-nan',
  'test-huge', 'test-below', 'test-duplicate', 'test-text', 'edge-out-of-range', 'edge-float', 'graph-not-dict', 'x-rows-exceed', 'rows-zero',
  'test-spelling', 'test-blank-line', 'int64-plain', 'index-int64-wide', 'label-int64-wide', 'edge-int64-wide'] as const;

/** An index as Number() or Python's int() would still read it: the strict reader refuses each. */
const SPELLINGS: ReadonlyArray<(n: number) => string> = [
  (n) => `0x${n.toString(16)}`,
  (n) => `${n}e0`,
  (n) => `+${n}`,
  (n) => `${n}.0`,
  (n) => `${String(n).slice(0, -1) || '0'}_${String(n).slice(-1)}`, // Python's int() takes 1_7
  (n) => `${n}L`, // a Python 2 long
];
type Break = (typeof BREAKS)[number];

const spec: fc.Arbitrary<Spec> = fc
  .record({ allx: fc.integer({ min: 1, max: 24 }), testCount: fc.integer({ min: 1, max: 8 }), gap: fc.integer({ min: 0, max: 3 }), features: fc.integer({ min: 1, max: 9 }), classes: fc.integer({ min: 1, max: 5 }), seed: fc.nat(), edgeCount: fc.integer({ min: 0, max: 40 }) })
  .map(({ allx, testCount, gap, features, classes, seed, edgeCount }) => {
    const test = Array.from({ length: testCount }, (_, i) => allx + i + (i === testCount - 1 ? gap : 0)).reverse();
    const n = allx + testCount + gap;
    let s = seed >>> 0;
    const rand = (k: number): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % k);
    const edges = Array.from({ length: edgeCount }, () => [rand(n), rand(n)] as [number, number]);
    return { allx, train: Math.max(1, Math.min(allx, 1 + rand(allx))), test, features, classes, edges, seed };
  });

function csrOf(rows: number, cols: number, seed: number): { rows: number; cols: number; indptr: number[]; indices: number[]; data: number[] } {
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if ((r * 31 + c * 17 + seed) % 3 === 0) { indices.push(c); data.push(1); }
    indptr.push(indices.length);
  }
  return { rows, cols, indptr, indices, data };
}

function oneHot(rows: number, cols: number, seed: number): number[] {
  return Array.from({ length: rows * cols }, (_, i) => (i % cols === (Math.floor(i / cols) + seed) % cols ? 1 : 0));
}

/** Writes `s` as the eight files, broken as `b` says. */
export function planetoidFiles(s: Spec, b: Break): Map<PlanetoidSuffix, Uint8Array> {
  const t = s.test.length;
  const x = csrOf(s.train, s.features, s.seed);
  const allx = csrOf(s.allx, s.features, s.seed);
  const tx = csrOf(t, s.features, s.seed + 1);
  if (b === 'indptr-decreasing' && allx.indptr.length > 2) allx.indptr[1] = allx.indptr[allx.indptr.length - 1] + 5;
  if (b === 'index-out-of-range' && tx.indices.length > 0) tx.indices[0] = s.features + 3;
  if (b === 'index-negative' && allx.indices.length > 0) allx.indices[0] = -7;
  if (b === 'indptr-short') allx.indptr.pop();
  if (b === 'shape-lies') allx.rows += 1000;
  if (b === 'x-rows-exceed') x.rows = s.allx + 5;
  if (b === 'rows-zero') { allx.rows = 0; allx.indptr = [0]; allx.indices = []; allx.data = []; }
  const labelCols = b === 'label-width' ? s.classes + 1 : s.classes;
  const ally = oneHot(s.allx, s.classes, s.seed);
  if (b === 'label-nan' && ally.length > 0) ally[0] = Number.NaN;
  let test = s.test.slice();
  if (b === 'test-huge') test[0] = 2 ** 31 - 2;
  if (b === 'test-below') test[0] = -1;
  if (b === 'test-duplicate' && t > 1) test[1] = test[0];
  const adjacency = new Map<number, number[]>();
  for (const [a, c] of s.edges) adjacency.set(a, [...(adjacency.get(a) ?? []), c]);
  if (b === 'edge-out-of-range') adjacency.set(0, [s.allx + t + 100]);
  if (b === 'edge-int64-wide') adjacency.set(0, [2 ** 32 + 1]); // a LONG1, which used to be exact already: refused as out of range
  const graph = b === 'graph-not-dict' ? ndarrayPickle('i4', [2], [1, 2]) : adjacencyPickle(adjacency);
  let graphBytes = graph;
  if (b === 'edge-float') graphBytes = adjacencyPickle(new Map([[0, [0.5]]]));
  const lines = test.map(String);
  if (b === 'test-spelling') lines[0] = SPELLINGS[s.seed % SPELLINGS.length](test[0]);
  if (b === 'test-blank-line') lines.splice(1, 0, '');
  const testText = b === 'test-text' ? 'twelve\n' : lines.join('\n') + '\n';
  // int64 CSR indices and labels, as SciPy and NumPy write them for large data; 'wide' puts 2^32 + v where v was
  const wideIndex = b === 'index-int64-wide' || b === 'int64-plain';
  if (b === 'index-int64-wide' && allx.indices.length > 0) allx.indices[0] += 2 ** 32;
  const allyPickle = b === 'label-int64-wide' || b === 'int64-plain'
    ? ndarrayPickle('i8', [s.allx, s.classes], b === 'label-int64-wide' ? ally.map((v, i) => (i === ally.indexOf(1) ? 2 ** 32 + 1 : v)) : ally)
    : ndarrayPickle('f8', [s.allx, s.classes], ally);
  if (b === 'test-huge') test = test.slice();
  return new Map<PlanetoidSuffix, Uint8Array>([
    ['x', csrPickle(x)],
    ['tx', csrPickle(tx)],
    ['allx', csrPickle(allx, wideIndex ? 'i8' : 'i4')],
    ['y', ndarrayPickle('f8', [s.train, labelCols], oneHot(s.train, labelCols, s.seed))],
    ['ty', ndarrayPickle('f8', [t, s.classes], oneHot(t, s.classes, s.seed + 1))],
    ['ally', allyPickle],
    ['graph', graphBytes],
    ['test.index', new TextEncoder().encode(testText)],
  ]);
}

const generated: fc.Arbitrary<Uint8Array> = fc.tuple(spec, fc.constantFrom(...BREAKS)).map(([s, b]) => packFiles(planetoidFiles(s, b)));

const smallSeeds = lazy((): Uint8Array[] => fc.sample(spec, { numRuns: 6, seed: 7 }).map((s) => packFiles(planetoidFiles(s, 'none'))));

/** A seed with one of its eight files mutated at the byte level (the container itself stays whole). */
const mutatedFile: fc.Arbitrary<Uint8Array> = fc.record({ seed: fc.nat(), file: fc.constantFrom(...PLANETOID_SUFFIXES), ops: mutations }).map(({ seed, file, ops }) => {
  const seeds = smallSeeds();
  const files = unpackFiles(seeds[seed % seeds.length]);
  files.set(file, applyMutations(files.get(file)!, ops, []));
  return packFiles(files);
});

const DIR = path.dirname(FUZZ_FILE);

/** Checks an assembled dataset is well-formed, so a bad file cannot slip through as a broken graph. */
export function checkDataset(g: GraphDataset): void {
  const n = g.numNodes;
  require(Number.isSafeInteger(n) && n > 0, `numNodes ${n}`);
  require(g.features.rows === n && g.features.indptr.length === n + 1 && g.features.indptr[0] === 0, 'feature rows');
  for (let r = 0; r < n; r++) require(g.features.indptr[r + 1] >= g.features.indptr[r], `feature row ${r} has a negative length`);
  require(g.features.indptr[n] === g.features.indices.length && g.features.indices.length === g.features.values.length, 'feature arrays');
  for (const c of g.features.indices) require(c >= 0 && c < g.numFeatures, `feature column ${c} outside 0..${g.numFeatures - 1}`);
  for (const v of g.features.values) require(Number.isFinite(v), `feature value ${v}`);
  require(g.labels.length === n, 'labels length');
  for (const l of g.labels) require(l >= 0 && l < g.numClasses, `label ${l} outside 0..${g.numClasses - 1}`);
  require(g.edgeSource.length === g.edgeTarget.length, 'edge arrays');
  for (let e = 0; e < g.edgeSource.length; e++) require(g.edgeSource[e] >= 0 && g.edgeSource[e] < n && g.edgeTarget[e] >= 0 && g.edgeTarget[e] < n, `edge ${e} outside the nodes`);
  for (const part of [g.split.train, g.split.val, g.split.test]) for (const i of part) require(i >= 0 && i < n, `split node ${i} outside the nodes`);
}

export const planetoidTarget: FuzzTarget = {
  name: 'planetoid',
  description: 'parsePlanetoidFiles (src/gat/data/planetoid.ts): the eight files of a Planetoid dataset',
  run(input) {
    const files = unpackFiles(input);
    checkDataset(parsePlanetoidFiles('fuzz', files, DIR));
  },
  isOwnError: (e) => e instanceof DatasetError,
  files: PLANETOID_SUFFIXES.map((s) => path.join(DIR, `ind.fuzz.${s}`)),
  seeds: () => [coraSeed(), ...smallSeeds()],
  generate: fc.oneof({ arbitrary: generated, weight: 3 }, { arbitrary: mutatedFile, weight: 1 }),
};
