/**
 * Choosing the back end: webgpu (on a hardware adapter only) → tfjs-node-gpu → tfjs-node → wasm →
 * cpu. webgpu (Dawn) and the native TensorFlow.js ones are optional dependencies, loaded guarded,
 * and every unavailable back end comes with the reason.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// The pure-JS and WASM back ends are bundled (static imports register them), so a packaged
// extension without node_modules still trains; only the native ones are optional.
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { wasmSimdSupported } from '../kernels/wasmKernels';
import { describeAdapter, requestGpuDevice, type WebGpuDevice } from '../gpu/webgpuDevice';
import { probeCuda } from './cudaProbe';

export type BackendName = 'webgpu' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** Preference order for 'auto' (webgpu only on a hardware adapter: see selectBackend). */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export interface SelectedBackend {
  readonly name: BackendName;
  readonly detail: string;
  readonly unavailable: Record<string, string>;
}

export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

const PACKAGE: Record<BackendName, string> = {
  webgpu: 'webgpu',
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** The TensorFlow.js registry name each of ours registers under. */
const TF_NAME: Record<BackendName, string> = { webgpu: 'cpu', 'tfjs-node-gpu': 'tensorflow', 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

function guardedRequire(id: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional packages must not break loading
  return require(id);
}

function isInstalled(id: string): boolean {
  try {
    require.resolve(`${id}/package.json`);
    return true;
  } catch {
    return false;
  }
}

function notInstalled(name: BackendName): string {
  if (name === 'webgpu') return 'webgpu (Dawn) is not installed (an optional dependency; GAT: Install GPU Back End installs it, about 21 MB, no CUDA needed)';
  return `${PACKAGE[name]} is not installed (an optional dependency: its install downloads libtensorflow and fails without internet)`;
}

/** Why a back end cannot run here, or null when it can (checked without loading the native ones). */
function unavailableReason(name: BackendName): string | null {
  if (name === 'wasm' || name === 'cpu') return null; // bundled with us
  if (!isInstalled(PACKAGE[name])) return notInstalled(name);
  if (name === 'tfjs-node-gpu') return probeCuda();
  return null;
}

export async function availableBackends(): Promise<{ name: BackendName; available: boolean; reason?: string; adapter?: string; software?: boolean }[]> {
  const out: { name: BackendName; available: boolean; reason?: string; adapter?: string; software?: boolean }[] = [];
  for (const name of BACKEND_NAMES) {
    const reason = unavailableReason(name);
    if (reason) out.push({ name, available: false, reason });
    else if (name === 'webgpu') {
      // The adapter decides: none (no Vulkan/Metal/D3D12 driver) is a reason; a software one is usable but never automatic.
      const a = await describeAdapter();
      out.push(a.available ? { name, available: true, adapter: a.line, software: a.isSoftware } : { name, available: false, reason: a.line });
    } else out.push({ name, available: true });
  }
  return out;
}

/** Back ends that run on a GPU, which `cpuOnly` (pytorch-GAT's --force_cpu) keeps 'auto' away from. */
const GPU_BACKENDS: ReadonlySet<BackendName> = new Set(['webgpu', 'tfjs-node-gpu']);

/** The WebGPU device of the active back end (set when selectBackend picks webgpu). */
let gpuDevice: WebGpuDevice | null = null;

export function activeGpuDevice(): WebGpuDevice | null {
  return gpuDevice;
}

/**
 * Loads and activates a back end; for 'auto' the first that works (skipping GPU ones with `cpuOnly`).
 * Throws a BackendError listing the available ones.
 */
export async function selectBackend(requested: BackendName | 'auto', options: { cpuOnly?: boolean } = {}): Promise<SelectedBackend> {
  if (requested !== 'auto' && !BACKEND_NAMES.includes(requested)) {
    throw new BackendError(`unknown back end '${String(requested)}'; use one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  if (options.cpuOnly && requested !== 'auto' && GPU_BACKENDS.has(requested)) {
    throw new BackendError(`--force_cpu and --backend ${requested} contradict each other: drop one`);
  }
  const unavailable: Record<string, string> = {};
  const candidates = requested === 'auto' ? BACKEND_NAMES.filter((b) => !(options.cpuOnly && GPU_BACKENDS.has(b))) : [requested];
  for (const name of candidates) {
    const reason = unavailableReason(name) ?? (name === 'webgpu' ? await activateWebGpu(requested === 'auto') : await activate(name));
    if (reason === null) return { name, detail: describe(name), unavailable };
    unavailable[name] = reason;
  }
  if (requested === 'auto') throw new BackendError(`no TensorFlow.js back end works here: ${formatReasons(unavailable)}`);
  const usable = (await availableBackends()).filter((b) => b.available).map((b) => b.name);
  throw new BackendError(
    `back end '${requested}' is not available: ${unavailable[requested]}. Available here: ${usable.length ? usable.join(', ') : 'none'}`,
  );
}

function formatReasons(r: Record<string, string>): string {
  return Object.entries(r).map(([k, v]) => `${k}: ${v}`).join('; ');
}

/**
 * Requests a WebGPU device; returns why that failed, or null. 'auto' takes only a hardware adapter:
 * a software one (SwiftShader, llvmpipe) is slower than our CPU kernels, so it must be asked for.
 */
async function activateWebGpu(auto: boolean): Promise<string | null> {
  try {
    const device = gpuDevice ?? (await requestGpuDevice());
    if (auto && device.isSoftware) {
      device.destroy();
      return `the only WebGPU adapter is a software one (${device.adapter.description || device.adapter.architecture}); --backend webgpu uses it anyway`;
    }
    gpuDevice = device;
    // Nothing of TensorFlow.js runs in a WebGPU session; its JavaScript back end serves any stray use.
    await tf.setBackend('cpu');
    silenceCpuBanner();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Loads the package and switches TensorFlow.js to it; returns why that failed, or null. */
async function activate(name: BackendName): Promise<string | null> {
  try {
    if (name === 'wasm') {
      // In Node the .wasm files are read from disk: dist/wasm (copied by the build) or the package.
      if (!wasmPathsSet) {
        setWasmPaths(wasmDirectory() + path.sep);
        wasmPathsSet = true;
      }
    } else if (name !== 'cpu') {
      guardedRequire(PACKAGE[name]);
    }
    if (!(await tf.setBackend(TF_NAME[name]))) return `${PACKAGE[name]} loaded but its back end failed to initialise`;
    await tf.ready();
    if (name === 'cpu') silenceCpuBanner();
    return null;
  } catch (e) {
    return `${PACKAGE[name]} failed to load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

let wasmPathsSet = false;

/** The folder of TensorFlow.js's .wasm files: dist/wasm in a build, else the package's. */
export function wasmDirectory(): string {
  const bundled = path.join(__dirname, 'wasm');
  if (existsSync(path.join(bundled, 'tfjs-backend-wasm-simd.wasm'))) return bundled;
  return path.join(path.dirname(require.resolve(`${PACKAGE.wasm}/package.json`)), 'dist');
}

/** The CPU back end's "install tfjs-node" banner would mislead here: the fused kernels do the work. */
function silenceCpuBanner(): void {
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if ('firstUse' in backend) backend.firstUse = false;
}

function describe(name: BackendName): string {
  const version = tf.version_core;
  switch (name) {
    case 'webgpu': {
      const a = gpuDevice?.adapter;
      const adapter = a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') : 'no device';
      return `WebGPU (Dawn) on ${adapter}${gpuDevice?.isSoftware ? ' (software adapter: runs on the CPU)' : ''}; graph ops: WGSL compute kernels, parameters resident on the GPU`;
    }
    case 'tfjs-node-gpu':
      return `TensorFlow.js ${version} native back end with CUDA (tfjs-node-gpu); graph ops: generic TensorFlow ops`;
    case 'tfjs-node':
      return `TensorFlow.js ${version} native CPU back end (tfjs-node); graph ops: generic TensorFlow ops`;
    case 'wasm': {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
      const ours = wasmSimdSupported() ? 'fused kernels, hot loops in WebAssembly SIMD' : 'fused typed-array kernels (no WebAssembly SIMD here)';
      return `TensorFlow.js ${version} WebAssembly back end (${simd}); graph ops: ${ours}`;
    }
    case 'cpu':
      return `TensorFlow.js ${version} JavaScript CPU back end; graph ops: fused typed-array kernels`;
  }
}

/** Whether a back end uses the fused kernels (cpu, wasm) or generic TensorFlow.js ops (native). */
export function usesFusedKernels(name: BackendName): boolean {
  return name === 'wasm' || name === 'cpu';
}
