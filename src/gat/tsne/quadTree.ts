/**
 * Barnes-Hut quadtree over the 2-D embedding, rebuilt every iteration from Morton (Z-order)
 * codes: sort the points by code, then emit cells in depth-first preorder. Each cell stores
 * centre of mass, mass and width² (−1 for a leaf) at nodes[4c .. 4c + 3], and skip[c], the
 * index just past its subtree. A traversal is then a single loop with no stack: summarise a
 * cell (when the larger side of its points' bounding box, w, has w² < θ² d²) and jump to skip[c], or open it and step to c + 1 (its first child). Cells with a
 * single child are not emitted (the child is smaller and holds the same points).
 */

import { sharedFloat64, sharedInt32 } from './forces';

/** Bits per axis of the Morton code: points closer than span / 2^16 share a leaf. */
const LEVELS = 16;
/** 8-bit radix passes over the 2·LEVELS-bit codes: an even count leaves `order` in its own buffer. */
const PASSES = (2 * LEVELS) / 8;

export class QuadTree {
  /** Stride 4: centre-of-mass x, y, mass, width² (−1 for a leaf). */
  nodes: Float64Array;
  skip: Int32Array;
  size = 0;
  /** Points in Morton order: traversing in this order keeps consecutive walks similar. */
  order: Int32Array;
  private codes: Uint32Array;
  private tmpCodes: Uint32Array;
  private tmpOrder: Int32Array;
  private readonly counts = new Int32Array(256);
  /** Stride 4 per cell: min x, min y, max x, max y of its points (build only). */
  private box: Float64Array;
  private y: Float64Array = new Float64Array(0);

  /**
   * `shared`: nodes, skip and order live on SharedArrayBuffers (for helper threads); they are
   * the same array objects after every build.
   */
  constructor(
    private readonly n: number,
    shared = false,
  ) {
    this.nodes = shared ? sharedFloat64(4 * (2 * n + 1)) : new Float64Array(4 * (2 * n + 1));
    this.skip = shared ? sharedInt32(2 * n + 1) : new Int32Array(2 * n + 1);
    this.box = new Float64Array(4 * (2 * n + 1));
    this.order = shared ? sharedInt32(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    if (PASSES % 2 !== 0) throw new Error('QuadTree: an odd number of radix passes would swap the order buffer');
    this.codes = new Uint32Array(n);
    this.tmpCodes = new Uint32Array(n);
    this.tmpOrder = new Int32Array(n);
  }

  /** Rebuilds the tree for the points at y (interleaved x, y). */
  build(y: Float64Array): void {
    const n = this.n;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const px = y[2 * i];
      const py = y[2 * i + 1];
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    }
    const span = Math.max(maxX - minX, maxY - minY) * (1 + 1e-9) + 1e-300;
    const scale = (1 << LEVELS) / span;
    const codes = this.codes;
    const order = this.order;
    for (let t = 0; t < n; t++) {
      const i = order[t];
      codes[t] = interleave(Math.floor((y[2 * i] - minX) * scale)) | (interleave(Math.floor((y[2 * i + 1] - minY) * scale)) << 1);
    }
    this.radixSort();
    this.y = y;
    this.size = 0;
    this.emit(0, n, 0);
  }

  /** LSD radix sort of codes (with order alongside), 8 bits per pass. */
  private radixSort(): void {
    const n = this.n;
    const counts = this.counts;
    for (let shift = 0; shift < 2 * LEVELS; shift += 8) {
      counts.fill(0);
      const src = this.codes;
      const srcOrder = this.order;
      const dst = this.tmpCodes;
      const dstOrder = this.tmpOrder;
      for (let t = 0; t < n; t++) counts[(src[t] >>> shift) & 255]++;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (let t = 0; t < n; t++) {
        const p = counts[(src[t] >>> shift) & 255]++;
        dst[p] = src[t];
        dstOrder[p] = srcOrder[t];
      }
      this.codes = dst;
      this.tmpCodes = src;
      this.order = dstOrder;
      this.tmpOrder = srcOrder;
    }
  }

  /** Emits the cell holding sorted points [lo, hi), whose codes agree above `level`. */
  private emit(lo: number, hi: number, level: number): void {
    const codes = this.codes;
    // Skip levels where every point falls in the same quadrant (sorted: first and last agree).
    while (level < LEVELS && ((codes[lo] ^ codes[hi - 1]) >>> (2 * (LEVELS - 1 - level))) === 0) level++;
    const c = this.size++;
    const b = 4 * c;
    const nodes = this.nodes;
    // Sums and bounding box of the cell's points: over the points of a leaf, or the children of an inner cell.
    let sx = 0;
    let sy = 0;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    const leaf = level === LEVELS || hi - lo === 1;
    if (leaf) {
      for (let t = lo; t < hi; t++) {
        const i = this.order[t];
        const px = this.y[2 * i];
        const py = this.y[2 * i + 1];
        sx += px;
        sy += py;
        x0 = Math.min(x0, px);
        y0 = Math.min(y0, py);
        x1 = Math.max(x1, px);
        y1 = Math.max(y1, py);
      }
    } else {
      const shift = 2 * (LEVELS - 1 - level);
      const box = this.box;
      let start = lo;
      while (start < hi) {
        const quadrant = (codes[start] >>> shift) & 3;
        let end = start + 1;
        while (end < hi && ((codes[end] >>> shift) & 3) === quadrant) end++;
        const child = this.size;
        this.emit(start, end, level + 1);
        const cb = 4 * child;
        sx += nodes[cb] * nodes[cb + 2];
        sy += nodes[cb + 1] * nodes[cb + 2];
        x0 = Math.min(x0, box[cb]);
        y0 = Math.min(y0, box[cb + 1]);
        x1 = Math.max(x1, box[cb + 2]);
        y1 = Math.max(y1, box[cb + 3]);
        start = end;
      }
    }
    this.setBox(c, x0, y0, x1, y1);
    const m = hi - lo;
    // The larger side of the points' bounding box, not of the quadrant: tighter, so fewer opens.
    const width = Math.max(x1 - x0, y1 - y0);
    nodes[b] = sx / m;
    nodes[b + 1] = sy / m;
    nodes[b + 2] = m;
    nodes[b + 3] = leaf ? -1 : width * width; // −1: a leaf, never opened
    this.skip[c] = this.size; // the cell after this one's subtree (a leaf's: c + 1)
  }

  private setBox(c: number, x0: number, y0: number, x1: number, y1: number): void {
    this.box[4 * c] = x0;
    this.box[4 * c + 1] = y0;
    this.box[4 * c + 2] = x1;
    this.box[4 * c + 3] = y1;
  }
}

/** Spreads the low 16 bits of v to the even bit positions. */
function interleave(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}
