import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { sha256Hex, readSha256Sums } from './checksums';
import { DatasetError } from './datasetError';
import { bundledDataDir, resolveDataDir } from './dataDirs';
import { downloadDataset, type DownloadOptions } from './download';
import type { CsrMatrix, GraphDataset } from './graph';
import { KNOWN_DATASETS, PLANETOID_SUFFIXES, isValidDatasetName, planetoidFileName, type PlanetoidSuffix } from './knownDatasets';
import { PickleError, isCsr, isNdArray, readPickle, type NdArray, type PickleValue } from './pickle';

export interface LoadOptions {
  /** Folder with `ind.<name>.*` files, and where known datasets are downloaded to. */
  readonly dataDir?: string;
  /** Download a known dataset that is not on disk yet (default true). */
  readonly download?: boolean;
  readonly downloadOptions?: DownloadOptions;
}

/** Where a dataset's files are, and which checksums they must have. */
interface Source {
  readonly dir: string;
  readonly expected: ReadonlyMap<string, string> | null;
  readonly remedy: string;
}

/**
 * Loads a Planetoid dataset, verifying every file before parsing it, and assembles it exactly
 * as PyG's `read_planetoid_data` does.
 */
export async function loadPlanetoid(name: string, options: LoadOptions = {}): Promise<GraphDataset> {
  const lower = name.toLowerCase();
  if (!isValidDatasetName(lower)) {
    throw new DatasetError('unknown-dataset', `invalid dataset name '${name}': use letters, digits, '-' or '_' (e.g. cora, citeseer, pubmed)`);
  }
  const source = await locate(lower, options);
  const raw = new Map<PlanetoidSuffix, Uint8Array>();
  const checksums: Record<string, string> = {};
  for (const suffix of PLANETOID_SUFFIXES) {
    const file = planetoidFileName(lower, suffix);
    const bytes = await readVerified(path.join(source.dir, file), source);
    raw.set(suffix, bytes);
    checksums[file] = sha256Hex(bytes);
  }
  const parse = (suffix: PlanetoidSuffix): PickleValue => parseFile(raw.get(suffix)!, path.join(source.dir, planetoidFileName(lower, suffix)), source);
  const known = KNOWN_DATASETS[lower];
  return assemble({
    name: lower,
    x: expectCsr(parse('x'), 'x'),
    tx: expectCsr(parse('tx'), 'tx'),
    allx: expectCsr(parse('allx'), 'allx'),
    y: expectDense(parse('y'), 'y'),
    ty: expectDense(parse('ty'), 'ty'),
    ally: expectDense(parse('ally'), 'ally'),
    graph: expectGraph(parse('graph')),
    testIndex: parseTestIndex(raw.get('test.index')!, path.join(source.dir, planetoidFileName(lower, 'test.index'))),
    classNames: known?.classNames,
    checksums,
    sourceDir: source.dir,
  });
}

async function locate(name: string, options: LoadOptions): Promise<Source> {
  const known = KNOWN_DATASETS[name];
  const explicitDir = options.dataDir ?? process.env.GAT_DATA_DIR;
  const pinned = known ? new Map(PLANETOID_SUFFIXES.map((s) => [planetoidFileName(name, s), known.sha256[s]])) : null;
  if (explicitDir && (await hasAnyFile(explicitDir, name))) {
    const dir = path.resolve(explicitDir);
    const expected = pinned ?? (await readSha256Sums(path.join(dir, 'SHA256SUMS')));
    return { dir, expected, remedy: known && !known.bundled ? 'Delete it and run again to download a fresh copy.' : 'Replace it with a good copy.' };
  }
  if (known?.bundled) {
    const dir = bundledDataDir();
    if (!(await hasAnyFile(dir, name))) {
      throw new DatasetError('missing', `the bundled ${name} files are not in ${dir}: reinstall GAT Explorer, or run \`git checkout -- data/planetoid\` in a clone (or pass --data-dir to a folder with ind.${name}.* files)`, dir);
    }
    return { dir, expected: pinned, remedy: 'The copy shipped with GAT Explorer is damaged: reinstall the extension, or run `git checkout -- data/planetoid` in a clone.' };
  }
  if (known) {
    const dir = resolveDataDir(options.dataDir);
    if (options.download === false) {
      throw new DatasetError('missing', `${name} is not in ${dir} and downloading is off: run \`npx gat download --dataset-name ${name}\` first`, dir);
    }
    await downloadDataset(name, dir, options.downloadOptions);
    return { dir, expected: pinned, remedy: 'Delete it and run again to download a fresh copy.' };
  }
  const dir = explicitDir ? path.resolve(explicitDir) : resolveDataDir();
  throw new DatasetError(
    'unknown-dataset',
    `unknown dataset '${name}': no ind.${name}.* files in ${dir}. Known datasets: ${Object.keys(KNOWN_DATASETS).join(', ')}. ` +
      `To use your own Planetoid-format graph, put its eight files (${PLANETOID_SUFFIXES.map((s) => planetoidFileName(name, s)).join(', ')}) in a folder and pass --data-dir FOLDER.`,
    dir,
  );
}

async function hasAnyFile(dir: string, name: string): Promise<boolean> {
  try {
    const entries = await fs.readdir(dir);
    return entries.some((e) => e.startsWith(`ind.${name}.`));
  } catch {
    return false;
  }
}

async function readVerified(file: string, source: Source): Promise<Uint8Array> {
  const base = path.basename(file);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DatasetError('missing', `missing dataset file ${base} in ${source.dir}: a Planetoid dataset needs all eight ind.*.{x,tx,allx,y,ty,ally,graph,test.index} files. ${source.remedy}`, file);
    }
    throw new DatasetError('missing', `cannot read ${file}: ${(err as Error).message}`, file);
  }
  const expected = source.expected?.get(base);
  if (source.expected && !expected) {
    throw new DatasetError('checksum', `${path.join(source.dir, 'SHA256SUMS')} has no entry for ${base}: add its SHA-256 line (sha256sum ${base} >> SHA256SUMS) or remove SHA256SUMS to load unverified files`, file);
  }
  if (expected) {
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      throw new DatasetError('checksum', `${file} is corrupt or truncated: expected SHA-256 ${expected}, got ${actual} (${bytes.length} bytes). ${source.remedy}`, file);
    }
  }
  return bytes;
}

function parseFile(bytes: Uint8Array, file: string, source: Source): PickleValue {
  try {
    return readPickle(bytes);
  } catch (err) {
    if (err instanceof PickleError) {
      const unsafe = err.message.startsWith('refusing');
      throw new DatasetError(unsafe ? 'unsafe' : 'corrupt', `${file} cannot be read: ${err.message}. ${source.remedy}`, file);
    }
    throw err;
  }
}

function parseTestIndex(bytes: Uint8Array, file: string): Int32Array {
  const text = Buffer.from(bytes).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const out = new Int32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const v = Number(lines[i].trim());
    if (!Number.isInteger(v) || v < 0) throw new DatasetError('corrupt', `${file} line ${i + 1} is not a node index: '${lines[i].slice(0, 40)}'`, file);
    out[i] = v;
  }
  if (out.length === 0) throw new DatasetError('corrupt', `${file} lists no test nodes`, file);
  return out;
}

function expectCsr(v: PickleValue, what: string): CsrMatrix {
  if (!isCsr(v)) throw new DatasetError('corrupt', `ind.*.${what} is not a SciPy CSR matrix`);
  const [rows, cols] = v.shape;
  const indptr = toInt32(v.indptr);
  const indices = toInt32(v.indices);
  const values = Float32Array.from(v.data.data);
  if (indptr.length !== rows + 1 || indices.length !== values.length || indptr[rows] !== values.length) {
    throw new DatasetError('corrupt', `ind.*.${what}: inconsistent CSR arrays (shape ${rows}×${cols}, ${indptr.length} row pointers, ${values.length} values)`);
  }
  return { rows, cols, indptr, indices, values };
}

function toInt32(a: NdArray): Int32Array {
  return a.data instanceof Int32Array ? a.data : Int32Array.from(a.data);
}

interface Dense { rows: number; cols: number; data: NdArray['data'] }

function expectDense(v: PickleValue, what: string): Dense {
  if (!isNdArray(v) || v.shape.length !== 2) throw new DatasetError('corrupt', `ind.*.${what} is not a 2-D NumPy array`);
  return { rows: v.shape[0], cols: v.shape[1], data: v.data };
}

function expectGraph(v: PickleValue): Map<number, number[]> {
  if (!(v instanceof Map)) throw new DatasetError('corrupt', 'ind.*.graph is not a dict of adjacency lists');
  const out = new Map<number, number[]>();
  for (const [k, list] of v) {
    if (typeof k !== 'number' || !Array.isArray(list) || !list.every((n) => typeof n === 'number')) {
      throw new DatasetError('corrupt', 'ind.*.graph must map node ids to lists of node ids');
    }
    out.set(k, list as number[]);
  }
  return out;
}

interface RawParts {
  name: string;
  x: CsrMatrix;
  tx: CsrMatrix;
  allx: CsrMatrix;
  y: Dense;
  ty: Dense;
  ally: Dense;
  graph: Map<number, number[]>;
  testIndex: Int32Array;
  classNames: readonly string[] | undefined;
  checksums: Record<string, string>;
  sourceDir: string;
}

/** PyG's read_planetoid_data, step by step. */
function assemble(p: RawParts): GraphDataset {
  const numFeatures = p.allx.cols;
  const numClasses = p.ally.cols;
  if (p.tx.cols !== numFeatures || p.x.cols !== numFeatures || p.ty.cols !== numClasses || p.y.cols !== numClasses) {
    throw new DatasetError('corrupt', `${p.name}: feature or label widths disagree between x, tx and allx (or y, ty and ally)`);
  }
  if (p.tx.rows !== p.testIndex.length || p.ty.rows !== p.testIndex.length) {
    throw new DatasetError('corrupt', `${p.name}: ind.${p.name}.test.index lists ${p.testIndex.length} nodes but tx/ty have ${p.tx.rows}/${p.ty.rows} rows`);
  }
  const sortedTest = Int32Array.from(p.testIndex).sort();
  const testMin = sortedTest[0];
  const testMax = sortedTest[sortedTest.length - 1];
  if (testMin !== p.allx.rows) {
    throw new DatasetError('corrupt', `${p.name}: test indices must start right after allx (row ${p.allx.rows}), found ${testMin}`);
  }
  // Citeseer: some test indices point at isolated nodes missing from tx; PyG pads the whole
  // test range with zero rows, so the node count is allx rows + (max - min + 1).
  const numNodes = p.allx.rows + (testMax - testMin + 1);

  // Row i of the stacked tx goes to node testIndex[i] (x[test_index] = x[sorted_test_index]).
  const rowSource: Array<{ m: CsrMatrix; row: number } | null> = new Array(numNodes).fill(null);
  for (let i = 0; i < p.allx.rows; i++) rowSource[i] = { m: p.allx, row: i };
  for (let i = 0; i < p.testIndex.length; i++) rowSource[p.testIndex[i]] = { m: p.tx, row: i };

  const labels = new Int32Array(numNodes); // padded rows: argmax of a zero row, 0, as PyG
  for (let i = 0; i < p.ally.rows; i++) labels[i] = argmaxRow(p.ally, i);
  for (let i = 0; i < p.testIndex.length; i++) labels[p.testIndex[i]] = argmaxRow(p.ty, i);

  const { features, nonZeros } = rowNormalised(rowSource, numNodes, numFeatures);
  const { source, target } = undirectedEdges(p.graph, numNodes, p.name);

  const range = (from: number, to: number): Int32Array => Int32Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  return {
    name: p.name,
    numNodes,
    numFeatures,
    numClasses,
    classNames: p.classNames && p.classNames.length === numClasses ? p.classNames : Array.from({ length: numClasses }, (_, i) => `class ${i}`),
    features,
    featureNonZeros: nonZeros,
    labels,
    edgeSource: source,
    edgeTarget: target,
    split: { train: range(0, p.y.rows), val: range(p.y.rows, p.y.rows + 500), test: sortedTest },
    checksums: p.checksums,
    sourceDir: p.sourceDir,
  };
}

function argmaxRow(m: Dense, row: number): number {
  let best = 0;
  for (let c = 1; c < m.cols; c++) if (m.data[row * m.cols + c] > m.data[row * m.cols + best]) best = c;
  return best;
}

function rowNormalised(rows: Array<{ m: CsrMatrix; row: number } | null>, numNodes: number, numFeatures: number): { features: CsrMatrix; nonZeros: number } {
  const indptr = new Int32Array(numNodes + 1);
  for (let n = 0; n < numNodes; n++) {
    const r = rows[n];
    indptr[n + 1] = indptr[n] + (r ? countNonZero(r.m, r.row) : 0);
  }
  const nnz = indptr[numNodes];
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let n = 0; n < numNodes; n++) {
    const r = rows[n];
    if (!r) continue;
    let sum = 0;
    for (let k = r.m.indptr[r.row]; k < r.m.indptr[r.row + 1]; k++) sum += r.m.values[k];
    let out = indptr[n];
    for (let k = r.m.indptr[r.row]; k < r.m.indptr[r.row + 1]; k++) {
      if (r.m.values[k] === 0) continue;
      indices[out] = r.m.indices[k];
      values[out] = sum === 0 ? 0 : r.m.values[k] / sum;
      out++;
    }
  }
  return { features: { rows: numNodes, cols: numFeatures, indptr, indices, values }, nonZeros: nnz };
}

function countNonZero(m: CsrMatrix, row: number): number {
  let c = 0;
  for (let k = m.indptr[row]; k < m.indptr[row + 1]; k++) if (m.values[k] !== 0) c++;
  return c;
}

/** Both directions of every edge, de-duplicated, self-loops removed (PyG's coalesce), sorted by (target, source). */
function undirectedEdges(graph: Map<number, number[]>, numNodes: number, name: string): { source: Int32Array; target: Int32Array } {
  const keys = new Set<number>();
  for (const [a, list] of graph) {
    for (const b of list) {
      if (a < 0 || b < 0 || a >= numNodes || b >= numNodes) {
        throw new DatasetError('corrupt', `${name}: ind.${name}.graph has an edge ${a}–${b} outside the ${numNodes} nodes`);
      }
      if (a === b) continue;
      keys.add(b * numNodes + a); // key = target * N + source
      keys.add(a * numNodes + b);
    }
  }
  const sorted = Float64Array.from(keys).sort();
  const source = new Int32Array(sorted.length);
  const target = new Int32Array(sorted.length);
  for (let e = 0; e < sorted.length; e++) {
    target[e] = Math.floor(sorted[e] / numNodes);
    source[e] = sorted[e] - target[e] * numNodes;
  }
  return { source, target };
}
