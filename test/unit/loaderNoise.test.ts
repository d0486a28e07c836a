/**
 * Quiet when not used: on a machine with no GPU driver, Dawn's Vulkan loader writes warnings to
 * stderr from native code the moment anyone asks for an adapter. `gat train --backend wasm` and
 * `gat analyze` (auto) must print none of it; `gat backends` says it once, in its own words. The
 * first test shows that this environment does make the noise, so the others can fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { loaderLine, probeAdapter } from '../../src/gat/gpu/adapterProbe';
import { runGat } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';
import { readRun } from '../../src/gat/artifacts/runRecord';

/** Points the Vulkan loader at a driver list that is not there: no driver, as on a machine without a GPU (whatever this one has). */
const NO_DRIVER = { VK_ICD_FILENAMES: '/nonexistent/vk_icd.json', VK_DRIVER_FILES: '/nonexistent/vk_icd.json' };
/** What the loader prints (the wording varies with what is missing: the driver list, libvulkan itself). */
const NOISE = /vkCreateInstance|VK_ERROR|loader_get_json|Couldn't load Vulkan|VulkanError\.cpp|node-webgpu|libvulkan\.so/;

describe('the GPU loader is quiet when the GPU is not used', () => {
  it('(control) asking Dawn for an adapter in-process here does print the loader noise', () => {
    const entry = pathToFileURL(require.resolve('webgpu')).href;
    const script = `import(${JSON.stringify(entry)}).then(async (m) => { await m.create([]).requestAdapter(); process.exit(0); })`;
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...NO_DRIVER }, encoding: 'utf8', timeout: 60_000 });
    assert.match(r.stderr, NOISE, 'the environment reproduces the noise');
  });

  it('the probe keeps the noise in its child and boils it down to one line', async () => {
    const probe = await probeAdapter(require.resolve('webgpu'), { ...process.env, ...NO_DRIVER });
    assert.ok(probe.ok, JSON.stringify(probe));
    assert.equal(probe.adapter, null);
    assert.match(probe.loader, NOISE);
    assert.doesNotMatch(probe.loader, /\n/);
  });

  it('loaderLine keeps the first warning without its prefix, the stack lines or the XDG note', () => {
    const stderr = 'error: XDG_RUNTIME_DIR is invalid or not set in the environment.\nWarning: vkCreateInstance: Found no drivers!\nWarning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER\n    at CheckVkSuccessImpl (/home/runner/work/node-webgpu/x.cpp:106)\n';
    assert.equal(loaderLine(stderr), 'vkCreateInstance: Found no drivers!');
    assert.equal(loaderLine("Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file\n"), "Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file");
    assert.equal(loaderLine(''), '');
  });

  it('gat train --backend wasm and gat analyze print none of it; gat backends says it in one line of ours', async () => {
    const out = tempDir();
    const train = await runGat(['train', '--backend', 'wasm', '--num-of-epochs', '2', '--out', out], { env: NO_DRIVER });
    assert.equal(train.code, 0, train.stderr + train.stdout);
    assert.doesNotMatch(train.stderr + train.stdout, NOISE);
    const [runDir] = runDirs(out);
    const model = path.join(out, (await readRun(runDir)).artifacts.binary!);
    const analyze = await runGat(['analyze', '--model', model], { env: NO_DRIVER });
    assert.equal(analyze.code, 0, analyze.stderr + analyze.stdout);
    assert.doesNotMatch(analyze.stderr + analyze.stdout, NOISE);
    const backends = await runGat(['backends'], { env: NO_DRIVER });
    assert.equal(backends.code, 0, backends.stderr);
    assert.equal(backends.stderr, '');
    const lines = backends.stdout.split('\n').filter((l) => NOISE.test(l));
    assert.equal(lines.length, 1, backends.stdout);
    assert.match(lines[0], /^- webgpu: not available: WebGPU found no adapter: it needs a Vulkan driver .* \(Dawn: [^\n]+\)$/);
  });
});
