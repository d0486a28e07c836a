/**
 * A pickle's containers cost ~100-250 bytes of memory for one or two bytes of file: a few MB of
 * EMPTY_DICT opcodes would take gigabytes. The reader counts what it makes and refuses past
 * MAX_PICKLE_CONTAINERS, through readPickle and through the real CLI on a Planetoid folder whose
 * graph pickle is such a bomb, under a memory ceiling.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_PICKLE_CONTAINERS, PickleError, readPickle } from '../../src/gat/data/pickle';
import { bundledPlanetoidDir } from '../helpers/paths';
import { runGatMeasured } from '../helpers/peakRss';
import { tempDir } from '../helpers/tempDir';

/** PROTO 2, EMPTY_LIST, MARK, `count` × EMPTY_DICT, APPENDS, STOP: a list of empty dicts. */
function dictBomb(count: number): Uint8Array {
  const bytes = new Uint8Array(count + 6);
  bytes.set([0x80, 2, 0x5d, 0x28]);
  bytes.fill(0x7d, 4, 4 + count);
  bytes.set([0x65, 0x2e], 4 + count);
  return bytes;
}

describe('a pickle makes at most MAX_PICKLE_CONTAINERS containers', () => {
  it('reads a list of that many empty dicts, and refuses one more, naming the limit', () => {
    const ok = readPickle(dictBomb(MAX_PICKLE_CONTAINERS - 1), 'ok.pkl');
    assert.ok(Array.isArray(ok) && ok.length === MAX_PICKLE_CONTAINERS - 1);
    assert.throws(
      () => readPickle(dictBomb(MAX_PICKLE_CONTAINERS), 'bomb.pkl'),
      (e: unknown) => e instanceof PickleError && /^bomb\.pkl: more than 500,000 tuples, lists, dicts and objects by byte \d+: far more than any Planetoid file holds/.test(e.message),
    );
  });

  it('gat inspect on a Planetoid folder whose 8 MB graph pickle is 8 million empty dicts: one line, exit 3, under 300 MB', async () => {
    const dir = tempDir('gat-pickle-bomb-');
    for (const f of readdirSync(bundledPlanetoidDir)) if (f.startsWith('ind.cora.')) copyFileSync(path.join(bundledPlanetoidDir, f), path.join(dir, f.replace('ind.cora.', 'ind.bomb.')));
    const graph = path.join(dir, 'ind.bomb.graph');
    writeFileSync(graph, dictBomb(8_000_000));
    const r = await runGatMeasured(['inspect', '--dataset-name', 'bomb', '--data-dir', dir]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`^gat inspect: error: ${graph.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: more than 500,000 tuples, lists, dicts and objects by byte \\d+`));
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    assert.ok(r.peakRssMiB !== undefined && r.peakRssMiB < 300, `peak RSS ${r.peakRssMiB?.toFixed(0)} MiB`);
  });
});
