import type { EmbeddingInfo, GraphSnapshot, Provenance } from '../../protocol/webviewMessages';
import type { Analysis } from '../artifacts/analysis';
import type { GraphDataset } from '../data/graph';
import { graphSnapshot } from './graphSnapshot';

/** World width the map is scaled to: about the graph layout's, so node sizes read the same. */
const SPAN = 1200;

/**
 * t-SNE coordinates (N × 2, interleaved) centred and scaled to a fixed span: the optimisation's
 * scale changes a lot (1e-4 at the start, tens later), the drawing should not.
 */
export function scaleEmbedding(embedding: ArrayLike<number>, n: number): { x: Float32Array; y: Float32Array } {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += embedding[2 * i];
    my += embedding[2 * i + 1];
  }
  mx /= Math.max(1, n);
  my /= Math.max(1, n);
  let extent = 0;
  for (let i = 0; i < n; i++) extent = Math.max(extent, Math.abs(embedding[2 * i] - mx), Math.abs(embedding[2 * i + 1] - my));
  const k = extent > 0 ? SPAN / 2 / extent : 1;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (embedding[2 * i] - mx) * k;
    y[i] = (embedding[2 * i + 1] - my) * k;
  }
  return { x, y };
}

/**
 * The embedding panel's snapshot: the graph panel's data (classes, splits, predictions,
 * tooltips) with t-SNE positions and no edges, so the same canvas view draws the map.
 */
export function embeddingSnapshot(g: GraphDataset, a: Analysis, runId: string, provenance: Provenance, embedding: ArrayLike<number>, info: EmbeddingInfo): GraphSnapshot {
  const { x, y } = scaleEmbedding(embedding, g.numNodes);
  const none = new Int32Array(0);
  const snapshot = graphSnapshot(g, { x, y, u: none, v: none, thickness: new Float32Array(0) }, provenance, { runId, predictions: a.predictions, confidence: a.confidence });
  return { ...snapshot, embedding: info };
}
