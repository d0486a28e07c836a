/** Checks a GraphDataset before training so bad input fails with a message, not with NaNs. */
import type { GraphDataset } from '../data/graph';
import { GraphError } from '../kernels/gatGraph';

export function validateDataset(g: GraphDataset): void {
  const n = g.numNodes;
  const x = g.features;
  if (x.rows !== n) throw new GraphError(`features have ${x.rows} rows but the graph has ${n} nodes`);
  if (x.cols !== g.numFeatures) throw new GraphError(`features have ${x.cols} columns but numFeatures is ${g.numFeatures}`);
  if (x.indptr.length !== n + 1 || x.indptr[n] !== x.indices.length || x.indices.length !== x.values.length) {
    throw new GraphError(`features are not a valid CSR matrix (indptr ${x.indptr.length} entries ending at ${x.indptr[n]}, ${x.indices.length} indices, ${x.values.length} values)`);
  }
  for (let p = 0; p < x.indices.length; p++) {
    if (x.indices[p] < 0 || x.indices[p] >= x.cols) throw new GraphError(`feature non-zero ${p} has column ${x.indices[p]}, outside 0..${x.cols - 1}`);
  }
  if (g.labels.length !== n) throw new GraphError(`labels have ${g.labels.length} entries but the graph has ${n} nodes`);
  for (let i = 0; i < n; i++) {
    if (g.labels[i] < 0 || g.labels[i] >= g.numClasses) throw new GraphError(`node ${i} has label ${g.labels[i]}, outside 0..${g.numClasses - 1}`);
  }
  for (const [name, nodes] of Object.entries(g.split)) {
    const ids = nodes as Int32Array;
    if (name === 'train' && ids.length === 0) throw new GraphError('the training split is empty');
    for (const id of ids) if (id < 0 || id >= n) throw new GraphError(`${name} split lists node ${id}, outside 0..${n - 1}`);
  }
}
