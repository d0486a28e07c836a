// Writes Planetoid-format files (ind.NAME.x, allx, tx, y, ally, ty, graph, test.index) of PubMed's
// published sizes, citation-like, for trying PubMed-sized graphs offline (PubMed's real files
// cannot be fetched here) and for the e2e walk-through.
// Usage: node scripts/generatePlanetoid.mjs DIR
//   then: npx gat train --dataset-name pubmedsized --data-dir DIR
import { spawnSync } from 'node:child_process';
import { bundleForNode } from './nodeScripts.mjs';

const [dir] = process.argv.slice(2);
if (!dir || dir.startsWith('--')) {
  console.error('usage: node scripts/generatePlanetoid.mjs DIR');
  process.exit(2);
}
await bundleForNode({ stdin: { contents: `import { PUBMED_SIZES, writeSizedPlanetoid } from './test/helpers/planetoidSized';\nwriteSizedPlanetoid(process.argv[2], PUBMED_SIZES);\n`, resolveDir: '.', loader: 'ts' }, outfile: 'out/scripts/generatePlanetoid.js' });
const r = spawnSync(process.execPath, ['out/scripts/generatePlanetoid.js', dir], { stdio: 'inherit' });
if (r.status === 0) console.log(`wrote PubMed-sized Planetoid files (dataset "pubmedsized": 19,717 nodes, 44,324 edges) to ${dir}`);
process.exit(r.status ?? 1);
