/**
 * Device acquisition for the WebGPU back end (Dawn's Node bindings, the optional `webgpu` package):
 * loading the package, picking an adapter, requesting a device with the limits the GAT needs, and
 * turning the ways this fails (no package, no driver, lost device, out of memory) into typed errors.
 * Whether there is an adapter at all is asked first in a child process (adapterProbe.ts), so that a
 * machine with no GPU driver never loads Dawn here and never shows the Vulkan loader's warnings.
 */
import { pathToFileURL } from 'node:url';
import { probeAdapter, type AdapterProbe } from './adapterProbe';
import { WebGpuAllocationError, WebGpuDeviceLostError, WebGpuError, WebGpuUnavailableError, formatBytes } from './gpuErrors';
import { BufferUsage, MapMode, type Gpu, type GpuAdapter, type GpuAdapterInfo, type GpuBuffer, type GpuDevice, type GpuLimits, type WebGpuModule } from './gpuTypes';

export type WebGpuLoad = { readonly ok: true; readonly gpu: Gpu } | { readonly ok: false; readonly reason: string };

let loading: Promise<WebGpuLoad> | undefined;
let probing: Promise<AdapterProbe> | undefined;

/**
 * The `webgpu` package's entry file, resolved with CommonJS resolution because that honours
 * NODE_PATH, through which the extension's training process finds back ends installed in its
 * global storage.
 */
function resolveWebGpu(): { readonly ok: true; readonly entry: string } | { readonly ok: false; readonly reason: string } {
  if (typeof require !== 'function') return { ok: false, reason: 'the WebGPU back end runs from the CommonJS bundles (no require() here to resolve the package)' };
  try {
    return { ok: true, entry: require.resolve('webgpu') };
  } catch {
    return { ok: false, reason: "the 'webgpu' package is not installed (npm install webgpu, or GAT: Install GPU Back End)" };
  }
}

/** Loads the `webgpu` package once per process. It is ESM-only, so it is imported by file URL. */
export function loadWebGpu(): Promise<WebGpuLoad> {
  loading ??= (async (): Promise<WebGpuLoad> => {
    const resolved = resolveWebGpu();
    if (!resolved.ok) return resolved;
    try {
      const mod = (await import(pathToFileURL(resolved.entry).href)) as WebGpuModule;
      // Dawn's objects expect the WebGPU classes and flag objects as globals; add only missing ones.
      const globals = mod.globals as Record<string, unknown>;
      const host = globalThis as Record<string, unknown>;
      for (const [name, value] of Object.entries(globals)) if (!(name in host)) host[name] = value;
      return { ok: true, gpu: mod.create([]) };
    } catch (e) {
      return { ok: false, reason: `the 'webgpu' package failed to load: ${e instanceof Error ? e.message : String(e)}` };
    }
  })();
  return loading;
}

/** Whether Dawn finds an adapter, asked once per process in a child (see adapterProbe.ts: the loader's noise stays there). */
function probeOnce(): Promise<AdapterProbe> {
  probing ??= (async (): Promise<AdapterProbe> => {
    const resolved = resolveWebGpu();
    return resolved.ok ? probeAdapter(resolved.entry) : resolved;
  })();
  return probing;
}

/** No adapter: the driver WebGPU needs here, and what the loader said, in one line. */
function noAdapterMessage(loader: string): string {
  return `WebGPU found no adapter: it needs ${requiredDriver()}${loader ? ` (Dawn: ${loader})` : ''}`;
}

export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
}

/** The limits the GAT's buffers and kernels depend on, as granted to the device. */
export type GpuDeviceLimits = Pick<GpuLimits, (typeof DEVICE_LIMITS)[number]>;
const DEVICE_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupsPerDimension'] as const;

export interface GpuDeviceOptions {
  readonly powerPreference?: 'low-power' | 'high-performance';
  /** Storage buffers one kernel binds; the kernels here use at most 8 (WebGPU's default). */
  readonly storageBuffersPerStage?: number;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|\bcpu\b/i;

/** Whether an adapter computes on the CPU (a fallback adapter, or a software rasteriser by name). */
export function isSoftwareAdapter(info: GpuAdapterInfo, adapter?: Pick<GpuAdapter, 'isFallbackAdapter'>): boolean {
  if (info.isFallbackAdapter === true || adapter?.isFallbackAdapter === true) return true;
  return SOFTWARE.test(`${info.architecture} ${info.description} ${info.device}`);
}

/** The driver WebGPU needs on this platform, named in the no-adapter error. */
export function requiredDriver(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Metal (macOS 10.15 or later)';
  if (platform === 'win32') return 'Direct3D 12 (a D3D12-capable GPU driver)';
  return 'a Vulkan driver (libvulkan1 plus a GPU vendor ICD, or SwiftShader via VK_ICD_FILENAMES)';
}

async function requestAdapter(options: GpuDeviceOptions): Promise<GpuAdapter> {
  // Dawn is loaded here only where the probe found an adapter (or could not tell).
  const probe = await probeOnce();
  if (probe.ok && !probe.adapter) throw new WebGpuUnavailableError('no-adapter', noAdapterMessage(probe.loader));
  const load = await loadWebGpu();
  if (!load.ok) throw new WebGpuUnavailableError('no-package', `WebGPU is unavailable: ${load.reason}`);
  let adapter: GpuAdapter | null;
  try {
    adapter = await load.gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  } catch {
    adapter = null; // some builds reject instead of resolving null when no driver is found
  }
  if (!adapter) throw new WebGpuUnavailableError('no-adapter', `WebGPU found no adapter: it needs ${requiredDriver()}`);
  return adapter;
}

/** One line about the adapter WebGPU would use (for `gat backends`), or why there is none. */
export async function describeAdapter(options: GpuDeviceOptions = {}): Promise<{ readonly available: boolean; readonly line: string; readonly isSoftware?: boolean }> {
  try {
    // The probe's answer where it has one: `gat backends` then never loads Dawn in this process.
    const probe = await probeOnce();
    const info: GpuAdapterInfo = probe.ok && probe.adapter ? probe.adapter : (await requestAdapter(options)).info;
    const software = isSoftwareAdapter(info);
    const name = [info.vendor, info.architecture, info.device].filter((s) => s).join(' ');
    const line = `${name || 'unknown adapter'}${info.description ? ` — ${info.description}` : ''}${software ? ' (software: runs on the CPU, slow)' : ''}`;
    return { available: true, line, isSoftware: software };
  } catch (e) {
    return { available: false, line: e instanceof Error ? e.message : String(e) };
  }
}

/** The adapter auto would get, from the probe, without loading Dawn here: null when the probe could not tell. */
export async function probedAdapter(): Promise<{ readonly found: false; readonly line: string } | { readonly found: true; readonly info: GpuAdapterInfo; readonly isSoftware: boolean } | null> {
  const probe = await probeOnce();
  if (!probe.ok) return null;
  return probe.adapter ? { found: true, info: probe.adapter, isSoftware: isSoftwareAdapter(probe.adapter) } : { found: false, line: noAdapterMessage(probe.loader) };
}

/** Requests a device with the adapter's largest buffers; throws WebGpuUnavailableError saying why not. */
export async function requestGpuDevice(options: GpuDeviceOptions = {}): Promise<WebGpuDevice> {
  const adapter = await requestAdapter(options);
  const a = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
    maxBufferSize: a.maxBufferSize,
    maxStorageBuffersPerShaderStage: Math.min(a.maxStorageBuffersPerShaderStage, Math.max(8, options.storageBuffersPerStage ?? 8)),
    maxComputeWorkgroupStorageSize: a.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: a.maxComputeInvocationsPerWorkgroup,
  };
  let device: GpuDevice;
  try {
    device = await adapter.requestDevice({ label: 'gat', requiredLimits });
  } catch (e) {
    throw new WebGpuUnavailableError('device-failed', `WebGPU device request failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const i = adapter.info;
  return new WebGpuDevice(device, { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description }, isSoftwareAdapter(i, adapter));
}

/**
 * A device plus its failure state: `device.lost` and uncaptured errors are remembered and thrown,
 * typed, by the next call that checks; allocations run inside error scopes so that running out of
 * memory names the buffer.
 */
export class WebGpuDevice {
  readonly limits: GpuDeviceLimits;
  /** Compiled pipelines by source key, shared by every engine on this device. */
  readonly pipelines = new Map<string, Promise<unknown>>();
  private lostInfo: { reason: string; message: string } | null = null;
  private uncaptured: string | null = null;
  private destroyed = false;

  constructor(
    readonly device: GpuDevice,
    readonly adapter: AdapterSummary,
    readonly isSoftware: boolean,
  ) {
    this.limits = pickLimits(device.limits);
    void device.lost.then((info) => {
      this.lostInfo = { reason: info.reason, message: info.message };
    });
    device.onuncapturederror = (event) => {
      this.uncaptured ??= `${event.error.constructor?.name ?? 'GPUError'}: ${event.error.message}`;
    };
  }

  /** Throws the typed error for a lost device, or for an error the device reported since the last check. */
  check(): void {
    if (this.destroyed) throw new WebGpuDeviceLostError('destroyed', 'the device was released (dispose)');
    if (this.lostInfo) throw new WebGpuDeviceLostError(this.lostInfo.reason, this.lostInfo.message);
    if (this.uncaptured) {
      const message = this.uncaptured;
      this.uncaptured = null;
      throw new WebGpuError(message);
    }
  }

  /**
   * A buffer of at least `bytes` (rounded up to 4, at least 16), inside validation and out-of-memory
   * error scopes: failures come back as a WebGpuAllocationError naming `label` and the size.
   */
  async createBuffer(label: string, bytes: number, usage: number): Promise<GpuBuffer> {
    this.check();
    const size = Math.max(16, Math.ceil(bytes / 4) * 4);
    if (size > this.limits.maxBufferSize) {
      throw new WebGpuAllocationError(label, size, 'limit', `larger than the device's maxBufferSize (${formatBytes(this.limits.maxBufferSize)})`);
    }
    if (usage & BufferUsage.STORAGE && size > this.limits.maxStorageBufferBindingSize) {
      throw new WebGpuAllocationError(label, size, 'limit', `larger than the device's maxStorageBufferBindingSize (${formatBytes(this.limits.maxStorageBufferBindingSize)})`);
    }
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const buffer = this.device.createBuffer({ label, size, usage });
    const validation = this.device.popErrorScope();
    const oom = this.device.popErrorScope();
    const [v, o] = await Promise.all([validation, oom]);
    if (o || v) {
      buffer.destroy();
      throw new WebGpuAllocationError(label, size, o ? 'out-of-memory' : 'validation', (o ?? v)?.message ?? '');
    }
    return buffer;
  }

  /** Copies `bytes` from `source` at `offset` into a fresh staging buffer and maps it: one readback. */
  async read(source: GpuBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
    this.check();
    if (bytes === 0) return new ArrayBuffer(0);
    const staging = this.device.createBuffer({ label: `${source.label}:read`, size: Math.ceil(bytes / 4) * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, offset, staging, 0, Math.ceil(bytes / 4) * 4);
      this.device.queue.submit([encoder.finish()]);
      await this.mapRead(staging);
      const data = staging.getMappedRange().slice(0, bytes);
      staging.unmap();
      return data;
    } finally {
      staging.destroy();
    }
  }

  /** mapAsync(READ), with a lost device reported as such rather than as a failed map. */
  async mapRead(buffer: GpuBuffer): Promise<void> {
    try {
      await buffer.mapAsync(MapMode.READ);
    } catch (e) {
      this.check();
      throw e;
    }
    this.check();
  }

  /** Releases the device; later calls throw WebGpuDeviceLostError('destroyed'). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.device.destroy();
  }
}

function pickLimits(l: GpuLimits): GpuDeviceLimits {
  // Only the limits the kernels depend on, copied out of the device's own object.
  return Object.fromEntries(DEVICE_LIMITS.map((k) => [k, l[k]])) as GpuDeviceLimits;
}
