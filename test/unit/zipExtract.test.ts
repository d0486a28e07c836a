import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../../src/gat/data/checksums';
import { readZipDirectory } from '../../src/gat/data/zipDirectory';
import { extractZip, unsafeEntryName } from '../../src/gat/data/zipExtract';
import { isDatasetError } from '../helpers/datasetError';
import { tempDir } from '../helpers/tempDir';

const A = Buffer.from('{"hello": "graph"}');
const B = Buffer.from(new Uint8Array(4096).map((_, i) => (i * 7) % 256));
const FILES = ['a.json', 'b.npy'];

function zip(entries: Zippable): Uint8Array {
  return zipSync(entries, { mtime: new Date('2020-01-01T00:00:00Z') });
}

/** Rewrites a field of the central-directory header of `name` (offsets as in APPNOTE 4.3.12). */
function patchCentral(bytes: Uint8Array, name: string, field: 'size' | 'compressedSize', value: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  for (let p = 0; p + 46 <= out.length; p++) {
    if (view.getUint32(p, true) !== 0x02014b50) continue;
    const len = view.getUint16(p + 28, true);
    if (Buffer.from(out.subarray(p + 46, p + 46 + len)).toString() !== name) continue;
    view.setUint32(p + (field === 'size' ? 24 : 20), value, true);
    return out;
  }
  throw new Error(`no central entry ${name}`);
}

/** A parent folder with nothing but `keep` in it, and the target path inside it. */
function place(): { parent: string; target: string } {
  const parent = tempDir();
  return { parent, target: path.join(parent, 'out') };
}

describe('extractZip: a good archive', () => {
  it('extracts exactly the wanted files, with their checksums and a SHA256SUMS, and leaves no temp folder', async () => {
    const { parent, target } = place();
    const sums = await extractZip(zip({ 'a.json': A, 'b.npy': B, 'README.txt': Buffer.from('ignored') }), 'test.zip', target, { files: FILES, sumsFile: 'SHA256SUMS' });
    assert.deepEqual(sums, { 'a.json': sha256Hex(A), 'b.npy': sha256Hex(B) });
    assert.deepEqual(readdirSync(target).sort(), ['SHA256SUMS', 'a.json', 'b.npy']);
    assert.deepEqual(readFileSync(path.join(target, 'b.npy')), B);
    assert.equal(readFileSync(path.join(target, 'SHA256SUMS'), 'utf8'), `${sha256Hex(A)}  a.json\n${sha256Hex(B)}  b.npy\n`);
    assert.deepEqual(readdirSync(parent), ['out']);
  });

  it('accepts everything under one top folder (ppi/), with folder entries and stored entries', async () => {
    const { target } = place();
    const bytes = zipSync({ 'ppi/': {}, 'ppi/a.json': [A, { level: 0 }], 'ppi/b.npy': B }, { mtime: new Date('2020-01-01T00:00:00Z') });
    await extractZip(bytes, 'test.zip', target, { files: FILES });
    assert.deepEqual(readdirSync(target).sort(), FILES);
    assert.deepEqual(readFileSync(path.join(target, 'a.json')), A);
  });

  it('replaces an existing target folder whole', async () => {
    const { target } = place();
    mkdirSync(target);
    writeFileSync(path.join(target, 'stale.txt'), 'old');
    await extractZip(zip({ 'a.json': A, 'b.npy': B }), 'test.zip', target, { files: FILES });
    assert.deepEqual(readdirSync(target).sort(), FILES);
  });

  it('reads Unix modes from the central directory', () => {
    const entries = readZipDirectory(zip({ 'a.json': [A, { os: 3, attrs: 0o100644 << 16 }], 'l': [A, { os: 3, attrs: 0o120777 << 16 }] }), 't.zip');
    assert.deepEqual(entries.map((e) => [e.name, e.unixType]), [['a.json', 0o100000], ['l', 0o120000]]);
  });
});

describe('extractZip: bad archives are refused and leave nothing behind', () => {
  async function refused(bytes: Uint8Array, code: string, fragments: string[], options: { files?: string[]; maxTotalBytes?: number; maxRatio?: number } = {}): Promise<void> {
    const { parent, target } = place();
    mkdirSync(target);
    writeFileSync(path.join(target, 'previous.txt'), 'kept');
    await assert.rejects(extractZip(bytes, 'bad.zip', target, { files: options.files ?? FILES, maxTotalBytes: options.maxTotalBytes, maxRatio: options.maxRatio }), isDatasetError(code, 'bad.zip', ...fragments));
    assert.deepEqual(readdirSync(parent), ['out'], 'no temp folder left');
    assert.deepEqual(readdirSync(target), ['previous.txt'], 'the old target is untouched');
  }

  it('a truncated archive', async () => {
    const good = zip({ 'a.json': A, 'b.npy': B });
    await refused(good.subarray(0, good.length >> 1), 'corrupt', ['no end-of-central-directory record']);
  });

  it('a zip-slip entry (../evil.json), even one that would not be extracted', async () => {
    await refused(zip({ 'a.json': A, 'b.npy': B, '../evil.json': A }), 'unsafe', ["entry '../evil.json'", "'..' path segment"]);
  });

  for (const [name, why] of [['/etc/passwd', 'absolute path'], ['dir\\a.json', 'backslash'], ['C:a.json', 'drive letter'], ['x/../../a.json', "'..' path segment"]] as const) {
    it(`an entry named ${name}`, async () => {
      await refused(zip({ 'a.json': A, 'b.npy': B, [name]: A }), 'unsafe', [why]);
    });
  }

  it('a symbolic link entry', async () => {
    await refused(zip({ 'a.json': [Buffer.from('/etc/passwd'), { os: 3, attrs: 0o120777 << 16 }], 'b.npy': B }), 'unsafe', ["entry 'a.json'", 'symbolic link']);
  });

  it('a device file entry', async () => {
    await refused(zip({ 'a.json': A, 'b.npy': B, dev: [A, { os: 3, attrs: 0o020644 << 16 }] }), 'unsafe', ['special file']);
  });

  it('an absurd declared size (over the 1 GiB total)', async () => {
    const bytes = patchCentral(zip({ 'a.json': [A, { level: 6 }], 'b.npy': [B, { level: 0 }] }), 'a.json', 'size', 0xfffffff0);
    await refused(bytes, 'unsafe', ['a.json', 'likely ZIP bomb']);
    await refused(bytes, 'unsafe', ['declare 4294971376 bytes in all', 'more than the 1073741824-byte limit'], { maxRatio: 1e12 });
    const big = patchCentral(zip({ 'a.json': A, 'b.npy': [B, { level: 0 }] }), 'b.npy', 'size', 0xfffffff0);
    await refused(patchCentral(big, 'b.npy', 'compressedSize', 0xfffffff0), 'corrupt', ['b.npy', 'runs into the central directory']);
  });

  it('a total over the limit', async () => {
    await refused(zip({ 'a.json': A, 'b.npy': B }), 'unsafe', ['declare 4114 bytes in all', 'more than the 1000-byte limit'], { maxTotalBytes: 1000 });
  });

  it('an entry claiming a compression ratio over 1000', async () => {
    await refused(patchCentral(zip({ 'a.json': A, 'b.npy': B }), 'a.json', 'size', 100 * 1024 * 1024), 'unsafe', ["entry 'a.json' claims to expand", '104857600']);
  });

  it('damaged data (CRC mismatch)', async () => {
    const bytes = Uint8Array.from(zip({ 'a.json': [A, { level: 0 }], 'b.npy': [B, { level: 0 }] }));
    const at = Buffer.from(bytes).indexOf(A);
    bytes[at + 3] ^= 0xff;
    await refused(bytes, 'corrupt', ["entry 'a.json' is damaged"]);
  });

  it('a missing wanted file', async () => {
    await refused(zip({ 'a.json': A }), 'corrupt', ["has no entry 'b.npy'"]);
  });

  it('the wanted files in two different folders', async () => {
    await refused(zip({ 'x/a.json': A, 'y/b.npy': B }), 'corrupt', ['more than one folder']);
  });

  it('checks names the same way for every entry', () => {
    assert.equal(unsafeEntryName('ppi/train_feats.npy'), undefined);
    assert.equal(unsafeEntryName('a..b.json'), undefined, 'dots inside a name are fine');
    assert.ok(unsafeEntryName('..'));
    assert.ok(unsafeEntryName('a/\0b'));
  });
});
