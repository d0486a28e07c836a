/**
 * Every back end, declared once, in the order `auto` tries them. The `--backend` values and help,
 * the `gat.backend` setting (package.json, written by scripts/writeSpecSchema.mjs), the extension's
 * pick list and `gat backends` all read this list; backends.ts probes and activates an entry through
 * its driver, and the trainer factory makes the session it declares. Pure data: no TensorFlow.js and
 * no Dawn are loaded here, so the extension host can import it.
 *
 * Adding a back end: an entry below, then `node scripts/writeSpecSchema.mjs` (package.json's
 * setting). One that loads in a new way also adds its driver file and names it in backends.ts's
 * DRIVERS (the compiler asks for it); one that computes in a new way brings its engine or products.
 */
import { MAX_KERNEL_THREADS as MAX_THREADS } from '../kernels/partition';
import type { AdapterSummary } from '../gpu/webgpuDevice';
import type { ModelKind } from '../model/parameters';

/** Which implementation computes a session's gradients: fused typed-array kernels, generic TensorFlow.js ops, or WGSL on WebGPU. */
export type EngineKind = 'fused' | 'generic' | 'webgpu';

/** The engines that compute each model: GATv2 (kernels/gatV2Layer.ts) so far only on generic TensorFlow.js ops. */
export const MODEL_ENGINES: { readonly [M in ModelKind]: readonly EngineKind[] } = { gat: ['fused', 'generic', 'webgpu'], gatv2: ['generic'] };

/** What an active back end's one-line description may name; read lazily, once it is active. */
export interface DetailEnv {
  readonly tfjsVersion: string;
  /** TensorFlow.js's WebAssembly back end runs SIMD (ask only once it is active). */
  tfjsWasmSimd(): boolean;
  /** Our fused kernels' hot loops run in WebAssembly SIMD here. */
  kernelsSimd(): boolean;
  /** The WebGPU device a webgpu back end opened. */
  readonly device: { readonly adapter: AdapterSummary; readonly isSoftware: boolean } | null;
  /** An installed package's version ('' when it is not installed). */
  packageVersion(id: string): string;
}

export interface BackendSpec {
  /** Its `--backend` value, `gat.backend` setting and run records' `backend`. */
  readonly name: string;
  /** A note after its name in `gat train --help` ('' for none). */
  readonly help: string;
  /** Computes on a GPU: `--force_cpu` keeps `auto` away from it. */
  readonly gpu: boolean;
  /** How backends.ts probes and activates it: a TensorFlow.js back end, a device through Dawn's WebGPU, or onnxruntime-node's GEMM next to the fused kernels. */
  readonly driver: 'tfjs' | 'webgpu' | 'onnx';
  /** The npm package it loads; a bundled one is always there. */
  readonly package: string;
  readonly bundled: boolean;
  /** Why it is missing when its (optional) package is not installed, and how to get it. */
  readonly notInstalled: string;
  /** TensorFlow.js's name for the back end it activates (for webgpu: the one any stray TensorFlow.js op runs on). */
  readonly tfjsName: 'cpu' | 'wasm' | 'tensorflow';
  /** A check before loading the package: tfjs-node-gpu needs exactly CUDA 11.2 (see cudaProbe.ts). */
  readonly probe?: 'cuda';
  /** `auto` takes it only on a hardware adapter: a software one (SwiftShader, llvmpipe) is slower than the CPU kernels. */
  readonly autoNeedsHardware?: boolean;
  /** The engines it runs, its default first; TrainConfig.engine picks another. */
  readonly engines: readonly EngineKind[];
  /** The models it trains: those an engine of its computes (MODEL_ENGINES) with every op that engine needs here. */
  readonly models: readonly ModelKind[];
  /** The fused engine's hot loops: WebAssembly SIMD where the runtime has it, else TypeScript. */
  readonly hotKernels: 'wasm-simd' | 'typescript' | null;
  /**
   * What a session needs from it: the device it opened; worker threads for the fused kernels and the
   * dense products (see threadPlan.ts), and the most threads its dense products run on (wasm's
   * XNNPACK: this thread and one worker; onnxruntime: its own pool, every core).
   */
  readonly needs: { readonly device: boolean; readonly threads: boolean; readonly gemmThreads: number };
  /** One line once active (`gat train`'s log): versions, and what runs the graph ops. */
  detail(env: DetailEnv): string;
}

const LIBTENSORFLOW = 'is not installed (an optional dependency: its install downloads libtensorflow and fails without internet)';

const DECLARED = [
  {
    name: 'webgpu',
    help: 'any recent GPU through Dawn, no CUDA',
    gpu: true,
    driver: 'webgpu',
    package: 'webgpu',
    bundled: false,
    notInstalled: 'webgpu (Dawn) is not installed (an optional dependency; GAT: Install GPU Back End installs it, about 21 MB, no CUDA needed)',
    tfjsName: 'cpu',
    autoNeedsHardware: true,
    engines: ['webgpu'],
    models: ['gat'],
    hotKernels: null,
    needs: { device: true, threads: false, gemmThreads: 1 },
    detail: ({ device }) => {
      const a = device?.adapter;
      const adapter = a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' · ') : 'no device';
      return `WebGPU (Dawn) on ${adapter}${device?.isSoftware ? ' (software adapter: runs on the CPU)' : ''}; graph ops: WGSL compute kernels, parameters resident on the GPU`;
    },
  },
  {
    name: 'tfjs-node-gpu',
    help: 'CUDA 11.2',
    gpu: true,
    driver: 'tfjs',
    package: '@tensorflow/tfjs-node-gpu',
    bundled: false,
    notInstalled: `@tensorflow/tfjs-node-gpu ${LIBTENSORFLOW}`,
    tfjsName: 'tensorflow',
    probe: 'cuda',
    engines: ['generic'],
    models: ['gat', 'gatv2'],
    hotKernels: null,
    needs: { device: false, threads: false, gemmThreads: 1 },
    detail: (env) => `TensorFlow.js ${env.tfjsVersion} native back end with CUDA (tfjs-node-gpu); graph ops: generic TensorFlow ops`,
  },
  {
    name: 'tfjs-node',
    help: '',
    gpu: false,
    driver: 'tfjs',
    package: '@tensorflow/tfjs-node',
    bundled: false,
    notInstalled: `@tensorflow/tfjs-node ${LIBTENSORFLOW}`,
    tfjsName: 'tensorflow',
    engines: ['generic'],
    models: ['gat', 'gatv2'],
    hotKernels: null,
    needs: { device: false, threads: false, gemmThreads: 1 },
    detail: (env) => `TensorFlow.js ${env.tfjsVersion} native CPU back end (tfjs-node); graph ops: generic TensorFlow ops`,
  },
  {
    name: 'native',
    help: 'fused kernels, dense products on onnxruntime-node',
    gpu: false,
    driver: 'onnx',
    package: 'onnxruntime-node',
    bundled: false,
    notInstalled: 'onnxruntime-node is not installed (an optional dependency with CPU binaries for Linux x64/arm64, Windows x64/arm64 and macOS arm64)',
    tfjsName: 'wasm',
    engines: ['fused'],
    models: ['gat'],
    hotKernels: 'wasm-simd',
    needs: { device: false, threads: true, gemmThreads: MAX_THREADS },
    detail: (env) => {
      const ours = env.kernelsSimd() ? 'fused kernels, hot loops in WebAssembly SIMD' : 'fused typed-array kernels (no WebAssembly SIMD here)';
      return `onnxruntime-node ${env.packageVersion('onnxruntime-node')} native multi-threaded GEMM (MLAS) for the dense products; graph ops: ${ours}`;
    },
  },
  {
    name: 'wasm',
    help: '',
    gpu: false,
    driver: 'tfjs',
    package: '@tensorflow/tfjs-backend-wasm',
    bundled: true,
    notInstalled: '',
    tfjsName: 'wasm',
    engines: ['fused', 'generic'],
    // Its generic engine would need UnsortedSegmentSum, which TensorFlow.js's wasm back end lacks: no GATv2 here.
    models: ['gat'],
    hotKernels: 'wasm-simd',
    needs: { device: false, threads: true, gemmThreads: 2 },
    detail: (env) => {
      const ours = env.kernelsSimd() ? 'fused kernels, hot loops in WebAssembly SIMD' : 'fused typed-array kernels (no WebAssembly SIMD here)';
      return `TensorFlow.js ${env.tfjsVersion} WebAssembly back end (${env.tfjsWasmSimd() ? 'SIMD' : 'no SIMD'}); graph ops: ${ours}`;
    },
  },
  {
    name: 'cpu',
    help: '',
    gpu: false,
    driver: 'tfjs',
    package: '@tensorflow/tfjs-backend-cpu',
    bundled: true,
    notInstalled: '',
    tfjsName: 'cpu',
    engines: ['fused', 'generic'],
    models: ['gat', 'gatv2'],
    hotKernels: 'typescript',
    needs: { device: false, threads: false, gemmThreads: 1 },
    detail: (env) => `TensorFlow.js ${env.tfjsVersion} JavaScript CPU back end; graph ops: fused typed-array kernels`,
  },
] as const satisfies readonly BackendSpec[];

export type BackendName = (typeof DECLARED)[number]['name'];
export const BACKENDS: readonly (BackendSpec & { readonly name: BackendName })[] = DECLARED;
/** What `--backend` and the `gat.backend` setting accept: a back end, or `auto` (the first that works). */
export type BackendChoice = 'auto' | BackendName;

/** Preference order for 'auto' (see selectBackend). */
export const BACKEND_NAMES: readonly BackendName[] = BACKENDS.map((b) => b.name);
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKEND_NAMES];

export function backendSpec(name: BackendName): BackendSpec & { readonly name: BackendName } {
  const spec = BACKENDS.find((b) => b.name === name);
  if (!spec) throw new RangeError(`unknown back end '${String(name)}'`);
  return spec;
}

/** The back ends that train `model`, in auto's order. */
export function backendsFor(model: ModelKind): BackendName[] {
  return BACKENDS.filter((b) => b.models.includes(model)).map((b) => b.name);
}

/** Why `spec` cannot train `model`, naming the back ends that can; null when it can. */
export function modelRefusal(spec: BackendSpec, model: ModelKind): string | null {
  if (spec.models.includes(model)) return null;
  const names = backendsFor(model);
  const choices = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
  return `--model ${model} does not run on the ${spec.name} back end yet (it trains ${spec.models.join(', ')}): use --backend ${choices}`;
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** `gat train --backend`'s help: every back end with its note, in auto's order. */
export function backendHelp(): string {
  const names = BACKENDS.map((b) => (b.help ? `${b.name} (${b.help})` : b.name)).join(', ');
  const hardware = BACKENDS.filter((b) => b.autoNeedsHardware).map((b) => b.name);
  return `back end: ${names}; auto picks the fastest available${hardware.length ? ` (${hardware.join(', ')} only on a hardware adapter)` : ''}`;
}

/** The `gat.backend` setting as package.json declares it; scripts/writeSpecSchema.mjs writes it there. */
export function backendSettingSchema(): Record<string, unknown> {
  const order = BACKENDS.map((b) => `\`${b.name}\`${b.autoNeedsHardware ? ' (on a hardware adapter)' : ''}`).join(' → ');
  return {
    type: 'string',
    enum: [...BACKEND_CHOICES],
    default: 'auto',
    markdownDescription: `Back end for training. \`webgpu\` trains on any recent GPU through Dawn (Vulkan, Metal or D3D12; no CUDA; **Install GPU Back End** adds it). \`auto\` picks the fastest available: ${order}.`,
  };
}
