import { quadtree, type Quadtree } from 'd3-quadtree';
import type { GraphModel, Transform } from '../../figures/graphModel';

/**
 * Hit testing with a quadtree over the visible nodes: the node under a screen point is the
 * one whose disc (plus a few pixels of slack, so small nodes are easy to hover) contains it,
 * preferring the one whose edge is nearest when discs overlap.
 */
export class NodeIndex {
  private readonly tree: Quadtree<number>;

  constructor(
    private readonly model: GraphModel,
    visible: Uint8Array,
  ) {
    const ids: number[] = [];
    for (let i = 0; i < model.n; i++) if (visible[i]) ids.push(i);
    this.tree = quadtree<number>()
      .x((i) => model.x[i])
      .y((i) => model.y[i])
      .addAll(ids);
  }

  /** The node at screen point (sx, sy) under transform t, or undefined. */
  nodeAt(sx: number, sy: number, t: Transform, slackPx = 3): number | undefined {
    const wx = (sx - t.x) / t.k;
    const wy = (sy - t.y) / t.k;
    const slack = slackPx / t.k;
    const reach = this.model.maxRadius + slack;
    let pick: number | undefined;
    let best = Infinity;
    this.tree.visit((node, x0, y0, x1, y1) => {
      if (x0 > wx + reach || x1 < wx - reach || y0 > wy + reach || y1 < wy - reach) return true;
      if (!node.length) {
        for (let leaf: typeof node | undefined = node; leaf; leaf = (leaf as { next?: typeof node }).next) {
          const i = (leaf as { data: number }).data;
          const gap = Math.hypot(this.model.x[i] - wx, this.model.y[i] - wy) - this.model.r[i];
          if (gap <= slack && gap < best) [pick, best] = [i, gap];
        }
      }
      return false;
    });
    return pick;
  }

  /** Visible nodes whose centres lie in a world rectangle, at most `limit` of them. */
  inRect(x0: number, y0: number, x1: number, y1: number, limit: number): number[] {
    const found: number[] = [];
    this.tree.visit((node, nx0, ny0, nx1, ny1) => {
      if (found.length >= limit || nx0 > x1 || nx1 < x0 || ny0 > y1 || ny1 < y0) return true;
      if (!node.length) {
        for (let leaf: typeof node | undefined = node; leaf && found.length < limit; leaf = (leaf as { next?: typeof node }).next) {
          const i = (leaf as { data: number }).data;
          if (this.model.x[i] >= x0 && this.model.x[i] <= x1 && this.model.y[i] >= y0 && this.model.y[i] <= y1) found.push(i);
        }
      }
      return false;
    });
    return found;
  }
}
