/**
 * Dense matrix products for the wide layers (PPI: 45,000 × 1,024 by 1,024 × 1,024 per batch pass),
 * where a tuned GEMM decides the epoch time. Implementations behind one interface: TensorFlow.js's
 * active back end (XNNPACK on wasm: measured 43 GFLOP/s on one core of this machine for 4500 × 1024 ×
 * 1024, several times our SIMD loops), plain TypeScript loops (the pure-JS cpu back end, tests), and
 * onnxruntime-node's native GEMM (onnxProducts.ts, the `native` back end; chosen by bench/gemm.ts).
 *
 * tfjs-backend-wasm reaches XNNPACK only for untransposed operands: with transposeA it measured
 * 1.0 GFLOP/s and with transposeB 3.7 (600 × 1024 × 1024), so operands are transposed here first,
 * which costs a few milliseconds next to a product of hundreds.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface DenseProducts {
  readonly name: 'tfjs' | 'typescript' | 'onnxruntime';
  /**
   * out (M, N) (+)= op(a) · op(b), all row-major: op(a) is (M, K) (a is (K, M) when transposeA),
   * op(b) is (K, N) (b is (N, K) when transposeB). `accumulate` adds into out instead of overwriting.
   */
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, o: { transposeA?: boolean; transposeB?: boolean; accumulate?: boolean }, out: Float32Array): void;
}

/** (rows, cols) row-major → (cols, rows), in cache-sized tiles. */
export function transposeInto(src: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = src[r * cols + c];
    }
  }
  return out;
}

export const tfjsProducts: DenseProducts = {
  name: 'tfjs',
  matmul(a, b, m, k, n, o, out) {
    const left = o.transposeA ? transposeInto(a, k, m, new Float32Array(m * k)) : a.subarray(0, m * k); // (M, K)
    const right = o.transposeB ? transposeInto(b, n, k, new Float32Array(k * n)) : b.subarray(0, k * n); // (K, N)
    const result = tf.tidy(() => tf.matMul(tf.tensor2d(left, [m, k]), tf.tensor2d(right, [k, n]))); // (M, N)
    const data = result.dataSync() as Float32Array;
    result.dispose();
    if (o.accumulate) for (let i = 0; i < m * n; i++) out[i] += data[i];
    else out.set(data);
  },
};

export const typescriptProducts: DenseProducts = {
  name: 'typescript',
  matmul(a, b, m, k, n, o, out) {
    if (!o.accumulate) out.fill(0, 0, m * n);
    // i-k-j order: the inner loop streams a row of b and a row of out.
    for (let i = 0; i < m; i++) {
      const orow = i * n;
      for (let p = 0; p < k; p++) {
        const av = o.transposeA ? a[p * m + i] : a[i * k + p];
        if (av === 0) continue;
        if (o.transposeB) for (let j = 0; j < n; j++) out[orow + j] += av * b[j * k + p];
        else {
          const brow = p * n;
          for (let j = 0; j < n; j++) out[orow + j] += av * b[brow + j];
        }
      }
    }
  },
};
