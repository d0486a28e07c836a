/**
 * The hot kernels compiled from wasm/gatKernels.c to WebAssembly SIMD, over one shared memory
 * (wasmMemory.ts) and split across a pool of worker threads (kernelPool.ts). How each call splits:
 *
 * - forward, by destination rows: scores, softmax, aggregation, the heads' ELU, dropout and the
 *   sparse projection take contiguous ranges of their node list, balanced by each node's edges or
 *   non-zeros (partition.ts). Every row is computed by one thread as one thread computes it: no
 *   atomics, any thread count, the same bits.
 * - backward, so no two threads write one element and every sum keeps one order: the attention
 *   backward runs by target rows (dZ per edge, dsTrg), then by source rows over the graph's reverse
 *   index (dP, dsSrc; gatGraph.ts outPtr/outEdge); per-row outputs by rows and the reductions over
 *   rows (the scoring vectors' and the sparse weight's gradients, dBias) by columns, on cache-line
 *   bounds; Adam by elements.
 *
 * A call whose work is too small to be worth a thread's wake-up runs on fewer threads (partsFor).
 * Arrays that live outside the memory are copied in, or the call falls back to the TypeScript loops.
 */
import type { CsrMatrix } from '../data/graph';
import { outEdgesInto, type GatGraph } from './gatGraph';
import type { HotKernels } from './hotKernels';
import * as attentionTs from './attention';
import * as elementwiseTs from './elementwise';
import * as projectionTs from './projection';
import { adamUpdate as adamUpdateTs } from './adamUpdate';
import { KernelPool } from './kernelPool';
import { CostPrefixes, GRAIN, MAX_KERNEL_THREADS, partsFor, splitByPrefix, splitEven } from './partition';
import { WORKER_STACK, createWasmRegion } from './wasmMemory';

export { wasmSimdSupported } from './wasmMemory';

/** Exports a call may run (the pool's workers look them up too). */
const KERNELS = [
  'sparse_project', 'sparse_project_grad_w', 'aggregate', 'node_scores', 'edge_softmax', 'attention_backward', 'attention_backward_targets',
  'attention_backward_sources', 'node_scores_backward', 'heads_concat_elu', 'heads_concat_elu_backward', 'column_sum', 'heads_mean', 'heads_mean_backward', 'drop_sparse',
  'drop_dense', 'dense_project', 'dense_project_grad', 'adam_update',
] as const;
type Kernel = (typeof KERNELS)[number];

export interface WasmKernels extends HotKernels {
  /** The worker pool, or null on one thread (or after dispose). */
  readonly pool: KernelPool | null;
}

/** The pool behind kernels made by createWasmKernels (null for others, or on one thread). */
export function kernelPoolOf(k: HotKernels): KernelPool | null {
  return 'pool' in k ? (k as WasmKernels).pool : null;
}

/**
 * Kernels over a fresh memory of at least `bytes` for engine buffers (plus `constantBytes` for copied
 * inputs), on `threads` threads: this one and a pool of threads − 1 workers (fewer if some cannot
 * start). Results are the same bits for every thread count. `grain`: the least work per part
 * (partition.ts GRAIN; tests pass 1 to split even tiny calls).
 */
export function createWasmKernels(bytes: number, constantBytes: number, threads = 1, grain = GRAIN): WasmKernels {
  const workers = Math.max(0, Math.min(threads, MAX_KERNEL_THREADS) - 1);
  const mem = createWasmRegion(bytes, constantBytes, workers * WORKER_STACK);
  const fns = KERNELS.map((n) => mem.exports[n]);
  const stackTops = Array.from({ length: workers }, () => mem.take(WORKER_STACK) + WORKER_STACK);
  let pool: KernelPool | null = workers > 0 ? new KernelPool({ module: mem.module, memory: mem.memory, names: KERNELS, own: (i, a) => fns[i](...a), stackTops }) : null;
  if (pool && pool.threads === 1) pool = null;
  const prefixes = new CostPrefixes();
  const inMemory = (...arrays: Float32Array[]): boolean => arrays.every((a) => mem.owns(a));
  const { constant } = mem;

  /** Runs `fn` once per argument list: the first on this thread, the others on the pool. */
  const run = (fn: Kernel, calls: number[][]): void => {
    if (pool) pool.run(fn, calls);
    else mem.exports[fn](...calls[0]);
  };
  const threadCount = (): number => pool?.threads ?? 1;
  /** The least work per part of `fn` now: `grain`, raised while splitting it has not paid (SplitGovernor). */
  const grainOf = (fn: Kernel): number => grain * (pool?.splitFactor(fn) ?? 1);
  /**
   * `fn` over contiguous parts of node list `list`, balanced by Σ (ptr[i+1] − ptr[i] + 1) (or by
   * count when ptr is null); `work` per unit of that cost decides how many parts are worth it.
   * args(at, count): a part's arguments, `at` the byte offset of its first node in wasm memory.
   */
  const byRows = (fn: Kernel, list: Int32Array, ptr: Int32Array | null, work: number, args: (at: number, count: number) => number[]): void => {
    const at = constant(list);
    const threads = threadCount();
    if (threads === 1) return run(fn, [args(at, list.length)]);
    let bounds: number[];
    if (ptr) {
      const prefix = prefixes.of(list, ptr);
      bounds = splitByPrefix(prefix, partsFor(prefix[list.length] * work, threads, grainOf(fn)));
    } else {
      bounds = splitEven(list.length, partsFor(list.length * work, threads, grainOf(fn)));
    }
    run(fn, bounds.slice(1).map((end, k) => args(at + 4 * bounds[k], end - bounds[k])));
  };
  /** `fn` over column ranges [c0, c1) of `total` columns (inner bounds multiples of `align`). */
  const byColumns = (fn: Kernel, total: number, align: number, work: number, args: (c0: number, c1: number) => number[]): void => {
    const parts = Math.min(partsFor(work, threadCount(), grainOf(fn)), Math.ceil(total / align));
    const bounds = splitEven(total, parts, align);
    run(fn, bounds.slice(1).map((end, k) => args(bounds[k], end)));
  };
  /**
   * How column bounds align: to whole `unit`s (heads, SIMD blocks) and to 16 floats (a 64-byte cache
   * line: two threads summing into one line would pass it back and forth on every row) where that
   * still gives every thread two pieces; else to cache lines alone; else to vectors of 4.
   */
  const columnAlign = (total: number, unit: number): number => {
    const threads = threadCount();
    let both = 16;
    while (both % unit !== 0) both += 16; // the least common multiple of unit and 16
    if (total >= 2 * threads * both) return both;
    return total >= 16 * threads ? 16 : 4;
  };
  /** Whether a node list ascends (then one thread may run the attention backward in one walk). */
  const sorted = new WeakMap<Int32Array, boolean>();
  const ascending = (list: Int32Array): boolean => {
    let known = sorted.get(list);
    if (known === undefined) {
      known = list.every((v, r) => r === 0 || list[r - 1] < v);
      sorted.set(list, known);
    }
    return known;
  };
  /**
   * What the attention backward's second pass walks for `targets`: the graph's reverse index when
   * every node is a target, else the index restricted to edges into targets (copied once per plan's
   * layer, as the plan's node lists are), so it never visits an edge of another node.
   */
  const passTwo = new WeakMap<Int32Array, { graph: GatGraph; sources: Int32Array; outPtr: Int32Array; outEdge: Int32Array }>();
  const passTwoOf = (g: GatGraph, targets: Int32Array): { sources: Int32Array; outPtr: Int32Array; outEdge: Int32Array } => {
    const known = passTwo.get(targets);
    if (known && known.graph === g) return known;
    const entry = { graph: g, ...(targets.length === g.numNodes ? { sources: targets, outPtr: g.outPtr, outEdge: g.outEdge } : outEdgesInto(g, targets)) };
    passTwo.set(targets, entry);
    return entry;
  };

  return {
    name: 'wasm-simd',
    get threads() {
      return threadCount();
    },
    get pool() {
      return pool;
    },
    owns: (a) => mem.owns(a),
    dispose() {
      pool?.dispose();
      pool = null;
    },
    allocF32: (n) => mem.allocF32(n),
    adamUpdate(params, grad, m, v, s) {
      const n = params.length;
      if (grad.length !== n || m.length !== n || v.length !== n || !inMemory(params, grad, m, v)) return adamUpdateTs(params, grad, m, v, s);
      const { weightDecay, beta1, beta2 } = s;
      const rest = [weightDecay, beta1, beta2, 1 - beta1, 1 - beta2, s.stepSize, s.invSqrtBc2, s.eps];
      // Elementwise: parts of whole cache lines, each element computed alone.
      const bounds = splitEven(n, Math.min(partsFor(8 * n, threadCount(), grainOf('adam_update')), Math.ceil(n / 16)), 16);
      run('adam_update', bounds.slice(1).map((end, k) => {
        const o = 4 * bounds[k];
        return [params.byteOffset + o, grad.byteOffset + o, m.byteOffset + o, v.byteOffset + o, end - bounds[k], ...rest];
      }));
    },
    sparseProject(x: CsrMatrix, xd, rows, wT, hf, out) {
      if (hf % 4 !== 0 || !inMemory(xd, out)) return projectionTs.sparseProject(x, xd, rows, wT, hf, out);
      const [ip, ix, w] = [constant(x.indptr), constant(x.indices), mem.stage(wT)];
      byRows('sparse_project', rows, x.indptr, hf, (at, count) => [ip, ix, xd.byteOffset, at, count, w, x.cols, hf, out.byteOffset, 0, hf]);
    },
    sparseProjectGradW(x: CsrMatrix, xd, rows, dOut, hf, dwT) {
      if (hf % 4 !== 0 || !inMemory(xd, dOut)) return projectionTs.sparseProjectGradW(x, xd, rows, dOut, hf, dwT);
      const args = [constant(x.indptr), constant(x.indices), xd.byteOffset, constant(rows), rows.length, dOut.byteOffset, x.cols, hf];
      if (inMemory(dwT)) {
        // dwT sums over rows: split by columns, each summing every row in order.
        const work = threadCount() === 1 ? 0 : prefixes.of(rows, x.indptr)[rows.length] * hf;
        return byColumns('sparse_project_grad_w', hf, columnAlign(hf, 16), work, (c0, c1) => [...args, dwT.byteOffset, c0, c1]);
      }
      // Accumulate into a zeroed copy in wasm memory, then add it to the caller's gradient.
      const acc = mem.scratch(dwT.length);
      acc.fill(0);
      run('sparse_project_grad_w', [[...args, acc.byteOffset, 0, hf]]);
      for (let i = 0; i < dwT.length; i++) dwT[i] += acc[i];
    },
    aggregate(g: GatGraph, targets, heads, fout, alphaD, p, out) {
      if (fout < 4 || !inMemory(alphaD, p, out)) return attentionTs.aggregate(g, targets, heads, fout, alphaD, p, out);
      const [rp, src] = [constant(g.rowPtr), constant(g.source)];
      byRows('aggregate', targets, g.rowPtr, heads * fout, (at, count) => [rp, src, at, count, heads, fout, alphaD.byteOffset, p.byteOffset, out.byteOffset, 0, heads]);
    },
    nodeScores(p, rows, heads, fout, aSrc, aTrg, sSrc, sTrg) {
      if (!inMemory(p, aSrc, aTrg, sSrc, sTrg)) return attentionTs.nodeScores(p, rows, heads, fout, aSrc, aTrg, sSrc, sTrg);
      byRows('node_scores', rows, null, 2 * heads * fout, (at, count) => [p.byteOffset, at, count, heads, fout, aSrc.byteOffset, aTrg.byteOffset, sSrc.byteOffset, sTrg.byteOffset, 0, heads]);
    },
    edgeSoftmax(g, targets, heads, sSrc, sTrg, key, threshold, scale, alpha, alphaD) {
      if (!inMemory(sSrc, sTrg, alpha, alphaD)) return attentionTs.edgeSoftmax(g, targets, heads, sSrc, sTrg, key, threshold, scale, alpha, alphaD);
      const [rp, src] = [constant(g.rowPtr), constant(g.source)];
      byRows('edge_softmax', targets, g.rowPtr, 8 * heads, (at, count) => [rp, src, at, count, heads, sSrc.byteOffset, sTrg.byteOffset, key | 0, threshold, scale, alpha.byteOffset, alphaD.byteOffset, 0, heads]);
    },
    attentionBackward(g, targets, heads, fout, p, dOut, alpha, alphaD, sSrc, sTrg, key, threshold, scale, dP, dsSrc, dsTrg, tmp) {
      if (!inMemory(p, dOut, alpha, alphaD, sSrc, sTrg, dP, dsSrc, dsTrg, tmp)) {
        return attentionTs.attentionBackward(g, targets, heads, fout, p, dOut, alpha, alphaD, sSrc, sTrg, key, threshold, scale, dP, dsSrc, dsTrg, tmp);
      }
      const hf = heads * fout;
      const [rp, src] = [constant(g.rowPtr), constant(g.source)];
      // On one thread, with targets ascending, both passes in one walk: the same sums in the same order.
      const work = threadCount() === 1 ? 0 : 2 * hf * prefixes.of(targets, g.rowPtr)[targets.length];
      if (partsFor(work, threadCount(), grainOf('attention_backward_targets')) === 1 && ascending(targets)) {
        return run('attention_backward', [[
          rp, src, constant(targets), targets.length, heads, fout, p.byteOffset, dOut.byteOffset, alpha.byteOffset, alphaD.byteOffset,
          sSrc.byteOffset, sTrg.byteOffset, key | 0, threshold, scale, dP.byteOffset, dsSrc.byteOffset, dsTrg.byteOffset, tmp.byteOffset,
        ]]);
      }
      // Pass 1 by target rows: tmp ← dZ (E', NH), dsTrg (N, NH)
      byRows('attention_backward_targets', targets, g.rowPtr, 2 * hf, (at, count) => [
        rp, src, at, count, heads, fout, p.byteOffset, dOut.byteOffset, alpha.byteOffset, sSrc.byteOffset, sTrg.byteOffset, key | 0, threshold, scale, dsTrg.byteOffset, tmp.byteOffset,
      ]);
      // Pass 2 by source rows over the reverse index: dP (N, NH·FOUT), dsSrc (N, NH)
      const { sources, outPtr, outEdge } = passTwoOf(g, targets);
      const [op, oe, trg] = [constant(outPtr), constant(outEdge), constant(g.target)];
      byRows('attention_backward_sources', sources, outPtr, hf, (at, count) => [
        op, oe, trg, at, count, heads, fout, dOut.byteOffset, alphaD.byteOffset, tmp.byteOffset, dP.byteOffset, dsSrc.byteOffset,
      ]);
    },
    nodeScoresBackward(p, rows, heads, fout, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg) {
      if (!inMemory(p, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg)) return attentionTs.nodeScoresBackward(p, rows, heads, fout, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg);
      // dP by rows; daSrc/daTrg (sums over rows) by columns, on cache-line bounds: part k takes rows k and columns k.
      const hf = heads * fout;
      const at = constant(rows);
      const parts = partsFor(3 * rows.length * hf, threadCount(), grainOf('node_scores_backward'));
      const [rb, cb] = [splitEven(rows.length, parts), splitEven(hf, parts, columnAlign(hf, fout))];
      const rest = [aSrc.byteOffset, aTrg.byteOffset, dsSrc.byteOffset, dsTrg.byteOffset, dP.byteOffset, daSrc.byteOffset, daTrg.byteOffset];
      run('node_scores_backward', rb.slice(1).map((end, k) => [p.byteOffset, at, rows.length, at + 4 * rb[k], end - rb[k], heads, fout, ...rest, cb[k], cb[k + 1]]));
    },
    applyHeadsForward(targets, heads, fout, concat, agg, bias, out) {
      const hf = heads * fout;
      if (!inMemory(agg, bias, out) || (concat && hf % 4 !== 0)) return elementwiseTs.applyHeadsForward(targets, heads, fout, concat, agg, bias, out);
      if (!concat) return byRows('heads_mean', targets, null, hf, (at, count) => [at, count, heads, fout, agg.byteOffset, bias.byteOffset, out.byteOffset]);
      byRows('heads_concat_elu', targets, null, 4 * hf, (at, count) => [at, count, hf, agg.byteOffset, bias.byteOffset, out.byteOffset, 0, hf]);
    },
    applyHeadsBackward(targets, heads, fout, concat, out, dOut, dAgg, dBias) {
      const hf = heads * fout;
      if (!inMemory(out, dOut, dAgg, dBias) || (concat && hf % 4 !== 0)) return elementwiseTs.applyHeadsBackward(targets, heads, fout, concat, out, dOut, dAgg, dBias);
      const t = [constant(targets), targets.length];
      if (!concat) {
        // dAgg by rows, dBias (a sum over rows) by columns: part k takes rows k and columns k.
        const parts = partsFor(targets.length * hf, threadCount(), grainOf('heads_mean_backward'));
        const [rows, cols] = [splitEven(targets.length, parts), splitEven(fout, parts, 16)];
        return run('heads_mean_backward', rows.slice(1).map((end, k) => [...t, t[0] + 4 * rows[k], end - rows[k], heads, fout, dOut.byteOffset, dAgg.byteOffset, dBias.byteOffset, cols[k], cols[k + 1]]));
      }
      const parts = partsFor(2 * targets.length * hf, threadCount(), grainOf('heads_concat_elu_backward'));
      if (parts === 1) return run('heads_concat_elu_backward', [[...t, hf, out.byteOffset, dOut.byteOffset, dAgg.byteOffset, dBias.byteOffset, 0, hf]]);
      // dAgg by rows, then dBias (a sum over rows) by columns.
      byRows('heads_concat_elu_backward', targets, null, 2 * hf, (at, count) => [at, count, hf, out.byteOffset, dOut.byteOffset, dAgg.byteOffset, 0, 0, hf]);
      byColumns('column_sum', hf, columnAlign(hf, 4), targets.length * hf, (c0, c1) => [...t, hf, dAgg.byteOffset, dBias.byteOffset, c0, c1]);
    },
    dropSparseInput(x: CsrMatrix, rows, key, threshold, scale, xd) {
      if (!inMemory(x.values, xd)) return projectionTs.dropSparseInput(x, rows, key, threshold, scale, xd);
      // Every non-zero's mask depends only on its own index.
      const ip = constant(x.indptr);
      byRows('drop_sparse', rows, x.indptr, 4, (at, count) => [ip, at, count, x.values.byteOffset, key | 0, threshold, scale, xd.byteOffset]);
    },
    dropDense(x, rows, fin, key, threshold, scale, xd) {
      if (!inMemory(x, xd)) return projectionTs.dropDense(x, rows, fin, key, threshold, scale, xd);
      byRows('drop_dense', rows, null, 4 * fin, (at, count) => [x.byteOffset, at, count, fin, key | 0, threshold, scale, xd.byteOffset]);
    },
    denseProject(xd, rows, fin, wT, hf, out) {
      if (!inMemory(xd, wT, out)) return projectionTs.denseProject(xd, rows, fin, wT, hf, out);
      run('dense_project', [[xd.byteOffset, constant(rows), rows.length, fin, wT.byteOffset, hf, out.byteOffset, mem.denseScratch(4 * fin * hf)]]);
    },
    denseProjectGrad(xd, rows, fin, key, threshold, scale, wT, hf, dOut, dwT, dx) {
      if (!inMemory(xd, wT, dOut, dwT, dx)) return projectionTs.denseProjectGrad(xd, rows, fin, key, threshold, scale, wT, hf, dOut, dwT, dx);
      run('dense_project_grad', [[xd.byteOffset, constant(rows), rows.length, fin, key | 0, threshold, scale, wT.byteOffset, hf, dOut.byteOffset, dwT.byteOffset, dx.byteOffset, mem.denseScratch(2 * fin * hf)]]);
    },
  };
}
