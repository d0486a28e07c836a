/**
 * The native GEMM route's pieces with the real onnxruntime-node: the hand-encoded Gemm model (its
 * fields, and that onnxruntime loads and runs it), the products against plain loops for every
 * transpose, accumulation and kind of memory, thread-count invariance, and the session cache.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtoReader, WIRE_LENGTH, WIRE_VARINT } from '../../src/gat/artifacts/protobuf';
import { loadOnnxRuntime, missingBinary } from '../../src/gat/backend/onnxDriver';
import { typescriptProducts } from '../../src/gat/kernels/denseProducts';
import { machineGemmGflops } from '../../src/gat/kernels/machineGemm';
import { ONNX_IR_VERSION, ONNX_OPSET, gemmModel } from '../../src/gat/kernels/onnxModel';
import { startOnnxProducts, type OrtRuntime } from '../../src/gat/kernels/onnxProducts';
import { repoRoot } from '../helpers/paths';
import * as path from 'node:path';

function runtime(): OrtRuntime {
  const r = loadOnnxRuntime();
  if (typeof r === 'string') throw new Error(`the tests need onnxruntime-node (an optional dependency npm ci installs): ${r}`);
  return r;
}

/** Every field of a message as (field, wire, value): a varint as a number, a length-delimited field as its bytes. */
function fields(bytes: Uint8Array): Array<{ field: number; wire: number; value: number | Uint8Array }> {
  const r = new ProtoReader(bytes, 0, bytes.length, (at, m) => assert.fail(`byte ${at}: ${m}`));
  const out: Array<{ field: number; wire: number; value: number | Uint8Array }> = [];
  while (!r.done) {
    const { field, wire } = r.key('test');
    if (wire === WIRE_VARINT) out.push({ field, wire, value: Number(r.varint('test')) });
    else if (wire === WIRE_LENGTH) {
      const { start, end } = r.span('test');
      out.push({ field, wire, value: bytes.subarray(start, end) });
    } else assert.fail(`unexpected wire type ${wire}`);
  }
  return out;
}
const sub = (f: ReturnType<typeof fields>, n: number): Uint8Array[] => f.filter((x) => x.field === n).map((x) => x.value as Uint8Array);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const num = (f: ReturnType<typeof fields>, n: number): number => f.find((x) => x.field === n)!.value as number;

function random(n: number, seed: number, shared = false): Float32Array {
  const x = shared ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.abs(expected[i])), `${what}: [${i}] ${actual[i]} vs ${expected[i]}`);
}

describe('the Gemm model, encoded by hand', () => {
  it('is a ModelProto of IR 8, opset 13, one Gemm node with transA/transB INT attributes and symbolic float inputs', () => {
    const model = fields(gemmModel({ transA: true, transB: false }));
    assert.equal(num(model, 1), ONNX_IR_VERSION);
    const [opset] = sub(model, 8).map(fields);
    assert.equal(text(sub(opset, 1)[0]), '');
    assert.equal(num(opset, 2), ONNX_OPSET);
    const graph = fields(sub(model, 7)[0]);
    const node = fields(sub(graph, 1)[0]);
    assert.deepEqual(sub(node, 1).map(text), ['A', 'B']);
    assert.deepEqual(sub(node, 2).map(text), ['Y']);
    assert.equal(text(sub(node, 4)[0]), 'Gemm');
    const attributes = sub(node, 5).map(fields).map((a) => [text(sub(a, 1)[0]), num(a, 3), num(a, 20)]);
    assert.deepEqual(attributes, [['transA', 1, 2], ['transB', 0, 2]]);
    const dims = (info: Uint8Array): string[] => {
      const v = fields(info);
      const tensor = fields(sub(fields(sub(v, 2)[0]), 1)[0]);
      assert.equal(num(tensor, 1), 1, 'elem_type FLOAT');
      return sub(fields(sub(tensor, 2)[0]), 1).map((d) => text(sub(fields(d), 2)[0]));
    };
    assert.deepEqual(sub(graph, 11).map(dims), [['K', 'M'], ['K', 'N']]);
    assert.deepEqual(sub(graph, 12).map(dims), [['M', 'N']]);
  });

  it('loads in onnxruntime-node and computes op(A)·op(B) for every transpose pair', async () => {
    const rt = runtime();
    const [m, k, n] = [3, 4, 2];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = random(m * k, 1);
        const b = random(k * n, 2);
        const expected = new Float32Array(m * n);
        typescriptProducts.matmul(a, b, m, k, n, { transposeA: transA, transposeB: transB }, expected);
        const session = await rt.createSession(gemmModel({ transA, transB }), 1);
        const y = new Float32Array(m * n);
        session.run({ A: rt.tensor(a, transA ? [k, m] : [m, k]), B: rt.tensor(b, transB ? [n, k] : [k, n]) }, { Y: rt.tensor(y, [m, n]) });
        session.dispose();
        assertClose(y, expected, `transA ${transA} transB ${transB}`);
      }
    }
  });
});

describe('dense products on onnxruntime-node', () => {
  it('match plain loops for every transpose, with and without accumulation, on private and shared memory', async () => {
    const products = await startOnnxProducts(runtime(), 2);
    try {
      assert.equal(products.name, 'onnxruntime');
      assert.equal(products.threads, 2);
      const [m, k, n] = [37, 19, 23]; // no dimension a multiple of a SIMD width
      for (const shared of [false, true]) {
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            for (const accumulate of [false, true]) {
              const o = { transposeA, transposeB, accumulate };
              const a = random(m * k + 5, 3, shared); // longer than the product reads
              const b = random(k * n, 4, shared);
              const start = random(m * n, 5, shared);
              const expected = start.slice();
              typescriptProducts.matmul(a, b, m, k, n, o, expected);
              products.matmul(a, b, m, k, n, o, start);
              assertClose(start, expected, JSON.stringify({ shared, ...o }));
            }
          }
        }
      }
    } finally {
      products.dispose();
    }
  });

  it('empty products: no rows leaves out alone, no inner dimension gives zeros', async () => {
    const products = await startOnnxProducts(runtime(), 1);
    try {
      const out = Float32Array.from([7, 7, 7, 7]);
      products.matmul(new Float32Array(0), new Float32Array(8), 0, 2, 4, {}, out);
      assert.deepEqual([...out], [7, 7, 7, 7]);
      products.matmul(new Float32Array(0), new Float32Array(0), 2, 0, 2, {}, out);
      assert.deepEqual([...out], [0, 0, 0, 0]);
    } finally {
      products.dispose();
    }
  });

  it('give bit-identical results on 1, 2 and 3 threads (MLAS splits rows and columns, never the inner sum)', async () => {
    const [m, k, n] = [301, 257, 129];
    const a = random(m * k, 6);
    const b = random(k * n, 7);
    const results: Float32Array[] = [];
    for (const threads of [1, 2, 3]) {
      const p = await startOnnxProducts(runtime(), threads);
      for (const o of [{}, { transposeA: true }, { transposeB: true }]) {
        const out = new Float32Array(m * n);
        p.matmul(a, b, m, k, n, o, out); // a transposed is (K, M): the same floats
        results.push(out);
      }
      p.dispose();
    }
    for (let i = 3; i < results.length; i++) assert.deepEqual(results[i], results[i % 3], `threads ${1 + Math.floor(i / 3)}, case ${i % 3}`);
  });

  it('creates its four sessions once, when it starts, whatever it multiplies afterwards', async () => {
    const real = runtime();
    let created = 0;
    const counting: OrtRuntime = { ...real, createSession: (model, threads) => (created++, real.createSession(model, threads)) };
    const p = await startOnnxProducts(counting, 1);
    try {
      assert.equal(created, 4);
      for (let i = 0; i < 3; i++) for (const o of [{}, { transposeA: true }, { transposeB: true }, { transposeA: true, transposeB: true }]) p.matmul(random(16, i), random(16, i + 1), 4, 4, 4, o, new Float32Array(16));
      assert.equal(created, 4);
    } finally {
      p.dispose();
    }
  });

  it('machineGemmGflops measures a square product on the threads asked', async () => {
    const g = await machineGemmGflops(runtime(), { threads: 1, sizes: [256], reps: 1 });
    assert.equal(g.size, 256);
    assert.equal(g.threads, 1);
    assert.ok(g.gflops > 0.1, `${g.gflops} GFLOP/s`);
  });
});

describe('onnxruntime-node binaries', () => {
  it('names a platform it ships no binary for (Intel macOS), and finds this one’s', () => {
    const dir = path.join(repoRoot, 'node_modules', 'onnxruntime-node');
    assert.match(missingBinary(dir, 'darwin', 'x64') ?? '', /^onnxruntime-node has no binary for darwin-x64 \(it ships CPU binaries for Linux x64\/arm64, Windows x64\/arm64 and macOS arm64\)$/);
    assert.equal(missingBinary(dir), null, `${process.platform}-${process.arch} has a binary`);
  });
});
