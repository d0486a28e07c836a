// Benchmarks: bundles bench/<name>.ts with esbuild and runs it with the remaining arguments.
// Usage: node scripts/runBench.mjs <name> [args...]   (npm run bench -- --json)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { bundleForNode } from './nodeScripts.mjs';

const [name, ...args] = process.argv.slice(2);
const entry = `bench/${name}.ts`;
if (!name || !existsSync(entry)) {
  console.error(`no benchmark ${entry}`);
  process.exit(2);
}
await bundleForNode({ entryPoints: [entry], outfile: `out/bench/${name}.js` });
const result = spawnSync(process.execPath, ['--enable-source-maps', `out/bench/${name}.js`, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
