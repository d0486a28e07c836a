/**
 * A PPI-format dataset with an analysis for panel tests: the synthetic dataset through the real
 * loader, and an analysis with valid made-up numbers (uniform attention, logits from a hash), so
 * tests of the panels need no training.
 */
import { computeAnalysis, type Analysis } from '../../src/gat/artifacts/analysis';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadDataset } from '../../src/gat/data/loadDataset';
import { buildGatGraph } from '../../src/gat/kernels/gatGraph';
import { writeSyntheticPpi, type SyntheticScale } from './ppiSynthetic';

export function fakePpiAnalysis(g: GraphDataset, heads: readonly number[] = [4, 6]): Analysis {
  const whole = buildGatGraph(g);
  const c = g.numClasses;
  const counts = new Int32Array(g.numNodes);
  for (const t of whole.target) counts[t]++;
  const uniform = (h: number): Float32Array => Float32Array.from({ length: whole.numEdges * h }, (_, k) => 1 / counts[whole.target[Math.floor(k / h)]]);
  return computeAnalysis({
    logits: Float32Array.from({ length: g.numNodes * c }, (_, k) => Math.sin(k * 12.9898) * 3),
    edgeSource: whole.source,
    edgeTarget: whole.target,
    attention: heads.map(uniform),
    heads,
    labels: g.labels,
    split: g.split,
    classNames: g.classNames,
    provenance: { dataset: g.name } as never,
    multiLabels: g.multiLabels,
    graphs: g.graphs,
  });
}

/** Writes a synthetic PPI-format dataset into `dir` and loads it. */
export async function syntheticPpiDataset(dir: string, scale: SyntheticScale = 'tiny', seed = 2): Promise<GraphDataset> {
  writeSyntheticPpi(dir, { scale, seed });
  return loadDataset('synthppi', { dataDir: dir });
}
