/**
 * The parameters' layout in GPU memory: parameters.ts's flat order (per layer Wᵀ, a_src, a_trg,
 * bias, skip Wᵀ), with each tensor block starting on a 256-byte boundary so a kernel can bind it as
 * a storage range (binding offsets must be multiples of minStorageBufferOffsetAlignment, at most
 * 256). a_src and a_trg stay one block, [a_src; a_trg], as they are adjacent in the flat order.
 * The gradient and Adam's moments share the layout; the padding stays zero under Adam.
 */
import type { LayerShape } from '../model/parameters';

const ALIGN = 64; // floats: 256 bytes

/** A tensor's place: `flat` in the flat parameter array, `gpu` in the padded GPU buffer (floats). */
export interface Block {
  readonly flat: number;
  readonly gpu: number;
  readonly length: number;
}

export interface GpuLayerLayout {
  readonly weightT: Block; // (FIN, NH·FOUT)
  readonly att: Block; // (2, NH, FOUT): a_src then a_trg
  readonly bias: Block; // (NH·FOUT) or (FOUT)
  readonly skipT: Block | null; // (FIN, NH·FOUT) when the skip is projected
}

export interface GpuParameterLayout {
  readonly layers: readonly GpuLayerLayout[];
  readonly blocks: readonly Block[];
  /** Floats of the flat array. */
  readonly flatFloats: number;
  /** Floats of the padded GPU buffer. */
  readonly gpuFloats: number;
}

export function gpuParameterLayout(shapes: readonly LayerShape[]): GpuParameterLayout {
  let flat = 0;
  let gpu = 0;
  const blocks: Block[] = [];
  const take = (length: number): Block => {
    const b = { flat, gpu, length };
    flat += length;
    gpu += Math.ceil(length / ALIGN) * ALIGN;
    blocks.push(b);
    return b;
  };
  const layers = shapes.map((s) => {
    const hf = s.heads * s.fout;
    return { weightT: take(s.fin * hf), att: take(2 * hf), bias: take(s.concat ? hf : s.fout), skipT: s.skip === 'proj' ? take(s.fin * hf) : null };
  });
  return { layers, blocks, flatFloats: flat, gpuFloats: Math.max(gpu, ALIGN) };
}

/** Flat parameters (or a gradient, or a moment) into the padded layout. */
export function toGpuLayout(layout: GpuParameterLayout, flat: Float32Array, out: Float32Array = new Float32Array(layout.gpuFloats)): Float32Array {
  if (flat.length !== layout.flatFloats) throw new RangeError(`parameter array has ${flat.length} floats; the model needs ${layout.flatFloats}`);
  for (const b of layout.blocks) out.set(flat.subarray(b.flat, b.flat + b.length), b.gpu);
  return out;
}

/** The reverse of toGpuLayout. */
export function fromGpuLayout(layout: GpuParameterLayout, padded: Float32Array, out: Float32Array = new Float32Array(layout.flatFloats)): Float32Array {
  if (out.length !== layout.flatFloats) throw new RangeError(`parameter array has ${out.length} floats; the model needs ${layout.flatFloats}`);
  for (const b of layout.blocks) out.set(padded.subarray(b.gpu, b.gpu + b.length), b.flat);
  return out;
}
