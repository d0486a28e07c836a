import type { DegreeSnapshot, GraphSnapshot, Provenance, RunPredictions } from '../../protocol/webviewMessages';
import { neighbourOffsets, splitOf, type GraphDataset } from '../data/graph';
import type { LayoutResult } from '../layout/protocol';
import type { RunNodeView } from '../records/nodeRecord';
import { degrees } from '../stats/graphStats';

/**
 * The complete snapshots the graph and degree panels draw from. Positions and edges are typed
 * arrays (VS Code transfers their buffers; a 200,000-node graph with 1.2 M edges is ~20 MB of
 * them, ~40 MB as JSON); per-node labels, splits and degrees are plain arrays.
 */
export function graphSnapshot(g: GraphDataset, layout: LayoutResult, provenance: Provenance, run?: Pick<RunNodeView, 'runId' | 'predictions' | 'confidence'>, focusNode?: number): GraphSnapshot {
  const offsets = neighbourOffsets(g);
  return {
    type: 'graphSnapshot',
    provenance,
    dataset: g.name,
    classNames: g.classNames,
    labels: Array.from(g.labels),
    split: Array.from({ length: g.numNodes }, (_, i) => splitOf(g, i)),
    degree: Array.from({ length: g.numNodes }, (_, i) => offsets[i + 1] - offsets[i]),
    x: Float32Array.from(layout.x),
    y: Float32Array.from(layout.y),
    edgeU: Int32Array.from(layout.u),
    edgeV: Int32Array.from(layout.v),
    edgeThickness: Float32Array.from(layout.thickness),
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
