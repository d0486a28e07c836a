/**
 * The native route: the fused kernels as on wasm, with the wide layers' dense products on
 * onnxruntime-node's multi-threaded MLAS GEMM (kernels/onnxProducts.ts). onnxruntime-node is an
 * optional Node-API addon, loaded here only when this back end is chosen or probed.
 *
 * Its public InferenceSession.run is asynchronous (a setImmediate around the binding's run), while
 * the fused engine's products are synchronous, so the sessions are created and run through the
 * binding that the package's own wrapper uses (dist/binding). package.json pins the exact version.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { startOnnxProducts, type OrtRuntime, type OrtSession, type OrtTensor } from '../kernels/onnxProducts';
import type { BackendDriver } from './backendDriver';
import { useTfjsBackend } from './tfjsDriver';

const PACKAGE = 'onnxruntime-node';
/** The platforms whose CPU binaries the package ships (no Intel macOS, whatever its README says). */
const SHIPPED = 'Linux x64/arm64, Windows x64/arm64 and macOS arm64';

interface BindingSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): Promise<void>;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor>, options: object): unknown;
  dispose(): void;
}
interface BindingModule {
  readonly binding: { readonly InferenceSession: new () => BindingSession };
  initOrt(): void;
}
interface OrtModule {
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

function guardedRequire(id: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional native package must not break loading
  return require(id);
}

/** Session options: one product at a time, and no pool threads spinning between products (they would take the cores the fused kernels use). */
const sessionOptions = (threads: number): object => ({
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});

function binaryPath(packageDir: string, platform: string = process.platform, arch: string = process.arch): string {
  return path.join(packageDir, 'bin', 'napi-v6', platform, arch, 'onnxruntime_binding.node');
}

/** Why onnxruntime-node cannot run here, before loading it: no binary for this platform. */
export function missingBinary(packageDir: string, platform: string = process.platform, arch: string = process.arch): string | null {
  if (existsSync(binaryPath(packageDir, platform, arch))) return null;
  return `${PACKAGE} has no binary for ${platform}-${arch} (it ships CPU binaries for ${SHIPPED})`;
}

let loaded: OrtRuntime | string | undefined;

/** Loads onnxruntime-node once per process: the runtime, or why it cannot run here. */
export function loadOnnxRuntime(): OrtRuntime | string {
  loaded ??= load();
  return loaded;
}

function load(): OrtRuntime | string {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch {
    return `${PACKAGE} is not installed`;
  }
  const missing = missingBinary(packageDir);
  if (missing) return missing;
  try {
    const { version } = guardedRequire(`${PACKAGE}/package.json`) as { version: string };
    const { Tensor } = guardedRequire(PACKAGE) as OrtModule;
    const { binding, initOrt } = guardedRequire(`${PACKAGE}/dist/binding`) as BindingModule;
    if (typeof binding?.InferenceSession !== 'function' || typeof initOrt !== 'function') return `${PACKAGE} ${version} has no binding this version of GAT Explorer knows (it needs ${PACKAGE}'s dist/binding)`;
    initOrt();
    return {
      version,
      tensor: (data, dims) => new Tensor('float32', data, dims),
      async createSession(model, threads): Promise<OrtSession> {
        const session = new binding.InferenceSession();
        await session.loadModel(model.buffer, model.byteOffset, model.byteLength, sessionOptions(threads));
        return {
          run: (feeds, fetches) => void session.run(feeds, fetches, {}),
          dispose: () => session.dispose(),
        };
      },
    };
  } catch (e) {
    return `${PACKAGE} failed to load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

export const onnxDriver: BackendDriver = {
  async status(spec) {
    const runtime = loadOnnxRuntime();
    return typeof runtime === 'string' ? { name: spec.name, available: false, reason: runtime } : { name: spec.name, available: true };
  },
  async activate(spec) {
    const runtime = loadOnnxRuntime();
    if (typeof runtime === 'string') return runtime;
    // The fused kernels need no TensorFlow.js; its wasm back end serves any stray op.
    if (!(await useTfjsBackend(spec.tfjsName))) return `TensorFlow.js's ${spec.tfjsName} back end failed to initialise`;
    return { startProducts: (threads) => startOnnxProducts(runtime, Math.max(1, threads)) };
  },
};
