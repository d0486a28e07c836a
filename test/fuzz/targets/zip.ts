/**
 * ZIP archives (src/gat/data/zipExtract.ts chooseZipEntries, which reads the directory with
 * readZipDirectory and checks names, types and sizes, then inflateEntry for each chosen entry),
 * in memory: what extractZip does before writing a file. Asked for the twelve PPI files, as the
 * PPI download asks. Generated archives include hand-made ones whose entries share bytes.
 */
import * as fc from 'fast-check';
import { DatasetError } from '../../../src/gat/data/datasetError';
import { PPI_FILES } from '../../../src/gat/data/ppiFiles';
import type { ZipEntry } from '../../../src/gat/data/zipDirectory';
import { chooseZipEntries, inflateEntry } from '../../../src/gat/data/zipExtract';
import { ppiZip, zipFiles } from '../../helpers/ppiFixture';
import { handMadeZip, nearlyZeros, type ZipDirectoryEntry, type ZipRecord } from '../../helpers/zipBomb';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';
import { crc32 } from '../../helpers/crc32';

const SMALL = { graphs: { train: 1, valid: 1, test: 1 }, minNodes: 2, maxNodes: 4, features: 3, labels: 2 } as const;

export const zipSeeds = lazy((): Uint8Array[] => [
  ppiZip({ ...SMALL, seed: 1 }),
  ppiZip({ ...SMALL, seed: 2, topFolder: 'ppi' }),
  zipFiles(new Map(PPI_FILES.map((f, i) => [f, new Uint8Array(i)]))),
]);

interface EntrySpec {
  name: string;
  data: Uint8Array;
  method: number;
  flags: number;
  madeBy: number;
  unixMode: number;
  sizeLie: number;
  crcLie: boolean;
  offsetLie: number;
}

const NAMES = [...PPI_FILES, ...PPI_FILES.map((f) => `ppi/${f}`), '../x', '../../etc/cron.d/x', '/abs/train_feats.npy', 'C:train_feats.npy', 'a\\train_feats.npy', 'a/b/train_feats.npy', 'ppi/', '', 'x\u0000y', 'other/train_feats.npy'];

/** A ZIP written by hand (local headers, central directory, end record) with entries that may lie. */
function buildZip(entries: readonly EntrySpec[], eocdCountLie: number, comment: string, zip64Locator: boolean): Uint8Array {
  const parts: number[] = [];
  const u16 = (v: number): void => void parts.push(v & 0xff, (v >>> 8) & 0xff);
  const u32 = (v: number): void => void parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const bytes = (b: ArrayLike<number>): void => void parts.push(...Array.from(b));
  const offsets: number[] = [];
  for (const e of entries) {
    offsets.push(parts.length);
    const name = Buffer.from(e.name, 'utf8');
    u32(0x04034b50); u16(20); u16(e.flags); u16(e.method); u16(0); u16(0);
    u32(crcOf(e)); u32(e.data.length); u32(e.data.length + e.sizeLie); u16(name.length); u16(0);
    bytes(name);
    bytes(e.data);
  }
  const cdOffset = parts.length;
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf8');
    u32(0x02014b50); u16((e.madeBy << 8) | 20); u16(20); u16(e.flags); u16(e.method); u16(0); u16(0);
    u32(crcOf(e)); u32(e.data.length); u32(Math.max(0, e.data.length + e.sizeLie) >>> 0); u16(name.length); u16(0); u16(0); u16(0); u16(0);
    u32((e.unixMode << 16) >>> 0); u32((offsets[i] + e.offsetLie) >>> 0);
    bytes(name);
  });
  const cdSize = parts.length - cdOffset;
  if (zip64Locator) { u32(0x07064b50); u32(0); u32(0); u32(0); u32(1); }
  const c = Buffer.from(comment, 'latin1');
  u32(0x06054b50); u16(0); u16(0); u16(entries.length); u16(entries.length + eocdCountLie); u32(cdSize); u32(cdOffset); u16(c.length);
  bytes(c);
  return Uint8Array.from(parts);
}

const crcOf = (e: EntrySpec): number => (e.crcLie ? crc32(e.data) ^ 1 : e.method === 0 ? crc32(e.data) : 0);

const entry: fc.Arbitrary<EntrySpec> = fc.record({
  name: fc.oneof({ arbitrary: fc.constantFrom(...NAMES), weight: 5 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }),
  data: fc.uint8Array({ maxLength: 24 }),
  method: fc.constantFrom(0, 0, 0, 8, 12, 99),
  flags: fc.constantFrom(0, 0, 0, 0x800, 0x1, 0x8),
  madeBy: fc.constantFrom(3, 3, 0, 19, 10),
  unixMode: fc.constantFrom(0o100644, 0o100644, 0o040755, 0o120777, 0o010644, 0o020644, 0),
  sizeLie: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.constantFrom(1, -1, 2 ** 20, 2 ** 30, 0xffffffff, 2 ** 31), weight: 1 }),
  crcLie: fc.boolean(),
  offsetLie: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.constantFrom(1, -1, 4, 2 ** 31, 0xffffffff), weight: 1 }),
});

/** Every PPI file as a plain entry, then a few hostile or broken ones. */
const generated: fc.Arbitrary<Uint8Array> = fc
  .record({
    hostile: fc.array(entry, { maxLength: 4 }),
    keepPpi: fc.boolean(),
    eocdCountLie: fc.constantFrom(0, 0, 0, 1, -1, 65535),
    comment: fc.constantFrom('', '', 'x', 'PK\x05\x06'),
    zip64Locator: fc.constantFrom(false, false, false, true),
  })
  .map(({ hostile, keepPpi, eocdCountLie, comment, zip64Locator }) => {
    const plain: EntrySpec[] = keepPpi ? PPI_FILES.map((name, i) => ({ name, data: Uint8Array.of(i, i + 1), method: 0, flags: 0, madeBy: 3, unixMode: 0o100644, sizeLie: 0, crcLie: false, offsetLie: 0 })) : [];
    return buildZip([...plain, ...hostile], eocdCountLie, comment, zip64Locator);
  });

/**
 * The twelve PPI files as records of their own, listed by a directory that may point several names
 * at one record (one deflate stream inflated once per name), declare an entry's data to run into the
 * next record, or list the records in another order (which is valid).
 */
const overlapping: fc.Arbitrary<Uint8Array> = fc
  .record({
    deflate: fc.array(fc.boolean(), { minLength: PPI_FILES.length, maxLength: PPI_FILES.length }),
    shares: fc.array(fc.tuple(fc.nat({ max: PPI_FILES.length - 1 }), fc.nat({ max: PPI_FILES.length - 1 })), { maxLength: 5 }),
    lie: fc.option(fc.tuple(fc.nat({ max: PPI_FILES.length - 1 }), fc.constantFrom(1, 4, 30, 64, 1000)), { nil: undefined }),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: PPI_FILES.length, maxLength: PPI_FILES.length }),
  })
  .map(({ deflate, shares, lie, order }) => {
    const records: ZipRecord[] = PPI_FILES.map((name, i) => ({ name, content: nearlyZeros(64 + 97 * i), deflate: deflate[i] }));
    const target = PPI_FILES.map((_, i) => i);
    for (const [from, to] of shares) target[from] = to;
    const directory: ZipDirectoryEntry[] = PPI_FILES.map((name, i) => ({ name, record: target[i], ...(lie && lie[0] === i ? { compressedSizeLie: lie[1] } : {}) }));
    return handMadeZip(records, directory.map((e, i) => ({ e, k: order[i] })).sort((a, b) => a.k - b.k).map(({ e }) => e));
  });

/** Chosen entries own their bytes: no two share a local header or any data. */
function requireDisjoint(entries: readonly ZipEntry[]): void {
  const spans = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
  for (let i = 1; i < spans.length; i++) {
    const end = spans[i - 1].dataOffset + spans[i - 1].compressedSize;
    require(spans[i].headerOffset >= end, `entries '${spans[i - 1].name}' and '${spans[i].name}' share bytes ${spans[i].headerOffset}–${end - 1} and were accepted`);
  }
}

export const zipTarget: FuzzTarget = {
  name: 'zip',
  description: 'chooseZipEntries + inflateEntry (src/gat/data/zipExtract.ts, over zipDirectory.ts): ZIP archives, in memory',
  run(input) {
    const chosen = chooseZipEntries(input, FUZZ_FILE, { files: PPI_FILES });
    require(chosen.size === PPI_FILES.length, `${chosen.size} entries chosen`);
    requireDisjoint([...chosen.values()]);
    for (const [file, e] of chosen) {
      require(PPI_FILES.includes(file) && !e.name.includes('..') && !e.name.startsWith('/') && !e.name.includes('\\'), `entry '${e.name}' chosen for ${file}`);
      const data = inflateEntry(input, e, FUZZ_FILE);
      require(data.length === e.size, `entry '${e.name}' inflated to ${data.length} bytes, declared ${e.size}`);
    }
  },
  isOwnError: (e) => e instanceof DatasetError,
  seeds: zipSeeds,
  generate: fc.oneof({ arbitrary: generated, weight: 3 }, { arbitrary: mutatedSeeds(zipSeeds), weight: 2 }, { arbitrary: overlapping, weight: 2 }),
};
