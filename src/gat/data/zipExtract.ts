/**
 * Safe extraction of a dataset archive: every entry name is checked (no absolute paths, `..`,
 * backslashes or drive letters), links and device files are refused, declared sizes are
 * bounded before anything is inflated, only the expected file names are written, and the
 * files go to a temp folder beside the target that is renamed into place at the end, so a
 * failed extraction leaves nothing behind.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { inflateSync } from 'fflate';
import { sha256Hex } from './checksums';
import { DatasetError } from './datasetError';
import { entryBytes, readZipDirectory, type ZipEntry } from './zipDirectory';
import { tempPathFor } from '../io/atomicWrite';

export interface ExtractOptions {
  /**
   * The file names to extract, all required: at the top of the archive, or all under one
   * top folder (`ppi/train_feats.npy`). Other entries are checked but not written.
   */
  readonly files: readonly string[];
  /** Also write the SHA-256 of each extracted file, in `sha256sum` format, under this name. */
  readonly sumsFile?: string;
  /** Refuse when the chosen entries declare more than this many bytes in all (default 1 GiB). */
  readonly maxTotalBytes?: number;
  /** Refuse an entry over 1 MB that claims to expand more than this many times (default 1000). */
  readonly maxRatio?: number;
}

const GiB = 1024 ** 3;
const RATIO_MIN_SIZE = 1024 * 1024;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * Extracts `options.files` from the ZIP bytes into `targetDir` (replacing it whole) and returns
 * the SHA-256 of each extracted file by name. `archive` names the archive in error messages.
 */
export async function extractZip(zip: Uint8Array, archive: string, targetDir: string, options: ExtractOptions): Promise<Record<string, string>> {
  const chosen = chooseZipEntries(zip, archive, options);
  await fs.mkdir(path.dirname(targetDir), { recursive: true });
  const tmp = tempPathFor(targetDir);
  await fs.mkdir(tmp);
  try {
    const sums: Record<string, string> = {};
    for (const [file, entry] of chosen) {
      const data = inflateEntry(zip, entry, archive);
      await fs.writeFile(path.join(tmp, file), data);
      sums[file] = sha256Hex(data);
    }
    if (options.sumsFile) {
      const lines = Object.entries(sums).map(([file, sha]) => `${sha}  ${file}\n`);
      await fs.writeFile(path.join(tmp, options.sumsFile), lines.join(''));
    }
    await moveIntoPlace(tmp, targetDir);
    return sums;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Reads the archive's directory and checks it before anything is inflated: every entry's name and
 * type, the wanted files (each once, in one place) and their declared sizes. Returns the entry of
 * each wanted file by name; throws DatasetError naming the archive and the entry.
 */
export function chooseZipEntries(zip: Uint8Array, archive: string, options: Pick<ExtractOptions, 'files' | 'maxTotalBytes' | 'maxRatio'>): Map<string, ZipEntry> {
  const entries = readZipDirectory(zip, archive);
  for (const entry of entries) checkEntry(entry, archive);
  const chosen = chooseEntries(entries, options.files, archive);
  checkSizes(chosen, archive, options);
  return chosen;
}

/** Why an entry name could write outside the target folder, or undefined when it cannot. */
export function unsafeEntryName(name: string): string | undefined {
  if (name === '') return 'has an empty name';
  if (name.includes('\0')) return 'has a NUL character in its name';
  if (name.includes('\\')) return 'has a backslash in its name';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'starts with a drive letter';
  if (name.split('/').includes('..')) return "has a '..' path segment";
  return undefined;
}

function checkEntry(entry: ZipEntry, archive: string): void {
  const unsafe = (why: string): DatasetError =>
    new DatasetError('unsafe', `${archive}: entry '${entry.name}' ${why}; refusing to extract this archive. Download it again from a trusted source.`, archive);
  const why = unsafeEntryName(entry.name);
  if (why) throw unsafe(why);
  if (entry.unixType === S_IFLNK) throw unsafe('is a symbolic link');
  if (entry.unixType !== 0 && entry.unixType !== S_IFREG && entry.unixType !== S_IFDIR) throw unsafe(`is a special file (Unix type 0o${entry.unixType.toString(8)})`);
}

/** Maps each wanted file to its entry, allowing one common top folder. */
function chooseEntries(entries: readonly ZipEntry[], files: readonly string[], archive: string): Map<string, ZipEntry> {
  const wanted = new Set(files);
  const prefixes = new Map<string, string>(); // folder → the first wanted entry in it
  for (const e of entries) {
    if (e.isDirectory) continue;
    const slash = e.name.indexOf('/');
    if (wanted.has(e.name)) prefixes.set('', prefixes.get('') ?? e.name);
    else if (slash > 0 && e.name.indexOf('/', slash + 1) < 0 && wanted.has(e.name.slice(slash + 1))) prefixes.set(e.name.slice(0, slash + 1), prefixes.get(e.name.slice(0, slash + 1)) ?? e.name);
  }
  if (prefixes.size > 1) {
    const where = [...prefixes].map(([p, name]) => `entry '${name}' in ${p || 'the top level'}`).join(', ');
    throw new DatasetError('corrupt', `${archive} holds the dataset files in more than one folder (${where}); expected them in one place`, archive);
  }
  const prefix = [...prefixes.keys()][0] ?? '';
  const chosen = new Map<string, ZipEntry>();
  for (const e of entries) {
    if (e.isDirectory || !e.name.startsWith(prefix)) continue;
    const file = e.name.slice(prefix.length);
    if (!wanted.has(file)) continue;
    if (chosen.has(file)) throw new DatasetError('corrupt', `${archive}: entry '${e.name}' appears twice`, archive);
    chosen.set(file, e);
  }
  const missing = files.filter((f) => !chosen.has(f));
  if (missing.length > 0) {
    throw new DatasetError('corrupt', `${archive} has no entry ${missing.map((f) => `'${prefix}${f}'`).join(', ')}; it needs ${files.join(', ')}`, archive);
  }
  return chosen;
}

function checkSizes(chosen: ReadonlyMap<string, ZipEntry>, archive: string, options: Pick<ExtractOptions, 'maxTotalBytes' | 'maxRatio'>): void {
  const maxTotal = options.maxTotalBytes ?? GiB;
  const maxRatio = options.maxRatio ?? 1000;
  let total = 0;
  for (const e of chosen.values()) {
    total += e.size;
    if (e.method !== 0 && e.method !== 8) throw new DatasetError('corrupt', `${archive}: entry '${e.name}' uses compression method ${e.method}; only stored (0) and deflate (8) are supported`, archive);
    if (e.method === 0 && e.size !== e.compressedSize) throw new DatasetError('corrupt', `${archive}: stored entry '${e.name}' declares ${e.size} bytes but holds ${e.compressedSize}`, archive);
    if (e.size > RATIO_MIN_SIZE && e.size > maxRatio * e.compressedSize) {
      throw new DatasetError('unsafe', `${archive}: entry '${e.name}' claims to expand ${e.compressedSize} bytes to ${e.size} (more than ${maxRatio}×); refusing to extract a likely ZIP bomb`, archive);
    }
  }
  if (total > maxTotal) {
    throw new DatasetError('unsafe', `${archive}: the entries to extract declare ${total} bytes in all, more than the ${maxTotal}-byte limit; refusing to extract`, archive);
  }
}

/** The bytes of one checked entry (from chooseZipEntries), inflated into a buffer of its declared size and CRC-checked. */
export function inflateEntry(zip: Uint8Array, entry: ZipEntry, archive: string): Uint8Array {
  const raw = entryBytes(zip, entry);
  let data: Uint8Array;
  try {
    // The output buffer has the declared size: a stream that tries to grow past it is cut off
    // (and then fails the CRC check), so memory stays bounded by the checked sizes.
    data = entry.method === 0 ? raw : inflateSync(raw, { out: new Uint8Array(entry.size) });
  } catch (err) {
    throw new DatasetError('corrupt', `${archive}: entry '${entry.name}' cannot be decompressed: ${(err as Error).message}`, archive);
  }
  if (data.length !== entry.size || crc32(data) !== entry.crc32) {
    throw new DatasetError('corrupt', `${archive}: entry '${entry.name}' is damaged (${data.length} of ${entry.size} bytes, CRC-32 mismatch or short data)`, archive);
  }
  return data;
}

/** Replaces `target` with the folder `from`, moving any old copy aside first (rename needs an empty target). */
async function moveIntoPlace(from: string, target: string): Promise<void> {
  const old = tempPathFor(target);
  let moved = false;
  try {
    await fs.rename(target, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    await fs.rename(from, target);
  } catch (err) {
    if (moved) await fs.rename(old, target);
    throw err;
  }
  if (moved) await fs.rm(old, { recursive: true, force: true });
}

let crcTable: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
