/**
 * The hot kernels compiled from wasm/gatKernels.c to WebAssembly SIMD. All buffers live in one
 * WebAssembly.Memory sized up front (growing it would detach the views the engine holds). Inputs
 * that live elsewhere are copied in: constant ones (graph, features, node lists) once, the weights
 * on every call (367 KB for Cora's layer 1: tens of microseconds).
 */
import { Worker } from 'node:worker_threads';
import type { CsrMatrix } from '../data/graph';
import type { GatGraph } from './gatGraph';
import type { HotKernels } from './hotKernels';
import * as attentionTs from './attention';
import * as elementwiseTs from './elementwise';
import * as projectionTs from './projection';
import { adamUpdate as adamUpdateTs } from './adamUpdate';
import { GAT_KERNELS_WASM_BASE64 } from './wasm/gatKernelsWasm';

interface Exports {
  sparse_project(indptr: number, indices: number, xd: number, rows: number, nrows: number, wT: number, hf: number, out: number, c0: number, c1: number): void;
  sparse_project_grad_w(indptr: number, indices: number, xd: number, rows: number, nrows: number, dOut: number, hf: number, dwT: number, c0: number, c1: number): void;
  aggregate(rowPtr: number, source: number, targets: number, ntargets: number, heads: number, fout: number, alphaD: number, p: number, out: number, h0: number, h1: number): void;
  node_scores(p: number, rows: number, nrows: number, heads: number, fout: number, aSrc: number, aTrg: number, sSrc: number, sTrg: number, h0: number, h1: number): void;
  edge_softmax(rowPtr: number, source: number, targets: number, ntargets: number, heads: number, sSrc: number, sTrg: number, key: number, threshold: number, scale: number, alpha: number, alphaD: number, h0: number, h1: number): void;
  attention_backward(
    rowPtr: number, source: number, targets: number, ntargets: number, heads: number, fout: number, p: number, dOut: number, alpha: number, alphaD: number,
    sSrc: number, sTrg: number, key: number, threshold: number, scale: number, dP: number, dsSrc: number, dsTrg: number, tmp: number, h0: number, h1: number,
  ): void;
  node_scores_backward(p: number, rows: number, nrows: number, heads: number, fout: number, aSrc: number, aTrg: number, dsSrc: number, dsTrg: number, dP: number, daSrc: number, daTrg: number, h0: number, h1: number): void;
  heads_concat_elu(targets: number, ntargets: number, hf: number, agg: number, bias: number, out: number, c0: number, c1: number): void;
  heads_concat_elu_backward(targets: number, ntargets: number, hf: number, out: number, dOut: number, dAgg: number, dBias: number, c0: number, c1: number): void;
  drop_sparse(indptr: number, rows: number, nrows: number, values: number, key: number, threshold: number, scale: number, xd: number): void;
  drop_dense(x: number, rows: number, nrows: number, fin: number, key: number, threshold: number, scale: number, xd: number): void;
  dense_project(xd: number, rows: number, nrows: number, fin: number, wT: number, hf: number, out: number, scratch: number): void;
  dense_project_grad(xd: number, rows: number, nrows: number, fin: number, key: number, threshold: number, scale: number, wT: number, hf: number, dOut: number, dwT: number, dx: number, scratch: number): void;
  adam_update(params: number, grad: number, m: number, v: number, n: number, wd: number, b1: number, b2: number, c1: number, c2: number, stepSize: number, invSqrtBc2: number, eps: number): void;
}

/** The part of the WebAssembly API we use (the ES2022 lib this project compiles against has no types for it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const RESERVED = 1 << 20; // below this: the C stack (clang puts it at 64 KiB) and nothing of ours
const WORKER_STACK = 1 << 16; // the second thread's C stack, taken from our region

/** Exports a second thread may run: each takes its part as the last two arguments (or as offset pointers). */
const PARALLEL: readonly (keyof Exports)[] = [
  'sparse_project', 'sparse_project_grad_w', 'aggregate', 'node_scores', 'edge_softmax', 'attention_backward',
  'node_scores_backward', 'heads_concat_elu', 'heads_concat_elu_backward', 'drop_sparse', 'adam_update',
];

/**
 * The second thread: an instance of the same module on the same shared memory, with its own C stack.
 * Protocol over a small SharedArrayBuffer (Int32 slots): 0 job number (main bumps it), 1 last job
 * done (worker), 2 export index (−1: quit), 3 argument count, 4 error, 5 ready; arguments as
 * float64 from byte 64. Both sides spin briefly, then sleep in Atomics.wait.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, stackTop, names, spin } = workerData;
const ctl = new Int32Array(control, 0, 16);
const args = new Float64Array(control, 64, 32);
let fns;
try {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  instance.exports.__stack_pointer.value = stackTop;
  fns = names.map((n) => instance.exports[n]);
} catch (e) {
  Atomics.store(ctl, 4, 1);
}
Atomics.store(ctl, 5, 1);
Atomics.notify(ctl, 5);
let seen = 0;
while (fns) {
  let spins = 0;
  while (Atomics.load(ctl, 0) === seen) {
    if (++spins > spin) Atomics.wait(ctl, 0, seen, 1000);
  }
  seen = Atomics.load(ctl, 0);
  const fn = ctl[2];
  if (fn < 0) break;
  try {
    const n = ctl[3];
    const a = new Array(n);
    for (let i = 0; i < n; i++) a[i] = args[i];
    fns[fn](...a);
  } catch (e) {
    Atomics.store(ctl, 4, 1);
  }
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;

/** Iterations of the busy-wait before sleeping (a few tens of microseconds). */
const SPIN = 1000;

interface Helper {
  /** Starts export `fn` (an index into PARALLEL) with `args` on the second thread. */
  post(fn: number, args: number[]): void;
  /** Waits until the job posted last is done. */
  wait(): void;
  dispose(): void;
}

function startHelper(memory: object, stackTop: number): Helper | null {
  const control = new SharedArrayBuffer(64 + 8 * 32);
  const ctl = new Int32Array(control, 0, 16);
  const args = new Float64Array(control, 64, 32);
  let worker: Worker | null = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { module: compiled, memory, control, stackTop, names: PARALLEL, spin: SPIN },
  });
  worker.unref(); // never keeps the process alive (a cancelled run exits even without dispose)
  worker.on('error', () => Atomics.store(ctl, 4, 1));
  const stop = (): void => {
    if (!worker) return;
    ctl[2] = -1;
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    void worker.terminate();
    worker = null;
  };
  // Starting takes tens of milliseconds; wait for it here (synchronously) so a failure falls back to one thread.
  for (let waited = 0; Atomics.load(ctl, 5) === 0 && waited < 20; waited++) Atomics.wait(ctl, 5, 0, 500);
  if (Atomics.load(ctl, 5) === 0 || Atomics.load(ctl, 4) !== 0) {
    stop();
    return null;
  }
  let job = 0;
  return {
    post(fn, a) {
      if (!worker) throw new Error('the kernels were disposed');
      for (let i = 0; i < a.length; i++) args[i] = a[i];
      ctl[2] = fn;
      ctl[3] = a.length;
      job = Atomics.add(ctl, 0, 1) + 1;
      Atomics.notify(ctl, 0);
    },
    wait() {
      let spins = 0;
      let slept = 0;
      for (;;) {
        const done = Atomics.load(ctl, 1);
        if (done === job) break;
        if (Atomics.load(ctl, 4) !== 0) break;
        if (++spins > SPIN) {
          if (Atomics.wait(ctl, 1, done, 1000) === 'timed-out' && ++slept >= 30) break;
        }
      }
      if (Atomics.load(ctl, 1) !== job || Atomics.load(ctl, 4) !== 0) {
        stop();
        throw new Error('the GAT kernel thread failed or stopped answering');
      }
    },
    dispose: stop,
  };
}

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

/**
 * Kernels over a fresh memory of at least `bytes` for engine buffers (plus room for copied inputs).
 * threads 2: a worker thread takes half of each layer whose heads split into two groups of a multiple
 * of 4 (the other half of the heads or columns, or of the rows or elements, each computed exactly as
 * one thread computes it), so results are identical to threads 1. Falls back to 1 if it cannot start.
 */
export function createWasmKernels(bytes: number, constantBytes: number, threads = 1): HotKernels {
  if (!wasmSimdSupported() || !compiled) throw new Error('this Node.js cannot run WebAssembly SIMD');
  const total = RESERVED + bytes + constantBytes + (1 << 20) + WORKER_STACK;
  const memory = new WasmApi.Memory({ initial: Math.ceil(total / PAGE), maximum: Math.ceil(total / PAGE), shared: true });
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
  let helper: Helper | null = null;
  if (threads >= 2) {
    const stackBase = take(WORKER_STACK);
    helper = startHelper(memory, stackBase + WORKER_STACK);
  }
  const exportsAny = wasm as unknown as Record<string, (...a: number[]) => void>;
  /** Whether a layer of this shape splits: two head groups of a multiple of 4 heads, FOUT % 4 == 0. */
  const splits = (heads: number, fout: number): boolean => helper !== null && heads % 8 === 0 && fout % 4 === 0;
  /** fn(...args, lo, hi) over [0, total): the helper takes [mid, total), this thread [0, mid). */
  const halves = (fn: keyof Exports, args: number[], mid: number, total: number): void => {
    if (!helper) return exportsAny[fn](...args, 0, total);
    helper.post(PARALLEL.indexOf(fn), [...args, mid, total]);
    try {
      exportsAny[fn](...args, 0, mid);
    } finally {
      helper.wait();
    }
  };
  /** The same, for a whole-range call on this thread. */
  const whole = (fn: keyof Exports, args: number[], total: number): void => exportsAny[fn](...args, 0, total);

  return {
    name: 'wasm-simd',
    get threads() {
      return helper ? 2 : 1;
    },
    owns: (a) => a.buffer === buffer,
    dispose() {
      helper?.dispose();
      helper = null;
    },
    adamUpdate(params, grad, m, v, s) {
      const n = params.length;
      if (grad.length !== n || m.length !== n || v.length !== n || !inMemory(params, grad, m, v)) return adamUpdateTs(params, grad, m, v, s);
      const { weightDecay, beta1, beta2 } = s;
      const rest = [weightDecay, beta1, beta2, 1 - beta1, 1 - beta2, s.stepSize, s.invSqrtBc2, s.eps];
      const mid = (n >> 3) << 2; // elementwise: the helper takes [mid, n)
      if (!helper || mid === 0) return wasm.adam_update(params.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, n, ...(rest as [number, number, number, number, number, number, number, number]));
      const o = 4 * mid;
      helper.post(PARALLEL.indexOf('adam_update'), [params.byteOffset + o, grad.byteOffset + o, m.byteOffset + o, v.byteOffset + o, n - mid, ...rest]);
      try {
        wasm.adam_update(params.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, mid, ...(rest as [number, number, number, number, number, number, number, number]));
      } finally {
        helper.wait();
      }
    },
    allocF32: (n) => new Float32Array(buffer, take(4 * n), n),
    sparseProject(x: CsrMatrix, xd, rows, wT, hf, out) {
      if (hf % 4 !== 0 || !inMemory(xd, out)) return projectionTs.sparseProject(x, xd, rows, wT, hf, out);
      const args = [constant(x.indptr), constant(x.indices), xd.byteOffset, constant(rows), rows.length, stage(wT), hf, out.byteOffset];
      if (hf % 32 === 0 && helper) halves('sparse_project', args, hf / 2, hf);
      else whole('sparse_project', args, hf);
    },
    sparseProjectGradW(x: CsrMatrix, xd, rows, dOut, hf, dwT) {
      if (hf % 4 !== 0 || !inMemory(xd, dOut)) return projectionTs.sparseProjectGradW(x, xd, rows, dOut, hf, dwT);
      if (inMemory(dwT)) {
        const args = [constant(x.indptr), constant(x.indices), xd.byteOffset, constant(rows), rows.length, dOut.byteOffset, hf, dwT.byteOffset];
        if (hf % 32 === 0 && helper) halves('sparse_project_grad_w', args, hf / 2, hf);
        else whole('sparse_project_grad_w', args, hf);
        return;
      }
      // Accumulate into a zeroed copy in wasm memory, then add it to the caller's gradient.
      const acc = scratch(dwT.length);
      acc.fill(0);
      wasm.sparse_project_grad_w(constant(x.indptr), constant(x.indices), xd.byteOffset, constant(rows), rows.length, dOut.byteOffset, hf, acc.byteOffset, 0, hf);
      for (let i = 0; i < dwT.length; i++) dwT[i] += acc[i];
    },
    aggregate(g: GatGraph, targets, heads, fout, alphaD, p, out) {
      if (fout < 4 || !inMemory(alphaD, p, out)) return attentionTs.aggregate(g, targets, heads, fout, alphaD, p, out);
      const args = [constant(g.rowPtr), constant(g.source), constant(targets), targets.length, heads, fout, alphaD.byteOffset, p.byteOffset, out.byteOffset];
      if (splits(heads, fout)) halves('aggregate', args, heads / 2, heads);
      else whole('aggregate', args, heads);
    },
    nodeScores(p, rows, heads, fout, aSrc, aTrg, sSrc, sTrg) {
      if (!inMemory(p, aSrc, aTrg, sSrc, sTrg)) return attentionTs.nodeScores(p, rows, heads, fout, aSrc, aTrg, sSrc, sTrg);
      const args = [p.byteOffset, constant(rows), rows.length, heads, fout, aSrc.byteOffset, aTrg.byteOffset, sSrc.byteOffset, sTrg.byteOffset];
      if (splits(heads, fout)) halves('node_scores', args, heads / 2, heads);
      else whole('node_scores', args, heads);
    },
    edgeSoftmax(g, targets, heads, sSrc, sTrg, key, threshold, scale, alpha, alphaD) {
      if (!inMemory(sSrc, sTrg, alpha, alphaD)) return attentionTs.edgeSoftmax(g, targets, heads, sSrc, sTrg, key, threshold, scale, alpha, alphaD);
      const args = [constant(g.rowPtr), constant(g.source), constant(targets), targets.length, heads, sSrc.byteOffset, sTrg.byteOffset, key | 0, threshold, scale, alpha.byteOffset, alphaD.byteOffset];
      if (heads % 8 === 0 && helper) halves('edge_softmax', args, heads / 2, heads);
      else whole('edge_softmax', args, heads);
    },
    attentionBackward(g, targets, heads, fout, p, dOut, alpha, alphaD, sSrc, sTrg, key, threshold, scale, dP, dsSrc, dsTrg, tmp) {
      if (!inMemory(p, dOut, alpha, alphaD, sSrc, sTrg, dP, dsSrc, dsTrg, tmp)) {
        return attentionTs.attentionBackward(g, targets, heads, fout, p, dOut, alpha, alphaD, sSrc, sTrg, key, threshold, scale, dP, dsSrc, dsTrg, tmp);
      }
      const args = [
        constant(g.rowPtr), constant(g.source), constant(targets), targets.length, heads, fout, p.byteOffset, dOut.byteOffset, alpha.byteOffset, alphaD.byteOffset,
        sSrc.byteOffset, sTrg.byteOffset, key | 0, threshold, scale, dP.byteOffset, dsSrc.byteOffset, dsTrg.byteOffset, tmp.byteOffset,
      ];
      if (splits(heads, fout)) halves('attention_backward', args, heads / 2, heads);
      else whole('attention_backward', args, heads);
    },
    nodeScoresBackward(p, rows, heads, fout, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg) {
      if (!inMemory(p, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg)) return attentionTs.nodeScoresBackward(p, rows, heads, fout, aSrc, aTrg, dsSrc, dsTrg, dP, daSrc, daTrg);
      const args = [p.byteOffset, constant(rows), rows.length, heads, fout, aSrc.byteOffset, aTrg.byteOffset, dsSrc.byteOffset, dsTrg.byteOffset, dP.byteOffset, daSrc.byteOffset, daTrg.byteOffset];
      if (splits(heads, fout)) halves('node_scores_backward', args, heads / 2, heads);
      else whole('node_scores_backward', args, heads);
    },
    applyHeadsForward(targets, heads, fout, concat, agg, bias, out) {
      const hf = heads * fout;
      if (!concat || hf % 4 !== 0 || !inMemory(agg, bias, out)) return elementwiseTs.applyHeadsForward(targets, heads, fout, concat, agg, bias, out);
      const args = [constant(targets), targets.length, hf, agg.byteOffset, bias.byteOffset, out.byteOffset];
      if (splits(heads, fout)) halves('heads_concat_elu', args, hf / 2, hf);
      else whole('heads_concat_elu', args, hf);
    },
    applyHeadsBackward(targets, heads, fout, concat, out, dOut, dAgg, dBias) {
      const hf = heads * fout;
      if (!concat || hf % 4 !== 0 || !inMemory(out, dOut, dAgg, dBias)) return elementwiseTs.applyHeadsBackward(targets, heads, fout, concat, out, dOut, dAgg, dBias);
      const args = [constant(targets), targets.length, hf, out.byteOffset, dOut.byteOffset, dAgg.byteOffset, dBias.byteOffset];
      if (splits(heads, fout)) halves('heads_concat_elu_backward', args, hf / 2, hf);
      else whole('heads_concat_elu_backward', args, hf);
    },
    dropSparseInput(x: CsrMatrix, rows, key, threshold, scale, xd) {
      if (!inMemory(x.values, xd)) return projectionTs.dropSparseInput(x, rows, key, threshold, scale, xd);
      const r = constant(rows);
      const mid = rows.length >> 1;
      if (!helper || mid === 0) return wasm.drop_sparse(constant(x.indptr), r, rows.length, x.values.byteOffset, key | 0, threshold, scale, xd.byteOffset);
      // Rows [mid, n) on the helper: every non-zero's mask depends only on its own index.
      helper.post(PARALLEL.indexOf('drop_sparse'), [constant(x.indptr), r + 4 * mid, rows.length - mid, x.values.byteOffset, key | 0, threshold, scale, xd.byteOffset]);
      try {
        wasm.drop_sparse(constant(x.indptr), r, mid, x.values.byteOffset, key | 0, threshold, scale, xd.byteOffset);
      } finally {
        helper.wait();
      }
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
