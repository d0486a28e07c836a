/**
 * PyTorch's .pth format (torch.save since 1.6): a ZIP archive holding `<name>/data.pkl` (a pickle)
 * and `<name>/data/<key>`, the raw little-endian bytes of each storage. The pickle is read with the
 * allowlisted reader's 'torch' profile (tensors, OrderedDict, plain values, nothing callable) and
 * every tensor is then cut from its storage with its offset and strides into a float32 array.
 */
import { DatasetError } from '../data/datasetError';
import { UntrustedDataError, isTensorRef, readPickle, type PickleValue, type TensorRef } from '../data/pickle';
import { readZipDirectory, type ZipEntry } from '../data/zipDirectory';
import { inflateEntry } from '../data/zipExtract';
import { float16Value } from '../artifacts/float16';

export class PthError extends UntrustedDataError {
  constructor(message: string, unsafe = false) {
    super('PthError', message, unsafe);
  }
}

/** A tensor of the file, contiguous row-major float32 (float64 and float16 storages converted). */
export interface PthTensor {
  readonly kind: 'pthTensor';
  readonly shape: number[];
  readonly data: Float32Array;
  /** The storage's element type in the file. */
  readonly dtype: 'float32' | 'float64' | 'float16';
}

/** What the pickle held, with every tensor read: dicts are Maps, tuples and lists arrays. */
export type PthValue = null | boolean | number | string | Uint8Array | PthValue[] | Map<PthValue, PthValue> | PthTensor;

const WIDTH = { float32: 4, float64: 8, float16: 2 } as const;

export function isPthTensor(v: PthValue | undefined): v is PthTensor {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && v.kind === 'pthTensor';
}

/** Reads a .pth file's contents (`file` names it in errors). */
export function readPth(bytes: Uint8Array, file: string): PthValue {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(bytes, file);
  } catch (err) {
    const legacy = bytes[0] === 0x80 ? ' (it looks like a pre-1.6 torch.save file: load and save it again with a recent PyTorch)' : '';
    throw new PthError(`${file} is not a PyTorch .pth archive${legacy}: ${err instanceof DatasetError ? err.message : String(err)}`);
  }
  const pickles = entries.filter((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (pickles.length !== 1) throw new PthError(`${file} is not a PyTorch .pth archive: it needs exactly one entry '<name>/data.pkl', found ${pickles.length}`);
  const prefix = pickles[0].name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const order = byName.get(`${prefix}byteorder`);
  if (order && Buffer.from(read(bytes, order, file)).toString('latin1').trim() !== 'little') throw new PthError(`${file}: entry '${prefix}byteorder' says its tensors are big-endian, which is not supported`);

  let value: PickleValue;
  try {
    value = readPickle(read(bytes, pickles[0], file), `${file} (${pickles[0].name})`, { profile: 'torch' });
  } catch (err) {
    throw new PthError((err as Error).message, err instanceof UntrustedDataError && err.unsafe);
  }
  const storages = new Map<string, Uint8Array>();
  const storageBytes = (ref: TensorRef): Uint8Array => {
    const { key, numel, dtype } = ref.storage;
    let data = storages.get(key);
    if (!data) {
      const entry = byName.get(`${prefix}data/${key}`);
      if (!entry) throw new PthError(`${file}: storage '${key}' (data/${key}) is missing from the archive`);
      data = read(bytes, entry, file);
      if (data.length !== numel * WIDTH[dtype]) throw new PthError(`${file}: storage '${key}' has ${data.length} bytes, but ${numel} × ${dtype} need ${numel * WIDTH[dtype]} (truncated or damaged)`);
      storages.set(key, data);
    }
    return data;
  };
  const done = new Map<object, PthValue>();
  const convert = (v: PickleValue, depth: number): PthValue => {
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
    const seen = done.get(v);
    if (seen !== undefined) return seen;
    if (depth > 64) throw new PthError(`${file}: the pickle 'data.pkl' nests values deeper than 64 levels`);
    if (Array.isArray(v)) {
      const out: PthValue[] = [];
      done.set(v, out);
      for (const x of v) out.push(convert(x, depth + 1));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<PthValue, PthValue>();
      done.set(v, out);
      for (const [k, x] of v) out.set(convert(k, depth + 1), convert(x, depth + 1));
      return out;
    }
    if (isTensorRef(v)) {
      const t = gather(v, storageBytes(v), file);
      done.set(v, t);
      return t;
    }
    throw new PthError(`${file}: the pickle 'data.pkl' holds a ${v.kind} where data was expected`);
  };
  return convert(value, 0);
}

/** A .pth larger than this is not a GAT (pytorch-GAT's PPI model is 15 MB). */
const MAX_ENTRY_BYTES = 1 << 30;

function read(bytes: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  // Sizes are checked before inflating: a declared size is what gets allocated.
  if (entry.size > MAX_ENTRY_BYTES || (entry.method !== 0 && entry.size > 1024 * entry.compressedSize + (1 << 20))) {
    throw new PthError(`${file}: entry '${entry.name}' declares ${entry.size} bytes from ${entry.compressedSize}: too large for a model file`);
  }
  try {
    return inflateEntry(bytes, entry, file);
  } catch (err) {
    throw new PthError(err instanceof Error ? err.message : String(err));
  }
}

/* ── A tensor from its storage: element (i0, i1, …) sits at offset + Σ i_k · stride_k ── */
function gather(t: TensorRef, raw: Uint8Array, file: string): PthTensor {
  const { shape, stride, offset } = t;
  const { dtype, numel, key } = t.storage;
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > numel) throw new PthError(`${file}: a tensor of shape [${shape.join(', ')}] cannot fit storage '${key}' of ${numel} elements`);
  if (count > 0) {
    const last = offset + shape.reduce((a, d, k) => a + (d - 1) * stride[k], 0);
    if (last >= numel) throw new PthError(`${file}: a tensor of shape [${shape.join(', ')}], offset ${offset} and strides [${stride.join(', ')}] reads past storage '${key}' (${numel} elements)`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const element = dtype === 'float32' ? (i: number) => view.getFloat32(4 * i, true) : dtype === 'float64' ? (i: number) => view.getFloat64(8 * i, true) : (i: number) => float16Value(view.getUint16(2 * i, true));
  const data = new Float32Array(count);
  const index = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < count; n++) {
    let at = offset;
    for (let k = 0; k < shape.length; k++) at += index[k] * stride[k];
    data[n] = element(at);
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return { kind: 'pthTensor', shape: [...shape], data, dtype };
}
