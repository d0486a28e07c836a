/**
 * Gradients for the TensorFlow.js kernels the generic engine differentiates through. tfjs-core's
 * Node bundle ships without gradients (@tensorflow/tfjs registers them, and its ESM copy cannot
 * be loaded from CommonJS), so we register ours for any kernel that has none yet.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Sums `dy` down to `shape` (the reverse of broadcasting). */
function unbroadcast(dy: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < dy.rank; d++) if (d < lead || shape[d - lead] === 1) axes.push(d);
  const summed = axes.length ? tf.sum(dy, axes) : dy;
  return tf.reshape(summed, shape as number[]);
}

/** dy of a reduction, broadcast back over the reduced axes of an input of `shape`. */
function unreduce(dy: tf.Tensor, shape: readonly number[], axis: number | number[]): tf.Tensor {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a));
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return tf.mul(tf.reshape(dy, kept), tf.ones(shape as number[]));
}

const allAxes = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);
const axisOr = (axis: unknown, rank: number): number | number[] => (axis === undefined || axis === null ? allAxes(rank) : (axis as number | number[]));

const CONFIGS: tf.GradConfig[] = [
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  { kernelName: 'Exp', outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as tf.Tensor, y) }) },
  {
    kernelName: 'Add', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy as tf.Tensor, a.shape), b: () => unbroadcast(dy as tf.Tensor, b.shape) }),
  },
  {
    kernelName: 'Sub', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy as tf.Tensor, a.shape), b: () => unbroadcast(tf.neg(dy as tf.Tensor), b.shape) }),
  },
  {
    kernelName: 'Multiply', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(tf.mul(dy as tf.Tensor, b), a.shape), b: () => unbroadcast(tf.mul(dy as tf.Tensor, a), b.shape) }),
  },
  {
    kernelName: 'RealDiv', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.div(dy as tf.Tensor, b), a.shape),
      b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy as tf.Tensor, a), tf.square(b))), b.shape),
    }),
  },
  {
    kernelName: 'LeakyRelu', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({ x: () => tf.mul(dy as tf.Tensor, tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, attrs.alpha as number))) }),
  },
  {
    kernelName: 'Elu', outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.minimum(tf.add(y, 1), 1)) }), // ELU' = y + 1 below 0, 1 above
  },
  // For the multi-label loss (binary cross-entropy written as relu(x) − x·y + log1p(e^−|x|)).
  { kernelName: 'Relu', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(x)) }) },
  { kernelName: 'Abs', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sign(x)) }) },
  { kernelName: 'Log1p', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy as tf.Tensor, tf.add(x, 1)) }) },
  { kernelName: 'Reshape', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as tf.Tensor, x.shape) }) },
  { kernelName: 'ExpandDims', inputsToSave: ['input'], gradFunc: (dy, [x]) => ({ input: () => tf.reshape(dy as tf.Tensor, x.shape) }) },
  { kernelName: 'Sum', inputsToSave: ['x'], gradFunc: (dy, [x], attrs) => ({ x: () => unreduce(dy as tf.Tensor, x.shape, axisOr(attrs.axis, x.rank)) }) },
  {
    kernelName: 'Mean', inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const axes = axisOr(attrs.axis, x.rank);
      const count = (Array.isArray(axes) ? axes : [axes]).reduce((n, a) => n * x.shape[a < 0 ? a + x.rank : a], 1);
      return { x: () => tf.div(unreduce(dy as tf.Tensor, x.shape, axes), count) };
    },
  },
  {
    kernelName: 'Max', inputsToSave: ['x'], outputsToSave: [true],
    gradFunc: (dy, [x, y], attrs) => {
      const axes = axisOr(attrs.reductionIndices, x.rank);
      const hit = tf.cast(tf.equal(x, unreduce(y, x.shape, axes)), 'float32');
      return { x: () => tf.mul(unreduce(dy as tf.Tensor, x.shape, axes), hit) };
    },
  },
  {
    kernelName: 'LogSoftmax', outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => ({
      logits: () => tf.sub(dy as tf.Tensor, tf.mul(tf.exp(y), tf.sum(dy as tf.Tensor, attrs.axis as number, true))),
    }),
  },
  {
    kernelName: 'BatchMatMul', inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      if (attrs.transposeA || attrs.transposeB) throw new Error('BatchMatMul gradient: transposed operands are not used by the GAT engine');
      return { a: () => tf.matMul(dy as tf.Tensor2D, b as tf.Tensor2D, false, true), b: () => tf.matMul(a as tf.Tensor2D, dy as tf.Tensor2D, true, false) };
    },
  },
  {
    kernelName: 'GatherV2', inputsToSave: ['x', 'indices'],
    gradFunc: (dy, [x, indices], attrs) => {
      if ((attrs.axis as number) !== 0) throw new Error('GatherV2 gradient: only axis 0 is used by the GAT engine');
      return { x: () => tf.unsortedSegmentSum(dy as tf.Tensor, indices as tf.Tensor1D, x.shape[0]), indices: () => tf.zerosLike(indices) };
    },
  },
  {
    kernelName: 'UnsortedSegmentSum', inputsToSave: ['segmentIds'],
    gradFunc: (dy, [ids]) => ({ x: () => tf.gather(dy as tf.Tensor, ids as tf.Tensor1D, 0), segmentIds: () => tf.zerosLike(ids) }),
  },
];

let registered = false;

export function ensureGradients(): void {
  if (registered) return;
  for (const c of CONFIGS) if (!tf.getGradient(c.kernelName)) tf.registerGradient(c);
  registered = true;
}
