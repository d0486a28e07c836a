// Fuzzing: bundles the fuzz runner and its worker (test/fuzz) with esbuild and runs them.
// Usage: npm run fuzz -- --seconds N [--target T] [--seed S] [--json]
import { spawnSync } from 'node:child_process';
import { bundleForNode, hermeticEnv } from './nodeScripts.mjs';

await bundleForNode({ entryPoints: ['test/fuzz/fuzzMain.ts', 'test/fuzz/fuzzChild.ts'], outdir: 'out/fuzz', outbase: 'test/fuzz' });
const result = spawnSync(process.execPath, ['--enable-source-maps', 'out/fuzz/fuzzMain.js', ...process.argv.slice(2)], { stdio: 'inherit', env: hermeticEnv() });
process.exit(result.status ?? 1);
