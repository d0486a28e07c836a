/**
 * ZIP archives written byte by byte, as an attacker writes them: a central directory may point
 * several entries at one local header (so one deflate stream inflates once per entry), or declare
 * an entry's data to run over the next entry's bytes. fflate's writer cannot make either.
 */
import { deflateSync } from 'fflate';
import { Program } from './pickleWriter';

/** One local header and its data, as it sits in the file. */
export interface ZipRecord {
  readonly name: string;
  /** The bytes to inflate. */
  readonly content: Uint8Array;
  /** Deflate it (method 8) rather than store it (0). */
  readonly deflate?: boolean;
}

/** A central-directory entry: its name, and which record's local header it points at. */
export interface ZipDirectoryEntry {
  readonly name: string;
  readonly record: number;
  /** Added to the compressed size the directory declares (a lie that runs into the next record). */
  readonly compressedSizeLie?: number;
}

/** The records one after another, then a central directory listing `directory` (default: one entry per record). */
export function handMadeZip(records: readonly ZipRecord[], directory?: readonly ZipDirectoryEntry[]): Uint8Array {
  const out: number[] = [];
  const u16 = (v: number): void => void out.push(v & 0xff, (v >>> 8) & 0xff);
  const u32 = (v: number): void => void out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const put = (b: Uint8Array): void => {
    for (let i = 0; i < b.length; i++) out.push(b[i]);
  };
  const written = records.map((r) => {
    const data = r.deflate ? deflateSync(r.content, { level: 9 }) : r.content;
    const name = Buffer.from(r.name, 'utf8');
    const offset = out.length;
    u32(0x04034b50); u16(20); u16(0x800); u16(r.deflate ? 8 : 0); u16(0); u16(0);
    const crc = crc32(r.content);
    u32(crc); u32(data.length); u32(r.content.length); u16(name.length); u16(0);
    put(name);
    put(data);
    return { offset, crc, compressedSize: data.length, size: r.content.length, method: r.deflate ? 8 : 0 };
  });
  const cdOffset = out.length;
  const entries: readonly ZipDirectoryEntry[] = directory ?? records.map((r, i) => ({ name: r.name, record: i }));
  for (const e of entries) {
    const w = written[e.record];
    const name = Buffer.from(e.name, 'utf8');
    u32(0x02014b50); u16((3 << 8) | 20); u16(20); u16(0x800); u16(w.method); u16(0); u16(0);
    u32(w.crc); u32(w.compressedSize + (e.compressedSizeLie ?? 0)); u32(w.size); u16(name.length); u16(0); u16(0); u16(0); u16(0);
    u32((0o100644 << 16) >>> 0); u32(w.offset);
    put(name);
  }
  const cdSize = out.length - cdOffset;
  u32(0x06054b50); u16(0); u16(0); u16(entries.length); u16(entries.length); u32(cdSize); u32(cdOffset); u16(0);
  return Uint8Array.from(out);
}

/**
 * `bytes` of zeros with one pseudo-random byte every 64 KiB: deflate packs it about 1,000 to 1,
 * just under the ratio a reader refuses outright, as a real bomb is made.
 */
export function nearlyZeros(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let s = 1;
  for (let i = 0; i < bytes; i += 65536) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) & 0xff;
  }
  return out;
}

/**
 * A PyTorch .pth whose `count` float32 storages (data/0 …) are all one deflate stream of `storageBytes`:
 * the directory points every storage entry at the same local header. Its state_dict holds one
 * flat tensor `w<i>` per storage, each viewing the whole of it.
 */
export function sharedStreamPth(count: number, storageBytes: number): Uint8Array {
  const numel = storageBytes / 4;
  const p = new Program().op(0x80).raw([2]);
  p.global('collections', 'OrderedDict').op(0x29).op(0x52).mark(); // OrderedDict() MARK
  for (let i = 0; i < count; i++) {
    p.str(`w${i}`).global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', 'FloatStorage').str(String(i)).str('cpu').int(numel).op(0x74).op(0x51); // ('storage', FloatStorage, key, 'cpu', numel) BINPERSID
    p.int(0).tuple([numel]).tuple([1]).op(0x89).global('collections', 'OrderedDict').op(0x29).op(0x52); // offset, size, stride, False, OrderedDict()
    p.op(0x74).op(0x52); // TUPLE REDUCE
  }
  p.op(0x75).op(0x2e); // SETITEMS STOP
  const records: ZipRecord[] = [{ name: 'archive/data.pkl', content: p.finish() }, { name: 'archive/data/0', content: nearlyZeros(storageBytes), deflate: true }];
  const directory = [{ name: 'archive/data.pkl', record: 0 }, ...Array.from({ length: count }, (_, i) => ({ name: `archive/data/${i}`, record: 1 }))];
  return handMadeZip(records, directory);
}

let table: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
