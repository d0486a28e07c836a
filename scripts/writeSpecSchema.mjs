// Regenerates what VS Code reads from the CLI's declarations, so neither can drift from `gat`:
// media/schemas/trainingSpec.schema.json from the option table of `gat train`, and the
// `gat.backend` setting in package.json from the back-end registry.
// Usage: node scripts/writeSpecSchema.mjs   (a unit test fails when either is stale)
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const entries = { specSchema: 'src/gat/options/specSchema.ts', registry: 'src/gat/backend/registry.ts' };
await esbuild.build({ entryPoints: entries, outdir: 'out/scripts', bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const require = createRequire(import.meta.url);
const { specSchema } = require('../out/scripts/specSchema.js');
const { backendSettingSchema } = require('../out/scripts/registry.js');
writeFileSync('media/schemas/trainingSpec.schema.json', JSON.stringify(specSchema(), null, 2) + '\n');

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
pkg.contributes.configuration.properties['gat.backend'] = backendSettingSchema();
writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
