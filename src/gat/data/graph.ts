/** The in-memory form of a node-classification dataset, shared by training, statistics and the explorer. */

/** A sparse matrix in compressed-sparse-row form. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array; // (rows + 1)
  readonly indices: Int32Array; // (nnz) column of each value
  readonly values: Float32Array; // (nnz)
}

export interface DatasetSplit {
  readonly train: Int32Array;
  readonly val: Int32Array;
  readonly test: Int32Array;
}

/** One graph of an inductive dataset (PPI): a contiguous range of node ids, wholly in one split. */
export interface GraphPart {
  /** The graph's id in the dataset's files (PPI: 1–24). */
  readonly id: number;
  readonly split: 'train' | 'val' | 'test';
  readonly nodeStart: number;
  readonly numNodes: number;
}

export interface GraphDataset {
  readonly name: string;
  /** DictionaryLookup: edges go one way only (key → query); absent: every edge is listed both ways. */
  readonly directed?: boolean;
  /** The file format it was read from; 'generated': made in memory from a seed (BA-Shapes), no files. */
  readonly format?: 'planetoid' | 'ppi' | 'generated';
  readonly numNodes: number;
  readonly numFeatures: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  /** Planetoid: bag-of-words features, each row normalised to sum 1 (all-zero rows stay zero). PPI and generated: the raw values. */
  readonly features: CsrMatrix;
  /** Non-zeros of the raw binary features (before normalisation). */
  readonly featureNonZeros: number;
  /** Single-label: each node's class. Multi-label: the node's first positive label (0 if none), for colouring. */
  readonly labels: Int32Array; // (N)
  /** Multi-label datasets (PPI): (N, C) 0/1 targets, row-major. Absent: single-label, `labels` is the target. */
  readonly multiLabels?: Uint8Array;
  /**
   * Inductive datasets (PPI): the separate graphs, disjoint, in node order; `split` lists the nodes of
   * each split's graphs. Absent: one transductive graph.
   */
  readonly graphs?: readonly GraphPart[];
  /**
   * Planted-motif datasets (BA-Shapes): the motif of each node, −1 for nodes outside every motif.
   * The explanation ground truth: see isMotifEdge. Absent: no known motifs.
   */
  readonly motifs?: Int32Array; // (N)
  /**
   * Nodes whose file lists a self-loop (PPI keeps exactly those, as the original does). Absent: the
   * model adds one self-loop to every node (Planetoid, as PyG and pytorch-GAT do).
   */
  readonly selfLoops?: Uint8Array; // (N) 0/1
  /**
   * Directed edge list with both directions of every undirected edge, de-duplicated,
   * without self-loops, sorted by (target, source). Self-loops are added by the model only.
   * A `directed` dataset lists each edge once, in the direction messages flow.
   */
  readonly edgeSource: Int32Array; // (E)
  readonly edgeTarget: Int32Array; // (E)
  readonly split: DatasetSplit;
  /** SHA-256 of each raw file that was read, by file name. */
  readonly checksums: Readonly<Record<string, string>>;
  /**
   * What the files were checked against before parsing: SHA-256s pinned in GAT Explorer (known
   * datasets) or the folder's SHA256SUMS. Absent: nothing to check against, the files were read unverified.
   */
  readonly checksumsVerifiedBy?: 'pinned' | 'SHA256SUMS';
  /** Folder the raw files were read from; '' for a generated dataset. */
  readonly sourceDir: string;
}

/** Neighbour lists of the undirected graph as CSR offsets into `edgeSource` (edges are sorted by target). */
export function neighbourOffsets(g: Pick<GraphDataset, 'numNodes' | 'edgeTarget'>): Int32Array {
  const offsets = new Int32Array(g.numNodes + 1);
  for (let e = 0; e < g.edgeTarget.length; e++) offsets[g.edgeTarget[e] + 1]++;
  for (let i = 0; i < g.numNodes; i++) offsets[i + 1] += offsets[i];
  return offsets;
}

/** The neighbours of `node` (without itself), ascending. */
export function neighboursOf(g: Pick<GraphDataset, 'edgeSource'>, offsets: Int32Array, node: number): Int32Array {
  return g.edgeSource.subarray(offsets[node], offsets[node + 1]);
}

/**
 * Whether the edge source → target of `g` lies inside one planted motif: both ends in the same
 * motif (BA-Shapes adds no other edge inside a house, so for an edge of the graph this is exactly
 * "one of the house's edges"). False for a self-loop, a node outside every motif, and a dataset
 * without motifs.
 */
export function isMotifEdge(g: Pick<GraphDataset, 'motifs'>, source: number, target: number): boolean {
  const m = g.motifs;
  return m !== undefined && source !== target && m[source] >= 0 && m[source] === m[target];
}

export function splitOf(g: Pick<GraphDataset, 'split'>, node: number): 'train' | 'val' | 'test' | 'none' {
  const has = (a: Int32Array): boolean => binarySearch(a, node) >= 0;
  if (has(g.split.train)) return 'train';
  if (has(g.split.val)) return 'val';
  if (has(g.split.test)) return 'test';
  return 'none';
}

function binarySearch(sorted: Int32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === v) return mid;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
