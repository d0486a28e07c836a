// Browser tier: bundles test/browser/**/*.test.ts with esbuild into out/test/browser and runs
// them with Node's test runner; the tests drive headless Debian Chromium (playwright-core)
// on the built webview bundles in dist/webview.
// Usage: node scripts/runBrowserTests.mjs [--build] [substring ...]
//   --build: run scripts/build.mjs first (otherwise only when a needed bundle is missing).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const root = 'test/browser';
const needed = ['dist/webview/graph.js', 'dist/webview/degrees.js', 'dist/layoutWorker.js'];

if (args.includes('--build') || needed.some((f) => !existsSync(f))) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const sources = readdirSync(root)
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => path.join(root, name))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (sources.length === 0) {
  console.error(`no browser test files match ${filters.join(', ')}`);
  process.exit(1);
}

rmSync('out/test/browser', { recursive: true, force: true });
await esbuild.build({
  entryPoints: sources,
  outdir: 'out/test/browser',
  outbase: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  packages: 'external',
  logLevel: 'warning',
});

const compiled = sources.map((f) => path.join('out/test/browser', path.relative(root, f)).replace(/\.ts$/, '.js'));
// One file at a time: each launches its own Chromium, and the machine has two cores.
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=1', ...compiled], { stdio: 'inherit' });
process.exit(result.status ?? 1);
