/**
 * ZIP entries must not share bytes: a directory that points several entries at one local header
 * (one deflate stream inflated once per entry), or declares an entry's data to run over the next
 * entry, is refused by readZipDirectory before anything is inflated. A directory that merely lists
 * the entries in another order than the file holds them is a valid archive and is read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetError } from '../../src/gat/data/datasetError';
import { readZipDirectory } from '../../src/gat/data/zipDirectory';
import { chooseZipEntries, inflateEntry } from '../../src/gat/data/zipExtract';
import { handMadeZip, nearlyZeros, type ZipRecord } from '../helpers/zipBomb';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const RECORDS: ZipRecord[] = [
  { name: 'a.json', content: text('{"a": 1}') },
  { name: 'b.npy', content: nearlyZeros(200_000), deflate: true },
  { name: 'c.txt', content: text('three') },
];

function refusedAsOverlap(bytes: Uint8Array, first: string, second: string): void {
  assert.throws(
    () => readZipDirectory(bytes, 'bomb.zip'),
    (e: unknown) =>
      e instanceof DatasetError &&
      e.code === 'unsafe' &&
      new RegExp(`^bomb\\.zip is not a readable ZIP archive: entries '${first}' \\(bytes \\d+–\\d+\\) and '${second}' \\(from byte \\d+\\) overlap; entries that share bytes make a small file inflate to gigabytes \\(a ZIP bomb\\), so the archive is refused$`).test(e.message),
  );
}

describe('readZipDirectory refuses entries that share bytes', () => {
  it('reads the hand-made archive when every entry has its own bytes', () => {
    const bytes = handMadeZip(RECORDS);
    const entries = readZipDirectory(bytes, 'ok.zip');
    assert.deepEqual(entries.map((e) => e.name), ['a.json', 'b.npy', 'c.txt']);
    assert.deepEqual(inflateEntry(bytes, entries[1], 'ok.zip'), RECORDS[1].content);
  });

  it('refuses five directory entries that point at one local header (one deflate stream)', () => {
    const directory = ['a.json', ...[0, 1, 2, 3, 4].map((i) => `storage/${i}`)].map((name, i) => ({ name, record: i === 0 ? 0 : 1 }));
    refusedAsOverlap(handMadeZip(RECORDS.slice(0, 2), directory), 'storage/0', 'storage/1');
  });

  it('refuses an entry whose declared data runs over the next local header', () => {
    const directory = [{ name: 'a.json', record: 0 }, { name: 'b.npy', record: 1, compressedSizeLie: 40 }, { name: 'c.txt', record: 2 }];
    refusedAsOverlap(handMadeZip(RECORDS, directory), 'b.npy', 'c.txt');
  });

  it('reads a directory that lists the entries in another order than the file holds them', () => {
    const directory = [2, 0, 1].map((record) => ({ name: RECORDS[record].name, record }));
    const bytes = handMadeZip(RECORDS, directory);
    assert.deepEqual(readZipDirectory(bytes, 'reordered.zip').map((e) => e.name), ['c.txt', 'a.json', 'b.npy']);
    const chosen = chooseZipEntries(bytes, 'reordered.zip', { files: ['b.npy', 'c.txt'] });
    assert.deepEqual(inflateEntry(bytes, chosen.get('c.txt')!, 'reordered.zip'), RECORDS[2].content);
  });

  it('refuses the overlap in the extraction path too, before inflating anything', () => {
    const directory = [{ name: 'a.json', record: 0 }, { name: 'b.npy', record: 1 }, { name: 'c.txt', record: 1 }];
    assert.throws(() => chooseZipEntries(handMadeZip(RECORDS, directory), 'ppi.zip', { files: ['b.npy', 'c.txt'] }), /ppi\.zip is not a readable ZIP archive: entries 'b\.npy' .* and 'c\.txt' .* overlap/);
  });
});
