// Platform-specific .vsix files: the base package (which trains with no native code at all) plus
// onnxruntime-node for the `native` back end, carrying only that platform's binary. The package is
// staged as dist/node_modules/onnxruntime-node (and its one run-time dependency, onnxruntime-common),
// where Node's own resolution from dist/cli.js finds it; nothing else changes.
// The Marketplace serves each platform its file and every other platform (Intel macOS, Alpine, the
// web) the universal one that `npm run package` builds.
// Usage: node scripts/packageTargets.mjs [target ...] [--vsce-flag ...]   (default: every target onnxruntime-node ships;
// flags go to `vsce package` as they are)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** vsce's target names and onnxruntime-node's binary folders (bin/napi-v6/<platform>/<arch>). */
const TARGETS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
  'darwin-arm64': 'darwin/arm64',
};
const ORT = 'node_modules/onnxruntime-node';
const STAGE = 'dist/node_modules';

const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const vsceFlags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const targets = asked.length ? asked : Object.keys(TARGETS);
for (const t of targets) if (!TARGETS[t]) throw new Error(`unknown target ${t}; use ${Object.keys(TARGETS).join(', ')}`);
if (!existsSync(ORT)) throw new Error(`${ORT} is missing: run npm ci first (it is an optional dependency)`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}

/** onnxruntime-node as it loads at run time: its package.json, dist/ and one platform's binaries. */
function stage(binaries) {
  rmSync(STAGE, { recursive: true, force: true });
  const dest = path.join(STAGE, 'onnxruntime-node');
  mkdirSync(dest, { recursive: true });
  for (const f of ['package.json', 'LICENSE', 'README.md', 'dist']) if (existsSync(path.join(ORT, f))) cpSync(path.join(ORT, f), path.join(dest, f), { recursive: true });
  cpSync(path.join(ORT, 'bin', 'napi-v6', binaries), path.join(dest, 'bin', 'napi-v6', binaries), { recursive: true });
  cpSync('node_modules/onnxruntime-common', path.join(STAGE, 'onnxruntime-common'), { recursive: true });
}

run(process.execPath, ['scripts/build.mjs', '--production']);
try {
  for (const t of targets) {
    stage(TARGETS[t]);
    const out = `gat-explorer-${t}.vsix`;
    run('npx', ['vsce', 'package', '--no-dependencies', '--target', t, '--out', out, ...vsceFlags]);
    console.log(`${out}: ${(statSync(out).size / 2 ** 20).toFixed(1)} MB`);
  }
} finally {
  rmSync(STAGE, { recursive: true, force: true });
}
