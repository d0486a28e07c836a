/**
 * Datasets generated in memory from a fixed seed: known by name, with no download and no files.
 * Their names come before any folder: `--data-dir` does not change them.
 */
import { generateBaShapes } from './baShapes';
import type { GraphDataset } from './graph';

export interface GeneratedDataset {
  readonly name: string;
  /** One line for pickers and help. */
  readonly description: string;
  readonly generate: () => GraphDataset;
}

export const GENERATED_DATASETS: readonly GeneratedDataset[] = [
  { name: 'ba-shapes', description: "BA-Shapes (GNNExplainer's planted houses), constant features: a GAT cannot learn it", generate: () => generateBaShapes('ba-shapes', 'constant') },
  { name: 'ba-shapes-informative', description: 'BA-Shapes with degree one-hot and noise features, which a GAT can learn', generate: () => generateBaShapes('ba-shapes-informative', 'informative') },
];

/** The generated dataset of that name (any case), or undefined. */
export function generatedDataset(name: string): GeneratedDataset | undefined {
  const lower = name.toLowerCase();
  return GENERATED_DATASETS.find((d) => d.name === lower);
}
