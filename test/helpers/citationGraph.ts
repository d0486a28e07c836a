/**
 * A citation-like graph of any size, for the panel and layout benches at sizes no dataset here
 * has (20,000 and 200,000 nodes): each node has a class, 85 % of edges stay within a class, and
 * endpoints are drawn partly by preferential attachment (a few hubs), as writeSizedPlanetoid's
 * PubMed-sized files. Edges come as the loaders give them: both directions, sorted by target,
 * no self-loops, each pair once.
 */
export interface CitationGraph {
  readonly numNodes: number;
  readonly numClasses: number;
  readonly labels: Int32Array; // (N)
  readonly edgeSource: Int32Array; // (2E)
  readonly edgeTarget: Int32Array; // (2E), ascending
}

export function citationGraph(nodes: number, undirectedEdges: number, classes: number, seed: number): CitationGraph {
  let state = seed >>> 0;
  const rand = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const labels = Int32Array.from({ length: nodes }, () => Math.floor(rand() * classes));
  const byClass = Array.from({ length: classes }, () => [] as number[]);
  for (let i = 0; i < nodes; i++) byClass[labels[i]].push(i);

  // ── undirected edges: 85 % within the class, 30 % of endpoints by preferential attachment ──
  const seen = new Set<number>(); // a * nodes + b, a < b: exact below 2^53
  const u = new Int32Array(undirectedEdges);
  const v = new Int32Array(undirectedEdges);
  const bag = new Int32Array(2 * undirectedEdges); // every endpoint so far: degree-proportional picks
  let count = 0;
  const pick = (pool: readonly number[] | undefined): number => (rand() < 0.3 && count > 0 ? bag[Math.floor(rand() * 2 * count)] : pool ? pool[Math.floor(rand() * pool.length)] : Math.floor(rand() * nodes));
  while (count < undirectedEdges) {
    const a = Math.floor(rand() * nodes);
    const b = pick(rand() < 0.85 ? byClass[labels[a]] : undefined);
    if (a === b) continue;
    const key = a < b ? a * nodes + b : b * nodes + a;
    if (seen.has(key)) continue;
    seen.add(key);
    u[count] = a;
    v[count] = b;
    bag[2 * count] = a;
    bag[2 * count + 1] = b;
    count++;
  }

  // ── both directions, sorted by target (a counting sort) ──
  const offsets = new Int32Array(nodes + 1);
  for (let k = 0; k < count; k++) {
    offsets[u[k] + 1]++;
    offsets[v[k] + 1]++;
  }
  for (let i = 0; i < nodes; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, nodes);
  const edgeSource = new Int32Array(2 * count);
  const edgeTarget = new Int32Array(2 * count);
  for (let k = 0; k < count; k++) {
    edgeSource[fill[v[k]]] = u[k];
    edgeTarget[fill[v[k]]++] = v[k];
    edgeSource[fill[u[k]]] = v[k];
    edgeTarget[fill[u[k]]++] = u[k];
  }
  for (let i = 0; i < nodes; i++) edgeSource.subarray(offsets[i], offsets[i + 1]).sort(); // by (target, source), as the loaders
  return { numNodes: nodes, numClasses: classes, labels, edgeSource, edgeTarget };
}
