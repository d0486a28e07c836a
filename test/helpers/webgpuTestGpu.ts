/**
 * The WebGPU device the GPU tests run on: SwiftShader (Vulkan on the CPU) unless the environment
 * names another Vulkan driver. The adapter is printed once, so a run on the wrong driver shows.
 * Also a bench for running one kernel on uploaded arrays and reading its outputs back.
 */
import { bindKernel, compileKernel, UniformArena, type KernelDef } from '../../src/gat/gpu/gpuKernel';
import { BufferUsage, type GpuBuffer } from '../../src/gat/gpu/gpuTypes';
import { requestGpuDevice, type WebGpuDevice } from '../../src/gat/gpu/webgpuDevice';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
// Read by the Vulkan loader when Dawn creates its instance, i.e. at the first requestGpuDevice.
process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;

let shared: Promise<WebGpuDevice> | undefined;

/** One device per test process, its adapter printed as a test-log line. */
export function testGpu(): Promise<WebGpuDevice> {
  shared ??= requestGpuDevice().then((gpu) => {
    const a = gpu.adapter;
    console.log(`WebGPU adapter: vendor ${a.vendor}, architecture ${a.architecture}, ${a.description} (${gpu.isSoftware ? 'software' : 'hardware'}; VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES})`);
    return gpu;
  });
  return shared;
}

type Data = Float32Array | Int32Array | Uint32Array | Uint8Array;

/** Runs single kernels on arrays: upload inputs, dispatch, read outputs back. */
export class KernelBench {
  private readonly arena: UniformArena;
  private readonly buffers: GpuBuffer[] = [];

  constructor(readonly gpu: WebGpuDevice) {
    this.arena = new UniformArena(gpu);
  }

  /** A storage buffer holding `data` (padded to 4 bytes). */
  async upload(data: Data, label = 'input'): Promise<GpuBuffer> {
    const buffer = await this.gpu.createBuffer(label, data.byteLength, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST);
    const bytes = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.gpu.device.queue.writeBuffer(buffer, 0, bytes);
    this.buffers.push(buffer);
    return buffer;
  }

  /** A zero-filled storage buffer of `floats` floats. */
  zeros(floats: number, label = 'output'): Promise<GpuBuffer> {
    return this.upload(new Float32Array(Math.max(floats, 1)), label);
  }

  /** Compiles, binds and dispatches `def` once, waiting for the queue to finish. */
  async run<B extends string, P>(def: KernelDef<B, P>, buffers: Readonly<Record<B, GpuBuffer>>, params: P): Promise<void> {
    const kernel = await compileKernel(this.gpu, def);
    const op = bindKernel(this.gpu, kernel, this.arena, buffers);
    const encoder = this.gpu.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    op.encode(pass, params);
    pass.end();
    this.arena.flush();
    this.gpu.device.queue.submit([encoder.finish()]);
    await this.gpu.device.queue.onSubmittedWorkDone();
    this.gpu.check();
  }

  async readF32(buffer: GpuBuffer, length: number): Promise<Float32Array> {
    return new Float32Array(await this.gpu.read(buffer, 0, length * 4));
  }

  async readU32(buffer: GpuBuffer, length: number): Promise<Uint32Array> {
    return new Uint32Array(await this.gpu.read(buffer, 0, length * 4));
  }

  dispose(): void {
    for (const b of this.buffers) b.destroy();
    this.arena.destroy();
  }
}
