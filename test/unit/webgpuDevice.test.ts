/**
 * WebGPU device acquisition and failure handling: SwiftShader counts as software, the limits the
 * GAT needs are granted, a missing driver gives WebGpuUnavailableError naming Vulkan (in a child
 * process whose VK_ICD_FILENAMES points nowhere), and oversize buffers, uncaptured errors and a
 * lost device surface as typed errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { WebGpuAllocationError, WebGpuDeviceLostError, WebGpuError, WebGpuUnavailableError } from '../../src/gat/gpu/gpuErrors';
import { BufferUsage } from '../../src/gat/gpu/gpuTypes';
import { createWebGpuEngine } from '../../src/gat/gpu/webgpuEngine';
import { describeAdapter, isSoftwareAdapter, requestGpuDevice, requiredDriver, type WebGpuDevice } from '../../src/gat/gpu/webgpuDevice';
import { engineInput } from '../helpers/engineCases';
import { testGpu } from '../helpers/webgpuTestGpu';
import { tinyGraph } from '../helpers/tinyGraph';

const CHILD = 'GAT_TEST_WEBGPU_CHILD';

if (process.env[CHILD] === 'request') {
  // Child mode: report what requestGpuDevice does in this environment as one JSON line.
  void requestGpuDevice().then(
    (gpu) => {
      console.log(JSON.stringify({ ok: true, adapter: gpu.adapter }));
      gpu.destroy();
    },
    (e: unknown) => {
      const err = e as WebGpuUnavailableError;
      console.log(JSON.stringify({ ok: false, name: err.name, reason: err.reason, message: err.message, typed: e instanceof WebGpuUnavailableError }));
    },
  );
} else {
  let gpu: WebGpuDevice;

  before(async () => {
    gpu = await testGpu();
  });

  after(() => gpu.destroy());

  describe('WebGPU device acquisition', () => {
    it('SwiftShader is a software adapter, with the adapter\'s large buffer limits granted', () => {
      assert.equal(gpu.adapter.architecture, 'swiftshader', 'the tests run on SwiftShader (VK_ICD_FILENAMES)');
      assert.equal(gpu.isSoftware, true);
      assert.ok(gpu.limits.maxStorageBufferBindingSize > 128 * 1024 ** 2, `maxStorageBufferBindingSize ${gpu.limits.maxStorageBufferBindingSize}`);
      assert.ok(gpu.limits.maxBufferSize > 256 * 1024 ** 2, `maxBufferSize ${gpu.limits.maxBufferSize}`);
      assert.ok(gpu.limits.maxStorageBuffersPerShaderStage >= 8);
    });

    it('classifies adapters by the fallback flag or a software rasteriser\'s name', () => {
      const info = (architecture: string, description: string, isFallbackAdapter?: boolean) => ({ vendor: 'x', architecture, device: '', description, isFallbackAdapter });
      assert.equal(isSoftwareAdapter(info('', 'llvmpipe (LLVM 15.0.7, 256 bits)')), true);
      assert.equal(isSoftwareAdapter(info('', 'Lavapipe')), true);
      assert.equal(isSoftwareAdapter(info('', 'Microsoft Basic Render Driver', true)), true);
      assert.equal(isSoftwareAdapter(info('turing', 'NVIDIA GeForce RTX 2080')), false);
      assert.equal(isSoftwareAdapter(info('gfx1030', 'AMD Radeon RX 6800 (RADV NAVI21)')), false);
    });

    it('describeAdapter names the adapter for `gat backends`', async () => {
      const d = await describeAdapter();
      assert.equal(d.available, true);
      assert.match(d.line, /swiftshader/i);
      assert.match(d.line, /software/);
    });

    it('no adapter (no Vulkan driver): WebGpuUnavailableError naming the driver needed', () => {
      const run = spawnSync(process.execPath, [__filename], { env: { ...process.env, [CHILD]: 'request', VK_ICD_FILENAMES: '/nonexistent/vk_icd.json' }, encoding: 'utf8', timeout: 30_000 });
      const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
      assert.ok(line, `child printed no result: ${run.stdout} ${run.stderr}`);
      const result = JSON.parse(line);
      assert.equal(result.ok, false);
      assert.equal(result.typed, true);
      assert.equal(result.name, 'WebGpuUnavailableError');
      assert.equal(result.reason, 'no-adapter');
      assert.match(result.message, /Vulkan/);
      // The loader's own warnings stay in the adapter probe's child; the message says what it said, once.
      assert.match(result.message, / \(Dawn: .+\)$/);
      assert.doesNotMatch(run.stderr, /vkCreateInstance|loader_get_json|VulkanError\.cpp/);
      assert.match(requiredDriver('darwin'), /Metal/);
      assert.match(requiredDriver('win32'), /D3D12|Direct3D 12/);
    });
  });

  describe('WebGPU failures as typed errors', () => {
    it('a buffer over the device limit names the buffer and its size', async () => {
      const bytes = gpu.limits.maxBufferSize + 1024;
      await assert.rejects(gpu.createBuffer('layer1.p', bytes, BufferUsage.STORAGE), (e: unknown) => {
        assert.ok(e instanceof WebGpuAllocationError);
        assert.equal(e.buffer, 'layer1.p');
        assert.equal(e.kind, 'limit');
        assert.match(e.message, /layer1\.p/);
        return true;
      });
    });

    it('an error outside any scope is thrown, typed, by the next check', async () => {
      const device = await requestGpuDevice();
      try {
        device.device.createBuffer({ label: 'bad', size: 6, usage: BufferUsage.MAP_READ | BufferUsage.STORAGE }); // invalid usage combination
        await device.device.queue.onSubmittedWorkDone();
        await new Promise((r) => setTimeout(r, 20));
        assert.throws(() => device.check(), WebGpuError);
        assert.doesNotThrow(() => device.check(), 'reported once');
      } finally {
        device.destroy();
      }
    });

    it('a lost device makes later engine calls fail with WebGpuDeviceLostError', async () => {
      const device = await requestGpuDevice();
      const engine = await createWebGpuEngine(engineInput(tinyGraph({ nodes: 12, features: 10, classes: 3 }), [2, 1], [4], 0.5), device);
      await engine.trainStep(0, new Float32Array(0));
      device.device.destroy(); // as a driver reset would: the device's lost promise resolves
      await new Promise((r) => setTimeout(r, 20));
      await assert.rejects(engine.trainStep(1, new Float32Array(0)), (e: unknown) => {
        assert.ok(e instanceof WebGpuDeviceLostError, String(e));
        assert.match(e.message, /lost/);
        return true;
      });
      engine.dispose();
      device.destroy();
      assert.throws(() => device.check(), WebGpuDeviceLostError);
    });
  });
}
