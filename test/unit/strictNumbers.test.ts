/**
 * Numbers are read exactly or refused, never wrapped or loosely parsed: int64 values of Planetoid
 * pickles outside int32 (an index of i + 2^32 was read as i, a label of 2^32 + 1 as 1), integers
 * JavaScript cannot hold exactly, `test.index` lines spelled as Python's int() or JS's Number()
 * would forgive (0x4, 5e0, +4), and PPI-format folders whose declared sizes are empty or absurd.
 * Unit tests on the readers, and the real CLI on real files for each class.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { bundledPlanetoidDir } from '../helpers/paths';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { loadPpiFormat } from '../../src/gat/data/ppi';
import { isCsr, isNdArray, PickleError, readPickle } from '../../src/gat/data/pickle';
import { runGat } from '../helpers/cli';
import { isDatasetError } from '../helpers/datasetError';
import { encodeNpy } from '../helpers/npyWrite';
import { csrPickle, ndarrayPickle, Program, pushNdArray } from '../helpers/pickleWriter';
import { writePpiFolder } from '../helpers/ppiFixture';
import { tempDir } from '../helpers/tempDir';

const TWO_32 = 2 ** 32;
const INT32_RANGE = 'outside the int32 range (-2^31 to 2^31-1) that indices, labels and ids here must fit';

/** Cora's eight files under another name in a fresh folder (no SHA256SUMS: the parsers are what is tested). */
function coraAs(name: string): string {
  const dir = tempDir();
  for (const f of readdirSync(bundledPlanetoidDir)) {
    if (f.startsWith('ind.cora.')) copyFileSync(path.join(bundledPlanetoidDir, f), path.join(dir, f.replace('ind.cora.', `ind.${name}.`)));
  }
  return dir;
}

/** A protocol-2 pickle of one opcode sequence: PROTO 2, `body`, STOP. */
function pickleOf(body: (p: Program) => Program): Uint8Array {
  return body(new Program().op(0x80).raw([2])).op(0x2e).finish();
}

describe('pickled integers are exact or refused', () => {
  it('int64 arrays keep every int32 value, the extremes included', () => {
    const v = readPickle(ndarrayPickle('i8', [4], [-(2 ** 31), -1, 0, 2 ** 31 - 1]), 'ok.pkl');
    assert.ok(isNdArray(v));
    assert.deepEqual([...v.data], [-(2 ** 31), -1, 0, 2 ** 31 - 1]);
  });

  it('an int64 index of i + 2^32 or a label of 2^32 + 1 is refused, naming the element, never wrapped', () => {
    for (const [values, at, shown] of [[[0, 5 + TWO_32], 1, '4294967301'], [[TWO_32 + 1], 0, '4294967297'], [[-(2 ** 31) - 1], 0, '-2147483649']] as const) {
      assert.throws(() => readPickle(ndarrayPickle('i8', [values.length], values), 'wide.pkl'), (e: unknown) => e instanceof PickleError && e.message === `wide.pkl: numpy int64 array 'data' holds ${shown} at element ${at}, ${INT32_RANGE}`);
    }
  });

  it('int8 arrays keep their sign', () => {
    const p = new Program().op(0x80).raw([2]);
    pushNdArray(p, 'u1', [3], [0xff, 1, 0x80]);
    const bytes = Uint8Array.from(p.op(0x2e).finish());
    // the same bytes under dtype 'i1': -1, 1, -128
    const at = Buffer.from(bytes).indexOf(Buffer.from([0x55, 2, 0x75, 0x31])); // SHORT_BINSTRING 'u1'
    bytes.set([0x69], at + 2);
    const v = readPickle(bytes, 'i1.pkl');
    assert.ok(isNdArray(v) && v.dtype === 'i1');
    assert.deepEqual([...v.data], [-1, 1, -128]);
  });

  it('INT is decimal digits only, as Python writes it', () => {
    const int = (text: string): Uint8Array => pickleOf((p) => p.op(0x49).raw(Buffer.from(`${text}\n`, 'latin1')));
    assert.equal(readPickle(int('-12'), 'i.pkl'), -12);
    assert.equal(readPickle(int('007'), 'i.pkl'), 7);
    assert.equal(readPickle(int('01'), 'i.pkl'), true);
    for (const odd of ['0x4', '5e0', '+4', ' 4', '4 ', '4_0', '', '9007199254740993', 'Infinity', '1.0']) {
      assert.throws(() => readPickle(int(odd), 'i.pkl'), (e: unknown) => e instanceof PickleError && e.message === `i.pkl: malformed INT '${odd}' at byte 3: expected decimal digits of an integer within ±2^53`, JSON.stringify(odd));
    }
  });

  it('LONG1 is exact: 2^40 is read, 2^53 + 1 is refused rather than rounded', () => {
    const long1 = (v: bigint): Uint8Array => pickleOf((p) => p.op(0x8a).raw([8]).raw(new Uint8Array(BigInt64Array.of(v).buffer)));
    assert.equal(readPickle(long1(2n ** 40n), 'l.pkl'), 2 ** 40);
    assert.equal(readPickle(long1(-(2n ** 40n)), 'l.pkl'), -(2 ** 40));
    assert.throws(() => readPickle(long1(2n ** 53n + 1n), 'l.pkl'), (e: unknown) => e instanceof PickleError && e.message === 'l.pkl: LONG1 at byte 2 is 9007199254740993, beyond ±2^53, which JavaScript cannot hold exactly');
  });

  it("a CSR matrix's shape must be two non-negative integers, not anything Number() turns into one", () => {
    const good = readPickle(csrPickle({ rows: 1, cols: 2, indptr: [0, 1], indices: [1], data: [1] }), 'm.pkl');
    assert.ok(isCsr(good) && good.shape.join() === '1,2');
    const stringShape = Buffer.from(csrPickle({ rows: 1, cols: 2, indptr: [0, 1], indices: [1], data: [1] }));
    const at = stringShape.indexOf(Buffer.from([0x4b, 1, 0x4b, 2, 0x86])); // BININT1 1, BININT1 2, TUPLE2
    const bytes = Buffer.concat([stringShape.subarray(0, at), Buffer.from([0x55, 1, 0x31, 0x4b, 2, 0x86]), stringShape.subarray(at + 5)]); // ('1', 2)
    assert.throws(() => readPickle(bytes, 'm.pkl'), (e: unknown) => e instanceof PickleError && e.message === "m.pkl: csr_matrix state has no '_shape' of two non-negative integers");
  });
});

describe('Planetoid files with wide or oddly spelled integers', () => {
  it('refuses a CSR column index of i + 2^32 in ind.*.x instead of reading it as i', async () => {
    const dir = coraAs('wide');
    const file = path.join(dir, 'ind.wide.x');
    const x = readPickle(readFileSync(file), file);
    assert.ok(isCsr(x));
    const indices = [...x.indices.data];
    indices[3] += TWO_32;
    writeFileSync(file, csrPickle({ rows: x.shape[0], cols: x.shape[1], indptr: [...x.indptr.data], indices, data: [...x.data.data] }, 'i8'));
    await assert.rejects(loadPlanetoid('wide', { dataDir: dir }), isDatasetError('corrupt', `${file}: numpy int64 array 'data' holds ${indices[3]} at element 3, ${INT32_RANGE}. Replace it with a good copy.`));
  });

  const spellings = ['0x4', '5e0', '+1708', '1708.0', '17_08', '١٧٠٨'];
  it(`refuses test.index lines spelled ${spellings.join(', ')}, and an empty line inside the file`, async () => {
    const dir = coraAs('odd');
    const file = path.join(dir, 'ind.odd.test.index');
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const odd of spellings) {
      writeFileSync(file, [odd, ...lines.slice(1)].join('\n'));
      await assert.rejects(loadPlanetoid('odd', { dataDir: dir }), isDatasetError('corrupt', `${file} line 1 is not a node index (decimal digits, 0 to 9999999): '${odd}'`));
    }
    writeFileSync(file, [lines[0], '', ...lines.slice(1)].join('\n'));
    await assert.rejects(loadPlanetoid('odd', { dataDir: dir }), isDatasetError('corrupt', `${file} line 2 is empty: every line must hold one node index`));
  });

  it('still reads test.index lines with surrounding whitespace, CRLF endings and trailing blank lines', async () => {
    const dir = coraAs('spaced');
    const file = path.join(dir, 'ind.spaced.test.index');
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(file, lines.map((l, i) => (i % 2 ? ` ${l}\t` : l)).join('\r\n') + '\r\n\n  \n');
    const g = await loadPlanetoid('spaced', { dataDir: dir });
    assert.equal(g.numNodes, 2708);
    assert.equal(g.split.test.length, 1000);
  });

  it('gat inspect: a label of 2^32 + 1 in ind.*.ally and a test index of 0x4 each give one line and exit 3', async () => {
    const dir = coraAs('wide');
    const ally = path.join(dir, 'ind.wide.ally');
    const labels = readPickle(readFileSync(ally), ally);
    assert.ok(isNdArray(labels));
    const values = [...labels.data];
    const k = values.indexOf(0);
    values[k] = TWO_32 + 1;
    writeFileSync(ally, ndarrayPickle('i8', labels.shape, values));
    const wide = await runGat(['inspect', '--dataset-name', 'wide', '--data-dir', dir]);
    assert.equal(wide.code, 3);
    assert.equal(wide.stderr, `gat inspect: error: ${ally}: numpy int64 array 'data' holds 4294967297 at element ${k}, ${INT32_RANGE}. Replace it with a good copy.\n`);

    const oddDir = coraAs('odd');
    const index = path.join(oddDir, 'ind.odd.test.index');
    writeFileSync(index, ['0x4', ...readFileSync(index, 'utf8').split('\n').slice(1)].join('\n'));
    const odd = await runGat(['inspect', '--dataset-name', 'odd', '--data-dir', oddDir]);
    assert.equal(odd.code, 3);
    assert.equal(odd.stderr, `gat inspect: error: ${index} line 1 is not a node index (decimal digits, 0 to 9999999): '0x4'\n`);
  });
});

describe('PPI-format folders whose sizes are empty or absurd', () => {
  /** A small PPI-format folder, with `split`'s four files replaced by ones with zero rows. */
  function folderWithEmptySplit(split: 'train' | 'valid', featureWidth: number, labelWidth: number): string {
    const dir = tempDir();
    writePpiFolder(dir, { graphs: { train: 1, valid: 1, test: 1 }, minNodes: 3, maxNodes: 4, features: 3, labels: 2 });
    writeFileSync(path.join(dir, `${split}_graph.json`), JSON.stringify({ directed: false, multigraph: false, graph: {}, nodes: [], links: [] }));
    writeFileSync(path.join(dir, `${split}_feats.npy`), encodeNpy({ descr: '<f4', shape: [0, featureWidth], data: [] }));
    writeFileSync(path.join(dir, `${split}_labels.npy`), encodeNpy({ descr: '|u1', shape: [0, labelWidth], data: [] }));
    writeFileSync(path.join(dir, `${split}_graph_id.npy`), encodeNpy({ descr: '<i8', shape: [0], data: [] }));
    return dir;
  }

  it('refuses a train split with no nodes, naming train_graph.json', async () => {
    const dir = folderWithEmptySplit('train', 3, 2);
    await assert.rejects(loadPpiFormat('mine', dir), isDatasetError('corrupt', `${path.join(dir, 'train_graph.json')} lists no nodes: the train split needs at least one node to train on`));
  });

  it('refuses a declared width of 2^40 (or 0) in a file with zero rows, naming the file and shape', async () => {
    const wideLabels = folderWithEmptySplit('valid', 3, 2 ** 40);
    await assert.rejects(loadPpiFormat('mine', wideLabels), isDatasetError('corrupt', `${path.join(wideLabels, 'valid_labels.npy')} has shape (0, 1099511627776): 1099511627776 labels per node, where 1 to 1000000 are allowed`));
    const noFeatures = folderWithEmptySplit('valid', 0, 2);
    await assert.rejects(loadPpiFormat('mine', noFeatures), isDatasetError('corrupt', `${path.join(noFeatures, 'valid_feats.npy')} has shape (0, 0): 0 features per node, where 1 to 1000000 are allowed`));
  });

  it('gat inspect and gat train give one line naming the file, exit 3, instead of "Invalid array length"', async () => {
    const empty = folderWithEmptySplit('train', 3, 2);
    const r = await runGat(['inspect', '--dataset-name', 'mine', '--data-dir', empty]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, `gat inspect: error: ${path.join(empty, 'train_graph.json')} lists no nodes: the train split needs at least one node to train on\n`);
    const wide = folderWithEmptySplit('train', 3, 2 ** 40);
    for (const args of [['inspect'], ['train', '--num-of-epochs', '1', '--backend', 'wasm', '--out', tempDir()]]) {
      const w = await runGat([...args, '--dataset-name', 'mine', '--data-dir', wide]);
      assert.equal(w.code, 3, w.stderr);
      assert.equal(w.stderr, `gat ${args[0]}: error: ${path.join(wide, 'train_labels.npy')} has shape (0, 1099511627776): 1099511627776 labels per node, where 1 to 1000000 are allowed\n`);
    }
    const wideValid = folderWithEmptySplit('valid', 3, 2 ** 40);
    const v = await runGat(['inspect', '--dataset-name', 'mine', '--data-dir', wideValid]);
    assert.equal(v.code, 3);
    assert.equal(v.stderr, `gat inspect: error: ${path.join(wideValid, 'valid_labels.npy')} has shape (0, 1099511627776): 1099511627776 labels per node, where 1 to 1000000 are allowed\n`);
  });
});
