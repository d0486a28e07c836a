import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scaleEmbedding } from '../../src/gat/panels/embeddingSnapshot';

describe('embedding scaling', () => {
  it('centres the map and scales its largest extent to the fixed span, whatever t-SNE\'s scale', () => {
    for (const scale of [1e-4, 1, 60]) {
      const e = [0, 0, 2, 0, 0, 4, 2, 4].map((v) => v * scale + 7);
      const { x, y } = scaleEmbedding(e, 4);
      assert.deepEqual(Array.from(x), [-300, 300, -300, 300]);
      assert.deepEqual(Array.from(y), [-600, -600, 600, 600]);
    }
  });

  it('leaves identical points at the origin instead of dividing by zero', () => {
    const { x, y } = scaleEmbedding([3, 3, 3, 3], 2);
    assert.deepEqual([...x, ...y], [0, 0, 0, 0]);
  });
});
