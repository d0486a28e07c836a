/**
 * Column sums over the node rows, for the parameter gradients that reduce over every node: the
 * bias (Σ_i dAgg[i, :]) and the attention vectors (Σ_i dsSrc[i, h] · p[i, h, :], same for a_trg).
 * Two passes, no atomics: workgroups of 64 columns × 4 row lanes sum chunks of 256 rows into a
 * partial row each, then one invocation per column sums the partial rows. On a real GPU this keeps
 * (N / 256) · (width / 64) workgroups busy instead of one long loop per column.
 *
 * Shape legend: N nodes, NH heads, FOUT, HF = NH·FOUT; W the width summed.
 */
import { grid1d, type KernelDef } from './gpuKernel';
import { WGSL_INDEX, wgslMain1d, wgslParams } from './wgslCommon';

/** Rows each workgroup of the first pass sums. */
export const CHUNK_ROWS = 256;

/** Partial rows of a sum over `rows` (the first pass's output height). */
export function partialRows(rows: number): number {
  return Math.ceil(rows / CHUNK_ROWS);
}

/** Steps 2–3 of the first pass: the 4 lanes' sums combined in workgroup memory, one store per column. */
const LANE_REDUCE = /* wgsl */ `
var<workgroup> lanes: array<f32, 256>;  // [4 lanes][64 columns]

fn storePartial(lid: vec3<u32>, chunk: u32, col: u32, width: u32, sum: f32) {
  lanes[lid.y * 64u + lid.x] = sum;
  workgroupBarrier();
  if (lid.y == 0u && col < width) {
    partial[chunk * width + col] = ((lanes[lid.x] + lanes[64u + lid.x]) + lanes[128u + lid.x]) + lanes[192u + lid.x];
  }
}
`;

/**
 * The first pass's `main` (with LANE_REDUCE): step 1, each of the 4 row lanes sums `term` (a WGSL
 * expression of row r) over its rows of the chunk for column col < `width`; `setup` declares what
 * they read (after col, r0, r1).
 */
function laneSumMain(width: string, setup: string, term: string): string {
  return /* wgsl */ `${LANE_REDUCE}
@compute @workgroup_size(64, 4)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let col = wid.x * 64u + lid.x;
  let r0 = wid.y * ${CHUNK_ROWS}u;
  let r1 = min(r0 + ${CHUNK_ROWS}u, P.rows);${setup}
  var sum = 0.0;
  if (col < ${width}) {
    for (var r = r0 + lid.y; r < r1; r += 4u) {
      sum += ${term};
    }
  }
  storePartial(lid, wid.y, col, ${width}, sum);
}
`;
}

export interface ColumnSumParams {
  readonly rows: number;
  readonly width: number;
}

/** partial[chunk, c] = Σ x[r, c] over the chunk's 256 rows.        x (N, W) -> partial (⌈N/256⌉, W) */
export const COLUMN_SUMS_WGSL = /* wgsl */ `
${wgslParams('rows: u32, width: u32')}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
${laneSumMain('P.width', '', 'x[r * P.width + col]')}`;

export const columnSums: KernelDef<'x' | 'partial', ColumnSumParams> = {
  label: 'columnSums',
  code: COLUMN_SUMS_WGSL,
  buffers: [['x', 'read'], ['partial', 'write']],
  params: (p) => [p.rows, p.width],
  grid: (p) => [Math.ceil(p.width / 64), partialRows(p.rows), 1],
};

export interface ScoreSumParams {
  readonly rows: number;
  readonly heads: number;
  readonly fout: number;
}

/**
 * The attention vectors' gradient, first pass: columns c < HF sum dsSrc[r, h(c)] · p[r, c], columns
 * HF + c sum dsTrg[r, h(c)] · p[r, c], matching the parameter layout [a_src; a_trg].
 *                                        p (N, HF), dsSrc, dsTrg (N, NH) -> partial (⌈N/256⌉, 2·HF)
 */
export const SCORE_SUMS_WGSL = /* wgsl */ `
${wgslParams('rows: u32, heads: u32, fout: u32')}
@group(0) @binding(1) var<storage, read> p: array<f32>;
@group(0) @binding(2) var<storage, read> dsSrc: array<f32>;
@group(0) @binding(3) var<storage, read> dsTrg: array<f32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;
${laneSumMain('width', /* wgsl */ `
  let hf = P.heads * P.fout;
  let width = 2u * hf;
  let trg = col >= hf;  // columns HF.. are a_trg's
  let c = select(col, col - hf, trg);
  let h = c / P.fout;`, 'select(dsSrc[r * P.heads + h], dsTrg[r * P.heads + h], trg) * p[r * hf + c]')}`;

export const scoreSums: KernelDef<'p' | 'dsSrc' | 'dsTrg' | 'partial', ScoreSumParams> = {
  label: 'scoreSums',
  code: SCORE_SUMS_WGSL,
  buffers: [['p', 'read'], ['dsSrc', 'read'], ['dsTrg', 'read'], ['partial', 'write']],
  params: (p) => [p.rows, p.heads, p.fout],
  grid: (p) => [Math.ceil((2 * p.heads * p.fout) / 64), partialRows(p.rows), 1],
};

export interface FinishParams {
  readonly chunks: number;
  readonly width: number;
  readonly accumulate?: boolean;
}

/** Second pass: out[c] (+)= Σ_chunk partial[chunk, c]. */
export const FINISH_SUMS_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('chunks: u32, width: u32, accumulate: u32')}
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

${wgslMain1d('c', 'P.width', /* wgsl */ `
  var sum = 0.0;
  for (var k = 0u; k < P.chunks; k++) {
    sum += partial[k * P.width + c];
  }
  if (P.accumulate != 0u) { sum += out[c]; }
  out[c] = sum;
`)}`;

export const finishSums: KernelDef<'partial' | 'out', FinishParams> = {
  label: 'finishSums',
  code: FINISH_SUMS_WGSL,
  buffers: [['partial', 'read'], ['out', 'write']],
  params: (p) => [p.chunks, p.width, p.accumulate ? 1 : 0],
  grid: (p) => grid1d(p.width),
};
