/**
 * The small framework every WGSL kernel here goes through: a kernel is WGSL plus the names and
 * access of its storage buffers, how its parameters pack into a uniform, and its grid. Compiling
 * gives a pipeline (cached per device); binding it to buffers gives an op that a compute pass
 * encodes with per-call parameters.
 *
 * Binding 0 of every kernel is its parameter uniform (u32 words; floats as bit patterns), bindings
 * 1.. are its buffers in the order listed. Parameters of all ops live in one uniform arena that is
 * written with one writeBuffer per submission, so a training step costs one upload for its scalars.
 */
import type { GpuBindGroup, GpuBuffer, GpuBufferBinding, GpuBindGroupLayout, GpuComputePass, GpuComputePipeline } from './gpuTypes';
import { WebGpuError } from './gpuErrors';
import { BufferUsage, ShaderStage } from './gpuTypes';
import type { WebGpuDevice } from './webgpuDevice';

/** Storage access: read-only, or read_write. */
export type Access = 'read' | 'write';

/** Workgroups to dispatch in x, y, z. */
export type Grid = readonly [number, number, number];

export interface KernelDef<B extends string, P> {
  readonly label: string;
  readonly code: string;
  readonly entryPoint?: string;
  /** Values of WGSL `override` constants (pipelines are cached per distinct set). */
  readonly constants?: Readonly<Record<string, number>>;
  readonly buffers: readonly (readonly [B, Access])[];
  /** The parameter uniform's u32 words (at most 64), in the order of the WGSL struct. */
  readonly params: (p: P) => readonly number[];
  readonly grid: (p: P) => Grid;
}

export interface Kernel<B extends string, P> {
  readonly def: KernelDef<B, P>;
  readonly pipeline: GpuComputePipeline;
  readonly layout: GpuBindGroupLayout;
}

/** Threads per workgroup of the one-dimensional kernels: a multiple of every GPU's SIMD width. */
export const WG = 256;

const MAX_GROUPS = 65535; // WebGPU's guaranteed maxComputeWorkgroupsPerDimension

/**
 * Workgroups for `threads` one-dimensional invocations of `wg` threads: x up to 65,535, then y
 * (WGSL's flat index is (wid.y · nwg.x + wid.x) · WG + lid; kernels check it against their count).
 */
export function grid1d(threads: number, wg = WG): Grid {
  const groups = Math.ceil(threads / wg);
  if (groups <= MAX_GROUPS) return [groups, 1, 1];
  const y = Math.ceil(groups / MAX_GROUPS);
  return [Math.ceil(groups / y), y, 1];
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The bit pattern of a float32, for a parameter word. */
export function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** Compiles a kernel (asynchronously, so shader errors come back as a rejected promise), once per device. */
export async function compileKernel<B extends string, P>(gpu: WebGpuDevice, def: KernelDef<B, P>): Promise<Kernel<B, P>> {
  const key = `${def.label}\n${def.entryPoint ?? 'main'}\n${JSON.stringify(def.constants ?? {})}\n${def.code}`;
  let compiled = gpu.pipelines.get(key) as Promise<{ pipeline: GpuComputePipeline; layout: GpuBindGroupLayout }> | undefined;
  if (!compiled) {
    compiled = (async () => {
      const device = gpu.device;
      const layout = device.createBindGroupLayout({
        label: def.label,
        entries: [
          { binding: 0, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform' } },
          ...def.buffers.map(([, access], i) => ({ binding: i + 1, visibility: ShaderStage.COMPUTE, buffer: { type: access === 'read' ? ('read-only-storage' as const) : ('storage' as const) } })),
        ],
      });
      // A WGSL error surfaces here, with its line; the pipeline would only say the module is invalid.
      device.pushErrorScope('validation');
      const module = device.createShaderModule({ label: def.label, code: def.code });
      const error = await device.popErrorScope();
      if (error) throw new WebGpuError(`kernel '${def.label}' does not compile: ${error.message}`);
      const pipeline = await device.createComputePipelineAsync({
        label: def.label,
        layout: device.createPipelineLayout({ label: def.label, bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: def.entryPoint ?? 'main', ...(def.constants ? { constants: { ...def.constants } } : {}) },
      });
      return { pipeline, layout };
    })();
    gpu.pipelines.set(key, compiled);
    compiled.catch(() => gpu.pipelines.delete(key));
  }
  const { pipeline, layout } = await compiled;
  return { def, pipeline, layout };
}

/** A buffer, or a range of one (offsets must be multiples of 256 bytes). */
export type GpuSlice = GpuBuffer | GpuBufferBinding;

function binding(s: GpuSlice): GpuBufferBinding {
  return 'buffer' in s ? s : { buffer: s };
}

const SLOT_BYTES = 256; // minUniformBufferOffsetAlignment's largest allowed value
const SLOT_WORDS = SLOT_BYTES / 4;
const SLOTS_PER_BLOCK = 256;

interface ArenaBlock {
  readonly buffer: GpuBuffer;
  readonly words: Uint32Array;
  dirtyEnd: number; // slots [0, dirtyEnd) changed since the last flush
}

/** Parameter slots of many ops in a few uniform buffers, uploaded together before a submission. */
export class UniformArena {
  private readonly blocks: ArenaBlock[] = [];
  private used = 0;

  constructor(private readonly gpu: WebGpuDevice) {}

  /** A fresh slot: its binding and a writer for its words. */
  slot(): { binding: GpuBufferBinding; write: (words: readonly number[]) => void } {
    const b = Math.floor(this.used / SLOTS_PER_BLOCK);
    const s = this.used++ % SLOTS_PER_BLOCK;
    if (b === this.blocks.length) {
      const size = SLOT_BYTES * SLOTS_PER_BLOCK;
      const buffer = this.gpu.device.createBuffer({ label: `params#${b}`, size, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
      this.blocks.push({ buffer, words: new Uint32Array(size / 4), dirtyEnd: 0 });
    }
    const block = this.blocks[b];
    return {
      binding: { buffer: block.buffer, offset: s * SLOT_BYTES, size: SLOT_BYTES },
      write: (words) => {
        if (words.length > SLOT_WORDS) throw new RangeError(`a kernel has ${words.length} parameter words; a slot holds ${SLOT_WORDS}`);
        block.words.set(words, s * SLOT_WORDS);
        block.dirtyEnd = Math.max(block.dirtyEnd, s + 1);
      },
    };
  }

  /** Uploads the slots written since the last flush (call before submitting what uses them). */
  flush(): void {
    for (const block of this.blocks) {
      if (block.dirtyEnd === 0) continue;
      this.gpu.device.queue.writeBuffer(block.buffer, 0, block.words, 0, block.dirtyEnd * SLOT_WORDS);
      block.dirtyEnd = 0;
    }
  }

  destroy(): void {
    for (const block of this.blocks) block.buffer.destroy();
    this.blocks.length = 0;
  }
}

/**
 * A kernel bound to its buffers and a parameter slot: encode it into a pass with this call's
 * parameters. The slot is uploaded once per submission, so an op is encoded at most once per
 * submission (bind another op for a second use with other parameters).
 */
export class GpuOp<P> {
  constructor(
    private readonly kernel: Kernel<string, P>,
    private readonly group: GpuBindGroup,
    private readonly writeParams: (words: readonly number[]) => void,
  ) {}

  get label(): string {
    return this.kernel.def.label;
  }

  /** Writes the parameters into the arena (uploaded at its next flush) and records the dispatch. */
  encode(pass: GpuComputePass, p: P): void {
    const [x, y, z] = this.kernel.def.grid(p);
    if (x === 0 || y === 0 || z === 0) return;
    this.writeParams(this.kernel.def.params(p));
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(x, y, z);
  }
}

/** Binds a compiled kernel to its buffers (by name) and a fresh parameter slot. */
export function bindKernel<B extends string, P>(gpu: WebGpuDevice, kernel: Kernel<B, P>, arena: UniformArena, buffers: Readonly<Record<B, GpuSlice>>): GpuOp<P> {
  const slot = arena.slot();
  const group = gpu.device.createBindGroup({
    label: kernel.def.label,
    layout: kernel.layout,
    entries: [{ binding: 0, resource: slot.binding }, ...kernel.def.buffers.map(([name], i) => ({ binding: i + 1, resource: binding(buffers[name]) }))],
  });
  return new GpuOp(kernel as unknown as Kernel<string, P>, group, slot.write);
}
