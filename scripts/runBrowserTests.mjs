// Browser tier: bundles test/browser/**/*.test.ts with esbuild into out/test/browser and runs
// them with Node's test runner; the tests drive headless Debian Chromium (playwright-core)
// on the built webview bundles in dist/webview.
// Usage: node scripts/runBrowserTests.mjs [--build] [substring ...]
//   --build: run scripts/build.mjs first (otherwise only when a needed bundle is missing).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runTestTier } from './nodeScripts.mjs';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const root = 'test/browser';
const needed = ['dist/webview/graph.js', 'dist/webview/embedding.js', 'dist/webview/degrees.js', 'dist/layoutWorker.js'];

if (args.includes('--build') || needed.some((f) => !existsSync(f))) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// One file at a time: each launches its own Chromium, and the machine has two cores.
process.exit(await runTestTier(root, 'out/test/browser', filters, 'browser'));
