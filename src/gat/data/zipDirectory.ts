/**
 * Reads a ZIP archive's central directory: the names, sizes and Unix modes that fflate does not
 * expose, so extraction can refuse symlinks and absurd sizes before inflating anything.
 * Every offset is bounds-checked; ZIP64 sizes, multi-disk and encrypted archives are refused, and
 * so are entries whose bytes overlap: a directory that points several entries at one deflate
 * stream makes a small file inflate many times over (the overlapping-entry ZIP bomb).
 */
import { DatasetError } from './datasetError';

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflate. */
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  /** Declared uncompressed size. */
  readonly size: number;
  readonly isDirectory: boolean;
  /** Unix file-type bits (S_IFMT: 0o100000 file, 0o040000 folder, 0o120000 symlink) when made on Unix; else 0. */
  readonly unixType: number;
  /** Where the compressed data starts (after the local header). */
  readonly dataOffset: number;
  /** Where the entry's local header starts. */
  readonly headerOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const HOST_UNIX = 3;
const HOST_MACOS = 19;

export function readZipDirectory(bytes: Uint8Array, archive: string): ZipEntry[] {
  const fail = (message: string): DatasetError => new DatasetError('corrupt', `${archive} is not a readable ZIP archive: ${message}`, archive);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfDirectory(view);
  if (eocd < 0) throw fail(`no end-of-central-directory record from byte ${Math.max(0, bytes.length - 22 - 0xffff)} to the end (the file is truncated or not a ZIP)`);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) throw fail(`multi-disk archives are not supported (the end record at byte ${eocd} names disks)`);
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  // PyTorch's writer adds ZIP64 end records to every archive; while the classic record's fields are
  // exact (none saturated), they say the same and are read. Only a real ZIP64 archive is refused.
  const saturated = count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
  if (saturated && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIG) throw fail(`ZIP64 archives are not supported (a ZIP64 locator at byte ${eocd - 20})`);
  if (cdOffset + cdSize > eocd) throw fail(`the central directory (byte ${cdOffset}, ${cdSize} bytes) runs past its end record at byte ${eocd}`);

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  const cdEnd = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdEnd || view.getUint32(p, true) !== CDH_SIG) throw fail(`central directory entry ${i} at byte ${p} is damaged`);
    const madeBy = view.getUint16(p + 4, true) >> 8;
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc32 = view.getUint32(p + 16, true);
    const compressedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    const localOffset = view.getUint32(p + 42, true);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > cdEnd) throw fail(`central directory entry ${i} at byte ${p} runs past the directory`);
    // Bit 11: UTF-8 names; otherwise CP437, read as latin-1 (exact for ASCII names).
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 46, nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    if (flags & 0x1) throw fail(`entry '${name}' is encrypted`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw fail(`entry '${name}' uses ZIP64 sizes, which are not supported`);
    const dataOffset = localDataOffset(view, localOffset, cdOffset, name, fail);
    if (dataOffset + compressedSize > cdOffset) throw fail(`entry '${name}' (${compressedSize} bytes at byte ${dataOffset}) runs into the central directory`);
    const unixType = madeBy === HOST_UNIX || madeBy === HOST_MACOS ? (external >>> 16) & 0o170000 : 0;
    entries.push({ name, method, crc32, compressedSize, size, isDirectory: name.endsWith('/'), unixType, dataOffset, headerOffset: localOffset });
    p = next;
  }
  refuseOverlaps(entries, archive);
  return entries;
}

/**
 * Each entry owns the bytes from its local header to the end of its data, and no two entries may
 * share any: a writer lays entries one after another, in whatever order its directory lists them.
 */
function refuseOverlaps(entries: readonly ZipEntry[], archive: string): void {
  const spans = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
  for (let i = 1; i < spans.length; i++) {
    const [before, after] = [spans[i - 1], spans[i]];
    const end = before.dataOffset + before.compressedSize;
    if (after.headerOffset < end) {
      throw new DatasetError(
        'unsafe',
        `${archive} is not a readable ZIP archive: entries '${before.name}' (bytes ${before.headerOffset}–${end - 1}) and '${after.name}' (from byte ${after.headerOffset}) overlap; ` +
          'entries that share bytes make a small file inflate to gigabytes (a ZIP bomb), so the archive is refused',
        archive,
      );
    }
  }
}

/** The compressed bytes of an entry (a view, not a copy). */
export function entryBytes(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  return bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
}

function findEndOfDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65 535 bytes, at the very end.
  const last = view.byteLength - 22;
  for (let i = last; i >= 0 && i >= last - 0xffff; i--) {
    if (view.getUint32(i, true) === EOCD_SIG && i + 22 + view.getUint16(i + 20, true) === view.byteLength) return i;
  }
  return -1;
}

function localDataOffset(view: DataView, offset: number, cdOffset: number, name: string, fail: (m: string) => DatasetError): number {
  if (offset + 30 > cdOffset || view.getUint32(offset, true) !== LFH_SIG) throw fail(`entry '${name}': no local header at byte ${offset}`);
  return offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
}
