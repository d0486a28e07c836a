/**
 * Barnes-Hut quadtree over the 2-D embedding, stored flat: node c has its centre of mass,
 * mass and squared width at nodes[4c .. 4c + 3] and its four children at firstChild[c] + 0..3.
 * A leaf's width² is −1, so the "far enough to summarise" test always accepts it (one branch
 * in the hot loop). Buffers are reused across iterations and only grow.
 */

/** Points closer than (root width) / 2^MAX_DEPTH share a leaf (duplicates end up here). */
const MAX_DEPTH = 40;

export interface QuadTreeView {
  /** Stride 4: centre-of-mass x, y, mass (points in the cell), width² (−1 for a leaf). */
  readonly nodes: Float64Array;
  readonly firstChild: Int32Array;
}

export class QuadTree implements QuadTreeView {
  nodes: Float64Array;
  firstChild: Int32Array;
  size = 0;
  private leafPoint: Int32Array;
  private centre: Float64Array;
  private half: Float64Array;

  constructor(private readonly allocate: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b)) {
    const capacity = 1024;
    this.nodes = new Float64Array(this.allocate(capacity * 32));
    this.firstChild = new Int32Array(this.allocate(capacity * 4));
    this.leafPoint = new Int32Array(capacity);
    this.centre = new Float64Array(capacity * 2);
    this.half = new Float64Array(capacity);
  }

  /** Rebuilds the tree for n points at y (interleaved x, y). */
  build(y: Float64Array, n: number): void {
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
    const span = Math.max(maxX - minX, maxY - minY);
    this.size = 0;
    this.addNode((minX + maxX) / 2, (minY + maxY) / 2, (span / 2) * (1 + 1e-9) + 1e-300);
    for (let i = 0; i < n; i++) this.insert(i, y[2 * i], y[2 * i + 1]);

    const nodes = this.nodes;
    const firstChild = this.firstChild;
    const half = this.half;
    for (let c = 0; c < this.size; c++) {
      const b = 4 * c;
      const m = nodes[b + 2];
      if (m > 0) {
        nodes[b] /= m;
        nodes[b + 1] /= m;
      }
      nodes[b + 3] = firstChild[c] >= 0 ? 4 * half[c] * half[c] : -1;
    }
  }

  private insert(p: number, px: number, py: number): void {
    let c = 0;
    for (let depth = 0; ; depth++) {
      // Re-read the arrays each level: split() may have reallocated them.
      const nodes = this.nodes;
      const b = 4 * c;
      nodes[b] += px;
      nodes[b + 1] += py;
      nodes[b + 2] += 1;
      const first = this.firstChild[c];
      if (first >= 0) {
        c = first + this.quadrant(c, px, py);
        continue;
      }
      const resident = this.leafPoint[c];
      if (resident < 0) {
        this.leafPoint[c] = p;
        return;
      }
      if (depth >= MAX_DEPTH) return;
      // Split the leaf: its resident's coordinates are the sums minus the newcomer's.
      const rx = nodes[b] - px;
      const ry = nodes[b + 1] - py;
      const children = this.split(c);
      const rc = children + this.quadrant(c, rx, ry);
      this.nodes[4 * rc] = rx;
      this.nodes[4 * rc + 1] = ry;
      this.nodes[4 * rc + 2] = 1;
      this.leafPoint[rc] = resident;
      this.leafPoint[c] = -1;
      c = children + this.quadrant(c, px, py);
    }
  }

  private quadrant(c: number, px: number, py: number): number {
    return (px >= this.centre[2 * c] ? 1 : 0) + (py >= this.centre[2 * c + 1] ? 2 : 0);
  }

  private split(c: number): number {
    const h = this.half[c] / 2;
    const x = this.centre[2 * c];
    const y = this.centre[2 * c + 1];
    const first = this.addNode(x - h, y - h, h);
    this.addNode(x + h, y - h, h);
    this.addNode(x - h, y + h, h);
    this.addNode(x + h, y + h, h);
    this.firstChild[c] = first;
    return first;
  }

  private addNode(x: number, y: number, half: number): number {
    if (this.size === this.firstChild.length) this.grow();
    const c = this.size++;
    const b = 4 * c;
    this.nodes[b] = 0;
    this.nodes[b + 1] = 0;
    this.nodes[b + 2] = 0;
    this.nodes[b + 3] = 0;
    this.firstChild[c] = -1;
    this.leafPoint[c] = -1;
    this.centre[2 * c] = x;
    this.centre[2 * c + 1] = y;
    this.half[c] = half;
    return c;
  }

  private grow(): void {
    const capacity = this.firstChild.length * 2;
    const nodes = new Float64Array(this.allocate(capacity * 32));
    nodes.set(this.nodes);
    this.nodes = nodes;
    const firstChild = new Int32Array(this.allocate(capacity * 4));
    firstChild.set(this.firstChild);
    this.firstChild = firstChild;
    const leafPoint = new Int32Array(capacity);
    leafPoint.set(this.leafPoint);
    this.leafPoint = leafPoint;
    const centre = new Float64Array(capacity * 2);
    centre.set(this.centre);
    this.centre = centre;
    const half = new Float64Array(capacity);
    half.set(this.half);
    this.half = half;
  }
}

/**
 * Repulsive forces for points [from, to): writes Σ_j q_ij² (y_i − y_j) (unnormalised, q = 1 /
 * (1 + d²)) into force and returns Σ_i Σ_j q_ij over those points, each point's own q_ii = 1
 * included (the caller subtracts N).
 */
export function repulsiveForces(tree: QuadTreeView, y: Float64Array, from: number, to: number, theta: number, force: Float64Array, stack: Int32Array): number {
  const nodes = tree.nodes;
  const firstChild = tree.firstChild;
  const theta2 = theta * theta;
  let sumQ = 0;
  for (let i = from; i < to; i++) {
    const xi = y[2 * i];
    const yi = y[2 * i + 1];
    let fx = 0;
    let fy = 0;
    let sp = 1;
    stack[0] = 0;
    while (sp > 0) {
      const c = stack[--sp];
      const b = 4 * c;
      const dx = xi - nodes[b];
      const dy = yi - nodes[b + 1];
      const d2 = dx * dx + dy * dy;
      if (nodes[b + 3] < theta2 * d2) {
        const q = 1 / (1 + d2);
        const mq = nodes[b + 2] * q;
        sumQ += mq;
        const mq2 = mq * q;
        fx += mq2 * dx;
        fy += mq2 * dy;
      } else {
        const first = firstChild[c];
        if (nodes[4 * first + 2] > 0) stack[sp++] = first;
        if (nodes[4 * first + 6] > 0) stack[sp++] = first + 1;
        if (nodes[4 * first + 10] > 0) stack[sp++] = first + 2;
        if (nodes[4 * first + 14] > 0) stack[sp++] = first + 3;
      }
    }
    force[2 * i] = fx;
    force[2 * i + 1] = fy;
  }
  return sumQ;
}

/** Deep enough for any traversal: at most 3 pending siblings per level plus one. */
export function traversalStack(): Int32Array {
  return new Int32Array(4 * (MAX_DEPTH + 2));
}
