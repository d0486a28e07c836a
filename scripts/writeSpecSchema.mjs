// Regenerates media/schemas/trainingSpec.schema.json from the CLI's option table, so the
// schema VS Code validates *.gat.json with can never drift from `gat train`.
// Usage: node scripts/writeSpecSchema.mjs   (a unit test fails when the file is stale)
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = 'out/scripts/trainOptions.js';
await esbuild.build({ entryPoints: ['src/gat/options/trainOptions.ts', 'src/gat/options/specSchema.ts'], outdir: 'out/scripts', bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const require = createRequire(import.meta.url);
const { specSchema } = require(`../${out.replace('trainOptions', 'specSchema')}`);
writeFileSync('media/schemas/trainingSpec.schema.json', JSON.stringify(specSchema(), null, 2) + '\n');
