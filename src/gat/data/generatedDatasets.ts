/**
 * Datasets generated in memory from a fixed seed: known by name, with no download and no files.
 * Their names come before any folder: `--data-dir` does not change them.
 */
import { generateBaShapes } from './baShapes';
import { DICTIONARY_LOOKUP, dictionaryLookupK, dictionaryLookupKProblem, dictionaryLookupName, generateDictionaryLookup } from './dictionaryLookup';
import { DatasetError } from './datasetError';
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
  {
    name: DICTIONARY_LOOKUP.name,
    description: `DictionaryLookup (the GATv2 paper's k keys, k queries), k = ${DICTIONARY_LOOKUP.defaultK} (gat train --k K): GATv2 learns it, GAT's static attention cannot`,
    generate: () => generateDictionaryLookup(DICTIONARY_LOOKUP.defaultK),
  },
];

/**
 * The generated dataset of that name (any case), or undefined. `dictionary-lookup-k<K>` is
 * DictionaryLookup with K keys (the name a run records); a K out of range is a DatasetError.
 */
export function generatedDataset(name: string): GeneratedDataset | undefined {
  const lower = name.toLowerCase();
  const listed = GENERATED_DATASETS.find((d) => d.name === lower);
  const k = dictionaryLookupK(lower);
  if (listed || k === undefined) return listed;
  const problem = dictionaryLookupKProblem(k);
  if (problem) throw new DatasetError('unknown-dataset', `${name}: DictionaryLookup's ${problem}`);
  return { name: dictionaryLookupName(k), description: `DictionaryLookup with k = ${k}`, generate: () => generateDictionaryLookup(k) };
}
