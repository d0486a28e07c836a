import type { GraphDataset } from '../../src/gat/data/graph';
import { mix32 } from '../../src/gat/kernels/random';

/** A small random GraphDataset: undirected edges in both directions, row-normalised binary features. */
export function tinyGraph(opts: { nodes?: number; features?: number; classes?: number; edges?: number; seed?: number } = {}): GraphDataset {
  const n = opts.nodes ?? 12;
  const f = opts.features ?? 10;
  const c = opts.classes ?? 3;
  let state = (opts.seed ?? 7) >>> 0;
  const rand = (k: number): number => {
    state = mix32(state + 0x6d2b79f5);
    return state % k;
  };
  const pairs = new Set<string>();
  for (let k = 0; k < (opts.edges ?? 2 * n); k++) {
    const a = rand(n);
    const b = rand(n);
    if (a !== b) {
      pairs.add(`${a},${b}`);
      pairs.add(`${b},${a}`);
    }
  }
  const edges = [...pairs].map((p) => p.split(',').map(Number)).sort((x, y) => x[1] - y[1] || x[0] - y[0]);
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const cols = [...new Set([rand(f), rand(f), rand(f)])].sort((a, b) => a - b);
    for (const col of cols) {
      indices.push(col);
      values.push(1 / cols.length);
    }
    indptr[i + 1] = indices.length;
  }
  const labels = Int32Array.from({ length: n }, () => rand(c));
  const third = Math.floor(n / 3);
  const range = (a: number, b: number): Int32Array => Int32Array.from({ length: b - a }, (_, i) => a + i);
  return {
    name: 'tiny',
    numNodes: n,
    numFeatures: f,
    numClasses: c,
    classNames: Array.from({ length: c }, (_, i) => `class${i}`),
    features: { rows: n, cols: f, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) },
    featureNonZeros: indices.length,
    labels,
    edgeSource: Int32Array.from(edges.map((e) => e[0])),
    edgeTarget: Int32Array.from(edges.map((e) => e[1])),
    split: { train: range(0, third), val: range(third, 2 * third), test: range(2 * third, n) },
    checksums: {},
    sourceDir: '',
  };
}
