/**
 * The first two principal components by subspace iteration: O(N · dims) per step and no
 * dims × dims eigen-solver, so it also works on wide inputs.
 */
const STEPS = 200;

/** Projects the centred points onto their top-2 principal axes; returns n × 2 interleaved. */
export function principalComponents2(points: ArrayLike<number>, n: number, dims: number): Float64Array {
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) mean[d] += points[i * dims + d];
  for (let d = 0; d < dims; d++) mean[d] /= n;
  const x = new Float64Array(n * dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) x[i * dims + d] = points[i * dims + d] - mean[d];

  // Deterministic start vectors (not the run's seed: the PCA layout should not depend on it).
  let u: Float64Array = new Float64Array(dims);
  let v: Float64Array = new Float64Array(dims);
  for (let d = 0; d < dims; d++) {
    u[d] = 1 + d / dims;
    v[d] = d % 2 === 0 ? 1 : -1 - d / dims;
  }
  const xu = new Float64Array(n);
  const xv = new Float64Array(n);
  for (let step = 0; step < STEPS; step++) {
    orthonormalise(u, v);
    project(x, n, dims, u, xu);
    project(x, n, dims, v, xv);
    u = backProject(x, n, dims, xu);
    v = backProject(x, n, dims, xv);
  }
  orthonormalise(u, v);
  fixSign(u);
  fixSign(v);
  project(x, n, dims, u, xu);
  project(x, n, dims, v, xv);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = xu[i];
    out[2 * i + 1] = xv[i];
  }
  return out;
}

function project(x: Float64Array, n: number, dims: number, w: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += x[i * dims + d] * w[d];
    out[i] = s;
  }
}

function backProject(x: Float64Array, n: number, dims: number, y: Float64Array): Float64Array {
  const w = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let d = 0; d < dims; d++) w[d] += x[i * dims + d] * y[i];
  return w;
}

/** Gram-Schmidt; a vector that vanishes (rank < 2) becomes zero, giving a zero coordinate. */
function orthonormalise(u: Float64Array, v: Float64Array): void {
  const nu = norm(u);
  if (nu > 0) for (let d = 0; d < u.length; d++) u[d] /= nu;
  let dot = 0;
  for (let d = 0; d < u.length; d++) dot += u[d] * v[d];
  for (let d = 0; d < u.length; d++) v[d] -= dot * u[d];
  const nv = norm(v);
  if (nv > 1e-10 * nu) for (let d = 0; d < v.length; d++) v[d] /= nv;
  else v.fill(0);
}

function norm(w: Float64Array): number {
  let s = 0;
  for (let d = 0; d < w.length; d++) s += w[d] * w[d];
  return Math.sqrt(s);
}

/** Principal axes have no sign; make the largest loading positive so layouts are stable. */
function fixSign(w: Float64Array): void {
  let best = 0;
  for (let d = 1; d < w.length; d++) if (Math.abs(w[d]) > Math.abs(w[best])) best = d;
  if (w[best] < 0) for (let d = 0; d < w.length; d++) w[d] = -w[d];
}
