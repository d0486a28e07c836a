/**
 * The generic engine's one-pass kernels for TensorFlow.js's CPU back end (model/tfCpuKernels.ts)
 * against plain loops written from each op's definition, on the shapes the engine uses and a few it
 * does not (they must still be right: every tfjs op on the cpu back end goes through them).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/gat/backend/backends';
import { ensureFastCpuKernels } from '../../src/gat/model/tfCpuKernels';

const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + 1.37 * i));
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Element of a row-major array of `shape` at `loc`, reading broadcast dimensions (size 1) at 0. */
function at(data: ArrayLike<number>, shape: readonly number[], loc: readonly number[]): number {
  const off = loc.length - shape.length;
  let index = 0;
  for (let d = 0; d < shape.length; d++) index = index * shape[d] + (shape[d] === 1 ? 0 : loc[d + off]);
  return data[index];
}

function locOf(i: number, shape: readonly number[]): number[] {
  const loc = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    loc[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return loc;
}

describe('one-pass CPU kernels for the generic engine', () => {
  before(async () => {
    await selectBackend('cpu');
    ensureFastCpuKernels();
  });

  const PAIRS: Array<[number[], number[]]> = [
    [[5, 4], [5, 1]], // the sparse product's values per non-zero
    [[6, 3, 4], [6, 3, 1]], // messages × attention
    [[6, 3, 4], [3, 4]], // per-pair LeakyReLU × att
    [[7, 5], [5]], // + bias
    [[1, 4], [3, 1]], // both sides broadcast
    [[2, 1, 3], [1, 4, 1]],
    [[3, 4], [3, 4]], // no broadcast
    [[], [2, 2]], // a scalar
  ];
  for (const [sa, sb] of PAIRS) {
    it(`multiply and add broadcast [${sa.join(', ')}] with [${sb.join(', ')}] as the definition`, () => {
      const a = values(size(sa), 1);
      const b = values(size(sb), 2);
      const shape = tf.backend_util.assertAndGetBroadcastShape(sa, sb);
      for (const [op, f] of [[tf.mul, (x: number, y: number) => x * y], [tf.add, (x: number, y: number) => x + y]] as const) {
        const got = op(tf.tensor(a, sa), tf.tensor(b, sb));
        assert.deepEqual(got.shape, shape);
        const data = got.dataSync();
        for (let i = 0; i < size(shape); i++) {
          const loc = locOf(i, shape);
          assert.equal(data[i], Math.fround(f(at(a, sa, loc), at(b, sb, loc))), `element ${i}`);
        }
      }
    });
  }

  it('gather takes the rows (or columns) asked for, repeats included', () => {
    const x = values(4 * 3 * 2, 3);
    const idx = [2, 0, 2, 3];
    const rows = tf.gather(tf.tensor(x, [4, 3, 2]), tf.tensor1d(idx, 'int32')).dataSync();
    idx.forEach((r, i) => {
      for (let k = 0; k < 6; k++) assert.equal(rows[i * 6 + k], x[r * 6 + k]);
    });
    const cols = tf.gather(tf.tensor(x, [4, 6]), tf.tensor1d([5, 1], 'int32'), 1).dataSync();
    for (let r = 0; r < 4; r++) [5, 1].forEach((c, i) => assert.equal(cols[r * 2 + i], x[r * 6 + c]));
    assert.throws(() => tf.gather(tf.tensor(x, [4, 6]), tf.tensor1d([4], 'int32')).dataSync(), /./, 'an index out of range is still refused');
  });

  it('unsortedSegmentSum adds each row into its segment and drops ids out of range', () => {
    const x = values(5 * 3, 4);
    const ids = [2, 0, 2, -1, 7];
    const got = tf.unsortedSegmentSum(tf.tensor(x, [5, 3]), tf.tensor1d(ids, 'int32'), 4);
    assert.deepEqual(got.shape, [4, 3]);
    const expected = new Float32Array(12);
    ids.forEach((s, r) => {
      if (s >= 0 && s < 4) for (let k = 0; k < 3; k++) expected[s * 3 + k] += x[r * 3 + k];
    });
    assert.deepEqual(got.dataSync(), expected);
    const ints = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2);
    assert.equal(ints.dtype, 'int32');
    assert.deepEqual(Array.from(ints.dataSync()), [3, 3]);
  });
});
