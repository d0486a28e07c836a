/** Messages between the host and the layout worker (dist/layoutWorker.js). */
export interface LayoutRequest {
  readonly numNodes: number;
  /** Directed edges sorted by (target, source), both directions: GraphDataset's own arrays. */
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly ticks: number;
  readonly seed: number;
}

/** Node positions plus the undirected edges with the original's thickness in [0, 1]. */
export interface LayoutResult {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly u: Int32Array;
  readonly v: Int32Array;
  readonly thickness: Float32Array;
}

/** A picture of a layout under way (multilevel layouts only): every node placed, edges once. */
export interface LayoutUpdate {
  readonly x: Float32Array; // (N)
  readonly y: Float32Array; // (N)
  /** The undirected edges (u < v) in the order the result will have: on the first update only. */
  readonly u?: Int32Array;
  readonly v?: Int32Array;
  readonly stage: string;
  readonly fraction: number;
}

export type LayoutWorkerReply = { readonly type: 'done'; readonly result: LayoutResult } | { readonly type: 'progress'; readonly update: LayoutUpdate } | { readonly type: 'error'; readonly message: string };
