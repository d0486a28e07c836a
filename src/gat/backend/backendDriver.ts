/**
 * The contract between the registry's declarations and the code that loads them: a driver per
 * kind of back end (BackendSpec.driver), and what an active back end hands a training session.
 */
import type { WebGpuDevice } from '../gpu/webgpuDevice';
import type { BackendName, BackendSpec } from './registry';

/** What a session is given of its active back end: its name, and the device it opened (webgpu). */
export interface ActiveBackend {
  readonly name: BackendName;
  readonly device?: WebGpuDevice | null;
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
  /** Loads and activates it: the device it opened (null for none), or why it cannot run. */
  activate(spec: BackendSpec, auto: boolean): Promise<{ readonly device: WebGpuDevice | null } | string>;
}
