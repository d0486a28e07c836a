import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, availableBackends, selectBackend } from '../../src/gat/backend/backends';
import { BACKEND_NAMES } from '../../src/gat/backend/registry';
import { probeCuda } from '../../src/gat/backend/cudaProbe';
import { SWIFTSHADER_ICD } from '../helpers/webgpuTestGpu';

describe('back ends', () => {
  it('lists every back end in preference order, with a reason for each unavailable one', async () => {
    const list = await availableBackends();
    assert.deepEqual(list.map((b) => b.name), BACKEND_NAMES);
    for (const b of list) assert.equal(b.available, !b.reason, `${b.name}: ${b.reason}`);
    assert.ok(list.find((b) => b.name === 'cpu')?.available, 'the pure-JS CPU back end always works');
  });

  it("'cpu' activates TensorFlow.js' cpu back end", async () => {
    const s = await selectBackend('cpu');
    assert.equal(s.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.match(s.detail, /fused/);
  });

  it("'auto' takes the first available back end (never a software GPU adapter) and says why it skipped the others", async () => {
    const list = await availableBackends();
    const s = await selectBackend('auto');
    const first = list.find((b) => b.available && !b.software)!;
    assert.equal(s.name, first.name);
    for (const b of list.slice(0, list.indexOf(first))) assert.ok(s.unavailable[b.name], `a reason for skipping ${b.name}`);
    await selectBackend('cpu');
  });

  it('webgpu: SwiftShader is listed as a software adapter that auto skips but --backend webgpu takes', async () => {
    assert.equal(process.env.VK_ICD_FILENAMES, SWIFTSHADER_ICD, 'the tests run WebGPU on SwiftShader');
    const webgpu = (await availableBackends()).find((b) => b.name === 'webgpu')!;
    assert.equal(webgpu.available, true, webgpu.reason);
    assert.equal(webgpu.software, true);
    assert.match(webgpu.adapter ?? '', /swiftshader .*SwiftShader driver/i);
    const auto = await selectBackend('auto');
    assert.notEqual(auto.name, 'webgpu');
    assert.match(auto.unavailable.webgpu ?? '', /only WebGPU adapter is a software one \(SwiftShader/);
    const chosen = await selectBackend('webgpu');
    assert.equal(chosen.name, 'webgpu');
    assert.match(chosen.detail, /^WebGPU \(Dawn\) on google · swiftshader · SwiftShader driver [\d.]+ \(software adapter: runs on the CPU\); graph ops: WGSL compute kernels/);
    await assert.rejects(selectBackend('webgpu', { cpuOnly: true }), /--force_cpu and --backend webgpu contradict each other/);
    await selectBackend('cpu');
  });

  it('a requested back end that is unavailable is a BackendError listing the available ones', async () => {
    const missing = (await availableBackends()).find((b) => !b.available);
    if (!missing) return; // every back end installed (e.g. a GPU machine): nothing to refuse
    await assert.rejects(selectBackend(missing.name), (e: unknown) => e instanceof BackendError && e.message.includes(`'${missing.name}' is not available`) && /Available here: .*cpu/.test(e.message));
  });

  it('an unknown name is a BackendError', async () => {
    await assert.rejects(selectBackend('tpu' as never), /unknown back end 'tpu'; use one of auto, webgpu, tfjs-node-gpu, tfjs-node, native, wasm, cpu/);
  });
});

describe('probeCuda', () => {
  it('names the missing CUDA 11 runtime and the versions needed', () => {
    const msg = probeCuda('linux', (lib) => (lib === 'libcudart.so.11.0' ? 'libcudart.so.11.0: cannot open shared object file' : null));
    assert.match(msg ?? '', /needs CUDA 11\.2 and cuDNN 8\.1, but libcudart\.so\.11\.0 cannot be opened .*silently run on the CPU/);
  });

  it('names a missing cuDNN 8 when the runtime is there', () => {
    assert.match(probeCuda('linux', (lib) => (lib === 'libcudnn.so.8' ? 'not found' : null)) ?? '', /libcudnn\.so\.8 cannot be opened/);
  });

  it('passes when both libraries open', () => {
    assert.equal(probeCuda('linux', () => null), null);
    assert.equal(probeCuda('win32', () => null), null);
  });
});
