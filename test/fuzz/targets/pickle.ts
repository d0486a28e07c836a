/** The allowlisted pickle reader, on Cora's real pickles and on generated opcode programs. */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { PickleError, readPickle } from '../../../src/gat/data/pickle';
import { bundledPlanetoidDir } from '../../helpers/paths';
import { Program, pushNdArray, type DtypeCode } from '../../helpers/pickleWriter';
import { mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

/** The globals a data pickle may name, written out independently of the reader's own table. */
const ALLOWED = new Set([
  'numpy ndarray', 'numpy dtype', 'numpy.core.multiarray _reconstruct', 'numpy._core.multiarray _reconstruct',
  'scipy.sparse.csr csr_matrix', 'scipy.sparse._csr csr_matrix', 'collections defaultdict', '__builtin__ list', 'builtins list',
]);

/** Globals a hostile pickle reaches for, next to the allowed ones. */
const GLOBALS: ReadonlyArray<readonly [string, string]> = [
  ...[...ALLOWED].map((k) => k.split(' ') as [string, string]),
  ['os', 'system'], ['posix', 'system'], ['subprocess', 'Popen'], ['builtins', 'eval'], ['__builtin__', 'exec'], ['builtins', 'getattr'],
  ['numpy', 'load'], ['numpy.core.multiarray', 'scalar'], ['collections', 'OrderedDict'], ['torch._utils', '_rebuild_tensor_v2'], ['', ''], ['numpy\nx', 'y'],
];

export function pickleSeeds(): Uint8Array[] {
  return readdirSync(bundledPlanetoidDir).filter((f) => f.startsWith('ind.cora.') && !f.endsWith('test.index')).map((f) => new Uint8Array(readFileSync(path.join(bundledPlanetoidDir, f))));
}

/** int64 values on the edges a reader gets wrong: int32's limits, 2^32 + i (wraps to i), 2^53 (rounds), 2^63. */
export const INT64_EDGES = [0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 32 + 5, -(2 ** 32), 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, -(2 ** 63)];

/** Spellings of an integer that Number() or Python's int() forgive and a strict reader refuses (and a few it accepts). */
export const ODD_INTEGERS = ['0x4', '0o7', '0b1', '5e0', '1e3', '+4', ' 4', '4 ', '\t4', '4_0', '4.0', '-0', '007', '', '-', '٤', 'Infinity', 'NaN', '9007199254740993', '-9007199254740993', '99999999999999999999', '00', '01'];

/** LONG1 of an exact int64 (eight little-endian bytes) or of the shortest width Python would use. */
function long1(v: bigint, width: 1 | 2 | 8 | 9): (p: Program) => void {
  const bytes = Array.from({ length: width }, (_, i) => Number((BigInt.asUintN(8 * width, v) >> BigInt(8 * i)) & 0xffn));
  return (p: Program) => void p.op(0x8a).raw([width]).raw(bytes);
}

/** One step of a generated program: an opcode with plausible (and implausible) arguments. */
const step: fc.Arbitrary<(p: Program) => void> = fc.oneof(
  fc.constantFrom(0x28, 0x4e, 0x88, 0x89, 0x29, 0x5d, 0x7d, 0x85, 0x86, 0x87, 0x74, 0x6c, 0x61, 0x65, 0x73, 0x75, 0x94, 0x52, 0x81, 0x62, 0x93, 0x2e).map((code) => (p: Program) => void p.op(code)),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => (p: Program) => void p.int(v)),
  fc.tuple(fc.constantFrom(0x71, 0x68), fc.integer({ min: 0, max: 8 })).map(([code, i]) => (p: Program) => void p.op(code).raw([i])),
  fc.tuple(fc.constantFrom(0x72, 0x6a), fc.integer({ min: 0, max: 2 ** 32 - 1 })).map(([code, i]) => (p: Program) => void p.op(code).u32(i)),
  fc.constantFrom(...GLOBALS).map(([m, n]) => (p: Program) => void p.global(m, n)),
  fc.constantFrom(...GLOBALS).map(([m, n]) => (p: Program) => void p.op(0x8c).raw([m.length]).raw(new TextEncoder().encode(m)).op(0x8c).raw([n.length]).raw(new TextEncoder().encode(n)).op(0x93)),
  fc.uint8Array({ maxLength: 24 }).map((b) => (p: Program) => void p.str(b)),
  fc.tuple(fc.constantFrom(0x55, 0x54, 0x8c, 0x58, 0x43, 0x42), fc.integer({ min: 0, max: 2 ** 32 - 1 })).map(([code, len]) => (p: Program) => void (code === 0x55 || code === 0x8c || code === 0x43 ? p.op(code).raw([len & 0xff]) : p.op(code).u32(len))),
  fc.tuple(fc.constantFrom(1, 2, 8, 9), fc.uint8Array({ minLength: 0, maxLength: 9 })).map(([n, b]) => (p: Program) => void p.op(0x8a).raw([n]).raw(b)), // LONG1
  fc.string({ maxLength: 12 }).map((s) => (p: Program) => void p.op(0x49).raw(new TextEncoder().encode(`${s}\n`))), // INT
  fc.constantFrom(...ODD_INTEGERS).map((s) => (p: Program) => void p.op(0x49).raw(new TextEncoder().encode(`${s}\n`))), // INT, oddly spelled
  fc.tuple(fc.constantFrom(...INT64_EDGES), fc.constantFrom(1 as const, 2 as const, 8 as const, 9 as const)).map(([v, w]) => long1(BigInt(v), w)), // LONG1 edges
  fc.integer({ min: 0, max: 255 }).map((code) => (p: Program) => void p.op(code)), // anything at all
);

/** A numpy array pickle with a chosen dtype, shape and data that may disagree. */
const ndarray: fc.Arbitrary<Uint8Array> = fc
  .record({
    dtype: fc.constantFrom<DtypeCode>('f4', 'f8', 'i4', 'i8', 'u1'),
    shape: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(-1, 2 ** 31 - 1, 2 ** 16)), { maxLength: 4 }),
    values: fc.array(fc.double(), { maxLength: 24 }),
    order: fc.constantFrom('<', '>', '|', '='),
  })
  .map(({ dtype, shape, values, order }) => pushNdArray(new Program().op(0x80).raw([2]), dtype, shape, values, undefined, order).op(0x2e).finish());

/** A 1-D int64 array (CSR indices, labels, ids) holding edge values next to plain ones. */
const int64Array: fc.Arbitrary<Uint8Array> = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...INT64_EDGES), weight: 1 }, { arbitrary: fc.integer({ min: -3, max: 100 }), weight: 2 }), { minLength: 1, maxLength: 12 })
  .map((values) => pushNdArray(new Program().op(0x80).raw([2]), 'i8', [values.length], values).op(0x2e).finish());

const program: fc.Arbitrary<Uint8Array> = fc.array(step, { minLength: 1, maxLength: 60 }).map((steps) => {
  const p = new Program().op(0x80).raw([2]);
  for (const s of steps) s(p);
  return p.op(0x2e).finish();
});

export const pickleTarget: FuzzTarget = {
  name: 'pickle',
  description: 'readPickle (src/gat/data/pickle.ts): Planetoid pickles',
  run(input) {
    readPickle(input, FUZZ_FILE, { onGlobal: (m, n) => require(ALLOWED.has(`${m} ${n}`), `the reader accepted a global outside the allowlist: ${m}.${n}`) });
  },
  isOwnError: (e) => e instanceof PickleError,
  seeds: pickleSeeds,
  generate: fc.oneof({ arbitrary: mutatedSeeds(pickleSeeds), weight: 2 }, { arbitrary: program, weight: 2 }, { arbitrary: ndarray, weight: 1 }, { arbitrary: int64Array, weight: 1 }),
};
