/**
 * The extension's `gat.*` settings (src/extension/core/settingsModel.ts parseGatSettings, which
 * readSettings calls with VS Code's values). An input is a settings.json; text that is not JSON is
 * outside the parser (VS Code never hands it over) and counts as accepted. The contract here is
 * stronger than a typed error: parseGatSettings never throws and always returns valid settings.
 */
import * as path from 'node:path';
import * as fc from 'fast-check';
import { BACKEND_SETTINGS, GRAPH_RENDERER_SETTINGS, parseGatSettings, SETTING_NAMES } from '../../../src/extension/core/settingsModel';
import { jsonBytes, lazy, mutatedSeeds } from '../mutate';
import { require, type FuzzTarget } from '../target';

const WORKSPACE = '/fuzz/workspace';

export const settingsSeeds = lazy((): Uint8Array[] => [
  jsonBytes({ 'gat.backend': 'cpu', 'gat.seed': 7, 'gat.quickTrainEpochs': 50, 'gat.snapshots': 4, 'gat.graphRenderer': 'canvas', 'gat.outputFolder': 'out', 'gat.dataFolder': '/data' }),
  jsonBytes({ 'gat.backend': 'auto', 'gat.outputFolder': '/abs/out', 'editor.fontSize': 12 }),
  jsonBytes({}),
]);

const VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1, 42, 1.5, 2147483647, 2147483648, -2147483648, 100000, 100001, 1e308, -0, 5e-324, '', ' ', '42', 'auto', 'cpu', 'CPU', 'tfjs-node-gpu', 'gpu',
  'out', '/abs', '../..', 'C:\\data', 'a\u0000b', '\u0000', '  padded  ', '~', [], [1], {}, { x: 1 }, ['cpu'],
];
const value = fc.oneof(fc.constantFrom(...VALUES), fc.jsonValue({ maxDepth: 2 }), fc.double(), fc.string({ maxLength: 12 }));
const keyName = fc.oneof({ arbitrary: fc.constantFrom(...SETTING_NAMES.map((n) => `gat.${n}`)), weight: 6 }, { arbitrary: fc.constantFrom('gat.__proto__', '__proto__', 'gat.constructor', 'gat.', 'gat', 'gat.seed.x', 'editor.tabSize'), weight: 1 });

/** A settings.json written key by key, so '__proto__' stays a key. */
const generated: fc.Arbitrary<Uint8Array> = fc
  .array(fc.tuple(keyName, value), { maxLength: 6 })
  .map((entries) => new TextEncoder().encode(`{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v) ?? 'null'}`).join(', ')}}`));

/** The raw values VS Code would hand readSettings: `gat.<name>` keys of the file, without the prefix. */
function rawSettings(doc: Record<string, unknown>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k.startsWith('gat.')) Object.defineProperty(raw, k.slice(4), { value: v, enumerable: true, configurable: true, writable: true });
  }
  return raw;
}

export const settingsTarget: FuzzTarget = {
  name: 'settings',
  description: 'parseGatSettings (src/extension/core/settingsModel.ts): settings.json values',
  run(input) {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(input));
    } catch {
      return; // not JSON: VS Code reports it and never hands it to the extension
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return;
    const { settings: s, problems } = parseGatSettings(rawSettings(doc as Record<string, unknown>), WORKSPACE);
    require((BACKEND_SETTINGS as readonly string[]).includes(s.backend), `backend ${String(s.backend)}`);
    require(Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 2147483647, `seed ${s.seed}`);
    require(Number.isInteger(s.quickTrainEpochs) && s.quickTrainEpochs >= 1 && s.quickTrainEpochs <= 100000, `quickTrainEpochs ${s.quickTrainEpochs}`);
    require(Number.isInteger(s.snapshots) && s.snapshots >= 0 && s.snapshots <= 256, `snapshots ${s.snapshots}`);
    require((GRAPH_RENDERER_SETTINGS as readonly string[]).includes(s.graphRenderer), `graphRenderer ${String(s.graphRenderer)}`);
    require(typeof s.outputFolder === 'string' && path.isAbsolute(s.outputFolder) && !s.outputFolder.includes('\0'), `outputFolder ${String(s.outputFolder)}`);
    require(s.dataFolder === undefined || (typeof s.dataFolder === 'string' && s.dataFolder.length > 0 && !s.dataFolder.includes('\0')), `dataFolder ${String(s.dataFolder)}`);
    require(Array.isArray(problems) && problems.every((p) => typeof p === 'string' && /^gat\.\w+ /.test(p)), 'problems name their setting');
  },
  isOwnError: () => false,
  seeds: settingsSeeds,
  generate: fc.oneof({ arbitrary: generated, weight: 3 }, { arbitrary: mutatedSeeds(settingsSeeds), weight: 1 }),
};
