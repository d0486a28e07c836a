/**
 * How much structure a layout has: the mean edge length over the mean distance between 20,000
 * seeded random pairs of nodes. Lower is more structure; a random placement gives about 1. The
 * layout bench, the panel bench and the layout tests all use this one measure.
 */
export function edgeToPairRatio(x: Float32Array, y: Float32Array, u: Int32Array, v: Int32Array): number {
  let edges = 0;
  for (let k = 0; k < u.length; k++) edges += Math.hypot(x[u[k]] - x[v[k]], y[u[k]] - y[v[k]]);
  let a = 7;
  let pairs = 0;
  const next = (): number => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0) % x.length;
  for (let t = 0; t < 20_000; t++) {
    const i = next();
    const j = next();
    pairs += Math.hypot(x[i] - x[j], y[i] - y[j]);
  }
  return edges / u.length / (pairs / 20_000);
}
