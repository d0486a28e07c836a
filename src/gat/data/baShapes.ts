/**
 * BA-Shapes, the planted-motif benchmark of the GNNExplainer paper (Ying et al. 2019, §5; their
 * code's gengraph.gen_syn1 and synthetic_structsim.build_graph), generated in memory from a fixed
 * seed, so that explanations can be scored against ground truth: the edges of the houses.
 *
 * The recipe: a Barabási–Albert graph of 300 nodes, each new node attached to m = 5 others
 * (networkx 2.x's barabasi_albert_graph: 5 seed nodes without edges, 295 · 5 = 1,475 edges); 80
 * five-node houses after it, house h on nodes 300 + 5h … 300 + 5h + 4, each joined by one edge
 * from its node 0 to a base node drawn without replacement; then 0.1 · N = 70 random edges
 * between distinct, unjoined nodes, as the paper says (its code's perturb() adds 1 % of the
 * edges instead, 20). One change: a random edge never joins two nodes of one house, so that an
 * edge with both ends in one house is always one of its six (isMotifEdge is exact).
 *
 * Labels are the house roles with the published indices (their code and PyG's HouseMotif agree):
 * 0 base, 1 the two corners under the roof ("middle"), 2 the floor ("bottom"), 3 the roof's apex
 * ("top"): 300 / 160 / 160 / 80 nodes.
 */
import { sha256OfArrays } from './checksums';
import type { CsrMatrix, GraphDataset } from './graph';
import { seededRandom, shuffledRange, type SeededRandom } from './seededRandom';

export const BA_SHAPES = {
  baseNodes: 300,
  /** Edges from each new Barabási–Albert node (m). */
  baseEdgesPerNode: 5,
  houses: 80,
  houseNodes: 5,
  /** Random edges added, as a fraction of the node count (the paper's 0.1 N). */
  randomEdgeFraction: 0.1,
  /** The seed of the datasets loadDataset gives by name. */
  seed: 1,
  trainFraction: 0.8,
  valFraction: 0.1,
  classNames: ['base', 'middle', 'bottom', 'top'],
} as const;

/** A house's edges between its nodes 0–4, and each node's class (index into classNames). */
const HOUSE_EDGES: ReadonlyArray<readonly [number, number]> = [[0, 1], [1, 2], [2, 3], [3, 0], [4, 0], [4, 1]];
const HOUSE_ROLES = [1, 1, 2, 2, 3] as const;

/** The degree one-hot of the informative variant: degrees 1 … 9, and 10 or more. */
const DEGREE_COLUMNS = 10;
/** Uniform [0, 1) noise columns of the informative variant. */
const NOISE_COLUMNS = 2;
/** The constant variant's features: 10 ones per node, as gen_syn1's ConstFeatureGen(np.ones(10)). */
const CONSTANT_COLUMNS = 10;

/**
 * 'constant': every node's features are the same (the published dataset). A GAT cannot learn it:
 * identical inputs give identical scores, so attention is uniform and every node's layer output is
 * the same vector. 'informative': a one-hot of min(degree, 10) and two noise columns. Degree alone
 * does not give the class: top and bottom nodes both have degree 2 (random edges shift some
 * degrees), so telling them apart needs the neighbours' degrees, i.e. the house's edges.
 */
export type BaShapesFeatures = 'constant' | 'informative';

/** The graph before features: undirected edges (u < v), labels and each node's house. */
export interface BaShapesGraph {
  readonly numNodes: number;
  readonly edgeU: Int32Array;
  readonly edgeV: Int32Array;
  readonly labels: Int32Array;
  /** The house of each node, −1 for base nodes. */
  readonly motifs: Int32Array;
}

export function baShapesGraph(random: SeededRandom): BaShapesGraph {
  const { baseNodes, houses, houseNodes } = BA_SHAPES;
  const numNodes = baseNodes + houses * houseNodes;
  const edges = new Set<number>();
  const key = (a: number, b: number): number => (a < b ? a * numNodes + b : b * numNodes + a);
  const join = (a: number, b: number): void => void edges.add(key(a, b));

  barabasiAlbert(baseNodes, BA_SHAPES.baseEdgesPerNode, random, join);
  const labels = new Int32Array(numNodes);
  const motifs = new Int32Array(numNodes).fill(-1);
  const anchors = shuffledRange(baseNodes, random);
  for (let h = 0; h < houses; h++) {
    const start = baseNodes + h * houseNodes;
    for (const [a, b] of HOUSE_EDGES) join(start + a, start + b);
    for (let k = 0; k < houseNodes; k++) {
      labels[start + k] = HOUSE_ROLES[k];
      motifs[start + k] = h;
    }
    join(start, anchors[h]);
  }
  const randomEdges = Math.round(BA_SHAPES.randomEdgeFraction * numNodes);
  for (let added = 0; added < randomEdges; ) {
    const u = random.int(numNodes);
    const v = random.int(numNodes);
    if (u === v || edges.has(key(u, v)) || (motifs[u] >= 0 && motifs[u] === motifs[v])) continue;
    join(u, v);
    added++;
  }
  const keys = Float64Array.from(edges).sort();
  const edgeU = Int32Array.from(keys, (k) => Math.floor(k / numNodes));
  const edgeV = Int32Array.from(keys, (k) => k % numNodes);
  return { numNodes, edgeU, edgeV, labels, motifs };
}

/**
 * networkx 2.x's barabasi_albert_graph(n, m): nodes m … n−1 each join m distinct earlier nodes,
 * drawn from the list of every edge end so far (preferential attachment); the first joins 0 … m−1.
 */
export function barabasiAlbert(n: number, m: number, random: SeededRandom, join: (a: number, b: number) => void): void {
  let targets = Array.from({ length: m }, (_, i) => i);
  const ends: number[] = [];
  for (let source = m; source < n; source++) {
    for (const t of targets) join(source, t);
    ends.push(...targets);
    for (let k = 0; k < m; k++) ends.push(source);
    const picked = new Set<number>();
    while (picked.size < m) picked.add(ends[random.int(ends.length)]);
    targets = [...picked];
  }
}

/** BA-Shapes as a dataset: the graph from `seed`, a seeded 80 / 10 / 10 split, and the features. */
export function generateBaShapes(name: string, features: BaShapesFeatures, seed: number = BA_SHAPES.seed): GraphDataset {
  const random = seededRandom(seed);
  const graph = baShapesGraph(random);
  const n = graph.numNodes;
  const order = shuffledRange(n, random);
  const trainEnd = Math.round(BA_SHAPES.trainFraction * n);
  const valEnd = trainEnd + Math.round(BA_SHAPES.valFraction * n);
  const sorted = (a: Int32Array): Int32Array => Int32Array.from(a).sort();
  const split = { train: sorted(order.subarray(0, trainEnd)), val: sorted(order.subarray(trainEnd, valEnd)), test: sorted(order.subarray(valEnd)) };
  const { edgeSource, edgeTarget } = bothDirections(graph);
  const x = features === 'constant' ? constantFeatures(n) : informativeFeatures(graph, random);
  const checksum = sha256OfArrays([graph.labels, graph.motifs, edgeSource, edgeTarget, x.indptr, x.indices, x.values, split.train, split.val, split.test]);
  return {
    name,
    format: 'generated',
    numNodes: n,
    numFeatures: x.cols,
    numClasses: BA_SHAPES.classNames.length,
    classNames: BA_SHAPES.classNames,
    features: x,
    featureNonZeros: x.values.length,
    labels: graph.labels,
    motifs: graph.motifs,
    edgeSource,
    edgeTarget,
    split,
    // Nothing was read: the one "checksum" is of what was generated, so a run records exactly which graph it saw.
    checksums: { [`${name}.generated`]: checksum },
    sourceDir: '',
  };
}

/** Both directions of every edge, sorted by (target, source), as GraphDataset requires. */
function bothDirections(g: BaShapesGraph): { edgeSource: Int32Array; edgeTarget: Int32Array } {
  const n = g.numNodes;
  const keys = new Float64Array(2 * g.edgeU.length);
  for (let e = 0; e < g.edgeU.length; e++) {
    keys[2 * e] = g.edgeV[e] * n + g.edgeU[e];
    keys[2 * e + 1] = g.edgeU[e] * n + g.edgeV[e];
  }
  keys.sort();
  return { edgeSource: Int32Array.from(keys, (k) => k % n), edgeTarget: Int32Array.from(keys, (k) => Math.floor(k / n)) };
}

function constantFeatures(n: number): CsrMatrix {
  return {
    rows: n,
    cols: CONSTANT_COLUMNS,
    indptr: Int32Array.from({ length: n + 1 }, (_, i) => i * CONSTANT_COLUMNS),
    indices: Int32Array.from({ length: n * CONSTANT_COLUMNS }, (_, p) => p % CONSTANT_COLUMNS),
    values: new Float32Array(n * CONSTANT_COLUMNS).fill(1),
  };
}

function informativeFeatures(g: BaShapesGraph, random: SeededRandom): CsrMatrix {
  const n = g.numNodes;
  const degree = new Int32Array(n);
  for (let e = 0; e < g.edgeU.length; e++) {
    degree[g.edgeU[e]]++;
    degree[g.edgeV[e]]++;
  }
  const width = 1 + NOISE_COLUMNS;
  const indices = new Int32Array(n * width);
  const values = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    indices[i * width] = Math.min(Math.max(degree[i], 1), DEGREE_COLUMNS) - 1;
    values[i * width] = 1;
    for (let k = 1; k < width; k++) {
      indices[i * width + k] = DEGREE_COLUMNS + k - 1;
      // Never exactly 0, so the matrix keeps its fixed shape of non-zeros.
      values[i * width + k] = Math.max(random.next(), 1e-6);
    }
  }
  return { rows: n, cols: DEGREE_COLUMNS + NOISE_COLUMNS, indptr: Int32Array.from({ length: n + 1 }, (_, i) => i * width), indices, values };
}
