// Shared by the test and bench runners: bundle TypeScript entry points for Node with esbuild
// (dependencies stay external), and run a folder of *.test.ts files with Node's test runner.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Bundles entries for Node (CommonJS, inline source maps, node_modules external). */
export function bundleForNode(options) {
  return esbuild.build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', packages: 'external', logLevel: 'warning', ...options });
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
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=1', ...compiled], { stdio: 'inherit' });
  return result.status ?? 1;
}
