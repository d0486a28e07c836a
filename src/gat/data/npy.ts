/**
 * A reader for NumPy `.npy` files (format versions 1.0, 2.0 and 3.0) that treats them as data.
 *
 * The header is a Python dict literal. It is read by a small tokenizer that knows exactly the
 * three keys NumPy writes ('descr', 'fortran_order', 'shape') and plain values, never by
 * evaluating it. Only plain numeric dtypes are accepted: object arrays are pickles (code),
 * and structured or string dtypes are nothing a graph loader needs.
 */
import { DatasetError } from './datasetError';

export type NpyData = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface NpyArray {
  /** Kind and item size as NumPy names them, without byte order: 'b1', 'u1', 'i8', 'f4', … */
  readonly dtype: string;
  readonly shape: number[];
  /**
   * The values in C order. int64/uint64 become Int32Array when every value fits, else
   * Float64Array (values beyond ±2^53 are refused); float16 becomes Float32Array; bool 0/1 Uint8Array.
   */
  readonly data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAX_ELEMENTS = 2 ** 31;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const fail = (message: string): never => {
    throw new DatasetError('corrupt', `${file} is not a readable .npy file: ${message}`, file);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('byte 0: expected the magic string \\x93NUMPY');
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) fail(`byte 6: format version ${major}.${minor} (this reader knows 1.0, 2.0 and 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) fail('byte 8: the file ends inside the header length');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) fail(`byte ${headerStart}: the header claims ${headerLength} bytes but the file ends at byte ${bytes.length}`);
  // Versions 1 and 2 use latin-1 headers, version 3 UTF-8.
  const header = Buffer.from(bytes.buffer, bytes.byteOffset + headerStart, headerLength).toString(major === 3 ? 'utf8' : 'latin1');
  const fields = parseHeader(header, (m) => fail(`header (byte ${headerStart}): ${m}`));

  const dtype = parseDescr(fields.descr, file);
  const shape = fields.shape;
  if (fields.fortranOrder && shape.length > 1) {
    fail(`header field 'fortran_order' is True for a ${shape.length}-D array; only C-order arrays are supported (save it with np.ascontiguousarray(a))`);
  }
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > MAX_ELEMENTS) fail(`header field 'shape' ${formatShape(shape)} has more than 2^31 elements`);
  }
  const expected = count * dtype.size;
  const actual = bytes.length - dataStart;
  if (actual !== expected) {
    fail(`the data at byte offset ${dataStart} is ${actual} bytes, but shape ${formatShape(shape)} of '${fields.descr}' needs ${expected} bytes`);
  }
  return { dtype: `${dtype.kind}${dtype.size}`, shape, data: decode(bytes, dataStart, count, dtype, file) };
}

/** Shape as NumPy prints it: (3,), (2, 4), (). */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

interface HeaderFields {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type Token = { t: 'punct'; v: string } | { t: 'str'; v: string } | { t: 'bool'; v: boolean } | { t: 'int'; v: number };

function tokenize(header: string, fail: (m: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < header.length) {
    const c = header[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
    } else if ('{}(),:'.includes(c)) {
      tokens.push({ t: 'punct', v: c });
      i++;
    } else if (c === "'" || c === '"') {
      const end = header.indexOf(c, i + 1);
      if (end < 0) fail(`unterminated string at character ${i}`);
      const v = header.slice(i + 1, end);
      if (v.includes('\\')) fail(`escape sequences in strings are not supported (character ${i})`);
      tokens.push({ t: 'str', v });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+L?/.exec(header.slice(i, i + 24))!; // Python 2 wrote longs as 3L
      const digits = m[0].replace('L', '');
      const v = Number(digits);
      if (!Number.isSafeInteger(v)) fail(`integer ${digits} at character ${i} is too large`);
      tokens.push({ t: 'int', v });
      i += m[0].length;
    } else if (header.startsWith('True', i) || header.startsWith('False', i)) {
      const v = header.startsWith('True', i);
      tokens.push({ t: 'bool', v });
      i += v ? 4 : 5;
    } else if (c === '[') {
      fail("field 'descr' is a list: structured (record) dtypes are not supported");
    } else {
      fail(`unexpected character '${c}' at character ${i}`);
    }
  }
  return tokens;
}

/** Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` and nothing else. */
function parseHeader(header: string, fail: (m: string) => never): HeaderFields {
  const tokens = tokenize(header, fail);
  let p = 0;
  const next = (): Token | undefined => tokens[p++];
  const expectPunct = (v: string): void => {
    const t = next();
    if (!t || t.t !== 'punct' || t.v !== v) fail(`expected '${v}'`);
  };
  const seen = new Map<string, Token | number[]>();
  expectPunct('{');
  for (;;) {
    const key = next();
    if (key?.t === 'punct' && key.v === '}') break;
    if (!key || key.t !== 'str') fail('expected a quoted key');
    const name = (key as { v: string }).v;
    if (name !== 'descr' && name !== 'fortran_order' && name !== 'shape') fail(`unexpected key '${name}' (only 'descr', 'fortran_order' and 'shape' are allowed)`);
    if (seen.has(name)) fail(`key '${name}' appears twice`);
    expectPunct(':');
    if (name === 'shape') {
      expectPunct('(');
      const dims: number[] = [];
      for (;;) {
        const t = next();
        if (t?.t === 'punct' && t.v === ')') break;
        if (!t || t.t !== 'int') fail("field 'shape' must be a tuple of non-negative integers");
        dims.push((t as { v: number }).v);
        const sep = next();
        if (sep?.t === 'punct' && sep.v === ')') break;
        if (!sep || sep.t !== 'punct' || sep.v !== ',') fail("field 'shape' must be a tuple of non-negative integers");
      }
      seen.set(name, dims);
    } else {
      const value = next();
      const want = name === 'descr' ? 'str' : 'bool';
      if (!value || value.t !== want) fail(`field '${name}' must be ${want === 'str' ? 'a string' : 'True or False'}`);
      seen.set(name, value!);
    }
    const sep = next();
    if (sep?.t === 'punct' && sep.v === '}') break;
    if (!sep || sep.t !== 'punct' || sep.v !== ',') fail("expected ',' or '}' after a value");
  }
  if (p !== tokens.length) fail("unexpected text after the closing '}'");
  for (const k of ['descr', 'fortran_order', 'shape']) if (!seen.has(k)) fail(`missing key '${k}'`);
  return {
    descr: (seen.get('descr') as { v: string }).v,
    fortranOrder: (seen.get('fortran_order') as { v: boolean }).v,
    shape: seen.get('shape') as number[],
  };
}

interface Dtype {
  kind: 'b' | 'i' | 'u' | 'f';
  size: number;
  littleEndian: boolean;
}

const SIZES: Readonly<Record<Dtype['kind'], readonly number[]>> = { b: [1], i: [1, 2, 4, 8], u: [1, 2, 4, 8], f: [2, 4, 8] };

function parseDescr(descr: string, file: string): Dtype {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const kind = m?.[2];
  if (kind === 'O') {
    throw new DatasetError('unsafe', `${file}: header field 'descr' is '${descr}', an object array, which NumPy stores as a pickle that can run code; refusing to load it (save a plain numeric array instead)`, file);
  }
  const size = Number(m?.[3]);
  if (!m || !(kind! in SIZES) || !SIZES[kind as Dtype['kind']].includes(size)) {
    throw new DatasetError('corrupt', `${file}: header field 'descr' is '${descr}'; only numeric dtypes are supported (b1, i1/u1, i2/u2, i4/u4, i8/u8, f2, f4, f8)`, file);
  }
  // '|' means byte order does not apply (1-byte types); '=' and no prefix mean the writer's native
  // order, which for every platform NumPy ships on today is little-endian.
  if (m[1] === '|' && size > 1) throw new DatasetError('corrupt', `${file}: header field 'descr' is '${descr}': a ${size}-byte type needs a byte order ('<' or '>')`, file);
  return { kind: kind as Dtype['kind'], size, littleEndian: m[1] !== '>' };
}

function decode(bytes: Uint8Array, start: number, count: number, dtype: Dtype, file: string): NpyData {
  // A copy in host byte order, at offset 0 of its own buffer so typed views are aligned.
  // (Not bytes.slice: on a Node Buffer that is a view into a shared pool.)
  const raw = new Uint8Array(count * dtype.size);
  raw.set(bytes.subarray(start, start + raw.length));
  if (dtype.size > 1 && dtype.littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(raw, dtype.size);
  const buf = raw.buffer;
  switch (`${dtype.kind}${dtype.size}`) {
    case 'b1':
      for (let i = 0; i < raw.length; i++) raw[i] = raw[i] === 0 ? 0 : 1;
      return raw;
    case 'u1': return raw;
    case 'i1': return new Int8Array(buf);
    case 'u2': return new Uint16Array(buf);
    case 'i2': return new Int16Array(buf);
    case 'u4': return new Uint32Array(buf);
    case 'i4': return new Int32Array(buf);
    case 'f4': return new Float32Array(buf);
    case 'f8': return new Float64Array(buf);
    case 'f2': return halfToFloat(new Uint16Array(buf));
    case 'i8': return wideIntegers(new BigInt64Array(buf), file, start);
    default: return wideIntegers(new BigUint64Array(buf), file, start); // u8
  }
}

function swapBytes(raw: Uint8Array, size: number): void {
  for (let i = 0; i < raw.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = raw[a];
      raw[a] = raw[b];
      raw[b] = t;
    }
  }
}

const INT32_MIN = BigInt(-(2 ** 31));
const INT32_MAX = BigInt(2 ** 31 - 1);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** 64-bit integers: Int32Array when all fit (graph ids, indices), else exact doubles, else refused. */
function wideIntegers(src: BigInt64Array | BigUint64Array, file: string, dataStart: number): Int32Array | Float64Array {
  let fitsInt32 = true;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v > SAFE_MAX || v < -SAFE_MAX) {
      throw new DatasetError('corrupt', `${file}: element ${i} is ${v} (at byte ${dataStart + 8 * i}), beyond ±2^53, which JavaScript cannot hold exactly`, file);
    }
    if (v < INT32_MIN || v > INT32_MAX) fitsInt32 = false;
  }
  const out = fitsInt32 ? new Int32Array(src.length) : new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
  return out;
}

function halfToFloat(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24; // subnormal (and ±0)
    else if (exp === 0x1f) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}
