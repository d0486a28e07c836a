// Bundles the extension-host suite (test/extension/suite/index.ts + *.test.ts) into
// out/test/extension/suite/, one CommonJS file per entry; `vscode` and `mocha` stay external
// (VS Code provides the first, the repo's node_modules the second). Shared by both runners.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const suiteOutDir = path.join(repoRoot, 'out/test/extension/suite');
export const suiteEntry = path.join(suiteOutDir, 'index.js');

export async function buildSuite() {
  const srcDir = path.join(repoRoot, 'test/extension/suite');
  const entries = readdirSync(srcDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(srcDir, name));
  rmSync(suiteOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outdir: suiteOutDir,
    outbase: srcDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  // End esbuild's service process now: the runner waits for all its child processes at the end.
  await esbuild.stop();
  return entries.length;
}
