/**
 * Dense products on onnxruntime's native GEMM (MLAS sgemm on its own intra-op thread pool): one
 * Gemm session per transpose pair, created once when the products start, run synchronously through
 * onnxruntime-node's binding. MLAS reads transposed operands directly, so nothing is transposed
 * here. The binding refuses SharedArrayBuffer-backed arrays (the fused kernels' WebAssembly memory
 * is shared), so such operands are copied into private staging arrays first, and the result is
 * written straight into `out` only when `out` is private and not accumulated into.
 */
import type { ThreadedProducts } from './gemmThreads';
import { gemmModel } from './onnxModel';

/** A tensor as onnxruntime-common's Tensor holds it: the binding reads its type, dims and data. */
export type OrtTensor = object;

/** One loaded model: the binding's synchronous run (feeds by input name, preallocated outputs by name). */
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor>): void;
  dispose(): void;
}

/** What the products need of onnxruntime-node (backend/onnxDriver.ts loads it). */
export interface OrtRuntime {
  readonly version: string;
  tensor(data: Float32Array, dims: readonly number[]): OrtTensor;
  /** A session of the model on `threads` intra-op threads (no spinning between products). */
  createSession(model: Uint8Array, threads: number): Promise<OrtSession>;
}

const key = (transA: boolean, transB: boolean): number => (transA ? 2 : 0) + (transB ? 1 : 0);

/** A growable private (not shared) array: the binding takes only ArrayBuffer-backed data. */
class Staging {
  private data = new Float32Array(0);

  view(length: number): Float32Array {
    if (this.data.length < length) this.data = new Float32Array(length);
    return this.data.subarray(0, length);
  }

  release(): void {
    this.data = new Float32Array(0);
  }
}

const isShared = (x: Float32Array): boolean => typeof SharedArrayBuffer !== 'undefined' && x.buffer instanceof SharedArrayBuffer;

/** `x`'s first `length` floats as an array the binding takes: a view of it, or a private copy. */
function privateView(x: Float32Array, length: number, staging: Staging): Float32Array {
  if (!isShared(x)) return x.subarray(0, length);
  const copy = staging.view(length);
  copy.set(x.subarray(0, length));
  return copy;
}

/** Starts the products: the four Gemm sessions on `threads` intra-op threads. */
export async function startOnnxProducts(runtime: OrtRuntime, threads: number): Promise<ThreadedProducts> {
  const sessions: OrtSession[] = [];
  try {
    for (const transA of [false, true]) for (const transB of [false, true]) sessions[key(transA, transB)] = await runtime.createSession(gemmModel({ transA, transB }), threads);
  } catch (e) {
    for (const s of sessions) s?.dispose();
    throw e;
  }
  const left = new Staging();
  const right = new Staging();
  const result = new Staging();
  return {
    name: 'onnxruntime',
    threads,
    matmul(a, b, m, k, n, o, out) {
      if (m * n === 0) return;
      if (k === 0) {
        if (!o.accumulate) out.fill(0, 0, m * n);
        return;
      }
      const transA = o.transposeA === true;
      const transB = o.transposeB === true;
      const A = runtime.tensor(privateView(a, m * k, left), transA ? [k, m] : [m, k]); // op(A) (M, K)
      const B = runtime.tensor(privateView(b, k * n, right), transB ? [n, k] : [k, n]); // op(B) (K, N)
      const direct = !o.accumulate && !isShared(out);
      const y = direct ? out.subarray(0, m * n) : result.view(m * n); // (M, N)
      sessions[key(transA, transB)].run({ A, B }, { Y: runtime.tensor(y, [m, n]) });
      if (direct) return;
      if (o.accumulate) for (let i = 0; i < m * n; i++) out[i] += y[i];
      else out.set(y);
    },
    dispose() {
      for (const s of sessions) s.dispose();
      sessions.length = 0;
      left.release();
      right.release();
      result.release();
    },
  };
}
