/**
 * onnxruntime-web's threaded WebAssembly build under Node, for bench/gemm.ts: the same Gemm models
 * through its public (asynchronous) API, copies in and out included. Its thread count is fixed when
 * its runtime starts, so the bench runs each count in a child process of its own (`--web-child N`).
 * Not a dependency of the project: the bench loads it if it resolves (NODE_PATH works) and says so
 * otherwise.
 */
import { gemmModel } from '../src/gat/kernels/onnxModel';

interface WebTensor {
  readonly data: unknown;
}
interface WebSession {
  run(feeds: Record<string, WebTensor>): Promise<Record<string, WebTensor>>;
  release(): Promise<void>;
}
interface WebOrt {
  readonly env: { wasm: { numThreads: number }; versions: Record<string, string> };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => WebTensor;
  readonly InferenceSession: { create(model: Uint8Array, options: object): Promise<WebSession> };
}

export const WEB_PACKAGE = 'onnxruntime-web';

/** The package, or why it cannot run. */
export function loadWeb(): WebOrt | string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a candidate, not a dependency
    return require(WEB_PACKAGE) as WebOrt;
  } catch (e) {
    return `${WEB_PACKAGE} is not installed here (a candidate only: run with NODE_PATH pointing at a folder that has it): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

export interface WebProducts {
  readonly version: string;
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, o: { transposeA?: boolean; transposeB?: boolean }, out: Float32Array): Promise<void>;
  dispose(): Promise<void>;
}

/** Four sessions (one per transpose pair) on `threads` wasm threads; must be the process's first use of the package. */
export async function startWebProducts(ort: WebOrt, threads: number): Promise<WebProducts> {
  ort.env.wasm.numThreads = threads;
  const sessions: WebSession[] = [];
  for (const transA of [false, true]) for (const transB of [false, true]) sessions.push(await ort.InferenceSession.create(gemmModel({ transA, transB }), { executionProviders: ['wasm'], intraOpNumThreads: threads, interOpNumThreads: 1 }));
  return {
    version: ort.env.versions.web ?? '',
    async matmul(a, b, m, k, n, o, out) {
      const transA = o.transposeA === true;
      const transB = o.transposeB === true;
      // Private copies: the Tensor keeps the array, and the wasm heap gets its own copy anyway.
      const A = new ort.Tensor('float32', a.slice(0, m * k), transA ? [k, m] : [m, k]);
      const B = new ort.Tensor('float32', b.slice(0, k * n), transB ? [n, k] : [k, n]);
      const { Y } = await sessions[(transA ? 2 : 0) + (transB ? 1 : 0)].run({ A, B });
      out.set(Y.data as Float32Array);
    },
    async dispose() {
      for (const s of sessions) await s.release();
    },
  };
}
