/**
 * The GAT's training step and eval forward as lists of GPU ops, in FusedEngine's step order
 * (GAT.py's, stated in kernels/gatLayer.ts): per layer input dropout + projection, node scores,
 * edge softmax, aggregation, skip, heads; then the loss; then each layer's backward from the last.
 * Ops are bound to their buffers once; encoding one writes its parameters (batch size, dropout
 * keys) into its uniform slot.
 *
 * Every node of the bound batch is computed (no receptive-field plan): the loss mask restricts the
 * loss to the training nodes, and rows outside their receptive field get exactly zero gradients.
 *
 * Shape legend: N nodes, FIN, NH heads, FOUT, HF = NH·FOUT, E' edges incl. self-loops, C classes.
 */
import type { LayerShape } from '../model/parameters';
import { adam, type AdamParams } from './adamKernels';
import { aggregate, edgeSoftmax, messageGrad, nodeScores, scoreGrad, type GraphOffsets } from './attentionKernels';
import type { EngineBuffers } from './gpuEngineBuffers';
import { bindKernel, compileKernel, type GpuOp, type GpuSlice, type Kernel, type KernelDef, type UniformArena } from './gpuKernel';
import type { Block, GpuParameterLayout } from './gpuParameters';
import type { GpuBuffer, GpuComputePass } from './gpuTypes';
import { gemm } from './gemmKernels';
import { headsBackward, headsForward } from './headsKernels';
import { binaryCrossEntropyLoss, crossEntropyLoss, lossFinish, lossPartials } from './lossKernels';
import { dropout, dropoutInPlace, sparseGradW, sparseProject } from './projectionKernels';
import { columnSums, finishSums, partialRows, scoreSums } from './reduceKernels';
import { addIdentitySkip, addSkip, addSparseIdentitySkip, identitySkipBackward } from './skipKernels';
import type { WebGpuDevice } from './webgpuDevice';

/** What one submission runs on: the bound batch's sizes and, in training, the step's dropout keys. */
export interface PassState {
  readonly n: number;
  readonly e: number;
  readonly nnz: number;
  readonly threshold: number; // 0 in eval mode
  readonly scale: number; // 1 in eval mode
  readonly inKeys: readonly number[]; // per layer
  readonly attKeys: readonly number[]; // per layer
  /** 1 / (training nodes) for cross-entropy, 1 / (training nodes · C) for BCE. */
  readonly lossInv: number;
}

export type Encode = (pass: GpuComputePass, s: PassState) => void;

const DEFS = {
  dropout, dropoutInPlace, sparseProject, sparseGradW,
  gemm: gemm(false, false), gemmTa: gemm(true, false), gemmTb: gemm(false, true),
  nodeScores, edgeSoftmax, aggregate, scoreGrad, messageGrad,
  headsForward, headsBackward, addSkip, addIdentitySkip, addSparseIdentitySkip, identitySkipBackward,
  columnSums, scoreSums, finishSums, crossEntropyLoss, binaryCrossEntropyLoss, lossFinish, adam,
};

type Defs = typeof DEFS;
type KernelOf<D> = D extends KernelDef<infer B, infer P> ? Kernel<B, P> : never;
export type GatKernels = { readonly [K in keyof Defs]: KernelOf<Defs[K]> };

/** Compiles every kernel of the GAT (pipelines are cached on the device: later engines reuse them). */
export async function compileGatKernels(gpu: WebGpuDevice): Promise<GatKernels> {
  const names = Object.keys(DEFS) as (keyof Defs)[];
  const kernels = await Promise.all(names.map((k) => compileKernel(gpu, DEFS[k] as KernelDef<string, unknown>)));
  return Object.fromEntries(names.map((k, i) => [k, kernels[i]])) as unknown as GatKernels;
}

export interface OpContext {
  readonly gpu: WebGpuDevice;
  readonly kernels: GatKernels;
  readonly arena: UniformArena;
  readonly shapes: readonly LayerShape[];
  readonly layout: GpuParameterLayout;
  readonly buffers: EngineBuffers;
  readonly graph: GraphOffsets;
  readonly multiLabel: boolean;
}

/** A block of the parameter-layout buffer (params, grad, m or v) as a binding range. */
function range(buffer: GpuBuffer, b: Block): GpuSlice {
  return { buffer, offset: 4 * b.gpu, size: 4 * b.length };
}

function op<B extends string, P>(c: OpContext, kernel: Kernel<B, P>, buffers: Readonly<Record<B, GpuSlice>>): GpuOp<P> {
  return bindKernel(c.gpu, kernel, c.arena, buffers);
}

/** The layer's input: layer 0's (dropped) non-zeros, or the previous layer's (dropped) output (N, FIN). */
function layerInput(c: OpContext, l: number, dropping: boolean): GpuBuffer {
  const b = c.buffers;
  if (dropping) return b.layers[l].xd as GpuBuffer;
  return l === 0 ? b.batch.values : b.layers[l - 1].out;
}

/** The forward over every layer; `dropping`: training with dropout (reads the step's keys). */
export function forwardOps(c: OpContext, dropping: boolean): Encode[] {
  const { kernels: k, buffers: b, layout } = c;
  const ops: Encode[] = [];
  c.shapes.forEach((s, l) => {
    const hf = s.heads * s.fout;
    const L = b.layers[l];
    const w = layout.layers[l];
    const input = layerInput(c, l, dropping);
    const heads = { heads: s.heads, fout: s.fout };

    // Step 1: input dropout + linear projection                  x (N, FIN) -> p (N, NH·FOUT)
    if (l === 0) {
      const x = b.batch;
      if (dropping) {
        const drop = op(c, k.dropout, { x: x.values, y: input }); // xd (nnz)
        ops.push((pass, st) => drop.encode(pass, { count: st.nnz, key: st.inKeys[l], threshold: st.threshold, scale: st.scale }));
      }
      const proj = op(c, k.sparseProject, { indptr: x.indptr, indices: x.indices, xd: input, wT: range(b.params, w.weightT), out: L.p });
      ops.push((pass, st) => proj.encode(pass, { n: st.n, hf }));
      if (w.skipT) {
        const skip = op(c, k.sparseProject, { indptr: x.indptr, indices: x.indices, xd: input, wT: range(b.params, w.skipT), out: L.skip as GpuBuffer });
        ops.push((pass, st) => skip.encode(pass, { n: st.n, hf })); // skip (N, NH·FOUT)
      }
    } else {
      if (dropping) {
        const drop = op(c, k.dropout, { x: b.layers[l - 1].out, y: input }); // xd (N, FIN)
        ops.push((pass, st) => drop.encode(pass, { count: st.n * s.fin, key: st.inKeys[l], threshold: st.threshold, scale: st.scale }));
      }
      const proj = op(c, k.gemm, { a: input, b: range(b.params, w.weightT), c: L.p });
      ops.push((pass, st) => proj.encode(pass, { m: st.n, k: s.fin, n: hf })); // (N, FIN) · (FIN, HF)
      if (w.skipT) {
        const skip = op(c, k.gemm, { a: input, b: range(b.params, w.skipT), c: L.skip as GpuBuffer });
        ops.push((pass, st) => skip.encode(pass, { m: st.n, k: s.fin, n: hf })); // skip (N, NH·FOUT)
      }
    }
    // Step 2: edge attention: per-node scores, LeakyReLU per edge, softmax per neighbourhood, dropout
    const scores = op(c, k.nodeScores, { p: L.p, att: range(b.params, w.att), sSrc: L.sSrc, sTrg: L.sTrg }); // (N, NH) each
    ops.push((pass, st) => scores.encode(pass, { n: st.n, ...heads }));
    const softmax = op(c, k.edgeSoftmax, { graph: b.batch.graph, sSrc: L.sSrc, sTrg: L.sTrg, alpha: L.alpha, alphaD: L.alphaD }); // (E', NH)
    ops.push((pass, st) => softmax.encode(pass, { n: st.n, heads: s.heads, graph: c.graph, key: st.attKeys[l], threshold: st.threshold, scale: st.scale }));
    // Step 3: neighbourhood aggregation                          agg (N, NH, FOUT)
    const agg = op(c, k.aggregate, { graph: b.batch.graph, alphaD: L.alphaD, p: L.p, out: b.scratch.agg });
    ops.push((pass, st) => agg.encode(pass, { n: st.n, ...heads, graph: c.graph }));
    // Step 3b: skip connection (before concat/mean, as GAT.py)    agg (N, NH, FOUT) += skip
    if (s.skip === 'proj') {
      const add = op(c, k.addSkip, { skip: L.skip as GpuBuffer, agg: b.scratch.agg });
      ops.push((pass, st) => add.encode(pass, { n: st.n, ...heads }));
    } else if (s.skip === 'identity' && l === 0) {
      const add = op(c, k.addSparseIdentitySkip, { indptr: b.batch.indptr, indices: b.batch.indices, xd: input, agg: b.scratch.agg });
      ops.push((pass, st) => add.encode(pass, { n: st.n, ...heads }));
    } else if (s.skip === 'identity') {
      const add = op(c, k.addIdentitySkip, { x: input, agg: b.scratch.agg });
      ops.push((pass, st) => add.encode(pass, { n: st.n, ...heads }));
    }
    // Step 4: concat (hidden) or mean over heads (last), + bias, ELU on hidden layers
    const out = op(c, k.headsForward, { agg: b.scratch.agg, bias: range(b.params, w.bias), out: L.out }); // (N, NH·FOUT) or (N, FOUT)
    ops.push((pass, st) => out.encode(pass, { n: st.n, ...heads, concat: s.concat }));
  });
  return ops;
}

/** The loss over the masked nodes: dLogits into the last layer's dOut, sums into the results buffer. */
export function lossOps(c: OpContext): Encode[] {
  const { kernels: k, buffers: b } = c;
  const last = b.layers[b.layers.length - 1];
  const classes = c.shapes[c.shapes.length - 1].fout;
  const loss = op(c, c.multiLabel ? k.binaryCrossEntropyLoss : k.crossEntropyLoss, { logits: last.out, targets: b.batch.targets, mask: b.batch.mask, dLogits: last.dOut, partial: b.lossPartials });
  const finish = op(c, k.lossFinish, { partial: b.lossPartials, results: b.results });
  return [
    (pass, st) => loss.encode(pass, { n: st.n, classes, inv: st.lossInv }), // (N, C) -> dLogits (N, C)
    (pass, st) => finish.encode(pass, { groups: lossPartials(st.n) }),
  ];
}

/** The backward from the last layer down, writing the gradient (every block of it) into `grad`. */
export function backwardOps(c: OpContext, dropping: boolean): Encode[] {
  const { kernels: k, buffers: b, layout } = c;
  const ops: Encode[] = [];
  const sc = b.scratch;
  for (let l = c.shapes.length - 1; l >= 0; l--) {
    const s = c.shapes[l];
    const hf = s.heads * s.fout;
    const L = b.layers[l];
    const w = layout.layers[l];
    const heads = { heads: s.heads, fout: s.fout };
    const input = layerInput(c, l, dropping);

    // Step 4 backward: ELU / mean and bias                       dOut -> dAgg (N, NH·FOUT)
    const hb = op(c, k.headsBackward, { out: L.out, dOut: L.dOut, dAgg: sc.dAgg });
    ops.push((pass, st) => hb.encode(pass, { n: st.n, ...heads, concat: s.concat }));
    const biasWidth = s.concat ? hf : s.fout;
    const biasSums = op(c, k.columnSums, { x: s.concat ? sc.dAgg : L.dOut, partial: sc.partials });
    const biasFinish = op(c, k.finishSums, { partial: sc.partials, out: range(b.grad, w.bias) });
    ops.push((pass, st) => biasSums.encode(pass, { rows: st.n, width: biasWidth }));
    ops.push((pass, st) => biasFinish.encode(pass, { chunks: partialRows(st.n), width: biasWidth }));
    // Steps 3 + 2 backward: per target neighbourhood dZ and dsTrg, then per source dP and dsSrc
    const sg = op(c, k.scoreGrad, { graph: b.batch.graph, p: L.p, dAgg: sc.dAgg, alpha: L.alpha, sSrc: L.sSrc, sTrg: L.sTrg, dZ: sc.dZ, dsTrg: sc.dsTrg });
    ops.push((pass, st) => sg.encode(pass, { n: st.n, ...heads, graph: c.graph, key: st.attKeys[l], threshold: st.threshold, scale: st.scale }));
    const mg = op(c, k.messageGrad, { graph: b.batch.graph, alphaD: L.alphaD, dAgg: sc.dAgg, dZ: sc.dZ, att: range(b.params, w.att), dsTrg: sc.dsTrg, dP: sc.dP, dsSrc: sc.dsSrc });
    ops.push((pass, st) => mg.encode(pass, { n: st.n, ...heads, graph: c.graph })); // dP (N, NH·FOUT)
    // a_src, a_trg gradients: Σ over nodes of ds · p                 (2, NH, FOUT)
    const attSums = op(c, k.scoreSums, { p: L.p, dsSrc: sc.dsSrc, dsTrg: sc.dsTrg, partial: sc.partials });
    const attFinish = op(c, k.finishSums, { partial: sc.partials, out: range(b.grad, w.att) });
    ops.push((pass, st) => attSums.encode(pass, { rows: st.n, ...heads }));
    ops.push((pass, st) => attFinish.encode(pass, { chunks: partialRows(st.n), width: 2 * hf }));
    // Step 1 backward (and the skip's): weight gradients, and the input gradient for the layer below
    if (l === 0) {
      const x = b.batch;
      const dw = op(c, k.sparseGradW, { colPtr: x.colPtr, cscRow: x.cscRow, cscPos: x.cscPos, xd: input, dOut: sc.dP, dwT: range(b.grad, w.weightT) });
      ops.push((pass) => dw.encode(pass, { fin: s.fin, hf })); // dWᵀ (FIN, NH·FOUT)
      if (w.skipT) {
        const ds = op(c, k.sparseGradW, { colPtr: x.colPtr, cscRow: x.cscRow, cscPos: x.cscPos, xd: input, dOut: sc.dAgg, dwT: range(b.grad, w.skipT) });
        ops.push((pass) => ds.encode(pass, { fin: s.fin, hf }));
      }
      continue;
    }
    const dPrev = b.layers[l - 1].dOut; // (N, FIN)
    // dWᵀ = xdᵀ · dP and dxd = dP · W over every node
    const dw = op(c, k.gemmTa, { a: input, b: sc.dP, c: range(b.grad, w.weightT) });
    const dx = op(c, k.gemmTb, { a: sc.dP, b: range(b.params, w.weightT), c: dPrev });
    ops.push((pass, st) => dw.encode(pass, { m: s.fin, k: st.n, n: hf })); // (FIN, N) · (N, HF)
    ops.push((pass, st) => dx.encode(pass, { m: st.n, k: hf, n: s.fin })); // (N, HF) · (HF, FIN)
    if (w.skipT) {
      const dws = op(c, k.gemmTa, { a: input, b: sc.dAgg, c: range(b.grad, w.skipT) });
      const dxs = op(c, k.gemmTb, { a: sc.dAgg, b: range(b.params, w.skipT), c: dPrev });
      ops.push((pass, st) => dws.encode(pass, { m: s.fin, k: st.n, n: hf }));
      ops.push((pass, st) => dxs.encode(pass, { m: st.n, k: hf, n: s.fin, accumulate: true }));
    } else if (s.skip === 'identity') {
      const ids = op(c, k.identitySkipBackward, { dAgg: sc.dAgg, dx: dPrev });
      ops.push((pass, st) => ids.encode(pass, { n: st.n, ...heads }));
    }
    // dx = dxd ⊙ mask (the mask recomputed from its key)
    if (dropping) {
      const mask = op(c, k.dropoutInPlace, { y: dPrev });
      ops.push((pass, st) => mask.encode(pass, { count: st.n * s.fin, key: st.inKeys[l], threshold: st.threshold, scale: st.scale }));
    }
  }
  return ops;
}

/** Adam over the whole parameter layout (padding included: it stays zero). */
export function adamOp(c: OpContext): GpuOp<AdamParams> {
  const b = c.buffers;
  return op(c, c.kernels.adam, { grad: b.grad, param: b.params, m: b.m, v: b.v });
}
