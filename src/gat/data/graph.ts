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

export interface GraphDataset {
  readonly name: string;
  readonly numNodes: number;
  readonly numFeatures: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  /** Bag-of-words features, each row normalised to sum 1 (all-zero rows stay zero). */
  readonly features: CsrMatrix;
  /** Non-zeros of the raw binary features (before normalisation). */
  readonly featureNonZeros: number;
  readonly labels: Int32Array; // (N)
  /**
   * Directed edge list with both directions of every undirected edge, de-duplicated,
   * without self-loops, sorted by (target, source). Self-loops are added by the model only.
   */
  readonly edgeSource: Int32Array; // (E)
  readonly edgeTarget: Int32Array; // (E)
  readonly split: DatasetSplit;
  /** SHA-256 of each raw file that was read, by file name. */
  readonly checksums: Readonly<Record<string, string>>;
  /** Folder the raw files were read from. */
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
