// Writes a synthetic PPI-format dataset (the twelve files of DGL's ppi.zip) that GAT can learn,
// for trying the PPI pipeline offline, the e2e walk-through and the benchmark.
// Usage: node scripts/generatePpi.mjs DIR [--scale ppi|small|tiny] [--seed N]
//   then: npx gat train --dataset-name synthppi --data-dir DIR
import { spawnSync } from 'node:child_process';
import { bundleForNode } from './nodeScripts.mjs';

const [dir, ...rest] = process.argv.slice(2);
if (!dir || dir.startsWith('--')) {
  console.error('usage: node scripts/generatePpi.mjs DIR [--scale ppi|small|tiny] [--seed N]');
  process.exit(2);
}
const option = (name, fallback) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : fallback;
};
const scale = option('scale', 'small');
const seed = Number(option('seed', '7'));
if (!['ppi', 'small', 'tiny'].includes(scale) || !Number.isInteger(seed)) {
  console.error('--scale is ppi, small or tiny; --seed an integer');
  process.exit(2);
}
await bundleForNode({ stdin: { contents: `import { writeSyntheticPpi } from './test/helpers/ppiSynthetic';\nwriteSyntheticPpi(process.argv[2], { scale: process.argv[3], seed: Number(process.argv[4]) });\n`, resolveDir: '.', loader: 'ts' }, outfile: 'out/scripts/generatePpi.js' });
const r = spawnSync(process.execPath, ['out/scripts/generatePpi.js', dir, scale, String(seed)], { stdio: 'inherit' });
if (r.status === 0) console.log(`wrote a synthetic PPI-format dataset (${scale}) to ${dir}`);
process.exit(r.status ?? 1);
