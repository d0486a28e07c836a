/**
 * One node's receptive field as a small graph of its own: the nodes whose values reach the node's
 * prediction, and per layer the edges those values flow along. Edge-importance methods score
 * *edge units*: one per undirected pair (both directions share it) or, with `directed`, one per
 * directed edge. Self-loops are the model's own and never a unit.
 */
import type { GraphDataset } from '../data/graph';
import type { GatGraph } from '../kernels/gatGraph';

export interface FieldLayer {
  /** Local ids of the nodes whose layer output is needed, ascending global order. */
  readonly targets: Int32Array;
  /** Edges into targets[t] are rowPtr[t] .. rowPtr[t+1]-1. */
  readonly rowPtr: Int32Array;
  readonly source: Int32Array; // (E_l) local id of each edge's source
  readonly unit: Int32Array; // (E_l) its unit, or -1 for a self-loop
  /** Local ids of the nodes this layer reads (its inputs' projections). */
  readonly inputs: Int32Array;
}

export interface EdgeUnit {
  /** Global ids; for an undirected unit source < target. */
  readonly source: number;
  readonly target: number;
}

export interface ReceptiveField {
  readonly node: number; // global id of the explained node
  readonly nodes: Int32Array; // local id → global id
  readonly local: Map<number, number>; // global id → local id
  readonly layers: readonly FieldLayer[]; // layer 1 .. L
  readonly units: readonly EdgeUnit[];
  readonly directed: boolean;
}

export function receptiveField(gat: GatGraph, node: number, numLayers: number, directed: boolean): ReceptiveField {
  // ── need[l]: nodes whose layer-l output is needed (need[L] = {node}), each ⊇ the one above ──
  const need: Array<Set<number>> = new Array(numLayers + 1);
  need[numLayers] = new Set([node]);
  for (let l = numLayers; l >= 1; l--) {
    const below = new Set<number>(need[l]);
    for (const i of need[l]) for (let e = gat.rowPtr[i]; e < gat.rowPtr[i + 1]; e++) below.add(gat.source[e]);
    need[l - 1] = below;
  }
  const nodes = Int32Array.from([...need[0]].sort((a, b) => a - b));
  const local = new Map<number, number>();
  nodes.forEach((g, k) => local.set(g, k));

  const units: EdgeUnit[] = [];
  const unitOf = new Map<number, number>(); // a pair's key → unit id
  const n = gat.numNodes;
  const unitFor = (s: number, t: number): number => {
    if (s === t) return -1;
    const [a, b] = directed || s < t ? [s, t] : [t, s];
    const key = a * n + b;
    let u = unitOf.get(key);
    if (u === undefined) {
      u = units.length;
      unitOf.set(key, u);
      units.push({ source: a, target: b });
    }
    return u;
  };

  const layers: FieldLayer[] = [];
  for (let l = 1; l <= numLayers; l++) {
    const targetsGlobal = [...need[l]].sort((a, b) => a - b);
    const rowPtr = new Int32Array(targetsGlobal.length + 1);
    const source: number[] = [];
    const unit: number[] = [];
    targetsGlobal.forEach((i, t) => {
      for (let e = gat.rowPtr[i]; e < gat.rowPtr[i + 1]; e++) {
        source.push(local.get(gat.source[e])!);
        unit.push(unitFor(gat.source[e], i));
      }
      rowPtr[t + 1] = source.length;
    });
    layers.push({
      targets: Int32Array.from(targetsGlobal, (i) => local.get(i)!),
      rowPtr,
      source: Int32Array.from(source),
      unit: Int32Array.from(unit),
      inputs: Int32Array.from([...need[l - 1]].sort((a, b) => a - b), (i) => local.get(i)!),
    });
  }
  return { node, nodes, local, layers, units, directed };
}

/** Whether the dataset lists every edge in both directions (then edits and units are undirected by default). */
export function isUndirected(g: Pick<GraphDataset, 'edgeSource' | 'edgeTarget' | 'numNodes'>): boolean {
  const keys = new Set<number>();
  for (let e = 0; e < g.edgeSource.length; e++) keys.add(g.edgeSource[e] * g.numNodes + g.edgeTarget[e]);
  for (let e = 0; e < g.edgeSource.length; e++) if (!keys.has(g.edgeTarget[e] * g.numNodes + g.edgeSource[e])) return false;
  return true;
}
