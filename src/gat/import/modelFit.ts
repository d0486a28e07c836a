import type { NamedTensor } from '../artifacts/namedTensor';
import { UsageError } from '../options/args';
import type { GraphDataset } from '../data/graph';

/** The model's first layer reads the dataset's features and its last writes its classes: else say which dataset it needs. */
export function checkModelFitsDataset(params: readonly NamedTensor[], graph: Pick<GraphDataset, 'name' | 'numFeatures' | 'numClasses'>, model: string): void {
  // A layer's input map: GAT's linear_proj, GATv2's lin_l (PyG's name).
  const first = params.find((p) => p.name === 'gat_net.0.linear_proj.weight' || p.name === 'gat_net.0.lin_l.weight');
  const layers = params.filter((p) => /^gat_net\.\d+\.(linear_proj|lin_l)\.weight$/.test(p.name)).length;
  const last = params.find((p) => p.name === `gat_net.${layers - 1}.bias`);
  if (first && first.shape[1] !== graph.numFeatures) throw new UsageError(`${model} reads ${first.shape[1]} input features, but ${graph.name} has ${graph.numFeatures}: pass --dataset-name with the dataset it was trained on`);
  if (last && last.shape[0] !== graph.numClasses) throw new UsageError(`${model} predicts ${last.shape[0]} classes, but ${graph.name} has ${graph.numClasses}: pass --dataset-name with the dataset it was trained on`);
}
