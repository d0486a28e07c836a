/**
 * ZIP archives written byte by byte, as an attacker writes them: a central directory may point
 * several entries at one local header (so one deflate stream inflates once per entry), or declare
 * an entry's data to run over the next entry's bytes. fflate's writer cannot make either.
 */
import { deflateSync } from 'fflate';
import { concatBytes } from './bytes';
import { Program } from './pickleWriter';
import { crc32 } from './crc32';

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
  const parts: Uint8Array[] = [];
  let length = 0;
  const put = (b: Uint8Array): void => {
    parts.push(b);
    length += b.length;
  };
  const header = (fields: ReadonlyArray<readonly [number, 2 | 4]>): Uint8Array => {
    const out = new Uint8Array(fields.reduce((n, [, w]) => n + w, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const [v, w] of fields) {
      if (w === 2) view.setUint16(at, v, true);
      else view.setUint32(at, v >>> 0, true);
      at += w;
    }
    return out;
  };
  const written = records.map((r) => {
    const data = r.deflate ? deflateSync(r.content, { level: 9 }) : r.content;
    const name = Buffer.from(r.name, 'utf8');
    const method = r.deflate ? 8 : 0;
    const crc = crc32(r.content);
    const offset = length;
    put(header([[0x04034b50, 4], [20, 2], [0x800, 2], [method, 2], [0, 2], [0, 2], [crc, 4], [data.length, 4], [r.content.length, 4], [name.length, 2], [0, 2]]));
    put(name);
    put(data);
    return { offset, crc, compressedSize: data.length, size: r.content.length, method };
  });
  const cdOffset = length;
  const entries: readonly ZipDirectoryEntry[] = directory ?? records.map((r, i) => ({ name: r.name, record: i }));
  for (const e of entries) {
    const w = written[e.record];
    const name = Buffer.from(e.name, 'utf8');
    put(header([[0x02014b50, 4], [(3 << 8) | 20, 2], [20, 2], [0x800, 2], [w.method, 2], [0, 2], [0, 2], [w.crc, 4], [w.compressedSize + (e.compressedSizeLie ?? 0), 4], [w.size, 4], [name.length, 2], [0, 2], [0, 2], [0, 2], [0, 2], [0o100644 << 16, 4], [w.offset, 4]]));
    put(name);
  }
  const cdSize = length - cdOffset;
  put(header([[0x06054b50, 4], [0, 2], [0, 2], [entries.length, 2], [entries.length, 2], [cdSize, 4], [cdOffset, 4], [0, 2]]));
  return concatBytes(...parts);
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
