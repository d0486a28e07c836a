import type { DegreeSnapshot, GraphSnapshot, Provenance, RunPredictions } from '../../protocol/webviewMessages';
import { neighbourOffsets, splitOf, type GraphDataset } from '../data/graph';
import type { LayoutResult } from '../layout/protocol';
import type { RunNodeView } from '../records/nodeRecord';
import { degrees } from '../stats/graphStats';

/**
 * The complete snapshots the graph and degree panels draw from. Plain arrays (not typed
 * arrays): webview messages are JSON-serialised. Cora's graph snapshot is ~0.3 MB.
 */
export function graphSnapshot(g: GraphDataset, layout: LayoutResult, provenance: Provenance, run?: Pick<RunNodeView, 'runId' | 'predictions' | 'confidence'>, focusNode?: number): GraphSnapshot {
  const offsets = neighbourOffsets(g);
  const round = (a: Float32Array, digits: number): number[] => Array.from(a, (v) => Number(v.toFixed(digits)));
  return {
    type: 'graphSnapshot',
    provenance,
    dataset: g.name,
    classNames: g.classNames,
    labels: Array.from(g.labels),
    split: Array.from({ length: g.numNodes }, (_, i) => splitOf(g, i)),
    degree: Array.from({ length: g.numNodes }, (_, i) => offsets[i + 1] - offsets[i]),
    x: round(layout.x, 2),
    y: round(layout.y, 2),
    edgeU: Array.from(layout.u),
    edgeV: Array.from(layout.v),
    edgeThickness: round(layout.thickness, 4),
    ...(run ? { run: { runId: run.runId, ...runPredictions(run) } } : {}),
    ...(focusNode !== undefined ? { focusNode } : {}),
  };
}

/** A run's predictions as a message carries them: plain arrays, confidence to 4 decimals (the tooltip's percentage). */
export function runPredictions(run: { readonly predictions: ArrayLike<number>; readonly confidence: ArrayLike<number> }): RunPredictions {
  return { predictions: Array.from(run.predictions), confidence: Array.from(run.confidence, (v) => Number(v.toFixed(4))) };
}

export function degreeSnapshot(g: GraphDataset, provenance: Provenance): DegreeSnapshot {
  const { inDegree, outDegree } = degrees(g);
  return {
    type: 'degreeSnapshot',
    provenance,
    dataset: g.name,
    classNames: g.classNames,
    labels: Array.from(g.labels),
    inDegree: Array.from(inDegree),
    outDegree: Array.from(outDegree),
  };
}
