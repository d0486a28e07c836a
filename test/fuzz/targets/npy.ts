/** NumPy .npy files (src/gat/data/npy.ts parseNpy), as PPI's features, labels and graph ids. */
import * as fc from 'fast-check';
import { DatasetError } from '../../../src/gat/data/datasetError';
import { parseNpy } from '../../../src/gat/data/npy';
import { encodeNpy } from '../../helpers/npyWrite';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

/** Version 2.0/3.0 framing of a 1.0 file: 4-byte header length. */
function asVersion(v1: Uint8Array, major: 2 | 3): Uint8Array {
  const headerLength = new DataView(v1.buffer, v1.byteOffset).getUint16(8, true);
  const out = new Uint8Array(v1.length + 2);
  out.set(v1.subarray(0, 8));
  out[6] = major;
  new DataView(out.buffer).setUint32(8, headerLength, true);
  out.set(v1.subarray(10), 12);
  return out;
}

export const npySeeds = lazy((): Uint8Array[] => {
  const seeds = [
    encodeNpy({ descr: '<f4', shape: [3, 4], data: Array.from({ length: 12 }, (_, i) => i / 4) }),
    encodeNpy({ descr: '|u1', shape: [2, 3], data: [0, 1, 1, 0, 0, 1] }),
    encodeNpy({ descr: '<i8', shape: [5], data: [1, 1, 2, 2, 3] }),
    encodeNpy({ descr: '<f8', shape: [2, 2], data: [0, 1, 1, 0] }),
    encodeNpy({ descr: '>i4', shape: [3], data: [-1, 0, 1] }),
    encodeNpy({ descr: '|b1', shape: [4], data: [0, 1, 2, 0] }),
    encodeNpy({ descr: '<u8', shape: [], data: [7] }),
    encodeNpy({ descr: '<i2', shape: [0, 3], data: [] }),
  ];
  return [...seeds, asVersion(seeds[0], 2), asVersion(seeds[2], 3)];
});

const DESCRS = ['<f4', '<f8', '<f2', '<i8', '<u8', '|u1', '|i1', '|b1', '<i4', '>f8', '=i2', 'f4', '|f4', '<O', '|O', 'O', '<U8', '|S3', '<c8', '<M8[ns]', '<V4', '', '<f16', '<i3', '[("a", "<f4")]'];
const SHAPES = ['()', '(3,)', '(2, 3)', '(0,)', '(0, 5)', '(1, 1, 1)', '(3)', '(,)', '(-1,)', '(2147483648,)', '(65536, 65536)', '(9007199254740993,)', '(1L,)', '(3, 4, )', '[3]', '(2 3)'];

/** A header dict of the three keys (or others), in any order, with good and bad values, over data of a chosen length. */
const generated: fc.Arbitrary<Uint8Array> = fc
  .record({
    descr: fc.oneof(fc.constantFrom(...DESCRS), fc.string({ maxLength: 5 })),
    fortran: fc.constantFrom('False', 'True', '0', "'False'"),
    shape: fc.constantFrom(...SHAPES),
    extraKey: fc.option(fc.constantFrom("'descr': '<f4'", "'x': 1", "'__class__': 'os.system'", "'shape': (1,)"), { freq: 5 }),
    quote: fc.constantFrom("'", "'", '"'),
    dataLength: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constant(-1)),
    version: fc.constantFrom(1, 1, 2, 3, 0, 4),
    pad: fc.constantFrom(' \n', '\n', '', '\t\x00', '\\'),
  })
  .map(({ descr, fortran, shape, extraKey, quote, dataLength, version, pad }) => {
    const q = (s: string): string => `${quote}${s}${quote}`;
    const dict = `{${q('descr')}: ${q(descr)}, ${q('fortran_order')}: ${fortran}, ${q('shape')}: ${shape}, ${extraKey ? `${extraKey}, ` : ''}}${pad}`;
    const header = Buffer.from(dict, version === 3 ? 'utf8' : 'latin1');
    const lengthBytes = version === 1 ? 2 : 4;
    const dims = (shape.match(/\d+/g) ?? []).map(Number);
    const natural = dims.reduce((a, b) => a * b, 1) * (Number(/\d+$/.exec(descr)?.[0]) || 1);
    const data = dataLength >= 0 ? dataLength : natural <= 4096 ? natural : 8;
    const out = new Uint8Array(8 + lengthBytes + header.length + data);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
    const view = new DataView(out.buffer);
    if (lengthBytes === 2) view.setUint16(8, header.length, true);
    else view.setUint32(8, header.length, true);
    out.set(header, 8 + lengthBytes);
    for (let i = 0; i < data; i++) out[8 + lengthBytes + header.length + i] = (i * 37) & 0xff;
    return out;
  });

export const npyTarget: FuzzTarget = {
  name: 'npy',
  description: 'parseNpy (src/gat/data/npy.ts): NumPy .npy files',
  run(input) {
    const a = parseNpy(input, FUZZ_FILE);
    require(['b1', 'u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8', 'f2', 'f4', 'f8'].includes(a.dtype), `dtype ${a.dtype}`);
    require(a.shape.every((d) => Number.isSafeInteger(d) && d >= 0), `shape ${a.shape.join(', ')}`);
    require(a.data.length === a.shape.reduce((x, y) => x * y, 1), `${a.data.length} values for shape (${a.shape.join(', ')})`);
    if (a.dtype === 'i8' || a.dtype === 'u8') for (const v of a.data) require(Number.isSafeInteger(v), `64-bit value ${v}`);
  },
  isOwnError: (e) => e instanceof DatasetError,
  seeds: npySeeds,
  generate: fc.oneof({ arbitrary: generated, weight: 2 }, { arbitrary: mutatedSeeds(npySeeds), weight: 2 }),
};
