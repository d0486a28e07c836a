/**
 * Loads a PPI-format folder (the twelve `{train,valid,test}_{graph.json,feats.npy,labels.npy,graph_id.npy}`
 * files) into one GraphDataset, as pytorch-GAT's loader reads it: per split, the nodes of each
 * graph id from smallest to largest, every undirected link in both directions, self-loops kept
 * only where the file lists them, raw (unnormalised) features, 0/1 multi-label targets.
 */
import * as path from 'node:path';
import { readSha256Sums, sha256Hex } from './checksums';
import { DatasetError } from './datasetError';
import type { CsrMatrix, GraphDataset, GraphPart } from './graph';
import { isValidDatasetName } from './knownDatasets';
import type { NodeLinkGraph } from './nodeLink';
import { formatShape, parseNpy, type NpyArray } from './npy';
import { PPI_FACTS, PPI_PARTS, PPI_SPLITS, isPpiName, ppiFileName, type PpiPart, type PpiSplit } from './ppiFiles';
import { readVerifiedArray, readVerifiedGraph } from './ppiRead';

export interface PpiLoadOptions {
  /** What to tell the user when a file is missing or damaged. */
  readonly remedy?: string;
}

const SPLIT_OF: Readonly<Record<PpiSplit, GraphPart['split']>> = { train: 'train', valid: 'val', test: 'test' };
/** What each split's nodes are for, to end the message that refuses a split without any. */
const SPLIT_PURPOSE: Readonly<Record<PpiSplit, string>> = { train: 'to train on', valid: 'to validate on', test: 'to test on' };

/**
 * Reads the twelve files in `dir`, verifying each against `dir/SHA256SUMS` when that exists
 * (before parsing anything), and stacks all graphs of all splits (train, valid, test) into one
 * dataset. The dataset named 'ppi' (any case) must also match the real PPI's sizes.
 */
export async function loadPpiFormat(name: string, dir: string, options: PpiLoadOptions = {}): Promise<GraphDataset> {
  if (!isValidDatasetName(name)) {
    throw new DatasetError('unknown-dataset', `invalid dataset name '${name}': use letters, digits, '-' or '_' (e.g. ppi)`);
  }
  const folder = path.resolve(dir);
  const remedy = options.remedy ?? 'Replace it with a good copy.';
  const expected = await readSha256Sums(path.join(folder, 'SHA256SUMS'));
  const raw = new Map<string, Uint8Array>();
  const graphs = new Map<PpiSplit, NodeLinkGraph>();
  const checksums: Record<string, string> = {};
  for (const split of PPI_SPLITS) {
    for (const part of PPI_PARTS) {
      const file = ppiFileName(split, part);
      if (part === 'graph.json') {
        // Parsed as it streams in (verified on the way): a graph file is never held as text.
        const { graph, sha256 } = readVerifiedGraph(folder, file, expected, remedy);
        graphs.set(split, graph);
        checksums[file] = sha256;
        continue;
      }
      const bytes = await readVerifiedArray(folder, file, expected, remedy);
      raw.set(file, bytes);
      checksums[file] = sha256Hex(bytes);
    }
  }
  const splits = PPI_SPLITS.map((split) => {
    const take = (part: PpiPart): Uint8Array => {
      const bytes = raw.get(ppiFileName(split, part))!;
      raw.delete(ppiFileName(split, part)); // let each file's bytes go once parsed
      return bytes;
    };
    const at = (part: PpiPart): string => path.join(folder, ppiFileName(split, part));
    return checkSplit({
      split,
      graph: graphs.get(split)!,
      feats: parseNpy(take('feats.npy'), at('feats.npy')),
      labels: parseNpy(take('labels.npy'), at('labels.npy')),
      graphIds: parseNpy(take('graph_id.npy'), at('graph_id.npy')),
      folder,
    });
  });
  const dataset = assemble(name.toLowerCase(), splits, folder, checksums);
  if (isPpiName(name)) checkPpiFacts(dataset, splits, folder);
  return expected ? { ...dataset, checksumsVerifiedBy: 'SHA256SUMS' } : dataset;
}

interface SplitFiles {
  readonly split: PpiSplit;
  readonly graph: NodeLinkGraph;
  readonly feats: NpyArray;
  readonly labels: NpyArray;
  readonly graphIds: NpyArray;
  readonly folder: string;
}

interface CheckedSplit extends SplitFiles {
  readonly numNodes: number;
  /** Node ids of the file in their new order: graph by graph, file order within a graph. */
  readonly order: Int32Array;
  /** The distinct graph ids, ascending, and how many nodes each has. */
  readonly graphIdList: number[];
  readonly graphSizes: number[];
}

/**
 * Features or labels per node beyond any real dataset (PPI: 50 and 121), as the Planetoid loader
 * bounds them: a declared width is what gets allocated (class names, rows of every layer), even when
 * a file with zero rows holds no data at all.
 */
const MAX_COLUMNS = 1_000_000;

function checkSplit(s: SplitFiles): CheckedSplit {
  const name = (part: PpiPart): string => ppiFileName(s.split, part);
  const corrupt = (part: PpiPart, message: string): DatasetError => new DatasetError('corrupt', `${path.join(s.folder, name(part))} ${message}`, path.join(s.folder, name(part)));
  if (s.feats.shape.length !== 2) throw corrupt('feats.npy', `has shape ${formatShape(s.feats.shape)}; expected 2-D (nodes × features)`);
  if (s.labels.shape.length !== 2) throw corrupt('labels.npy', `has shape ${formatShape(s.labels.shape)}; expected 2-D (nodes × labels)`);
  if (s.graphIds.shape.length !== 1) throw corrupt('graph_id.npy', `has shape ${formatShape(s.graphIds.shape)}; expected 1-D (one graph id per node)`);
  const n = s.graph.numNodes;
  for (const [part, array, what] of [['feats.npy', s.feats, 'features'], ['labels.npy', s.labels, 'labels']] as const) {
    const width = array.shape[1];
    if (width < 1 || width > MAX_COLUMNS) throw corrupt(part, `has shape ${formatShape(array.shape)}: ${width} ${what} per node, where 1 to ${MAX_COLUMNS} are allowed`);
  }
  // Every split is used: train to learn, valid for each epoch's loss and the best model, test for the
  // final score. One with no nodes would be reported as a loss of NaN and an F1 of 0, so it is refused.
  if (n === 0) throw corrupt('graph.json', `lists no nodes: the ${s.split} split needs at least one node ${SPLIT_PURPOSE[s.split]}`);
  for (const [part, rows] of [['feats.npy', s.feats.shape[0]], ['labels.npy', s.labels.shape[0]], ['graph_id.npy', s.graphIds.shape[0]]] as const) {
    if (rows !== n) {
      throw new DatasetError('corrupt', `in ${s.folder}, ${name('graph.json')} has ${n} nodes but ${name(part)} has ${rows} rows: the four files of the ${s.split} split must describe the same nodes`, path.join(s.folder, name(part)));
    }
  }
  const ids = s.graphIds.data;
  for (let i = 0; i < n; i++) {
    if (!Number.isSafeInteger(ids[i])) throw corrupt('graph_id.npy', `row ${i} is ${ids[i]}, not an integer graph id`);
  }
  // Stable sort by graph id: graph by graph, ascending, file order kept within each graph.
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a] - ids[b] || a - b);
  const graphIdList: number[] = [];
  const graphSizes: number[] = [];
  for (let k = 0; k < n; k++) {
    const id = ids[order[k]];
    if (graphIdList[graphIdList.length - 1] !== id) {
      graphIdList.push(id);
      graphSizes.push(0);
    }
    graphSizes[graphSizes.length - 1]++;
  }
  return { ...s, numNodes: n, order, graphIdList, graphSizes };
}

function assemble(name: string, splits: readonly CheckedSplit[], folder: string, checksums: Record<string, string>): GraphDataset {
  const first = splits[0];
  const numFeatures = first.feats.shape[1];
  const numClasses = first.labels.shape[1];
  for (const s of splits.slice(1)) {
    for (const [part, width, want] of [['feats.npy', s.feats.shape[1], numFeatures], ['labels.npy', s.labels.shape[1], numClasses]] as const) {
      if (width !== want) {
        throw new DatasetError('corrupt', `in ${folder}, ${ppiFileName(s.split, part)} has ${width} columns but ${ppiFileName(first.split, part)} has ${want}: all splits need the same ${part === 'feats.npy' ? 'features' : 'labels'}`, path.join(folder, ppiFileName(s.split, part)));
      }
    }
  }
  const numNodes = splits.reduce((sum, s) => sum + s.numNodes, 0);
  const starts: number[] = [];
  let start = 0;
  for (const s of splits) {
    starts.push(start);
    start += s.numNodes;
  }
  const features = stackFeatures(splits, starts, numNodes, numFeatures, folder);
  const multiLabels = new Uint8Array(numNodes * numClasses);
  const labels = new Int32Array(numNodes);
  const graphs: GraphPart[] = [];
  const selfLoops = new Uint8Array(numNodes);
  // Both directions of every link, in one array sized up front (a JS array of numbers grew to several times this).
  const keys: EdgeKeys = { keys: new Float64Array(2 * splits.reduce((sum, s) => sum + s.graph.source.length, 0)), length: 0 };
  splits.forEach((s, si) => {
    copyLabels(s, starts[si], numClasses, multiLabels, labels, folder);
    let nodeStart = starts[si];
    s.graphIdList.forEach((id, g) => {
      graphs.push({ id, split: SPLIT_OF[s.split], nodeStart, numNodes: s.graphSizes[g] });
      nodeStart += s.graphSizes[g];
    });
    collectEdges(s, starts[si], numNodes, selfLoops, keys, folder);
  });
  const { source, target } = sortedUniqueEdges(keys.keys.subarray(0, keys.length), numNodes);
  const range = (from: number, count: number): Int32Array => Int32Array.from({ length: count }, (_, i) => from + i);
  return {
    name,
    format: 'ppi',
    numNodes,
    numFeatures,
    numClasses,
    classNames: Array.from({ length: numClasses }, (_, i) => `label ${i}`),
    features,
    featureNonZeros: features.indptr[numNodes],
    labels,
    multiLabels,
    graphs,
    selfLoops,
    edgeSource: source,
    edgeTarget: target,
    split: { train: range(starts[0], splits[0].numNodes), val: range(starts[1], splits[1].numNodes), test: range(starts[2], splits[2].numNodes) },
    checksums,
    sourceDir: folder,
  };
}

/** Raw feature values as CSR, zeros skipped, rows in the stacked node order. */
function stackFeatures(splits: readonly CheckedSplit[], starts: readonly number[], numNodes: number, cols: number, folder: string): CsrMatrix {
  const indptr = new Int32Array(numNodes + 1);
  splits.forEach((s, si) => {
    const x = s.feats.data;
    for (let k = 0; k < s.numNodes; k++) {
      const row = s.order[k];
      let nz = 0;
      for (let c = row * cols; c < (row + 1) * cols; c++) {
        if (!Number.isFinite(x[c])) {
          const file = path.join(folder, ppiFileName(s.split, 'feats.npy'));
          throw new DatasetError('corrupt', `${file} row ${row} column ${c - row * cols} is ${x[c]}; features must be finite numbers`, file);
        }
        if (x[c] !== 0) nz++;
      }
      indptr[starts[si] + k + 1] = nz;
    }
  });
  for (let i = 0; i < numNodes; i++) indptr[i + 1] += indptr[i];
  const indices = new Int32Array(indptr[numNodes]);
  const values = new Float32Array(indptr[numNodes]);
  splits.forEach((s, si) => {
    const x = s.feats.data;
    for (let k = 0; k < s.numNodes; k++) {
      const row = s.order[k];
      let out = indptr[starts[si] + k];
      for (let c = 0; c < cols; c++) {
        const v = x[row * cols + c];
        if (v === 0) continue;
        indices[out] = c;
        values[out++] = v;
      }
    }
  });
  return { rows: numNodes, cols, indptr, indices, values };
}

function copyLabels(s: CheckedSplit, start: number, numClasses: number, multiLabels: Uint8Array, labels: Int32Array, folder: string): void {
  const y = s.labels.data;
  for (let k = 0; k < s.numNodes; k++) {
    const row = s.order[k];
    const node = start + k;
    let firstPositive = -1;
    for (let c = 0; c < numClasses; c++) {
      const v = y[row * numClasses + c];
      if (v !== 0 && v !== 1) {
        const file = path.join(folder, ppiFileName(s.split, 'labels.npy'));
        throw new DatasetError('corrupt', `${file} row ${row} column ${c} is ${v}; labels must be 0 or 1`, file);
      }
      multiLabels[node * numClasses + c] = v;
      if (v === 1 && firstPositive < 0) firstPositive = c;
    }
    labels[node] = Math.max(0, firstPositive);
  }
}

interface EdgeKeys {
  readonly keys: Float64Array;
  length: number;
}

/** Appends `target * N + source` for both directions of every link; marks self-loops. */
function collectEdges(s: CheckedSplit, start: number, numNodes: number, selfLoops: Uint8Array, out: EdgeKeys, folder: string): void {
  const position = new Int32Array(s.numNodes);
  for (let k = 0; k < s.numNodes; k++) position[s.order[k]] = start + k;
  const ids = s.graphIds.data;
  const { source, target } = s.graph;
  for (let i = 0; i < source.length; i++) {
    const a = source[i];
    const b = target[i];
    if (ids[a] !== ids[b]) {
      const file = path.join(folder, ppiFileName(s.split, 'graph.json'));
      throw new DatasetError('corrupt', `${file} links[${i}] joins node ${a} (graph ${ids[a]}) and node ${b} (graph ${ids[b]}): links between two graphs are not allowed`, file);
    }
    const u = position[a];
    const v = position[b];
    if (u === v) {
      selfLoops[u] = 1;
      continue;
    }
    out.keys[out.length++] = v * numNodes + u;
    out.keys[out.length++] = u * numNodes + v;
  }
}

/** Sorts `keys` in place and returns the distinct edges (target * N + source keys) as two lists. */
function sortedUniqueEdges(keys: Float64Array, numNodes: number): { source: Int32Array; target: Int32Array } {
  const sorted = keys.sort();
  let unique = 0;
  for (let e = 0; e < sorted.length; e++) if (e === 0 || sorted[e] !== sorted[e - 1]) sorted[unique++] = sorted[e];
  const source = new Int32Array(unique);
  const target = new Int32Array(unique);
  for (let e = 0; e < unique; e++) {
    target[e] = Math.floor(sorted[e] / numNodes);
    source[e] = sorted[e] - target[e] * numNodes;
  }
  return { source, target };
}

/** The real PPI's sizes; a mismatch means a wrong or damaged copy. */
function checkPpiFacts(g: GraphDataset, splits: readonly CheckedSplit[], folder: string): void {
  const fail = (file: string, message: string): never => {
    throw new DatasetError(
      'corrupt',
      `${path.join(folder, file)} ${message}: this is not the PPI dataset of the GAT paper. Delete ${folder} and run again to download a fresh copy, or load your own data under another name.`,
      path.join(folder, file),
    );
  };
  for (const s of splits) {
    const graphs = s.graphIdList.length;
    if (graphs !== PPI_FACTS.graphs[s.split]) fail(ppiFileName(s.split, 'graph_id.npy'), `lists ${graphs} graphs, but PPI's ${s.split} split has ${PPI_FACTS.graphs[s.split]}`);
    if (s.numNodes !== PPI_FACTS.nodes[s.split]) fail(ppiFileName(s.split, 'graph.json'), `has ${s.numNodes} nodes, but PPI's ${s.split} split has ${PPI_FACTS.nodes[s.split]}`);
  }
  if (g.numFeatures !== PPI_FACTS.features) fail(ppiFileName('train', 'feats.npy'), `has ${g.numFeatures} features per node, but PPI has ${PPI_FACTS.features}`);
  if (g.numClasses !== PPI_FACTS.labels) fail(ppiFileName('train', 'labels.npy'), `has ${g.numClasses} labels per node, but PPI has ${PPI_FACTS.labels}`);
}
