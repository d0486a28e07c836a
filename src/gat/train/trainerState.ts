/**
 * A session's state as checkpoints hold it, whatever engine trained it: parameters, Adam's moments
 * and step, the RNG state and the best parameters so far, as named tensors in the flat parameter
 * layout. The CPU and WebGPU sessions read and write it alike, so a checkpoint of one resumes on the other.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import { fromNamedTensors, parameterCount, toNamedTensors, type LayerShape } from '../model/parameters';

/** The optimizer's tensors of a checkpoint: Adam's moments, and the RNG state. */
export function optimizerTensors(shapes: readonly LayerShape[], m: Float32Array, v: Float32Array, seed: number, step: number): NamedTensor[] {
  return [
    ...toNamedTensors(shapes, m, 'adam.m.'),
    ...toNamedTensors(shapes, v, 'adam.v.'),
    // The dropout masks are a hash of (seed, step): that pair is the whole RNG state.
    { name: 'rng.state', shape: [2], data: Int32Array.of(seed, step) },
  ];
}

/** Parameters (and optimizer state) from named tensors, checked against the model's shapes. */
export function readState(
  shapes: readonly LayerShape[],
  params: NamedTensor[],
  optimizer?: { step: number; tensors: NamedTensor[] },
): { params: Float32Array; optimizer?: { m: Float32Array; v: Float32Array; step: number; seed?: number } } {
  const flat = new Float32Array(parameterCount(shapes));
  fromNamedTensors(shapes, params, flat);
  if (!optimizer) return { params: flat };
  if (!Number.isInteger(optimizer.step) || optimizer.step < 0) throw new RangeError(`optimizer step must be a non-negative integer; got ${optimizer.step}`);
  const m = new Float32Array(flat.length);
  const v = new Float32Array(flat.length);
  fromNamedTensors(shapes, optimizer.tensors, m, 'adam.m.');
  fromNamedTensors(shapes, optimizer.tensors, v, 'adam.v.');
  const rng = optimizer.tensors.find((t) => t.name === 'rng.state');
  if (rng && (!(rng.data instanceof Int32Array) || rng.data.length !== 2)) throw new RangeError(`'rng.state' must be an int32 tensor of 2 values (seed, step)`);
  return { params: flat, optimizer: { m, v, step: optimizer.step, seed: rng ? rng.data[0] : undefined } };
}

/** The `best.` parameters of a checkpoint, or null when it has none. */
export function readBest(shapes: readonly LayerShape[], tensors: readonly NamedTensor[], floats: number): Float32Array | null {
  if (!tensors.some((t) => t.name.startsWith('best.'))) return null;
  const best = new Float32Array(floats);
  fromNamedTensors(shapes, tensors, best, 'best.');
  return best;
}
