import type { NamedTensor } from '../../src/gat/artifacts/namedTensor';

/**
 * A parameter set shaped like the Cora GAT of pytorch-GAT (8 heads × 8 features, then 1 head × 7
 * classes, no skip connection): 92 373 float32 values, filled with a cheap deterministic pattern.
 */
export function coraShapedParams(): NamedTensor[] {
  const shapes: Array<[string, number[]]> = [
    ['gat_net.0.linear_proj.weight', [64, 1433]],
    ['gat_net.0.scoring_fn_target', [1, 8, 8]],
    ['gat_net.0.scoring_fn_source', [1, 8, 8]],
    ['gat_net.0.bias', [64]],
    ['gat_net.1.linear_proj.weight', [7, 64]],
    ['gat_net.1.scoring_fn_target', [1, 1, 7]],
    ['gat_net.1.scoring_fn_source', [1, 1, 7]],
    ['gat_net.1.bias', [7]],
  ];
  let seed = 12345;
  return shapes.map(([name, shape]) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      data[i] = (seed / 2 ** 32 - 0.5) * 0.1;
    }
    return { name, shape, data };
  });
}
