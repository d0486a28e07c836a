/**
 * The part of the WebGPU API this back end uses, declared here instead of taken from
 * `@webgpu/types`: the `webgpu` package is an optional dependency, and the training core compiles
 * without DOM typings, so the back end must type-check whether or not it is installed.
 * Names follow the spec (GPUDevice → GpuDevice); the flag constants are the spec's values.
 */

export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001, WRITE: 0x0002 } as const;

export const ShaderStage = { COMPUTE: 0x4 } as const;

export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly minStorageBufferOffsetAlignment: number;
  readonly minUniformBufferOffsetAlignment: number;
}

export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** Newer spec: on the info; older implementations put it on the adapter. */
  readonly isFallbackAdapter?: boolean;
}

export interface GpuError {
  readonly message: string;
  readonly constructor: { readonly name: string };
}

export interface GpuDeviceLostInfo {
  readonly reason: 'unknown' | 'destroyed' | string;
  readonly message: string;
}

export interface GpuBuffer {
  readonly size: number;
  readonly label: string;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

export type GpuBindGroupLayout = { readonly __brand?: 'GPUBindGroupLayout' };
export type GpuBindGroup = { readonly __brand?: 'GPUBindGroup' };
export type GpuCommandBuffer = { readonly __brand?: 'GPUCommandBuffer' };

export interface GpuComputePipeline {
  getBindGroupLayout(index: number): GpuBindGroupLayout;
}

export interface GpuComputePass {
  setPipeline(pipeline: GpuComputePipeline): void;
  setBindGroup(index: number, group: GpuBindGroup): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}

export interface GpuCommandEncoder {
  beginComputePass(descriptor?: { label?: string }): GpuComputePass;
  copyBufferToBuffer(source: GpuBuffer, sourceOffset: number, destination: GpuBuffer, destinationOffset: number, size: number): void;
  clearBuffer(buffer: GpuBuffer, offset?: number, size?: number): void;
  finish(): GpuCommandBuffer;
}

export interface GpuQueue {
  submit(buffers: GpuCommandBuffer[]): void;
  writeBuffer(buffer: GpuBuffer, bufferOffset: number, data: ArrayBufferView | ArrayBuffer, dataOffset?: number, size?: number): void;
  onSubmittedWorkDone(): Promise<void>;
}

export interface GpuBufferBinding {
  readonly buffer: GpuBuffer;
  readonly offset?: number;
  readonly size?: number;
}

export interface GpuBindGroupLayoutEntry {
  readonly binding: number;
  readonly visibility: number;
  readonly buffer: { readonly type: 'uniform' | 'storage' | 'read-only-storage' };
}

export interface GpuDevice {
  readonly limits: GpuLimits;
  readonly queue: GpuQueue;
  readonly lost: Promise<GpuDeviceLostInfo>;
  onuncapturederror: ((event: { readonly error: GpuError }) => void) | null;
  createBuffer(descriptor: { label?: string; size: number; usage: number; mappedAtCreation?: boolean }): GpuBuffer;
  createShaderModule(descriptor: { label?: string; code: string }): object;
  createComputePipelineAsync(descriptor: {
    label?: string;
    layout: object | 'auto';
    compute: { module: object; entryPoint?: string; constants?: Record<string, number> };
  }): Promise<GpuComputePipeline>;
  createBindGroupLayout(descriptor: { label?: string; entries: GpuBindGroupLayoutEntry[] }): GpuBindGroupLayout;
  createPipelineLayout(descriptor: { label?: string; bindGroupLayouts: GpuBindGroupLayout[] }): object;
  createBindGroup(descriptor: { label?: string; layout: GpuBindGroupLayout; entries: { binding: number; resource: GpuBufferBinding }[] }): GpuBindGroup;
  createCommandEncoder(descriptor?: { label?: string }): GpuCommandEncoder;
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<GpuError | null>;
  destroy(): void;
}

export interface GpuAdapter {
  readonly info: GpuAdapterInfo;
  readonly limits: GpuLimits;
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor?: { label?: string; requiredLimits?: Record<string, number>; requiredFeatures?: string[] }): Promise<GpuDevice>;
}

export interface Gpu {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance'; forceFallbackAdapter?: boolean }): Promise<GpuAdapter | null>;
}

/** The `webgpu` package's exports (Dawn's Node bindings). */
export interface WebGpuModule {
  create(options: string[]): Gpu;
  readonly globals: object;
}
