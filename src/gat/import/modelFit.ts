import type { NamedTensor } from '../artifacts/namedTensor';
import { ArtifactReadError } from '../artifacts/artifactRead';
import { architectureProblem } from '../model/architecture';
import { parameterShapeProblem } from '../model/parameters';
import { UsageError } from '../options/args';
import type { GraphDataset } from '../data/graph';
import { configShapes, type TrainConfig } from '../train/trainConfig';

/**
 * The model's first layer reads the dataset's features and its last writes its classes: else say
 * which dataset it needs. Then the same checks of sizes and shapes every model gets (architecture.ts,
 * parameterShapeProblem): its config describes a GAT (or GATv2) that can run, and its tensors are
 * that model's, refused naming the file before a trainer is built.
 */
export function checkModelFitsDataset(params: readonly NamedTensor[], graph: Pick<GraphDataset, 'name' | 'numFeatures' | 'numClasses'>, model: string, config: Pick<TrainConfig, 'heads' | 'hidden' | 'skipConnection' | 'attention' | 'model' | 'shareWeights'>): void {
  // A layer's input map: GAT's linear_proj, GATv2's lin_l (PyG's name).
  const first = params.find((p) => p.name === 'gat_net.0.linear_proj.weight' || p.name === 'gat_net.0.lin_l.weight');
  const layers = params.filter((p) => /^gat_net\.\d+\.(linear_proj|lin_l)\.weight$/.test(p.name)).length;
  const last = params.find((p) => p.name === `gat_net.${layers - 1}.bias`);
  if (first && first.shape[1] !== graph.numFeatures) throw new UsageError(`${model} reads ${first.shape[1]} input features, but ${graph.name} has ${graph.numFeatures}: pass --dataset-name with the dataset it was trained on`);
  if (last && last.shape[0] !== graph.numClasses) throw new UsageError(`${model} predicts ${last.shape[0]} classes, but ${graph.name} has ${graph.numClasses}: pass --dataset-name with the dataset it was trained on`);
  const sizes = architectureProblem(config.heads, config.hidden, graph.numFeatures, graph.numClasses);
  if (sizes) throw new ArtifactReadError(model, `${model}: its config describes no GAT that can run: ${sizes}`);
  const shapes = parameterShapeProblem(configShapes(graph, config), new Map(params.map((p) => [p.name, p])));
  if (shapes) throw new ArtifactReadError(model, `${model}: its tensors do not fit its config (heads [${config.heads.join(', ')}], hidden [${config.hidden.join(', ')}]): ${shapes}`);
}
