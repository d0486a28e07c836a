/**
 * The machine's float32 GEMM ceiling: the best large square product onnxruntime's native GEMM does
 * on the given threads (every core by default), in GFLOP/s. Benchmarks divide an epoch's effective
 * rate by it (how near the hardware floor training runs). Private buffers and a preallocated output:
 * no copies, only the GEMM.
 */
import { availableParallelism } from 'node:os';
import { gemmModel } from './onnxModel';
import type { OrtRuntime } from './onnxProducts';

export interface MachineGemm {
  readonly gflops: number;
  /** The square size n (n × n by n × n) that reached it. */
  readonly size: number;
  readonly threads: number;
}

export async function machineGemmGflops(runtime: OrtRuntime, options: { threads?: number; sizes?: readonly number[]; reps?: number } = {}): Promise<MachineGemm> {
  const threads = options.threads ?? availableParallelism();
  const sizes = options.sizes ?? [2048, 3072, 4096];
  const reps = options.reps ?? 3;
  const session = await runtime.createSession(gemmModel({ transA: false, transB: false }), threads);
  let best: MachineGemm = { gflops: 0, size: 0, threads };
  try {
    for (const n of sizes) {
      const a = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
      const b = a.slice().reverse();
      const y = new Float32Array(n * n);
      const feeds = { A: runtime.tensor(a, [n, n]), B: runtime.tensor(b, [n, n]) };
      const fetches = { Y: runtime.tensor(y, [n, n]) };
      session.run(feeds, fetches); // warm-up: the pool's threads and the packing buffers
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        session.run(feeds, fetches);
        const gflops = (2 * n * n * n) / ((performance.now() - t0) * 1e6);
        if (gflops > best.gflops) best = { gflops: Math.round(gflops * 10) / 10, size: n, threads };
      }
    }
  } finally {
    session.dispose();
  }
  return best;
}
