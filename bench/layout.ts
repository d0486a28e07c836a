/**
 * Graph layout at PubMed's size (a generated citation-like Planetoid graph of 19,717 nodes and
 * 44,324 edges): the multilevel layout the panel uses from 5,000 nodes against 300 ticks of plain
 * d3-force, timed, with the mean edge length over the mean distance of random pairs (lower: more
 * structure; a random placement gives about 1). JSON as the last line.
 * Usage: npm run bench:layout [-- --no-plain]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPlanetoid } from '../src/gat/data/planetoid';
import { forceLayout } from '../src/gat/layout/forceLayout';
import { multilevelLayout } from '../src/gat/layout/multilevelLayout';
import { edgeStats } from '../src/gat/stats/graphStats';
import { edgeToPairRatio } from '../test/helpers/layoutQuality';
import { PUBMED_SIZES, writeSizedPlanetoid } from '../test/helpers/planetoidSized';

const ratio = (l: { x: Float32Array; y: Float32Array }, u: Int32Array, v: Int32Array): number => Number(edgeToPairRatio(l.x, l.y, u, v).toFixed(4));

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-bench-layout-'));
  try {
    writeSizedPlanetoid(dir, PUBMED_SIZES);
    const g = await loadPlanetoid(PUBMED_SIZES.name, { dataDir: dir });
    let t = performance.now();
    const s = edgeStats(g);
    const betweennessMs = Math.round(performance.now() - t);
    t = performance.now();
    const ml = multilevelLayout(g.numNodes, s.u, s.v);
    const out: Record<string, number | string> = { nodes: g.numNodes, edges: s.u.length, sampledBetweennessMs: betweennessMs, multilevelMs: Math.round(performance.now() - t), multilevelEdgeToPairRatio: ratio(ml, s.u, s.v) };
    if (!process.argv.includes('--no-plain')) {
      t = performance.now();
      const f = forceLayout(g.numNodes, s.u, s.v, { ticks: 300, seed: 42 });
      out.plainForce300TicksMs = Math.round(performance.now() - t);
      out.plainForceEdgeToPairRatio = ratio(f, s.u, s.v);
    }
    console.log(JSON.stringify(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
