/**
 * The hot kernels compiled from wasm/gatKernels.c to WebAssembly SIMD. All buffers live in one
 * WebAssembly.Memory sized up front (growing it would detach the views the engine holds). Inputs
 * that live elsewhere are copied in: constant ones (graph, features, node lists) once, the weights
 * on every call (367 KB for Cora's layer 1: tens of microseconds).
 */
import type { CsrMatrix } from '../data/graph';
import type { GatGraph } from '../model/gatGraph';
import type { HotKernels } from './hotKernels';
import * as attentionTs from './attention';
import * as elementwiseTs from './elementwise';
import * as projectionTs from './projection';
import { adamUpdate as adamUpdateTs } from '../model/adam';
import { GAT_KERNELS_WASM_BASE64 } from './wasm/gatKernelsWasm';

interface Exports {
  sparse_project(indptr: number, indices: number, xd: number, rows: number, nrows: number, wT: number, hf: number, out: number): void;
  sparse_project_grad_w(indptr: number, indices: number, xd: number, rows: number, nrows: number, dOut: number, hf: number, dwT: number): void;
  aggregate(rowPtr: number, source: number, targets: number, ntargets: number, heads: number, fout: number, alphaD: number, p: number, out: number): void;
  node_scores(p: number, rows: number, nrows: number, heads: number, fout: number, aSrc: number, aTrg: number, sSrc: number, sTrg: number): void;
  edge_softmax(rowPtr: number, source: number, targets: number, ntargets: number, heads: number, sSrc: number, sTrg: number, key: number, threshold: number, scale: number, alpha: number, alphaD: number): void;
  attention_backward(
    rowPtr: number, source: number, targets: number, ntargets: number, heads: number, fout: number, p: number, dOut: number, alpha: number, alphaD: number,
    sSrc: number, sTrg: number, key: number, threshold: number, scale: number, dP: number, dsSrc: number, dsTrg: number, tmp: number,
  ): void;
  node_scores_backward(p: number, rows: number, nrows: number, heads: number, fout: number, aSrc: number, aTrg: number, dsSrc: number, dsTrg: number, dP: number, daSrc: number, daTrg: number): void;
  heads_concat_elu(targets: number, ntargets: number, hf: number, agg: number, bias: number, out: number): void;
  heads_concat_elu_backward(targets: number, ntargets: number, hf: number, out: number, dOut: number, dAgg: number, dBias: number): void;
  drop_sparse(indptr: number, rows: number, nrows: number, values: number, key: number, threshold: number, scale: number, xd: number): void;
  drop_dense(x: number, rows: number, nrows: number, fin: number, key: number, threshold: number, scale: number, xd: number): void;
  dense_project(xd: number, rows: number, nrows: number, fin: number, wT: number, hf: number, out: number, scratch: number): void;
  dense_project_grad(xd: number, rows: number, nrows: number, fin: number, key: number, threshold: number, scale: number, wT: number, hf: number, dOut: number, dwT: number, dx: number, scratch: number): void;
  adam_update(params: number, grad: number, m: number, v: number, n: number, wd: number, b1: number, b2: number, c1: number, c2: number, stepSize: number, invSqrtBc2: number, eps: number): void;
}

/** The part of the WebAssembly API we use (the ES2022 lib this project compiles against has no types for it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const RESERVED = 1 << 20; // below this: the C stack (clang puts it at 64 KiB) and nothing of ours

let compiled: object | null = null;

/** Whether this Node can run the SIMD module (validates it once). */
export function wasmSimdSupported(): boolean {
  try {
    compiled ??= new WasmApi.Module(Buffer.from(GAT_KERNELS_WASM_BASE64, 'base64'));
    return true;
  } catch {
    return false;
  }
}

/** Kernels over a fresh memory of at least `bytes` for engine buffers (plus room for copied inputs). */
export function createWasmKernels(bytes: number, constantBytes: number): HotKernels {
  if (!wasmSimdSupported() || !compiled) throw new Error('this Node.js cannot run WebAssembly SIMD');
  const total = RESERVED + bytes + constantBytes + (1 << 20);
  const memory = new WasmApi.Memory({ initial: Math.ceil(total / PAGE), maximum: Math.ceil(total / PAGE) });
  const wasm = new WasmApi.Instance(compiled, { env: { memory } }).exports as unknown as Exports;
  const buffer = memory.buffer;
  let top = RESERVED;
  const limit = memory.buffer.byteLength;
  const take = (byteLength: number): number => {
    const at = top;
    top += (byteLength + 15) & ~15; // 16-byte aligned for v128 loads
    if (top > limit) throw new Error(`wasm kernel memory exhausted (${limit} bytes)`);
    return at;
  };
  const constants = new WeakMap<Int32Array, number>();
  /** The byte offset of an Int32Array's copy in wasm memory (copied once: these never change). */
  const constant = (a: Int32Array): number => {
    if (a.buffer === buffer) return a.byteOffset;
    let at = constants.get(a);
    if (at === undefined) {
      at = take(a.byteLength);
      new Int32Array(buffer, at, a.length).set(a);
      constants.set(a, at);
    }
    return at;
  };
  let staging: Float32Array | null = null;
  /** A scratch region of n floats in wasm memory (one, reused: grown only by taking a fresh region). */
  const scratch = (n: number): Float32Array => {
    if (!staging || staging.length < n) staging = new Float32Array(buffer, take(4 * n), n);
    return staging.length === n ? staging : staging.subarray(0, n);
  };
  const stage = (a: Float32Array): number => {
    if (a.buffer === buffer) return a.byteOffset;
    const s = scratch(a.length);
    s.set(a);
    return s.byteOffset;
  };
  let dense = { at: 0, floats: 0 };
  /** Scratch for the dense kernels' transposed weights (kept apart from the staging region). */
  const denseScratch = (floats: number): number => {
    if (dense.floats < floats) dense = { at: take(4 * floats), floats };
    return dense.at;
  };
  const inMemory = (...arrays: Float32Array[]): boolean => arrays.every((a) => a.buffer === buffer);

  return {
    name: 'wasm-simd',
    owns: (a) => a.buffer === buffer,
    adamUpdate(params, grad, m, v, s) {
      const n = params.length;
      if (grad.length !== n || m.length !== n || v.length !== n || !inMemory(params, grad, m, v)) return adamUpdateTs(params, grad, m, v, s);
      const { weightDecay, beta1, beta2 } = s;
      wasm.adam_update(params.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, n, weightDecay, beta1, beta2, 1 - beta1, 1 - beta2, s.stepSize, s.invSqrtBc2, s.eps);
    },
    allocF32: (n) => new Float32Array(buffer, take(4 * n), n),
    sparseProject(x: CsrMatrix, xd, rows, wT, hf, out) {
      if (hf % 4 !== 0 || !inMemory(xd, out)) return projectionTs.sparseProject(x, xd, rows, wT, hf, out);
      wasm.sparse_project(constant(x.indptr), constant(x.indices), xd.byteOffset, constant(rows), rows.length, stage(wT), hf, out.byteOffset);
    },
    sparseProjectGradW(x: CsrMatrix, xd, rows, dOut, hf, dwT) {
      if (hf % 4 !== 0 || !inMemory(xd, dOut)) return projectionTs.sparseProjectGradW(x, xd, rows, dOut, hf, dwT);
      if (inMemory(dwT)) {
        wasm.sparse_project_grad_w(constant(x.indptr), constant(x.indices), xd.byteOffset, constant(rows), rows.length, dOut.byteOffset, hf, dwT.byteOffset);
        return;
      }
      // Accumulate into a zeroed copy in wasm memory, then add it to the caller's gradient.
      const acc = scratch(dwT.length);
      acc.fill(0);
      wasm.sparse_project_grad_w(constant(x.indptr), constant(x.indices), xd.byteOffset, constant(rows), rows.length, dOut.byteOffset, hf, acc.byteOffset);
      for (let i = 0; i < dwT.length; i++) dwT[i] += acc[i];
    },
    aggregate(g: GatGraph, targets, heads, fout, alphaD, p, out) {
      if (fout < 4 || !inMemory(alphaD, p, out)) return attentionTs.aggregate(g, targets, heads, fout, alphaD, p, out);
      wasm.aggregate(constant(g.rowPtr), constant(g.source), constant(targets), targets.length, heads, fout, alphaD.byteOffset, p.byteOffset, out.byteOffset);
    },
    nodeScores(p, rows, heads, fout, aSrc, aTrg, sSrc, sTrg) {
      if (!inMemory(p, aSrc, aTrg, sSrc, sTrg)) return attentionTs.nodeScores(p, rows, heads, fout, aSrc, aTrg, sSrc, sTrg);
      wasm.node_scores(p.byteOffset, constant(rows), rows.length, heads, fout, aSrc.byteOffset, aTrg.byteOffset, sSrc.byteOffset, sTrg.byteOffset);
    },
    edgeSoftmax(g, targets, heads, sSrc, sTrg, key, threshold, scale, alpha, alphaD) {
      if (!inMemory(sSrc, sTrg, alpha, alphaD)) return attentionTs.edgeSoftmax(g, targets, heads, sSrc, sTrg, key, threshold, scale, alpha, alphaD);
      wasm.edge_softmax(constant(g.rowPtr), constant(g.source), constant(targets), targets.length, heads, sSrc.byteOffset, sTrg.byteOffset, key | 0, threshold, scale, alpha.byteOffset, alphaD.byteOffset);
    },
    attentionBackward(g, targets, heads, fout, p, dOut, alpha, alphaD, sSrc, sTrg, key, threshold, scale, dP, dsSrc, dsTrg, tmp) {
      if (!inMemory(p, dOut, alpha, alphaD, sSrc, sTrg, dP, dsSrc, dsTrg, tmp)) {
        return attentionTs.attentionBackward(g, targets, heads, fout, p, dOut, alpha, alphaD, sSrc, sTrg, key, threshold, scale, dP, dsSrc, dsTrg, tmp);
      }
      wasm.attention_backward(
        constant(g.rowPtr), constant(g.source), constant(targets), targets.length, heads, fout, p.byteOffset, dOut.byteOffset, alpha.byteOffset, alphaD.byteOffset,
        sSrc.byteOffset, sTrg.byteOffset, key | 0, threshold, scale, dP.byteOffset, dsSrc.byteOffset, dsTrg.byteOffset, tmp.byteOffset,
      );
    },
    nodeScoresBackward(p, rows, heads, fout, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg) {
      if (!inMemory(p, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg)) return attentionTs.nodeScoresBackward(p, rows, heads, fout, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg);
      wasm.node_scores_backward(p.byteOffset, constant(rows), rows.length, heads, fout, aSrc.byteOffset, aTrg.byteOffset, dsSrc.byteOffset, dsTrg.byteOffset, dP.byteOffset, daSrc.byteOffset, daTrg.byteOffset);
    },
    applyHeadsForward(targets, heads, fout, concat, agg, bias, out) {
      const hf = heads * fout;
      if (!concat || hf % 4 !== 0 || !inMemory(agg, bias, out)) return elementwiseTs.applyHeadsForward(targets, heads, fout, concat, agg, bias, out);
      wasm.heads_concat_elu(constant(targets), targets.length, hf, agg.byteOffset, bias.byteOffset, out.byteOffset);
    },
    applyHeadsBackward(targets, heads, fout, concat, out, dOut, dAgg, dBias) {
      const hf = heads * fout;
      if (!concat || hf % 4 !== 0 || !inMemory(out, dOut, dAgg, dBias)) return elementwiseTs.applyHeadsBackward(targets, heads, fout, concat, out, dOut, dAgg, dBias);
      wasm.heads_concat_elu_backward(constant(targets), targets.length, hf, out.byteOffset, dOut.byteOffset, dAgg.byteOffset, dBias.byteOffset);
    },
    dropSparseInput(x: CsrMatrix, rows, key, threshold, scale, xd) {
      if (!inMemory(x.values, xd)) return projectionTs.dropSparseInput(x, rows, key, threshold, scale, xd);
      wasm.drop_sparse(constant(x.indptr), constant(rows), rows.length, x.values.byteOffset, key | 0, threshold, scale, xd.byteOffset);
    },
    dropDense(x, rows, fin, key, threshold, scale, xd) {
      if (!inMemory(x, xd)) return projectionTs.dropDense(x, rows, fin, key, threshold, scale, xd);
      wasm.drop_dense(x.byteOffset, constant(rows), rows.length, fin, key | 0, threshold, scale, xd.byteOffset);
    },
    denseProject(xd, rows, fin, wT, hf, out) {
      if (!inMemory(xd, wT, out)) return projectionTs.denseProject(xd, rows, fin, wT, hf, out);
      wasm.dense_project(xd.byteOffset, constant(rows), rows.length, fin, wT.byteOffset, hf, out.byteOffset, denseScratch(4 * fin * hf));
    },
    denseProjectGrad(xd, rows, fin, key, threshold, scale, wT, hf, dOut, dwT, dx) {
      if (!inMemory(xd, wT, dOut, dwT, dx)) return projectionTs.denseProjectGrad(xd, rows, fin, key, threshold, scale, wT, hf, dOut, dwT, dx);
      wasm.dense_project_grad(xd.byteOffset, constant(rows), rows.length, fin, key | 0, threshold, scale, wT.byteOffset, hf, dOut.byteOffset, dwT.byteOffset, dx.byteOffset, denseScratch(2 * fin * hf));
    },
  };
}
