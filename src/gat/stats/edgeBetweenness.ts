/**
 * Edge betweenness of an unweighted undirected graph (Brandes 2001, edge variant): for every
 * undirected edge, the number of shortest paths between unordered node pairs that pass
 * through it, shortest paths split evenly. Matches networkx `edge_betweenness_centrality(G,
 * normalized=False)` and igraph `Graph.edge_betweenness()`.
 *
 * Input is the CSR neighbour structure (`offsets`, `neighbours`) of the symmetric graph.
 * Output is per directed CSR slot; both slots of an undirected edge hold the same value.
 */
export function edgeBetweenness(numNodes: number, offsets: Int32Array, neighbours: Int32Array, sources?: Int32Array): Float64Array {
  const slotScore = new Float64Array(neighbours.length); // accumulated per directed slot v→w
  const sigma = new Float64Array(numNodes); // number of shortest paths from s
  const dist = new Int32Array(numNodes);
  const delta = new Float64Array(numNodes);
  const order = new Int32Array(numNodes); // BFS order = non-decreasing distance
  // Every node as a source (exact), or a sample of them scaled up (Brandes and Pich 2007).
  const from = sources ?? Int32Array.from({ length: numNodes }, (_, i) => i);
  const scale = numNodes / Math.max(1, from.length);

  for (const s of from) {
    sigma.fill(0);
    dist.fill(-1);
    delta.fill(0);
    sigma[s] = 1;
    dist[s] = 0;
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    while (head < tail) {
      const v = order[head++];
      for (let k = offsets[v]; k < offsets[v + 1]; k++) {
        const w = neighbours[k];
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          order[tail++] = w;
        }
        if (dist[w] === dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    // Back-propagate dependencies in reverse BFS order.
    for (let i = tail - 1; i >= 0; i--) {
      const w = order[i];
      for (let k = offsets[w]; k < offsets[w + 1]; k++) {
        const v = neighbours[k];
        if (dist[v] === dist[w] - 1) {
          const c = (sigma[v] / sigma[w]) * (1 + delta[w]);
          slotScore[k] += c; // credited to the slot w→v; mirrored below
          delta[v] += c;
        }
      }
    }
  }

  // Each unordered pair was counted from both ends, and each edge from both slots:
  // score(u,v) = (slot(u→v) + slot(v→u)) / 2.
  const result = new Float64Array(neighbours.length);
  for (let v = 0; v < numNodes; v++) {
    for (let k = offsets[v]; k < offsets[v + 1]; k++) {
      const w = neighbours[k];
      const back = findSlot(offsets, neighbours, w, v);
      result[k] = ((slotScore[k] + slotScore[back]) / 2) * scale;
    }
  }
  return result;
}

/** Above this many nodes, edge betweenness is estimated from sampled sources: exact Brandes is O(nodes × edges). */
export const EXACT_BETWEENNESS_MAX_NODES = 5000;
/** Sources sampled above that size: the estimate's thickness classes match the exact ones closely (tested). */
export const BETWEENNESS_SAMPLES = 1024;
/** Fewer sources on graphs with more directed edges than this: each source is a BFS over all of them (~80 ms at 2.4 M). */
const FULL_SAMPLES_UP_TO_EDGES = 100_000;
const MIN_SAMPLES = 128;

/** Sources to sample for a graph with this many directed edges: 1,024 up to PubMed's size, then fewer (at least 128). */
export function betweennessSamples(directedEdges: number): number {
  return Math.max(MIN_SAMPLES, Math.min(BETWEENNESS_SAMPLES, Math.round((BETWEENNESS_SAMPLES * FULL_SAMPLES_UP_TO_EDGES) / Math.max(1, directedEdges))));
}

/**
 * `count` distinct source nodes, the same for the same seed (a partial Fisher–Yates shuffle),
 * or undefined (every node) when the graph is small enough for the exact computation.
 */
export function betweennessSources(numNodes: number, seed = 42, count = BETWEENNESS_SAMPLES, exactMax = EXACT_BETWEENNESS_MAX_NODES): Int32Array | undefined {
  if (numNodes <= exactMax || count >= numNodes) return undefined;
  let a = seed >>> 0;
  const random = (): number => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 32;
  };
  const ids = Int32Array.from({ length: numNodes }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (numNodes - i));
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  return ids.slice(0, count).sort();
}

/** Index of `target` in the sorted neighbour list of `node`. */
export function findSlot(offsets: Int32Array, neighbours: Int32Array, node: number, target: number): number {
  let lo = offsets[node];
  let hi = offsets[node + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (neighbours[mid] === target) return mid;
    if (neighbours[mid] < target) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new Error(`graph is not symmetric: ${node}→${target} has no reverse edge`);
}

/**
 * The original's edge-thickness mapping (pytorch-GAT's Cora plot): log of the betweenness,
 * clipped at 0, divided by the largest value, so widths are in [0, 1].
 */
export function edgeThickness(betweenness: Float64Array): Float32Array {
  const logged = Float32Array.from(betweenness, (b) => Math.max(0, Math.log(b + 1e-16)));
  let max = 0;
  for (const v of logged) if (v > max) max = v;
  if (max > 0) for (let i = 0; i < logged.length; i++) logged[i] /= max;
  return logged;
}
