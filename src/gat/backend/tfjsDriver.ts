/**
 * The TensorFlow.js back ends: the bundled JavaScript (cpu) and WebAssembly (wasm) ones, and the
 * optional native ones (tfjs-node, tfjs-node-gpu), loaded guarded by package name.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// The pure-JS and WASM back ends are bundled (static imports register them), so a packaged
// extension without node_modules still trains; only the native ones are optional.
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { WebGpuDevice } from '../gpu/webgpuDevice';
import { startThreadedProducts } from '../kernels/gemmThreads';
import { wasmSimdSupported } from '../kernels/wasmKernels';
import type { BackendDriver } from './backendDriver';
import type { BackendSpec, DetailEnv } from './registry';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

function guardedRequire(id: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional packages must not break loading
  return require(id);
}

let wasmPathsSet = false;

/** The folder of TensorFlow.js's .wasm files: dist/wasm in a build, else the package's. */
function wasmDirectory(): string {
  const bundled = path.join(__dirname, 'wasm');
  if (existsSync(path.join(bundled, 'tfjs-backend-wasm-simd.wasm'))) return bundled;
  return path.join(path.dirname(require.resolve(`${WASM_PACKAGE}/package.json`)), 'dist');
}

/** The CPU back end's "install tfjs-node" banner would mislead here: the fused kernels do the work. */
function silenceCpuBanner(): void {
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if ('firstUse' in backend) backend.firstUse = false;
}

/** Switches TensorFlow.js to one of its registered back ends; false if it failed to initialise. */
export async function useTfjsBackend(tfjsName: BackendSpec['tfjsName']): Promise<boolean> {
  if (tfjsName === 'wasm' && !wasmPathsSet) {
    // In Node the .wasm files are read from disk: dist/wasm (copied by the build) or the package.
    setWasmPaths(wasmDirectory() + path.sep);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(tfjsName))) return false;
  await tf.ready();
  if (tfjsName === 'cpu') silenceCpuBanner();
  return true;
}

/** What a back end's one-line description may name (see BackendSpec.detail). */
export function detailEnv(device: WebGpuDevice | null): DetailEnv {
  return {
    tfjsVersion: tf.version_core,
    tfjsWasmSimd: () => tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    kernelsSimd: wasmSimdSupported,
    device,
    packageVersion(id) {
      try {
        return (guardedRequire(`${id}/package.json`) as { version?: string }).version ?? '';
      } catch {
        return '';
      }
    },
  };
}

export const tfjsDriver: BackendDriver = {
  async status(spec) {
    return { name: spec.name, available: true };
  },
  async activate(spec) {
    try {
      if (!spec.bundled) guardedRequire(spec.package);
      if (!(await useTfjsBackend(spec.tfjsName))) return `${spec.package} loaded but its back end failed to initialise`;
      // XNNPACK in a worker: TensorFlow.js's wasm back end can split a product's rows with a second thread.
      return spec.tfjsName === 'wasm' ? { startProducts: (threads) => (threads >= 2 ? startThreadedProducts(wasmDirectory()) : Promise.resolve(null)) } : {};
    } catch (e) {
      return `${spec.package} failed to load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  },
};
