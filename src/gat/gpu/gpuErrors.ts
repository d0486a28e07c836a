/** Typed failures of the WebGPU back end, so callers can fall back or explain instead of crashing. */

/** Whether an error is the GPU failing (device lost, out of memory, a device error), not the run's input. */
export function isGpuFailure(e: unknown): e is Error {
  return e instanceof WebGpuDeviceLostError || e instanceof WebGpuAllocationError || e instanceof WebGpuError;
}

/** The exit code of `gat train` when the back end fails ('back end unavailable', as TRAINING_EXIT.backend). */
const BACKEND_EXIT = 5;

/** Why no device could be had. */
export type WebGpuUnavailableReason = 'no-package' | 'no-adapter' | 'device-failed';

/** WebGPU cannot run here: the package is missing, no adapter (driver) was found, or the device request failed. */
export class WebGpuUnavailableError extends Error {
  readonly exitCode = BACKEND_EXIT;
  constructor(
    readonly reason: WebGpuUnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

/** The device was lost (driver reset, GPU removed, destroyed): every later call fails with this. */
export class WebGpuDeviceLostError extends Error {
  readonly exitCode = BACKEND_EXIT;
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`the WebGPU device was lost (${reason})${detail ? `: ${detail}` : ''}`);
    this.name = 'WebGpuDeviceLostError';
  }
}

/** A buffer could not be allocated: larger than a device limit, or out of GPU memory. */
export class WebGpuAllocationError extends Error {
  readonly exitCode = BACKEND_EXIT;
  constructor(
    readonly buffer: string,
    readonly bytes: number,
    readonly kind: 'limit' | 'out-of-memory' | 'validation',
    detail: string,
  ) {
    super(`cannot allocate GPU buffer '${buffer}' of ${formatBytes(bytes)}: ${detail}`);
    this.name = 'WebGpuAllocationError';
  }
}

/** An error the device reported outside any error scope (a validation error in a dispatch, a bad shader). */
export class WebGpuError extends Error {
  readonly exitCode = BACKEND_EXIT;
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
