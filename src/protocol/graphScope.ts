/**
 * Which graph of an inductive dataset (PPI: 24 graphs) a panel shows. The host sends the choice
 * with each snapshot; the webview's picker answers with `selectGraph`. Node ids inside a scoped
 * snapshot are local to the graph (0 … n−1); `nodeOffset` turns them into the dataset's ids, which
 * the panel shows and the host uses.
 */

export interface GraphChoice {
  readonly id: number; // the graph's id in the dataset's files
  readonly split: 'train' | 'val' | 'test';
  readonly numNodes: number;
}

export interface GraphScope {
  readonly graphs: readonly GraphChoice[];
  /** Index into `graphs`, or null for every graph at once (where the panel allows it). */
  readonly selected: number | null;
  readonly allowAll: boolean;
  /** Dataset id of local node 0 (0 when every graph is shown). */
  readonly nodeOffset: number;
}

/** Multi-label targets and (with a run) predictions of a snapshot's nodes, 32 labels to a word. */
export interface MultiLabelView {
  readonly labels: number; // C
  readonly targets: readonly number[]; // (N · ⌈C/32⌉) bit-packed
  readonly predicted?: readonly number[]; // same layout, logit > 0
}

/** Label `k` of node `i` in a bit-packed (N, ⌈C/32⌉) array. */
export function hasLabel(packed: readonly number[], labels: number, i: number, k: number): boolean {
  const words = Math.ceil(labels / 32);
  return ((packed[i * words + (k >> 5)] >>> (k & 31)) & 1) === 1;
}

/** How many labels node `i` has. */
export function labelCount(packed: readonly number[], labels: number, i: number): number {
  const words = Math.ceil(labels / 32);
  let count = 0;
  for (let w = 0; w < words; w++) {
    let x = packed[i * words + w] >>> 0;
    while (x) {
      x &= x - 1;
      count++;
    }
  }
  return count;
}
