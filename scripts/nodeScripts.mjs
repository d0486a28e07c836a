// Shared by the test and bench runners: bundle TypeScript entry points for Node with esbuild
// (dependencies stay external), and run a folder of *.test.ts files with Node's test runner.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Bundles entries for Node (CommonJS, inline source maps, node_modules external). */
export function bundleForNode(options) {
  return esbuild.build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', packages: 'external', logLevel: 'warning', ...options });
}

/**
 * The caller's environment without the product's own `GAT_*` variables (GAT_DATA_DIR,
 * GAT_DATASET_BASE_URL, …), which would change what the tests read; the harness's own knobs
 * (GAT_TEST_*, GAT_E2E_*) stay. Tests set what they use themselves.
 */
export function hermeticEnv(env = process.env) {
  const out = { ...env };
  for (const key of Object.keys(out)) {
    if (key.startsWith('GAT_') && !key.startsWith('GAT_TEST_') && !key.startsWith('GAT_E2E_')) delete out[key];
  }
  return out;
}

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findTests(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

/**
 * Bundles every `root/**\/*.test.ts` whose path contains one of `filters` (all when none) into
 * `outDir` and runs them one file at a time with `node --test`; returns its exit code.
 */
export async function runTestTier(root, outDir, filters, label) {
  const sources = findTests(root).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
  if (sources.length === 0) {
    console.error(`no ${label} test files match ${filters.join(', ')}`);
    return 1;
  }
  rmSync(outDir, { recursive: true, force: true });
  await bundleForNode({ entryPoints: sources, outdir: outDir, outbase: root });
  const compiled = sources.map((f) => path.join(outDir, path.relative(root, f)).replace(/\.ts$/, '.js'));
  // A cache folder of this run's own (layouts, downloads), so nothing from an earlier run or the
  // user's real cache is read back.
  const cache = path.join(outDir, '.cache');
  mkdirSync(cache, { recursive: true });
  const env = { ...hermeticEnv(), XDG_CACHE_HOME: cache };
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=1', ...compiled], { stdio: 'inherit', env });
  return result.status ?? 1;
}
