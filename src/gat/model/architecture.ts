/**
 * The one check of a GAT's sizes, shared by everything that builds or reads a model: a training
 * config (validateTrainConfig), the layer shapes of any model (layerShapes), and every model file
 * a command reads (gatFromPth: `gat import`, `gat analyze`, `gat inspect`, `gat export`'s read-back).
 */

/**
 * Why these sizes make no GAT, or undefined: one head count per layer (the hidden layers and the
 * output layer), each a whole number of at least 1, hidden sizes of at least 1, and at least one
 * input feature and one class. (A layer with no heads has no output: a model that cannot run.)
 */
export function architectureProblem(heads: readonly number[], hidden: readonly number[], numFeatures = 1, numClasses = 1): string | undefined {
  if (heads.length !== hidden.length + 1) return `heads needs ${hidden.length + 1} entries (hidden layers + output); got [${heads.join(', ')}]`;
  const noHeads = heads.findIndex((h) => !Number.isInteger(h) || h < 1);
  if (noHeads >= 0) return `layer ${noHeads} has ${heads[noHeads]} attention heads, and every layer needs at least 1 (heads per layer [${heads.join(', ')}])`;
  const empty = hidden.findIndex((h) => !Number.isInteger(h) || h < 1);
  if (empty >= 0) return `hidden layer ${empty} has ${hidden[empty]} features per head, and every layer needs at least 1 (hidden [${hidden.join(', ')}])`;
  if (!Number.isInteger(numFeatures) || numFeatures < 1) return `the model reads ${numFeatures} input features; it needs at least 1`;
  if (!Number.isInteger(numClasses) || numClasses < 1) return `the model predicts ${numClasses} classes; it needs at least 1`;
  return undefined;
}
