/** The WebGPU back end: Dawn's Node bindings (the optional `webgpu` package) and one device. */
import { describeAdapter, probedAdapter, requestGpuDevice } from '../gpu/webgpuDevice';
import type { BackendDriver } from './backendDriver';
import { useTfjsBackend } from './tfjsDriver';

const softwareOnly = (adapter: string): string => `the only WebGPU adapter is a software one (${adapter}); --backend webgpu uses it anyway`;

export const webgpuDriver: BackendDriver = {
  async status(spec) {
    // The adapter decides: none (no Vulkan/Metal/D3D12 driver) is a reason; a software one is usable but never automatic.
    const a = await describeAdapter();
    return a.available ? { name: spec.name, available: true, adapter: a.line, software: a.isSoftware } : { name: spec.name, available: false, reason: a.line };
  },

  /**
   * Requests a device; returns why that failed. 'auto' takes only a hardware adapter (see
   * BackendSpec.autoNeedsHardware): a software one must be asked for.
   */
  async activate(spec, auto) {
    try {
      // auto decides from the probe, so Dawn is not even loaded here on a machine with no hardware adapter.
      const probed = auto && spec.autoNeedsHardware ? await probedAdapter() : null;
      if (probed && !probed.found) return probed.line;
      if (probed?.isSoftware) return softwareOnly(probed.info.description || probed.info.architecture);
      const device = await requestGpuDevice();
      if (auto && spec.autoNeedsHardware && device.isSoftware) {
        device.destroy();
        return softwareOnly(device.adapter.description || device.adapter.architecture);
      }
      // Nothing of TensorFlow.js runs in a WebGPU session; its JavaScript back end serves any stray use.
      await useTfjsBackend(spec.tfjsName);
      return { device };
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },
};
