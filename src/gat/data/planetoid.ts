import * as path from 'node:path';
import { readUserFile, UserFileError, type ByteBudget } from '../io/userFile';
import { sha256Hex, readSha256Sums } from './checksums';
import { DatasetError } from './datasetError';
import { listDatasetFolder } from './datasetFolder';
import { bundledDataDir, resolveDataDir } from './dataDirs';
import { downloadDataset, type DownloadOptions } from './download';
import type { CsrMatrix, GraphDataset } from './graph';
import { factsMismatch, KNOWN_DATASETS, PLANETOID_SUFFIXES, isValidDatasetName, planetoidFileName, type PlanetoidSuffix } from './knownDatasets';
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
  /** Where `expected` came from; undefined when there is none. */
  readonly verifiedBy?: GraphDataset['checksumsVerifiedBy'];
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
  for (const suffix of PLANETOID_SUFFIXES) raw.set(suffix, await readVerified(path.join(source.dir, planetoidFileName(lower, suffix)), source));
  const g = parsePlanetoidFiles(lower, raw, source.dir, source.remedy);
  // A known dataset must assemble to its published counts: this checks our assembly (padding, split), not only the bytes.
  const known = KNOWN_DATASETS[lower];
  const bad = known && factsMismatch(known.facts, { numNodes: g.numNodes, numFeatures: g.numFeatures, numClasses: g.numClasses, undirectedEdges: g.edgeSource.length / 2, split: [g.split.train.length, g.split.val.length, g.split.test.length] });
  if (bad) throw new DatasetError('corrupt', `${lower} in ${source.dir} assembled to ${bad}. ${source.remedy}`, path.join(source.dir, planetoidFileName(lower, 'graph')));
  return source.verifiedBy ? { ...g, checksumsVerifiedBy: source.verifiedBy } : g;
}

/**
 * Parses and assembles the eight raw files of Planetoid dataset `name` read from `dir` (already
 * verified where checksums are known). Every problem is a DatasetError naming the file and the field.
 */
export function parsePlanetoidFiles(name: string, raw: ReadonlyMap<PlanetoidSuffix, Uint8Array>, dir: string, remedy = 'Replace it with a good copy.'): GraphDataset {
  const fileOf = (suffix: PlanetoidSuffix): string => path.join(dir, planetoidFileName(name, suffix));
  const bytesOf = (suffix: PlanetoidSuffix): Uint8Array => {
    const bytes = raw.get(suffix);
    if (!bytes) throw new DatasetError('missing', `missing dataset file ${fileOf(suffix)}: a Planetoid dataset needs all eight ind.*.{x,tx,allx,y,ty,ally,graph,test.index} files`, fileOf(suffix));
    return bytes;
  };
  const checksums: Record<string, string> = {};
  for (const suffix of PLANETOID_SUFFIXES) checksums[planetoidFileName(name, suffix)] = sha256Hex(bytesOf(suffix));
  const parse = (suffix: PlanetoidSuffix): PickleValue => parseFile(bytesOf(suffix), fileOf(suffix), remedy);
  return assemble({
    name,
    x: expectCsr(parse('x'), fileOf('x')),
    tx: expectCsr(parse('tx'), fileOf('tx')),
    allx: expectCsr(parse('allx'), fileOf('allx')),
    y: expectDense(parse('y'), fileOf('y')),
    ty: expectDense(parse('ty'), fileOf('ty')),
    ally: expectDense(parse('ally'), fileOf('ally')),
    graph: expectGraph(parse('graph'), fileOf('graph')),
    testIndex: parseTestIndex(bytesOf('test.index'), fileOf('test.index')),
    classNames: KNOWN_DATASETS[name]?.classNames,
    checksums,
    sourceDir: dir,
    files: { x: fileOf('x'), tx: fileOf('tx'), allx: fileOf('allx'), y: fileOf('y'), ty: fileOf('ty'), ally: fileOf('ally'), graph: fileOf('graph'), testIndex: fileOf('test.index') },
  });
}

async function locate(name: string, options: LoadOptions): Promise<Source> {
  const known = KNOWN_DATASETS[name];
  const explicitDir = options.dataDir ?? process.env.GAT_DATA_DIR;
  const pinned = known ? new Map(PLANETOID_SUFFIXES.map((s) => [planetoidFileName(name, s), known.sha256[s]])) : null;
  if (explicitDir && (await hasAnyFile(explicitDir, name))) {
    const dir = path.resolve(explicitDir);
    const sums = pinned ? null : await readSha256Sums(path.join(dir, 'SHA256SUMS'));
    const expected = pinned ?? sums;
    return { dir, expected, verifiedBy: pinned ? 'pinned' : sums ? 'SHA256SUMS' : undefined, remedy: known && !known.bundled ? 'Delete it and run again to download a fresh copy.' : 'Replace it with a good copy.' };
  }
  if (known?.bundled) {
    const dir = bundledDataDir();
    if (!(await hasAnyFile(dir, name))) {
      throw new DatasetError('missing', `the bundled ${name} files are not in ${dir}: reinstall GAT Explorer, or run \`git checkout -- data/planetoid\` in a clone (or pass --data-dir to a folder with ind.${name}.* files)`, dir);
    }
    return { dir, expected: pinned, verifiedBy: 'pinned', remedy: 'The copy shipped with GAT Explorer is damaged: reinstall the extension, or run `git checkout -- data/planetoid` in a clone.' };
  }
  if (known) {
    const dir = resolveDataDir(options.dataDir);
    if (options.download === false) {
      throw new DatasetError('missing', `${name} is not in ${dir} and downloading is off: run \`npx gat download --dataset-name ${name}\` first`, dir);
    }
    await downloadDataset(name, dir, options.downloadOptions);
    return { dir, expected: pinned, verifiedBy: 'pinned', remedy: 'Delete it and run again to download a fresh copy.' };
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
  const entries = await listDatasetFolder(dir);
  return entries !== null && entries.some((e) => e.startsWith(`ind.${name}.`));
}

/**
 * PubMed's largest Planetoid file (ind.pubmed.allx) is a few tens of MB: 512 MiB leaves room for a
 * user's own, bigger graph, and the variable for one bigger still.
 */
const PLANETOID_FILE_BUDGET: ByteBudget = { what: 'Planetoid dataset file', maxBytes: 512 << 20, env: 'GAT_MAX_DATASET_MB' };

async function readVerified(file: string, source: Source): Promise<Uint8Array> {
  const base = path.basename(file);
  let bytes: Uint8Array;
  try {
    bytes = await readUserFile(file, PLANETOID_FILE_BUDGET);
  } catch (err) {
    if (!(err instanceof UserFileError)) throw err;
    if (err.problem === 'missing') {
      throw new DatasetError('missing', `missing dataset file ${base} in ${source.dir}: a Planetoid dataset needs all eight ind.*.{x,tx,allx,y,ty,ally,graph,test.index} files. ${source.remedy}`, file);
    }
    throw new DatasetError(err.problem === 'too-big' ? 'corrupt' : 'missing', err.message, file);
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

function parseFile(bytes: Uint8Array, file: string, remedy: string): PickleValue {
  try {
    return readPickle(bytes, file);
  } catch (err) {
    if (err instanceof PickleError) throw new DatasetError(err.unsafe ? 'unsafe' : 'corrupt', `${err.message}. ${remedy}`, file);
    throw err;
  }
}

/** Sizes beyond any real Planetoid dataset (PubMed has 19,717 nodes): refused before anything is allocated. */
const MAX_NODES = 10_000_000;
const MAX_COLUMNS = 1_000_000;

/**
 * One node index per line, as the reference loaders read it (`int(line.strip())`) without int()'s
 * leniency: after trimming the line, decimal digits only (no 0x4, 5e0, +4, 4_0). Blank lines may
 * only end the file.
 */
function parseTestIndex(bytes: Uint8Array, file: string): Int32Array {
  const text = Buffer.from(bytes).toString('utf8');
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const blank = lines.findIndex((l) => l.trim() === '');
  if (blank >= 0) throw new DatasetError('corrupt', `${file} line ${blank + 1} is empty: every line must hold one node index`, file);
  const out = new Int32Array(lines.length);
  const seen = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const digits = lines[i].trim();
    const v = /^[0-9]+$/.test(digits) ? Number(digits) : NaN;
    if (!(v < MAX_NODES)) throw new DatasetError('corrupt', `${file} line ${i + 1} is not a node index (decimal digits, 0 to ${MAX_NODES - 1}): '${lines[i].slice(0, 40)}'`, file);
    if (seen.has(v)) throw new DatasetError('corrupt', `${file} line ${i + 1} lists node ${v} a second time`, file);
    seen.add(v);
    out[i] = v;
  }
  if (out.length === 0) throw new DatasetError('corrupt', `${file} lists no test nodes`, file);
  return out;
}

function expectCsr(v: PickleValue, file: string): CsrMatrix {
  if (!isCsr(v)) throw new DatasetError('corrupt', `${file}: the top-level value is ${describeValue(v)}, not a SciPy CSR matrix`, file);
  const [rows, cols] = v.shape;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1 || rows > MAX_NODES || cols > MAX_COLUMNS) {
    throw new DatasetError('corrupt', `${file}: CSR shape ${rows}×${cols} is not a plausible feature matrix`, file);
  }
  const indptr = toInt32(v.indptr, file, 'indptr');
  const indices = toInt32(v.indices, file, 'indices');
  const values = Float32Array.from(v.data.data);
  if (indptr.length !== rows + 1 || indices.length !== values.length || indptr[0] !== 0 || indptr[rows] !== values.length) {
    throw new DatasetError('corrupt', `${file}: inconsistent CSR arrays (shape ${rows}×${cols}, ${indptr.length} row pointers, ${values.length} values)`, file);
  }
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1] < indptr[r]) throw new DatasetError('corrupt', `${file}: CSR indptr decreases at row ${r} (${indptr[r]} then ${indptr[r + 1]})`, file);
  }
  for (let k = 0; k < indices.length; k++) {
    if (indices[k] < 0 || indices[k] >= cols) throw new DatasetError('corrupt', `${file}: CSR column index ${indices[k]} at entry ${k} is outside 0..${cols - 1}`, file);
    if (!Number.isFinite(values[k])) throw new DatasetError('corrupt', `${file}: CSR value at entry ${k} is ${values[k]}`, file);
  }
  return { rows, cols, indptr, indices, values };
}

function toInt32(a: NdArray, file: string, field: string): Int32Array {
  if (a.data instanceof Float32Array || a.data instanceof Float64Array) throw new DatasetError('corrupt', `${file}: CSR field '${field}' holds floats (dtype ${a.dtype}); it must hold integers`, file);
  return a.data instanceof Int32Array ? a.data : Int32Array.from(a.data);
}

interface Dense { rows: number; cols: number; data: NdArray['data'] }

function expectDense(v: PickleValue, file: string): Dense {
  if (!isNdArray(v) || v.shape.length !== 2) throw new DatasetError('corrupt', `${file}: the top-level value is ${isNdArray(v) ? `a ${v.shape.length}-D array` : describeValue(v)}, not a 2-D NumPy array`, file);
  const [rows, cols] = v.shape;
  if (rows > MAX_NODES || cols < 1 || cols > MAX_COLUMNS) throw new DatasetError('corrupt', `${file}: label shape ${rows}×${cols} is not a plausible one-hot matrix`, file);
  for (let k = 0; k < v.data.length; k++) {
    if (!Number.isFinite(v.data[k])) throw new DatasetError('corrupt', `${file}: label value at row ${Math.floor(k / cols)}, column ${k % cols} is ${v.data[k]}`, file);
  }
  return { rows, cols, data: v.data };
}

function expectGraph(v: PickleValue, file: string): Map<number, number[]> {
  if (!(v instanceof Map)) throw new DatasetError('corrupt', `${file}: the top-level value is ${describeValue(v)}, not a dict of adjacency lists`, file);
  const out = new Map<number, number[]>();
  const isNodeId = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
  for (const [k, list] of v) {
    if (!isNodeId(k) || !Array.isArray(list)) throw new DatasetError('corrupt', `${file} must map node ids to lists of node ids; found key ${JSON.stringify(describeValue(k))}`, file);
    const bad = list.find((n) => !isNodeId(n));
    if (bad !== undefined) throw new DatasetError('corrupt', `${file}: the adjacency list of node ${k} holds ${JSON.stringify(describeValue(bad))}, not a node id`, file);
    out.set(k, list as number[]);
  }
  return out;
}

function describeValue(v: PickleValue): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'string') return v.slice(0, 40);
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'a dict';
  return isNdArray(v) ? 'a NumPy array' : isCsr(v) ? 'a SciPy CSR matrix' : 'an object';
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
  /** The path of each file, for messages. */
  files: Record<'x' | 'tx' | 'allx' | 'y' | 'ty' | 'ally' | 'graph' | 'testIndex', string>;
}

/** PyG's read_planetoid_data, step by step. */
function assemble(p: RawParts): GraphDataset {
  const numFeatures = p.allx.cols;
  const numClasses = p.ally.cols;
  if (p.tx.cols !== numFeatures || p.x.cols !== numFeatures || p.ty.cols !== numClasses || p.y.cols !== numClasses) {
    throw new DatasetError('corrupt', `${p.files.allx}: feature or label widths disagree between x, tx and allx (${p.x.cols}, ${p.tx.cols}, ${numFeatures} columns) or y, ty and ally (${p.y.cols}, ${p.ty.cols}, ${numClasses} columns)`, p.files.allx);
  }
  if (p.tx.rows !== p.testIndex.length || p.ty.rows !== p.testIndex.length) {
    throw new DatasetError('corrupt', `${p.files.testIndex} lists ${p.testIndex.length} nodes but tx/ty have ${p.tx.rows}/${p.ty.rows} rows`, p.files.testIndex);
  }
  if (p.y.rows > p.allx.rows || p.x.rows !== p.y.rows || p.ally.rows !== p.allx.rows) {
    throw new DatasetError('corrupt', `${p.files.allx}: row counts disagree: x ${p.x.rows}, y ${p.y.rows}, allx ${p.allx.rows}, ally ${p.ally.rows} (x and y are the first rows of allx and ally)`, p.files.allx);
  }
  const sortedTest = Int32Array.from(p.testIndex).sort();
  const testMin = sortedTest[0];
  const testMax = sortedTest[sortedTest.length - 1];
  if (testMin !== p.allx.rows) {
    throw new DatasetError('corrupt', `${p.files.testIndex}: test indices must start right after allx (row ${p.allx.rows}), found ${testMin}`, p.files.testIndex);
  }
  // Citeseer: some test indices point at isolated nodes missing from tx; PyG pads the whole
  // test range with zero rows, so the node count is allx rows + (max - min + 1). Real files pad a
  // few rows (Citeseer: 15 of 1,015); a range more than twice the listed rows is damage.
  const padded = testMax - testMin + 1 - p.testIndex.length;
  if (padded > p.testIndex.length) {
    throw new DatasetError('corrupt', `${p.files.testIndex}: test indices span ${testMin}–${testMax} but list only ${p.testIndex.length} nodes (${padded} would be padding)`, p.files.testIndex);
  }
  const numNodes = p.allx.rows + (testMax - testMin + 1);

  // Row i of the stacked tx goes to node testIndex[i] (x[test_index] = x[sorted_test_index]).
  const rowSource: Array<{ m: CsrMatrix; row: number } | null> = new Array(numNodes).fill(null);
  for (let i = 0; i < p.allx.rows; i++) rowSource[i] = { m: p.allx, row: i };
  for (let i = 0; i < p.testIndex.length; i++) rowSource[p.testIndex[i]] = { m: p.tx, row: i };

  const labels = new Int32Array(numNodes); // padded rows: argmax of a zero row, 0, as PyG
  for (let i = 0; i < p.ally.rows; i++) labels[i] = argmaxRow(p.ally, i);
  for (let i = 0; i < p.testIndex.length; i++) labels[p.testIndex[i]] = argmaxRow(p.ty, i);

  const { features, nonZeros } = rowNormalised(rowSource, numNodes, numFeatures);
  const { source, target } = undirectedEdges(p.graph, numNodes, p.files.graph);

  const range = (from: number, to: number): Int32Array => Int32Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  return {
    name: p.name,
    format: 'planetoid',
    numNodes,
    numFeatures,
    numClasses,
    classNames: p.classNames && p.classNames.length === numClasses ? p.classNames : Array.from({ length: numClasses }, (_, i) => `class ${i}`),
    features,
    featureNonZeros: nonZeros,
    labels,
    edgeSource: source,
    edgeTarget: target,
    // PyG: the 500 nodes after the training ones (clipped to the labelled rows on graphs smaller than Cora).
    split: { train: range(0, p.y.rows), val: range(p.y.rows, Math.min(p.y.rows + 500, p.allx.rows)), test: sortedTest },
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
function undirectedEdges(graph: Map<number, number[]>, numNodes: number, file: string): { source: Int32Array; target: Int32Array } {
  const keys = new Set<number>();
  for (const [a, list] of graph) {
    for (const b of list) {
      if (a < 0 || b < 0 || a >= numNodes || b >= numNodes) {
        throw new DatasetError('corrupt', `${file} has an edge ${a}–${b} outside the ${numNodes} nodes`, file);
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
