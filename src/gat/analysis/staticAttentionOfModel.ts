/**
 * The static-attention diagnostic of a model on a dataset, from its parameters and its analysis
 * artifact: the logits recomputed layer by layer (attentionScores.ts), checked against the
 * attention the artifact holds, then ranked (staticAttention.ts).
 */
import type { Analysis } from '../artifacts/analysis';
import type { NamedTensor } from '../artifacts/namedTensor';
import type { GraphDataset } from '../data/graph';
import type { DenseProducts } from '../kernels/denseProducts';
import { modelOf, type LayerShape } from '../model/parameters';
import { attentionScores, parametersOf } from './attentionScores';
import { staticAttention, type StaticAttentionReport } from './staticAttention';

export interface StaticAttentionOfModel extends StaticAttentionReport {
  /**
   * Per layer, the largest |α recomputed − α saved|: the recomputation ranks what the engine
   * computed (float32 engines differ from it by rounding only, ~1e-6).
   */
  readonly attentionCheck: number[];
}

export function staticAttentionOfModel(
  graph: GraphDataset,
  shapes: readonly LayerShape[],
  tensors: readonly NamedTensor[],
  analysis: Pick<Analysis, 'numNodes' | 'edgeSource' | 'edgeTarget' | 'attention' | 'entropy' | 'uniformEntropy'>,
  products?: DenseProducts,
): StaticAttentionOfModel {
  const layers = attentionScores(graph, parametersOf(shapes, tensors), products);
  const attentionCheck = layers.map((l, i) => {
    const saved = analysis.attention[i];
    if (saved.length !== l.attention.length) throw new RangeError(`the analysis has ${saved.length} attention values in layer ${i}; the model on ${graph.name} gives ${l.attention.length}`);
    let worst = 0;
    for (let k = 0; k < saved.length; k++) worst = Math.max(worst, Math.abs(saved[k] - l.attention[k]));
    return worst;
  });
  const report = staticAttention(
    modelOf(shapes),
    { source: analysis.edgeSource, target: analysis.edgeTarget },
    analysis.numNodes,
    analysis.uniformEntropy,
    layers.map((l, i) => ({ heads: l.heads, logits: l.logits, sourceScores: l.sourceScores, entropy: analysis.entropy[i] })),
  );
  return { ...report, attentionCheck };
}
