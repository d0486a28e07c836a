import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { backendSettingSchema } from '../../src/gat/backend/registry';
import { parseArgs } from '../../src/gat/options/args';
import { specKey, specSchema } from '../../src/gat/options/specSchema';
import { SPEC_KEYS, TRAIN_OPTIONS } from '../../src/gat/options/trainOptions';
import { readTrainingSpec } from '../../src/gat/run/specFile';
import { repoRoot } from '../helpers/paths';

describe('training spec (*.gat.json)', () => {
  it('the contributed JSON schema is the one generated from the CLI options (run node scripts/writeSpecSchema.mjs)', () => {
    const committed = JSON.parse(readFileSync(path.join(repoRoot, 'media', 'schemas', 'trainingSpec.schema.json'), 'utf8'));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(specSchema())));
  });

  it("package.json's gat.backend setting is the one generated from the back-end registry (run node scripts/writeSpecSchema.mjs)", () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.configuration.properties['gat.backend'], backendSettingSchema());
  });

  it('package.json attaches the schema to *.gat.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: ['*.gat.json'], url: './media/schemas/trainingSpec.schema.json' }]);
  });

  it('every spec key is a CLI option in snake_case', () => {
    const schema = specSchema() as { properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(schema.properties).filter((k) => k !== '$schema').sort(), SPEC_KEYS.map(specKey).sort());
  });

  it('turns a spec into flags that command-line flags override', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-spec-'));
    const file = path.join(dir, 'a.gat.json');
    writeFileSync(file, JSON.stringify({ num_of_epochs: 50, should_test: true, lr: 0.01, dataset_name: 'cora' }));
    const { args } = await readTrainingSpec(file);
    const parsed = parseArgs([...args, '--lr', '0.02'], TRAIN_OPTIONS);
    assert.equal(parsed.numOfEpochs, 50);
    assert.equal(parsed.shouldTest, true);
    assert.equal(parsed.lr, 0.02);
  });

  it('records the absolute path and the SHA-256 of the bytes it parsed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-spec-'));
    writeFileSync(path.join(dir, 'empty.gat.json'), '{}');
    const spec = await readTrainingSpec(path.relative(process.cwd(), path.join(dir, 'empty.gat.json')));
    assert.deepEqual(spec, { args: [], path: path.join(dir, 'empty.gat.json'), sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' }); // sha256sum of '{}'
  });

  it("resolves a spec's relative paths (out, data_dir, resume) against the spec's folder, wherever gat runs; absolute ones are kept", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-spec-'));
    mkdirSync(path.join(dir, 'specs'));
    const file = path.join(dir, 'specs', 'a.gat.json');
    writeFileSync(file, JSON.stringify({ out: '../escaped', data_dir: 'data', resume: './ckpt.safetensors', seed: 3 }));
    // Read through a relative path from another working folder: the spec's folder still anchors its paths.
    const parsed = parseArgs((await readTrainingSpec(path.relative(process.cwd(), file))).args, TRAIN_OPTIONS);
    assert.equal(parsed.out, path.join(dir, 'escaped'));
    assert.equal(parsed.dataDir, path.join(dir, 'specs', 'data'));
    assert.equal(parsed.resume, path.join(dir, 'specs', 'ckpt.safetensors'));
    writeFileSync(file, JSON.stringify({ out: '/elsewhere/out' }));
    assert.equal(parseArgs((await readTrainingSpec(file)).args, TRAIN_OPTIONS).out, '/elsewhere/out');
  });

  it("says in the schema that a path option's relative path is resolved against the spec's folder", () => {
    const properties = (specSchema() as { properties: Record<string, { description: string }> }).properties;
    for (const key of ['out', 'data_dir', 'resume']) assert.match(properties[key].description, /In a spec, a relative path is resolved against the spec file's folder\.$/, key);
    assert.doesNotMatch(properties.seed.description, /relative path/);
  });

  const invalid: Array<[string, RegExp]> = [
    ['{ "num_of_epochs": 0 }', /--num_of_epochs must be ≥ 1/],
    ['{ "epochs": 10 }', /unknown option 'epochs'/],
    ['[1, 2]', /must be a JSON object/],
    ['{ "lr": ', /is not valid JSON/],
    ['{ "seed": [1] }', /'seed' must be a number, string or boolean/],
  ];
  for (const [text, message] of invalid) {
    it(`rejects ${text}`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-spec-'));
      const file = path.join(dir, 'bad.gat.json');
      writeFileSync(file, text);
      await assert.rejects(async () => parseArgs((await readTrainingSpec(file)).args, TRAIN_OPTIONS), message);
    });
  }
});
