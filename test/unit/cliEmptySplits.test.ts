/**
 * A PPI-format folder whose validation or test split has no nodes (its graph_id.npy and the other
 * three files empty) is refused by the real CLI with one line naming the file, exit 3: training on
 * it reported a validation loss of NaN and a micro-F1 of 0 as if they were results.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runGat } from '../helpers/cli';
import { writePpiFolder } from '../helpers/ppiFixture';
import { tempDir } from '../helpers/tempDir';

const PURPOSE = { valid: 'to validate on', test: 'to test on' } as const;

describe('PPI-format splits with no nodes (the real CLI)', () => {
  for (const split of ['valid', 'test'] as const) {
    it(`gat train and gat inspect refuse an empty ${split} split, naming ${split}_graph.json, exit 3`, async () => {
      const data = tempDir();
      writePpiFolder(data, { graphs: { train: 2, [split]: 0 }, minNodes: 8, maxNodes: 12, features: 6, labels: 4 });
      const line = `${path.join(data, `${split}_graph.json`)} lists no nodes: the ${split} split needs at least one node ${PURPOSE[split]}\n`;

      const out = tempDir();
      const train = await runGat(['train', '--dataset-name', 'mine', '--data-dir', data, '--num-of-epochs', '1', '--should-test', '--backend', 'wasm', '--out', out]);
      assert.equal(train.code, 3, train.stderr + train.stdout);
      assert.equal(train.stderr, `gat train: error: ${line}`);
      assert.doesNotMatch(train.stdout, /NaN|completed/);
      assert.equal(existsSync(path.join(out, 'runs')), false, 'no run is recorded');

      const inspect = await runGat(['inspect', '--dataset-name', 'mine', '--data-dir', data]);
      assert.equal(inspect.code, 3, inspect.stderr);
      assert.equal(inspect.stderr, `gat inspect: error: ${line}`);
    });
  }
});
