// Unit tier: bundles each test/unit/**/*.test.ts with esbuild into out/test/unit and runs them
// with Node's own test runner, whose closing summary (tests / pass / fail) CI reads.
// Usage: node scripts/runUnitTests.mjs [substring ...]  (only test files whose path contains one)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

const filters = process.argv.slice(2);
const root = 'test/unit';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findTests(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const sources = findTests(root).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (sources.length === 0) {
  console.error(`no unit test files match ${filters.join(', ')}`);
  process.exit(1);
}

rmSync('out/test/unit', { recursive: true, force: true });
await esbuild.build({
  entryPoints: sources,
  outdir: 'out/test/unit',
  outbase: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  packages: 'external',
  logLevel: 'warning',
});

const compiled = sources.map((f) => path.join('out/test/unit', path.relative(root, f)).replace(/\.ts$/, '.js'));
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=1', ...compiled], { stdio: 'inherit' });
process.exit(result.status ?? 1);
