/**
 * The contract between the registry's declarations and the code that loads them: a driver per
 * kind of back end (BackendSpec.driver), and what an active back end hands a training session.
 */
import type { WebGpuDevice } from '../gpu/webgpuDevice';
import type { ThreadedProducts } from '../kernels/gemmThreads';
import type { BackendName, BackendSpec } from './registry';

/** What an active back end gives the sessions made on it: the device it opened, and its threaded products. */
export interface BackendResources {
  /** The WebGPU device it opened (webgpu only). */
  readonly device?: WebGpuDevice | null;
  /** Starts the wide layers' dense products on `threads` threads; null where they cannot start (then one thread). */
  readonly startProducts?: (threads: number) => Promise<ThreadedProducts | null>;
}

/** What a session is given of its active back end (see createTrainer). */
export interface ActiveBackend extends BackendResources {
  readonly name: BackendName;
}

/** One row of `gat backends`: whether it can run here, and if not, why. */
export interface BackendStatus {
  readonly name: BackendName;
  readonly available: boolean;
  readonly reason?: string;
  /** webgpu: the adapter it would use, and whether that computes on the CPU. */
  readonly adapter?: string;
  readonly software?: boolean;
}

export interface BackendDriver {
  /** Whether a back end whose package is there can run (webgpu asks for an adapter). */
  status(spec: BackendSpec & { readonly name: BackendName }): Promise<BackendStatus>;
  /** Loads and activates it: what it gives sessions, or why it cannot run. */
  activate(spec: BackendSpec, auto: boolean): Promise<BackendResources | string>;
}
