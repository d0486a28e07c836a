/**
 * Choosing the back end: the registry's entries in its order (webgpu on a hardware adapter only →
 * tfjs-node-gpu → tfjs-node → native → wasm → cpu). Optional packages (Dawn's webgpu, the native
 * TensorFlow.js ones, onnxruntime-node) are loaded guarded, only when their back end is chosen or
 * probed, and every unavailable back end comes with the reason.
 */
import type { WebGpuDevice } from '../gpu/webgpuDevice';
import type { ActiveBackend, BackendDriver, BackendStatus } from './backendDriver';
import { probeCuda } from './cudaProbe';
import { onnxDriver } from './onnxDriver';
import type { ModelKind } from '../model/parameters';
import { BACKENDS, BACKEND_NAMES, isBackendName, modelRefusal, type BackendChoice, type BackendSpec } from './registry';
import { detailEnv, tfjsDriver } from './tfjsDriver';
import { webgpuDriver } from './webgpuDriver';

/** The active back end: what sessions on it need (the device it opened), its description, and why 'auto' skipped others. */
export interface SelectedBackend extends ActiveBackend {
  readonly device: WebGpuDevice | null;
  readonly detail: string;
  readonly unavailable: Record<string, string>;
}

export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

const DRIVERS: { readonly [K in BackendSpec['driver']]: BackendDriver } = { tfjs: tfjsDriver, webgpu: webgpuDriver, onnx: onnxDriver };

function isInstalled(id: string): boolean {
  try {
    require.resolve(`${id}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Why a back end cannot run here, or null when it may (checked without loading the native ones). */
function unavailableReason(spec: BackendSpec): string | null {
  if (spec.bundled) return null;
  if (!isInstalled(spec.package)) return spec.notInstalled;
  if (spec.probe === 'cuda') return probeCuda();
  return null;
}

export async function availableBackends(): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const spec of BACKENDS) {
    const reason = unavailableReason(spec);
    out.push(reason ? { name: spec.name, available: false, reason } : await DRIVERS[spec.driver].status(spec));
  }
  return out;
}

/**
 * Loads and activates a back end; for 'auto' the first that works (skipping GPU ones with `cpuOnly`,
 * and those that do not train `model`). Throws a BackendError listing the available ones, or, for a
 * back end that does not train `model`, naming those that do (before loading anything).
 */
export async function selectBackend(requested: BackendChoice, options: { cpuOnly?: boolean; model?: ModelKind } = {}): Promise<SelectedBackend> {
  const model = options.model ?? 'gat';
  if (requested !== 'auto' && !isBackendName(requested)) {
    throw new BackendError(`unknown back end '${String(requested)}'; use one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  const auto = requested === 'auto';
  if (options.cpuOnly && !auto && BACKENDS.some((b) => b.name === requested && b.gpu)) {
    throw new BackendError(`--force_cpu and --backend ${requested} contradict each other: drop one`);
  }
  const refusal = auto ? null : modelRefusal(BACKENDS.find((b) => b.name === requested) as BackendSpec, model);
  if (refusal) throw new BackendError(refusal);
  const unavailable: Record<string, string> = {};
  const candidates = BACKENDS.filter((b) => (auto ? !(options.cpuOnly && b.gpu) : b.name === requested));
  for (const spec of candidates.filter((b) => !b.models.includes(model))) unavailable[spec.name] = `does not train ${model} yet`;
  for (const spec of candidates.filter((b) => b.models.includes(model))) {
    const activated = unavailableReason(spec) ?? (await DRIVERS[spec.driver].activate(spec, auto));
    if (typeof activated !== 'string') {
      const device = activated.device ?? null;
      return { ...activated, name: spec.name, device, detail: spec.detail(detailEnv(device)), unavailable };
    }
    unavailable[spec.name] = activated;
  }
  if (auto) throw new BackendError(`no TensorFlow.js back end works here: ${formatReasons(unavailable)}`);
  const usable = (await availableBackends()).filter((b) => b.available).map((b) => b.name);
  throw new BackendError(`back end '${requested}' is not available: ${unavailable[requested]}. Available here: ${usable.length ? usable.join(', ') : 'none'}`);
}

function formatReasons(r: Record<string, string>): string {
  return Object.entries(r).map(([k, v]) => `${k}: ${v}`).join('; ');
}

