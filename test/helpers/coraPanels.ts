import * as path from 'node:path';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { graphLayout } from '../../src/gat/layout/layoutCache';
import type { LayoutResult } from '../../src/gat/layout/protocol';
import { graphSnapshot } from '../../src/gat/panels/graphSnapshot';
import { panelProvenance } from '../../src/gat/panels/provenance';
import type { RunNodeView } from '../../src/gat/records/nodeRecord';
import type { GraphSnapshot } from '../../src/protocol/webviewMessages';
import { repoRoot } from './paths';

/** The real layout through the host's own path (worker from dist/, disk cache under out/). */
export function coraLayout(g: GraphDataset): Promise<LayoutResult> {
  return graphLayout(g, { cacheDir: path.join(repoRoot, 'out', 'test', 'layoutCache'), workerScript: path.join(repoRoot, 'dist', 'layoutWorker.js') });
}

/** A stand-in run: right on most nodes, wrong (next class) on every 7th, with varying confidence. */
export function fakeRun(g: GraphDataset, runId = 'test-run'): Pick<RunNodeView, 'runId' | 'predictions' | 'confidence'> {
  const predictions = Int32Array.from(g.labels, (label, i) => (i % 7 === 3 ? (label + 1) % g.numClasses : label));
  const confidence = Float32Array.from(g.labels, (_, i) => 0.4 + ((i * 37) % 60) / 100);
  return { runId, predictions, confidence };
}

/** Cora's graph snapshot as the graph panel posts it: without a run, and with the stand-in run. */
export async function coraSnapshots(): Promise<{ cora: GraphDataset; plain: GraphSnapshot; withRun: GraphSnapshot }> {
  const cora = await loadPlanetoid('cora');
  const layout = await coraLayout(cora);
  return { cora, plain: graphSnapshot(cora, layout, panelProvenance(cora)), withRun: graphSnapshot(cora, layout, panelProvenance(cora), fakeRun(cora)) };
}
