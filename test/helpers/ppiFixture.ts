/**
 * Generates PPI-format data of its own (the real archive is not reachable from the test
 * machines): several small graphs per split, random degrees, links listed once per undirected
 * pair, self-loops, float32 features, 0/1 labels and int64 graph ids, exactly as DGL's ppi.zip
 * lays them out. Deterministic for a given seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { PPI_SPLITS, ppiFileName, type PpiSplit } from '../../src/gat/data/ppiFiles';
import { encodeNpy } from './npyWrite';
import { seededRandom } from '../../src/gat/layout/forceLayout';

export interface PpiFixtureOptions {
  readonly seed?: number;
  /** Graphs per split (default 4 train, 2 valid, 2 test). */
  readonly graphs?: Partial<Record<PpiSplit, number>>;
  readonly minNodes?: number; // default 30
  readonly maxNodes?: number; // default 60
  readonly features?: number; // default 50
  readonly labels?: number; // default 121
  /** How labels.npy stores the 0/1 values (DGL's copy: float64). Default 'u1'. */
  readonly labelDtype?: 'u1' | 'f8';
  /** Mix the nodes of a split's graphs in file order, so the loader has to sort them (default true). */
  readonly interleave?: boolean;
  /** Chance that a node has a self-loop (default 1: every node, as in PPI). */
  readonly selfLoopChance?: number;
  /** Zip only: put the files under this top folder. */
  readonly topFolder?: string;
}

export interface PpiSplitData {
  readonly numNodes: number;
  /** Graph id of each node, by node id. */
  readonly graphIds: number[];
  /** (N, F) by node id, row-major. */
  readonly features: Float32Array;
  /** (N, L) 0/1 by node id, row-major. */
  readonly labels: Uint8Array;
  /** As written to graph.json: once per undirected pair, self-loops included, in file order. */
  readonly links: Array<[number, number]>;
}

export interface PpiFixture {
  readonly numFeatures: number;
  readonly numLabels: number;
  readonly splits: Readonly<Record<PpiSplit, PpiSplitData>>;
  /** The twelve files by name. */
  readonly files: Map<string, Uint8Array>;
}

export function makePpi(options: PpiFixtureOptions = {}): PpiFixture {
  const rand = seededRandom(options.seed ?? 1);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const numFeatures = options.features ?? 50;
  const numLabels = options.labels ?? 121;
  const graphCounts: Record<PpiSplit, number> = { train: 4, valid: 2, test: 2, ...options.graphs };
  const splits = {} as Record<PpiSplit, PpiSplitData>;
  const files = new Map<string, Uint8Array>();
  let nextGraphId = 1; // PPI numbers its graphs 1–24 across the splits
  for (const split of PPI_SPLITS) {
    const sizes = Array.from({ length: graphCounts[split] }, () => int(options.minNodes ?? 30, options.maxNodes ?? 60));
    const graphIds = sizes.flatMap((n, g) => new Array<number>(n).fill(nextGraphId + g));
    nextGraphId += sizes.length;
    if (options.interleave ?? true) shuffle(graphIds, rand);
    const n = graphIds.length;
    const links: Array<[number, number]> = [];
    const seen = new Set<number>();
    const byGraph = new Map<number, number[]>();
    graphIds.forEach((g, node) => {
      const members = byGraph.get(g);
      if (members) members.push(node);
      else byGraph.set(g, [node]);
    });
    for (const members of byGraph.values()) {
      for (const u of members) {
        const degree = int(1, 4);
        for (let k = 0; k < degree; k++) {
          const v = members[int(0, members.length - 1)];
          const key = Math.min(u, v) * n + Math.max(u, v);
          if (u === v || seen.has(key)) continue;
          seen.add(key);
          links.push(rand() < 0.5 ? [u, v] : [v, u]);
        }
        if (rand() < (options.selfLoopChance ?? 1)) links.push([u, u]);
      }
    }
    shuffle(links, rand);
    // Sparse-ish features with values float32 holds exactly; some label rows all zero.
    const features = Float32Array.from({ length: n * numFeatures }, () => (rand() < 0.5 ? 0 : int(-64, 64) / 16));
    const labels = new Uint8Array(n * numLabels);
    for (let i = 0; i < n; i++) {
      if (rand() < 0.1) continue;
      for (let c = 0; c < numLabels; c++) labels[i * numLabels + c] = rand() < 0.3 ? 1 : 0;
    }
    const nodeOrder = shuffle(Array.from({ length: n }, (_, i) => i), rand);
    const graphJson = {
      directed: false,
      multigraph: false,
      graph: {},
      nodes: nodeOrder.map((id) => ({ test: split === 'test', id, val: split === 'valid' })),
      links: links.map(([source, target]) => ({ source, target })),
    };
    files.set(ppiFileName(split, 'graph.json'), Buffer.from(JSON.stringify(graphJson)));
    files.set(ppiFileName(split, 'feats.npy'), encodeNpy({ descr: '<f4', shape: [n, numFeatures], data: features }));
    files.set(ppiFileName(split, 'labels.npy'), encodeNpy({ descr: options.labelDtype === 'f8' ? '<f8' : '|u1', shape: [n, numLabels], data: labels }));
    files.set(ppiFileName(split, 'graph_id.npy'), encodeNpy({ descr: '<i8', shape: [n], data: graphIds }));
    splits[split] = { numNodes: n, graphIds, features, labels, links };
  }
  return { numFeatures, numLabels, splits, files };
}

/** Writes the twelve files into `dir` and returns what was written. */
export function writePpiFolder(dir: string, options: PpiFixtureOptions = {}): PpiFixture {
  const fixture = makePpi(options);
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of fixture.files) writeFileSync(path.join(dir, name), bytes);
  return fixture;
}

/** The twelve files as a ZIP archive, laid out like DGL's ppi.zip (or under `topFolder`). */
export function ppiZip(options: PpiFixtureOptions = {}): Uint8Array {
  return zipFiles(makePpi(options).files, options.topFolder);
}

export function zipFiles(files: ReadonlyMap<string, Uint8Array>, topFolder?: string): Uint8Array {
  const entries: Zippable = {};
  const prefix = topFolder ? `${topFolder}/` : '';
  for (const [name, bytes] of files) entries[prefix + name] = bytes;
  return zipSync(entries, { mtime: new Date('2020-01-01T00:00:00Z') });
}


function shuffle<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
