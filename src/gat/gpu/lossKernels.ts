/**
 * The loss on the GPU (model/loss.ts): softmax cross-entropy with the correct count, or
 * BCE-with-logits with the micro-F1 counts, and dLoss/dlogits, over the nodes a 0/1 mask marks
 * (the step's training nodes; other rows get a zero gradient). One invocation per node; workgroups
 * reduce their nodes' sums in workgroup memory into a partial row, and a one-workgroup pass sums the
 * partial rows into a 4-word results buffer, [Σ loss (f32 bits), count1, count2, count3], so a step
 * reads back 16 bytes. The mean (Σ · 1/count) is taken on the CPU.
 *
 * Shape legend: N nodes, C classes; logits, dLogits (N, C).
 */
import { f32Bits, grid1d, type KernelDef } from './gpuKernel';
import { WGSL_INDEX, WGSL_MAIN_1D, wgslParams } from './wgslCommon';

export interface LossParams {
  readonly n: number;
  readonly classes: number;
  /** 1 / (masked nodes) for cross-entropy, 1 / (masked nodes · C) for BCE: the gradient's scale. */
  readonly inv: number;
}

/** A tree sum over the workgroup's invocations: lossSum[0] and counts[0] hold the totals afterwards. */
const WORKGROUP_TREE_SUM = /* wgsl */ `
var<workgroup> lossSum: array<f32, WG>;
var<workgroup> counts: array<vec3<u32>, WG>;

fn sumWorkgroup(lid: u32, loss: f32, c: vec3<u32>) {
  lossSum[lid] = loss;
  counts[lid] = c;
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    workgroupBarrier();
    if (lid < stride) {
      lossSum[lid] += lossSum[lid + stride];
      counts[lid] += counts[lid + stride];
    }
  }
}
`;

/** Step 2 of both losses: the workgroup's sums into its partial row (4 words). */
const WORKGROUP_SUMS = /* wgsl */ `
${WORKGROUP_TREE_SUM}
fn storePartial(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, loss: f32, c: vec3<u32>) {
  sumWorkgroup(lid, loss, c);
  if (lid == 0u) {
    let g = (wid.y * nwg.x + wid.x) * 4u;
    partial[g] = bitcast<u32>(lossSum[0]);
    partial[g + 1u] = counts[0].x;
    partial[g + 2u] = counts[0].y;
    partial[g + 3u] = counts[0].z;
  }
}
`;

const LOSS_BINDINGS = /* wgsl */ `
${wgslParams('n: u32, classes: u32, inv: u32')}
@group(0) @binding(1) var<storage, read> logits: array<f32>;        // (N, C)
@group(0) @binding(2) var<storage, read> targets: array<u32>;       // CE: (N) labels; BCE: (N, C) 0/1 bytes, 4 per word
@group(0) @binding(3) var<storage, read> mask: array<u32>;          // (N) 1 for the nodes the loss covers
@group(0) @binding(4) var<storage, read_write> dLogits: array<f32>; // (N, C)
@group(0) @binding(5) var<storage, read_write> partial: array<u32>; // (workgroups, 4)
`;

/**
 * Softmax cross-entropy: loss = log Σ exp(l − max) + max − l[y], correct when argmax (first
 * maximum) is y, dLogits = (softmax − onehot(y)) · inv. Counts: (correct, 0, 0).
 */
export const CROSS_ENTROPY_WGSL = /* wgsl */ `
${WGSL_INDEX}
${LOSS_BINDINGS}
${WORKGROUP_SUMS}
${WGSL_MAIN_1D} {
  let i = flatIndex(wid, nwg, lid);
  var loss = 0.0;
  var correct = 0u;
  if (i < P.n) {
    let row = i * P.classes;
    if (mask[i] != 0u) {
      // Step 1: this node's loss, hit and gradient
      let y = targets[i];
      var mx = logits[row];
      var arg = 0u;
      for (var c = 1u; c < P.classes; c++) {
        let v = logits[row + c];
        if (v > mx) { mx = v; arg = c; }
      }
      var sum = 0.0;
      for (var c = 0u; c < P.classes; c++) { sum += exp(logits[row + c] - mx); }
      loss = log(sum) + mx - logits[row + y];
      correct = select(0u, 1u, arg == y);
      let inv = bitcast<f32>(P.inv);
      for (var c = 0u; c < P.classes; c++) {
        dLogits[row + c] = (exp(logits[row + c] - mx) / sum - select(0.0, 1.0, c == y)) * inv;
      }
    } else {
      for (var c = 0u; c < P.classes; c++) { dLogits[row + c] = 0.0; }
    }
  }
  storePartial(wid, nwg, lid, loss, vec3<u32>(correct, 0u, 0u));
}
`;

/**
 * BCE with logits, PyTorch's stable form max(x, 0) − x·y + log(1 + e^−|x|), positive when x > 0;
 * dLogits = (σ(x) − y) · inv. Counts: (TP, FP, FN).
 */
export const BINARY_CROSS_ENTROPY_WGSL = /* wgsl */ `
${WGSL_INDEX}
${LOSS_BINDINGS}
${WORKGROUP_SUMS}
fn labelAt(k: u32) -> u32 {
  return (targets[k >> 2u] >> ((k & 3u) * 8u)) & 0xffu;
}

${WGSL_MAIN_1D} {
  let i = flatIndex(wid, nwg, lid);
  var loss = 0.0;
  var c3 = vec3<u32>(0u);
  if (i < P.n) {
    let row = i * P.classes;
    if (mask[i] != 0u) {
      // Step 1: this node's loss terms, counts and gradient, label by label
      let inv = bitcast<f32>(P.inv);
      for (var c = 0u; c < P.classes; c++) {
        let x = logits[row + c];
        let y = labelAt(row + c);
        loss += max(x, 0.0) - x * f32(y) + log(1.0 + exp(-abs(x)));
        let positive = x > 0.0;
        c3 += vec3<u32>(select(0u, 1u, positive && y == 1u), select(0u, 1u, positive && y != 1u), select(0u, 1u, !positive && y == 1u));
        dLogits[row + c] = (1.0 / (1.0 + exp(-x)) - f32(y)) * inv;
      }
    } else {
      for (var c = 0u; c < P.classes; c++) { dLogits[row + c] = 0.0; }
    }
  }
  storePartial(wid, nwg, lid, loss, c3);
}
`;

type LossBuffers = 'logits' | 'targets' | 'mask' | 'dLogits' | 'partial';

const lossWords = (p: LossParams): number[] => [p.n, p.classes, f32Bits(p.inv)];

export const crossEntropyLoss: KernelDef<LossBuffers, LossParams> = {
  label: 'crossEntropy',
  code: CROSS_ENTROPY_WGSL,
  buffers: [['logits', 'read'], ['targets', 'read'], ['mask', 'read'], ['dLogits', 'write'], ['partial', 'write']],
  params: lossWords,
  grid: (p) => grid1d(p.n),
};

export const binaryCrossEntropyLoss: KernelDef<LossBuffers, LossParams> = {
  label: 'binaryCrossEntropy',
  code: BINARY_CROSS_ENTROPY_WGSL,
  buffers: crossEntropyLoss.buffers,
  params: lossWords,
  grid: (p) => grid1d(p.n),
};

/** Partial rows the loss kernels write for `n` nodes (one per workgroup). */
export function lossPartials(n: number): number {
  const [x, y] = grid1d(n);
  return x * y;
}

export interface LossFinishParams {
  readonly groups: number;
}

/** One workgroup sums the partial rows: results = [Σ loss (f32 bits), Σ count1, Σ count2, Σ count3]. */
export const LOSS_FINISH_WGSL = /* wgsl */ `
${WGSL_INDEX}
${wgslParams('groups: u32')}
@group(0) @binding(1) var<storage, read> partial: array<u32>;       // (groups, 4)
@group(0) @binding(2) var<storage, read_write> results: array<u32>; // (4)
${WORKGROUP_TREE_SUM}
@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var loss = 0.0;
  var c = vec3<u32>(0u);
  for (var g = lid; g < P.groups; g += WG) {
    loss += bitcast<f32>(partial[4u * g]);
    c += vec3<u32>(partial[4u * g + 1u], partial[4u * g + 2u], partial[4u * g + 3u]);
  }
  sumWorkgroup(lid, loss, c);
  if (lid == 0u) {
    results[0] = bitcast<u32>(lossSum[0]);
    results[1] = counts[0].x;
    results[2] = counts[0].y;
    results[3] = counts[0].z;
  }
}
`;

export const lossFinish: KernelDef<'partial' | 'results', LossFinishParams> = {
  label: 'lossFinish',
  code: LOSS_FINISH_WGSL,
  buffers: [['partial', 'read'], ['results', 'write']],
  params: (p) => [p.groups],
  grid: () => [1, 1, 1],
};
