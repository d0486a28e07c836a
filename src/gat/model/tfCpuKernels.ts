/**
 * Kernels of TensorFlow.js's JavaScript CPU back end, replaced with one pass over their data, for
 * the generic engine there. The back end's UnsortedSegmentSum loops over the segments and masks the
 * whole input for each one (N·E·F work: minutes per epoch on Cora); its GatherV2, and its Multiply
 * and Add when one side is broadcast, convert every element's index to coordinates and back. The
 * engine's aggregation, its sparse product, the per-edge products and their gradients go through
 * them. Cases other than the engine's (one id per row, float32 or int32, no batch dimensions,
 * indices in range; float32 products) keep the original kernel.
 */
import * as tf from '@tensorflow/tfjs-core';

interface CpuBackendData {
  readonly data: { get(id: unknown): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array | Int32Array): tf.TensorInfo;
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
const arrayFor = (dtype: tf.DataType, size: number): Float32Array | Int32Array => (dtype === 'int32' ? new Int32Array(size) : new Float32Array(size));

/** out[s] = Σ_{r: ids[r] = s} x[r]; ids out of [0, numSegments) are dropped, as TensorFlow does. */
const segmentSum: tf.KernelFunc = (args) => {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  const backend = args.backend as unknown as CpuBackendData;
  const values = backend.data.get(x.dataId).values;
  const ids = backend.data.get(segmentIds.dataId).values;
  const width = product(x.shape.slice(1));
  const out = arrayFor(x.dtype, numSegments * width);
  for (let r = 0; r < segmentIds.shape[0]; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    for (let k = 0, from = r * width, to = s * width; k < width; k++) out[to + k] += values[from + k];
  }
  return backend.makeTensorInfo([numSegments, ...x.shape.slice(1)], x.dtype, out);
};

/** out[o, i, :] = x[o, indices[i], :] along `axis`. */
const gather = (original: tf.KernelFunc): tf.KernelFunc => (args) => {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis: rawAxis, batchDims } = args.attrs as { axis: number; batchDims: number };
  const axis = rawAxis < 0 ? rawAxis + x.shape.length : rawAxis;
  const backend = args.backend as unknown as CpuBackendData;
  const idx = backend.data.get(indices.dataId).values;
  const rows = x.shape[axis];
  let inRange = true;
  for (let i = 0; i < idx.length && inRange; i++) inRange = idx[i] >= 0 && idx[i] < rows;
  if (batchDims !== 0 || indices.shape.length !== 1 || !inRange) return original(args);
  const values = backend.data.get(x.dataId).values as Float32Array | Int32Array;
  const outer = product(x.shape.slice(0, axis));
  const inner = product(x.shape.slice(axis + 1));
  const n = idx.length;
  const out = arrayFor(x.dtype, outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const from = (o * rows + idx[i]) * inner;
      const to = (o * n + i) * inner;
      if (inner > 16) out.set(values.subarray(from, from + inner), to); // a row: one block copy
      else for (let k = 0; k < inner; k++) out[to + k] = values[from + k];
    }
  }
  return backend.makeTensorInfo([...x.shape.slice(0, axis), n, ...x.shape.slice(axis + 1)], x.dtype, out);
};

/**
 * a ∘ b for float32 inputs of any broadcastable shapes: an odometer over the output whose input
 * offsets move by each input's stride (0 along its broadcast dimensions).
 */
const broadcastBinary = (op: 'mul' | 'add', original: tf.KernelFunc): tf.KernelFunc => (args) => {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const rank = shape.length;
  const stridesOf = (s: readonly number[]): number[] => {
    const padded = [...new Array<number>(rank - s.length).fill(1), ...s];
    const out = new Array<number>(rank).fill(0);
    for (let d = rank - 1, acc = 1; d >= 0; d--) {
      out[d] = padded[d] === 1 && shape[d] !== 1 ? 0 : acc;
      acc *= padded[d];
    }
    return out;
  };
  const sa = stridesOf(a.shape);
  const sb = stridesOf(b.shape);
  const backend = args.backend as unknown as CpuBackendData;
  const av = backend.data.get(a.dataId).values;
  const bv = backend.data.get(b.dataId).values;
  const out = new Float32Array(product(shape));
  if (rank === 0) {
    out[0] = op === 'mul' ? av[0] * bv[0] : av[0] + bv[0];
    return backend.makeTensorInfo(shape, 'float32', out);
  }
  const last = rank - 1;
  const inner = shape[last];
  const ia = sa[last];
  const ib = sb[last];
  const loc = new Array<number>(rank).fill(0);
  let oa = 0;
  let ob = 0;
  for (let o = 0; o < out.length; o += inner) {
    // One loop per op, so each stays monomorphic (a shared `op` callback was most of the time).
    if (op === 'mul') for (let k = 0; k < inner; k++) out[o + k] = av[oa + k * ia] * bv[ob + k * ib];
    else for (let k = 0; k < inner; k++) out[o + k] = av[oa + k * ia] + bv[ob + k * ib];
    // Advance the odometer over the outer dimensions.
    for (let d = last - 1; d >= 0; d--) {
      loc[d]++;
      oa += sa[d];
      ob += sb[d];
      if (loc[d] < shape[d]) break;
      oa -= sa[d] * shape[d];
      ob -= sb[d] * shape[d];
      loc[d] = 0;
    }
  }
  return backend.makeTensorInfo(shape, 'float32', out);
};

let registered = false;

/** Registers both for the 'cpu' back end once it is loaded (any back end may be active; others keep theirs). */
export function ensureFastCpuKernels(): void {
  if (registered) return;
  const originalSum = tf.getKernel('UnsortedSegmentSum', 'cpu');
  const originalGather = tf.getKernel('GatherV2', 'cpu');
  if (!originalSum || !originalGather) return; // the cpu back end is not loaded (yet) in this process
  registered = true;
  const sum = originalSum.kernelFunc;
  tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      return segmentIds.shape.length === 1 && (x.dtype === 'float32' || x.dtype === 'int32') ? segmentSum(args) : sum(args);
    },
  });
  for (const [name, op] of [['Multiply', 'mul'], ['Add', 'add']] as const) {
    const original = tf.getKernel(name, 'cpu');
    if (!original) continue;
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: broadcastBinary(op, original.kernelFunc) });
  }
  tf.unregisterKernel('GatherV2', 'cpu');
  tf.registerKernel({
    kernelName: 'GatherV2',
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      return x.dtype === 'float32' || x.dtype === 'int32' ? gather(originalGather.kernelFunc)(args) : originalGather.kernelFunc(args);
    },
  });
}
