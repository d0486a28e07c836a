/**
 * The safetensors format (huggingface/safetensors), written and read by hand so a Python user can
 * `safetensors.numpy.load_file` our checkpoints:
 *   u64 LE header length N | N bytes of JSON header (space-padded) | tensor bytes, little-endian.
 * The header maps each tensor name to { dtype, shape, data_offsets: [begin, end] } (offsets relative
 * to the first byte after the header) plus an optional "__metadata__" of string → string.
 */
import { describeJsonValue, parseJson } from '../io/jsonText';
import { elementCount, type NamedTensor } from './namedTensor';

export type SafetensorsDtype = 'F32' | 'I32' | 'F16';

const BYTES_PER_ELEMENT: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, I32: 4, F16: 2 };

export interface DecodedSafetensors {
  readonly tensors: NamedTensor[];
  readonly metadata: Record<string, string>;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const METADATA_KEY = '__metadata__';
const ALIGNMENT = 8;
/** A header larger than this is a corrupt length field, not a real header (the Rust reader caps it too). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

interface HeaderEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data_offsets: [number, number];
}

function dtypeOf(data: NamedTensor['data']): SafetensorsDtype {
  return data instanceof Float32Array ? 'F32' : data instanceof Uint16Array ? 'F16' : 'I32';
}

/** Encodes tensors in the order given; metadata values must already be strings (JSON-encode nested values). */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new SafetensorsError(`metadata value for '${k}' must be a string (JSON-encode nested values); got ${typeof v}`);
  }
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === METADATA_KEY || t.name.length === 0) throw new SafetensorsError(`invalid tensor name '${t.name}'`);
    if (seen.has(t.name)) throw new SafetensorsError(`duplicate tensor name '${t.name}'`);
    seen.add(t.name);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`tensor '${t.name}' has an invalid shape [${t.shape.join(', ')}]`);
    const count = elementCount(t.shape);
    if (count !== t.data.length) throw new SafetensorsError(`tensor '${t.name}' has shape [${t.shape.join(', ')}] (${count} elements) but ${t.data.length} values`);
    const end = offset + t.data.byteLength;
    const entry: HeaderEntry = { dtype: dtypeOf(t.data), shape: [...t.shape], data_offsets: [offset, end] };
    header[t.name] = entry;
    offset = end;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  // Pad with spaces so the data starts on an 8-byte boundary, as the reference writer does.
  const headerLength = Math.ceil((8 + json.length) / ALIGNMENT) * ALIGNMENT - 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors) {
    out.set(toLittleEndianBytes(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) throw new SafetensorsError(`truncated safetensors file: ${bytes.length} bytes, fewer than the 8-byte header length (at byte 0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsError(`bad header length ${n}: larger than the ${MAX_HEADER_BYTES}-byte limit (corrupt file? the length is at byte 0)`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    throw new SafetensorsError(`bad header length ${headerLength}: the file has only ${bytes.length - 8} bytes after the length field (truncated file? the length is at byte 0)`);
  }
  let header: unknown;
  try {
    header = parseJson(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8'));
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON (bytes 8..${8 + headerLength}; at ${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError(`header is not a JSON object (bytes 8..${8 + headerLength})`);

  const metadata = readMetadata((header as Record<string, unknown>)[METADATA_KEY]);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const entries = Object.entries(header as Record<string, unknown>)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, raw]) => ({ name, entry: validateEntry(name, raw) }));

  // The data buffer must be covered exactly once: sorted by offset, each tensor starts where the previous ended.
  const byOffset = [...entries].sort((a, b) => a.entry.data_offsets[0] - b.entry.data_offsets[0]);
  let expected = 0;
  for (const { name, entry } of byOffset) {
    const [begin, end] = entry.data_offsets;
    if (begin < expected) throw new SafetensorsError(`tensor '${name}' data_offsets [${begin}, ${end}] overlap the previous tensor (which ends at ${expected})`);
    if (begin > expected) throw new SafetensorsError(`gap in the data before tensor '${name}' (bytes ${expected}..${begin} belong to no tensor)`);
    expected = end;
  }
  if (expected > dataLength) throw new SafetensorsError(`truncated safetensors file: tensors need ${expected} data bytes but only ${dataLength} are present (the file ends at byte ${bytes.length})`);
  if (expected < dataLength) throw new SafetensorsError(`${dataLength - expected} trailing bytes after the last tensor`);

  const tensors = entries.map(({ name, entry }) => {
    const [begin, end] = entry.data_offsets;
    // A fresh copy: aligned for the typed array, independent of `bytes` (Buffer.slice would be a view of a shared pool).
    const slice = new Uint8Array(end - begin);
    slice.set(bytes.subarray(dataStart + begin, dataStart + end));
    if (!LITTLE_ENDIAN_HOST) swapBytes(slice, BYTES_PER_ELEMENT[entry.dtype]);
    const data = entry.dtype === 'F32' ? new Float32Array(slice.buffer) : entry.dtype === 'F16' ? new Uint16Array(slice.buffer) : new Int32Array(slice.buffer);
    return { name, shape: entry.shape, data } satisfies NamedTensor;
  });
  return { tensors, metadata };
}

function readMetadata(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SafetensorsError("header field '__metadata__' must be an object of strings");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw new SafetensorsError(`__metadata__ value for '${k}' must be a string; got ${describeJsonValue(v)}`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true }); // '__proto__' too, as a plain key
  }
  return out;
}

function validateEntry(name: string, raw: unknown): HeaderEntry {
  const e = raw as Partial<HeaderEntry> | null;
  if (typeof e !== 'object' || e === null) throw new SafetensorsError(`header entry for '${name}' is not an object`);
  if (e.dtype !== 'F32' && e.dtype !== 'I32' && e.dtype !== 'F16') throw new SafetensorsError(`tensor '${name}' has dtype ${describeJsonValue(e.dtype)}; only F32, F16 and I32 are supported`);
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new SafetensorsError(`tensor '${name}' has an invalid shape ${describeJsonValue(e.shape)}`);
  const offs = e.data_offsets;
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[1] < offs[0]) {
    throw new SafetensorsError(`tensor '${name}' has invalid data_offsets ${describeJsonValue(offs)}`);
  }
  const expectedBytes = elementCount(e.shape) * BYTES_PER_ELEMENT[e.dtype];
  if (offs[1] - offs[0] !== expectedBytes) {
    throw new SafetensorsError(`tensor '${name}' has shape [${e.shape.join(', ')}] (${expectedBytes} bytes) but data_offsets span ${offs[1] - offs[0]} bytes`);
  }
  return { dtype: e.dtype, shape: e.shape, data_offsets: [offs[0], offs[1]] };
}

function toLittleEndianBytes(data: NamedTensor['data']): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/** Reverses each `width`-byte element in place (big-endian hosts only). */
function swapBytes(b: Uint8Array, width: number): void {
  for (let i = 0; i + width - 1 < b.length; i += width) b.subarray(i, i + width).reverse();
}

/** Looks a tensor up by name, with an error that lists what the file does hold. */
export function requireTensor(tensors: readonly NamedTensor[], name: string, source: string): NamedTensor {
  const t = tensors.find((x) => x.name === name);
  if (!t) throw new SafetensorsError(`${source} has no tensor '${name}' (it holds ${tensors.map((x) => x.name).join(', ') || 'no tensors'})`);
  return t;
}
