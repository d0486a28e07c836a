import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGatSettings } from '../../src/extension/core/settingsModel';

describe('gat.* settings', () => {
  it('reads good values, resolving a relative output folder against the workspace', () => {
    const { settings, problems } = parseGatSettings({ backend: 'cpu', outputFolder: ' out ', dataFolder: '/data', seed: 7, quickTrainEpochs: 50, snapshots: 0, graphRenderer: 'canvas', threads: 3 }, '/ws');
    assert.deepEqual(settings, { backend: 'cpu', outputFolder: '/ws/out', dataFolder: '/data', seed: 7, quickTrainEpochs: 50, snapshots: 0, graphRenderer: 'canvas', threads: 3 });
    assert.deepEqual(problems, []);
  });

  it('takes the defaults for unset values (the workspace as output folder, or none without one)', () => {
    assert.deepEqual(parseGatSettings({}, '/ws').settings, { backend: 'auto', outputFolder: '/ws', dataFolder: undefined, seed: 42, quickTrainEpochs: 10_000, snapshots: 32, graphRenderer: 'auto', threads: 0 });
    assert.equal(parseGatSettings({}, undefined).settings.outputFolder, undefined);
  });

  it('falls back to the default for a bad value, with a problem naming the setting, the value and what is allowed', () => {
    const { settings, problems } = parseGatSettings({ backend: 'gpu', seed: 1.5, quickTrainEpochs: 0, outputFolder: 5, dataFolder: 'a\u0000b', snapshots: 257, graphRenderer: 'webgl', threads: -1 }, '/ws');
    assert.deepEqual(settings, { backend: 'auto', outputFolder: '/ws', dataFolder: undefined, seed: 42, quickTrainEpochs: 10_000, snapshots: 32, graphRenderer: 'auto', threads: 0 });
    assert.deepEqual(problems, [
      'gat.backend is "gpu", which is not allowed (one of auto, webgpu, tfjs-node-gpu, tfjs-node, native, wasm, cpu); using the default, "auto"',
      'gat.graphRenderer is "webgl", which is not allowed (one of auto, canvas); using the default, "auto"',
      'gat.outputFolder is 5, which is not allowed (a folder path); using the default, empty',
      'gat.dataFolder is "a\\u0000b", which is not allowed (a folder path without NUL characters); using the default, empty',
      'gat.seed is 1.5, which is not allowed (an integer from 0 to 2147483647); using the default, 42',
      'gat.quickTrainEpochs is 0, which is not allowed (an integer from 1 to 100000); using the default, 10000',
      'gat.snapshots is 257, which is not allowed (an integer from 0 to 256); using the default, 32',
      'gat.threads is -1, which is not allowed (an integer from 0 to 256); using the default, 0',
    ]);
  });

  it('never reads an inherited property as a setting', () => {
    const raw = Object.create({ seed: 3 }) as Record<string, unknown>;
    assert.equal(parseGatSettings(raw, '/ws').settings.seed, 42);
  });
});
