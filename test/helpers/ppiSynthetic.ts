/**
 * A synthetic PPI-format dataset that a GAT can learn, at PPI's exact sizes or smaller: the real
 * archive cannot be fetched on these machines. Graphs grow by preferential attachment (a heavy-tailed
 * degree distribution, a mean of 14 neighbours as PPI's 818,716 directed edges over 56,944 nodes), features are Gaussian, and each of the labels is
 * a thresholded linear function of a node's features plus its neighbours' mean (so attention over
 * the neighbourhood helps), with 5 % of labels flipped. Written as the twelve files DGL's ppi.zip holds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PPI_SPLITS, ppiFileName, type PpiSplit } from '../../src/gat/data/ppiFiles';
import { encodeNpy } from './npyWrite';
import { seededRandom } from '../../src/gat/layout/forceLayout';

export type SyntheticScale = 'ppi' | 'small' | 'tiny';

export interface SyntheticPpiOptions {
  readonly seed?: number;
  /** 'ppi': 20 / 2 / 2 graphs of 44,906 / 6,514 / 5,524 nodes, as PPI; 'small': 4 / 2 / 2 of about 150; 'tiny': 3 / 1 / 1 of about 25. */
  readonly scale?: SyntheticScale;
  readonly features?: number; // default 50
  readonly labels?: number; // default 121
  /** Mean number of neighbours per node (default 14, as PPI). */
  readonly meanDegree?: number;
  /** Node counts of each graph per split, instead of a scale's. */
  readonly sizes?: Record<PpiSplit, number[]>;
}

/** Node counts of each graph per split. */
export function graphSizes(scale: SyntheticScale): Record<PpiSplit, number[]> {
  if (scale === 'tiny') return { train: [24, 30, 18], valid: [22], test: [20] };
  if (scale === 'small') return { train: [140, 170, 120, 160], valid: [130, 150], test: [125, 145] };
  // PPI: 44,906 training nodes over 20 graphs of varied size, 6,514 and 5,524 over 2 each.
  const train = Array.from({ length: 20 }, (_, i) => Math.round(1100 + (i * 2400) / 19));
  train[19] += 44_906 - train.reduce((a, b) => a + b, 0);
  return { train, valid: [3230, 3284], test: [2762, 2762] };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** The twelve files of a synthetic PPI-format dataset. */
export function syntheticPpiFiles(options: SyntheticPpiOptions = {}): Map<string, Uint8Array> {
  const rand = seededRandom(options.seed ?? 7);
  const f = options.features ?? 50;
  const l = options.labels ?? 121;
  const half = Math.max(1, Math.round((options.meanDegree ?? 14) / 2));
  const sizes = options.sizes ?? graphSizes(options.scale ?? 'small');
  // One labelling rule for the whole dataset (as PPI's labels mean the same thing in every graph).
  const w = Float64Array.from({ length: l * f }, () => gaussian(rand));
  const files = new Map<string, Uint8Array>();
  let nextGraphId = 1;
  for (const split of PPI_SPLITS) {
    const n = sizes[split].reduce((a, b) => a + b, 0);
    const graphIds = new Array<number>(n);
    const features = Float32Array.from({ length: n * f }, () => gaussian(rand));
    const links: string[] = [];
    const neighbours: number[][] = Array.from({ length: n }, () => []);
    let start = 0;
    for (const size of sizes[split]) {
      const id = nextGraphId++;
      const ends: number[] = []; // every link endpoint: picking from it is picking by degree
      for (let i = start; i < start + size; i++) {
        graphIds[i] = id;
        const earlier = i - start;
        const picks = new Set<number>();
        for (let k = 0; k < Math.min(half, earlier); k++) {
          const j = k % 2 === 0 || ends.length === 0 ? start + Math.floor(rand() * earlier) : ends[Math.floor(rand() * ends.length)];
          if (j !== i) picks.add(j);
        }
        for (const j of picks) {
          links.push(`{"source":${i},"target":${j}}`);
          neighbours[i].push(j);
          neighbours[j].push(i);
          ends.push(i, j);
        }
        links.push(`{"source":${i},"target":${i}}`); // PPI lists a self-loop for every node
      }
      start += size;
    }
    // Labels: threshold of w_c · (x_i + mean of the neighbours' x), at about 30 % positives, 5 % flipped.
    const labels = new Uint8Array(n * l);
    const mixed = new Float64Array(f);
    for (let i = 0; i < n; i++) {
      mixed.fill(0);
      for (const j of neighbours[i]) for (let k = 0; k < f; k++) mixed[k] += features[j * f + k] / neighbours[i].length;
      for (let c = 0; c < l; c++) {
        let z = 0;
        for (let k = 0; k < f; k++) z += w[c * f + k] * (features[i * f + k] + mixed[k]);
        const positive = z / Math.sqrt(2 * f) > 0.52;
        labels[i * l + c] = (rand() < 0.05) !== positive ? 1 : 0;
      }
    }
    const nodes = Array.from({ length: n }, (_, i) => `{"id":${i},"test":${split === 'test'},"val":${split === 'valid'}}`);
    const json = `{"directed":false,"multigraph":false,"graph":{},"nodes":[${nodes.join(',')}],"links":[${links.join(',')}]}`;
    files.set(ppiFileName(split, 'graph.json'), Buffer.from(json));
    files.set(ppiFileName(split, 'feats.npy'), encodeNpy({ descr: '<f4', shape: [n, f], data: features }));
    files.set(ppiFileName(split, 'labels.npy'), encodeNpy({ descr: '<f8', shape: [n, l], data: labels }));
    files.set(ppiFileName(split, 'graph_id.npy'), encodeNpy({ descr: '<i8', shape: [n], data: graphIds }));
  }
  return files;
}

/** Writes the twelve files into `dir`. */
export function writeSyntheticPpi(dir: string, options: SyntheticPpiOptions = {}): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of syntheticPpiFiles(options)) writeFileSync(path.join(dir, name), bytes);
}

