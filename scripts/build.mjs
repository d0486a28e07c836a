// Bundles every entry point with esbuild: the CLI and training core (Node), the extension host
// (Node, `vscode` external) and the webview apps (browser). Type checking is `tsc -b`, separately.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const production = process.argv.includes('--production');

// Start from an empty dist/ so nothing stale (old entries, source maps) is packaged.
rmSync('dist', { recursive: true, force: true });

/**
 * Native back ends (TensorFlow.js native, Dawn's webgpu) are optional and loaded at run time, guarded:
 * the packages of the back-end registry's entries that are not bundled.
 */
await esbuild.build({ entryPoints: { registry: 'src/gat/backend/registry.ts' }, outdir: 'out/scripts', bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const { BACKENDS } = createRequire(import.meta.url)('../out/scripts/registry.js');
const nodeExternals = BACKENDS.filter((b) => !b.bundled).map((b) => b.package);

const nodeEntries = [
  { in: 'src/gat/cli/main.ts', out: 'cli' },
  { in: 'src/gat/tsne/tsneWorker.ts', out: 'tsneWorker' },
  { in: 'src/gat/layout/layoutWorker.ts', out: 'layoutWorker' },
  { in: 'src/gat/kernels/gemmWorker.ts', out: 'gemmWorker' },
  { in: 'src/gat/data/datasetWorker.ts', out: 'datasetWorker' },
  { in: 'src/gat/explain/faithfulnessWorker.ts', out: 'faithfulnessWorker' },
].filter((e) => existsSync(e.in));

/** What every Node bundle shares: one CommonJS file per entry for Node 20, maps unless --production. */
const forNode = { outdir: 'dist', bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning' };

const builds = [
  esbuild.build({
    ...forNode,
    entryPoints: nodeEntries,
    external: nodeExternals,
    // tfjs-backend-cpu's Node entry registers the back end as a side effect, but its package.json
    // does not list that file in "sideEffects"; without this the bundle would drop it.
    ignoreAnnotations: true,
  }),
];

if (existsSync('src/extension/extension.ts')) {
  builds.push(
    esbuild.build({ ...forNode, entryPoints: { extension: 'src/extension/extension.ts' }, external: ['vscode', ...nodeExternals] }),
  );
}

const webviewEntries = ['graph', 'degrees', 'metrics', 'attention', 'entropy', 'embedding', 'training', 'compare', 'computation', 'faithfulness']
  .map((name) => ({ in: `src/webview/${name}/main.ts`, out: name }))
  .filter((e) => existsSync(e.in));
if (webviewEntries.length > 0) {
  builds.push(
    esbuild.build({
      entryPoints: webviewEntries,
      outdir: 'dist/webview',
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      sourcemap: !production,
      minify: production,
      logLevel: 'warning',
    }),
  );
}

// The WASM back end reads its .wasm files from disk next to the bundle (dist/wasm), so the
// packaged extension needs no node_modules.
mkdirSync('dist/wasm', { recursive: true });
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copyFileSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${f}`, `dist/wasm/${f}`);
}

// The Computation panel links each step of a GAT layer to the code that computes it. The links are
// resolved here, from `// explain: <step>` markers, so they follow the code through refactors, and
// the files they point into ship in dist/source/ (the packaged extension has no src/).
// (the same list as src/protocol/explanation.ts EXPLAIN_STEPS; a unit test compares them)
const EXPLAIN_STEPS = ['input', 'projection', 'scores', 'attention', 'aggregate', 'skip', 'combine', 'output', 'v2Projection', 'v2Scores', 'v2Attention', 'v2Aggregate'];
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}
const explainSources = {};
for (const file of sourceFiles('src/gat')) {
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    const m = /^\s*\/\/ explain: (\w+)/.exec(text);
    if (!m) return;
    if (!EXPLAIN_STEPS.includes(m[1]) || explainSources[m[1]]) throw new Error(`${file}:${i + 1}: '// explain: ${m[1]}' is not a step or marks one twice`);
    const rel = file.split(path.sep).join('/');
    explainSources[m[1]] = { file: rel, line: i + 2 }; // the line after the marker: the code itself
    mkdirSync(path.dirname(path.join('dist/source', rel)), { recursive: true });
    copyFileSync(file, path.join('dist/source', rel));
  });
}
const missing = EXPLAIN_STEPS.filter((s) => !explainSources[s]);
if (missing.length) throw new Error(`no '// explain: <step>' marker for ${missing.join(', ')} under src/gat`);
writeFileSync('dist/explainSources.json', JSON.stringify(explainSources, null, 2) + '\n');

await Promise.all(builds);
