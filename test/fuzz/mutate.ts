/**
 * Byte-level mutations of seed files (the classic fuzzing moves: flip, overwrite with boundary
 * values, insert, delete, duplicate, truncate, splice two seeds), as a fast-check arbitrary so that
 * runs are reproducible from a seed.
 */
import * as fc from 'fast-check';
import { concatBytes } from '../helpers/bytes';

type Op =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'byte'; at: number; value: number }
  | { op: 'int32'; at: number; value: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'splice'; at: number; other: number; from: number };

/** Values that sit on the edges parsers get wrong: zero, sign bits, all ones, sizes around 2^31 and 2^32. */
const BOUNDARY_INT32 = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, -0x80000000, 0x40000000, 0x10000];
const BOUNDARY_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x2e, 0x28, 0x0a, 0x22, 0x7b, 0x5b];

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('byte' as const), at: position, value: fc.oneof(fc.constantFrom(...BOUNDARY_BYTES), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ op: fc.constant('int32' as const), at: position, value: fc.oneof(fc.constantFrom(...BOUNDARY_INT32), fc.integer()) }),
  fc.record({ op: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('splice' as const), at: position, other: fc.nat(), from: position }),
);

function apply(input: Uint8Array, o: Op, seeds: readonly Uint8Array[]): Uint8Array {
  const at = Math.floor(o.at * input.length);
  switch (o.op) {
    case 'flip': {
      if (input.length === 0) return input;
      const out = input.slice();
      out[at] ^= 1 << o.bit;
      return out;
    }
    case 'byte': {
      if (input.length === 0) return input;
      const out = input.slice();
      out[at] = o.value;
      return out;
    }
    case 'int32': {
      if (input.length < 4) return input;
      const out = input.slice();
      new DataView(out.buffer).setInt32(Math.min(at, out.length - 4), o.value, true);
      return out;
    }
    case 'insert':
      return concatBytes(input.subarray(0, at), o.bytes, input.subarray(at));
    case 'delete':
      return concatBytes(input.subarray(0, at), input.subarray(at + o.length));
    case 'duplicate':
      return concatBytes(input.subarray(0, at + o.length), input.subarray(at));
    case 'truncate':
      return input.slice(0, at);
    case 'splice': {
      const other = seeds[o.other % seeds.length];
      return concatBytes(input.subarray(0, at), other.subarray(Math.floor(o.from * other.length)));
    }
  }
}

/** One to eight mutations, to be applied with applyMutations. */
export const mutations: fc.Arbitrary<readonly Op[]> = fc.array(op, { minLength: 1, maxLength: 8 });

export function applyMutations(bytes: Uint8Array, ops: readonly Op[], spliceFrom: readonly Uint8Array[]): Uint8Array {
  return ops.reduce((b, o) => apply(b, o, spliceFrom.length > 0 ? spliceFrom : [b]), bytes);
}

/** Caches a seed list on first use (seeds can be costly to make). */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/** One to eight mutations of one seed. */
export function mutatedSeeds(seeds: () => readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const all = lazy(seeds);
  return fc.record({ seed: fc.nat(), ops: mutations }).map(({ seed, ops }) => {
    const list = all();
    return applyMutations(list[seed % list.length], ops, list);
  });
}

/** A JSON value as UTF-8 bytes. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
