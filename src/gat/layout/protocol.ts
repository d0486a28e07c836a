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

export type LayoutWorkerReply = { readonly type: 'done'; readonly result: LayoutResult } | { readonly type: 'error'; readonly message: string };
