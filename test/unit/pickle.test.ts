import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PickleError, isCsr, isNdArray, readPickle } from '../../src/gat/data/pickle';
import { bundledPlanetoidDir } from '../helpers/paths';

/** Builds pickle bytes from opcodes and strings (latin-1), as `pickle.dumps` lays them out. */
function bytes(...parts: Array<string | number[]>): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
}

const shortString = (s: string): number[] => [0x55, s.length, ...Buffer.from(s, 'latin1')]; // SHORT_BINSTRING
const shortUnicode = (s: string): number[] => [0x8c, s.length, ...Buffer.from(s, 'utf8')]; // SHORT_BINUNICODE

describe('readPickle on the real Cora files', () => {
  it('reads ind.cora.x as a 140 × 1433 CSR matrix of float32', () => {
    const v = readPickle(readFileSync(path.join(bundledPlanetoidDir, 'ind.cora.x')), 'ind.cora.x');
    assert.ok(isCsr(v));
    assert.deepEqual(v.shape, [140, 1433]);
    assert.equal(v.indptr.data.length, 141);
    assert.equal(v.data.dtype, 'f4');
    assert.equal(v.indices.data.length, v.indptr.data[140]);
  });

  it('reads ind.cora.ally as a 1708 × 7 one-hot int32 array', () => {
    const v = readPickle(readFileSync(path.join(bundledPlanetoidDir, 'ind.cora.ally')), 'ind.cora.ally');
    assert.ok(isNdArray(v));
    assert.deepEqual(v.shape, [1708, 7]);
    for (let r = 0; r < 1708; r++) {
      let sum = 0;
      for (let c = 0; c < 7; c++) sum += v.data[r * 7 + c];
      assert.equal(sum, 1, `row ${r} is one-hot`);
    }
  });

  it('reads ind.cora.graph as a dict of 2708 adjacency lists', () => {
    const v = readPickle(readFileSync(path.join(bundledPlanetoidDir, 'ind.cora.graph')), 'ind.cora.graph');
    assert.ok(v instanceof Map);
    assert.equal(v.size, 2708);
    assert.ok([...v.values()].every((l) => Array.isArray(l) && l.length > 0));
  });
});

describe('readPickle refuses code', () => {
  const marker = path.join(os.tmpdir(), `gat-pickle-pwned-${process.pid}`);
  const payload = `touch ${marker}`;
  const attacks: Array<[string, Uint8Array]> = [
    // protocol 2: GLOBAL 'os system', then REDUCE with a command (what a __reduce__ to os.system pickles to)
    ['os.system', bytes([0x80, 0x02], 'cos\nsystem\n', shortString(payload), [0x85, 0x52, 0x2e])],
    ['posix.system', bytes([0x80, 0x02], 'cposix\nsystem\n', shortString(payload), [0x85, 0x52, 0x2e])],
    ['subprocess.Popen', bytes([0x80, 0x02], 'csubprocess\nPopen\n', shortString('sh'), [0x85, 0x52, 0x2e])],
    ['subprocess.check_output', bytes([0x80, 0x02], 'csubprocess\ncheck_output\n', shortString('id'), [0x85, 0x52, 0x2e])],
    ['__builtin__.eval', bytes([0x80, 0x02], 'c__builtin__\neval\n', shortString('1+1'), [0x85, 0x52, 0x2e])],
    // protocol 4: STACK_GLOBAL builtins.exec / builtins.eval
    ['builtins.exec', bytes([0x80, 0x04], shortUnicode('builtins'), shortUnicode('exec'), [0x93], shortUnicode('import os'), [0x85, 0x52, 0x2e])],
    ['builtins.eval', bytes([0x80, 0x04], shortUnicode('builtins'), shortUnicode('eval'), [0x93], shortUnicode('1'), [0x85, 0x52, 0x2e])],
    ['builtins.getattr', bytes([0x80, 0x04], shortUnicode('builtins'), shortUnicode('getattr'), [0x93, 0x2e])],
  ];
  for (const [name, pickle] of attacks) {
    it(`rejects a pickle that calls ${name}, naming the global`, () => {
      assert.throws(() => readPickle(pickle, 'test.pkl'), (e: unknown) => e instanceof PickleError && e.message.includes(`refusing to load global '${name}'`));
      assert.equal(existsSync(marker), false, 'nothing was executed');
    });
  }

  it('rejects calling an allowed class that is not a constructor (REDUCE on numpy.ndarray)', () => {
    const p = bytes([0x80, 0x02], 'cnumpy\nndarray\n', [0x29, 0x52, 0x2e]);
    assert.throws(() => readPickle(p, 'test.pkl'), /'ndarray' cannot be called/);
  });

  it('rejects a defaultdict whose factory is not list', () => {
    const p = bytes([0x80, 0x02], 'ccollections\ndefaultdict\n', 'cnumpy\ndtype\n', [0x85, 0x52, 0x2e]);
    assert.throws(() => readPickle(p, 'test.pkl'), /may only use list/);
  });

  it('rejects unknown opcodes instead of guessing (protocol-0 STRING)', () => {
    assert.throws(() => readPickle(bytes("S'abc'\n."), 'test.pkl'), /unsupported pickle opcode 0x53/);
  });
});

describe('readPickle on broken bytes', () => {
  const cora = readFileSync(path.join(bundledPlanetoidDir, 'ind.cora.x'));
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['an empty file', new Uint8Array(0), /empty file/],
    ['a truncated file (first half)', cora.subarray(0, cora.length >> 1), /truncated pickle|malformed pickle/],
    ['a file cut before STOP', cora.subarray(0, cora.length - 1), /truncated pickle/],
    ['garbage bytes', Uint8Array.from({ length: 256 }, (_, i) => (i * 7919 + 13) % 251), /unsupported pickle opcode|malformed|truncated|refusing/],
    ['text', Buffer.from('hello, world\n'), /unsupported pickle opcode|malformed/],
  ];
  for (const [what, input, message] of cases) {
    it(`fails cleanly on ${what}`, () => {
      assert.throws(() => readPickle(input, 'test.pkl'), (e: unknown) => e instanceof PickleError && message.test(e.message));
    });
  }
});
