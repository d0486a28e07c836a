/**
 * PyTorch's .pth format (torch.save since 1.6): a ZIP archive holding `<name>/data.pkl` (a pickle)
 * and `<name>/data/<key>`, the raw little-endian bytes of each storage. The pickle is read with the
 * allowlisted reader's 'torch' profile (tensors, OrderedDict, plain values, nothing callable) and
 * every tensor is then cut from its storage with its offset and strides into a float32 array.
 * Before any storage is inflated, all tensors and storages are weighed against one budget
 * (pthBudget.ts): many views of one storage cannot add up to more than a model may take.
 */
import { DatasetError } from '../data/datasetError';
import { UntrustedDataError, isTensorRef, readPickle, type PickleValue, type TensorRef } from '../data/pickle';
import { readZipDirectory, type ZipEntry } from '../data/zipDirectory';
import { inflateEntry } from '../data/zipExtract';
import { float16Value } from '../artifacts/float16';
import { budgetProblem, elementCount, MAX_BYTEORDER_BYTES, MAX_MODEL_BYTES, MAX_PICKLE_BYTES, viewProblem } from './pthBudget';

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

export interface ReadPthOptions {
  /** What reading may allocate, tensors and inflated storages together (default MAX_MODEL_BYTES; see pthBudget.ts). */
  readonly maxBytes?: number;
}

/** Reads a .pth file's contents (`file` names it in errors), within the byte budget of pthBudget.ts. */
export function readPth(bytes: Uint8Array, file: string, options: ReadPthOptions = {}): PthValue {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(bytes, file);
  } catch (err) {
    const legacy = bytes[0] === 0x80 ? ' (it looks like a pre-1.6 torch.save file: load and save it again with a recent PyTorch)' : '';
    const why = err instanceof DatasetError ? err.message.replace(`${file} is not a readable ZIP archive: `, '') : String(err);
    throw new PthError(`${file} is not a PyTorch .pth archive${legacy}: ${why}`);
  }
  const pickles = entries.filter((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (pickles.length !== 1) throw new PthError(`${file} is not a PyTorch .pth archive: it needs exactly one entry '<name>/data.pkl', found ${pickles.length}`);
  const prefix = pickles[0].name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const order = byName.get(`${prefix}byteorder`);
  if (order && Buffer.from(read(bytes, order, file, MAX_BYTEORDER_BYTES)).toString('latin1').trim() !== 'little') throw new PthError(`${file}: entry '${prefix}byteorder' says its tensors are big-endian, which is not supported`);

  let value: PickleValue;
  try {
    value = readPickle(read(bytes, pickles[0], file, MAX_PICKLE_BYTES), `${file} (${pickles[0].name})`, { profile: 'torch' });
  } catch (err) {
    if (err instanceof PthError) throw err;
    throw new PthError((err as Error).message, err instanceof UntrustedDataError && err.unsafe);
  }
  // Every tensor and storage is checked against the budget before any storage is inflated.
  const storageEntry = (key: string): ZipEntry | undefined => byName.get(`${prefix}data/${key}`);
  const problem = budgetProblem(file, tensorRefsIn(value), storageEntry, options.maxBytes ?? MAX_MODEL_BYTES);
  if (problem) throw new PthError(problem);

  const storages = new Map<string, Uint8Array>();
  const storageBytes = (ref: TensorRef): Uint8Array => {
    const { key, numel, dtype } = ref.storage;
    let data = storages.get(key);
    if (!data) {
      data = read(bytes, storageEntry(key)!, file, numel * WIDTH[dtype]);
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

/** Every tensor the pickle holds, once each (shared ones are one object), found without recursion. */
function tensorRefsIn(value: PickleValue): TensorRef[] {
  const found: TensorRef[] = [];
  const seen = new Set<object>();
  const todo: PickleValue[] = [value];
  while (todo.length > 0) {
    const v = todo.pop()!;
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) for (const x of v) todo.push(x);
    else if (v instanceof Map) for (const [k, x] of v) todo.push(k, x);
    else if (isTensorRef(v)) found.push(v);
  }
  return found;
}

/** A .pth larger than this is not a GAT (pytorch-GAT's PPI model is 15 MB). */
const MAX_ENTRY_BYTES = 1 << 30;

/** An entry's bytes, refused unless it declares at most `most` bytes: a declared size is what gets allocated. */
function read(bytes: Uint8Array, entry: ZipEntry, file: string, most: number): Uint8Array {
  if (entry.size > most) throw new PthError(`${file}: entry '${entry.name}' declares ${entry.size} bytes, more than the ${most} such an entry may hold in a model file`);
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
  const { dtype } = t.storage;
  const bad = viewProblem(t, file);
  if (bad) throw new PthError(bad);
  const count = elementCount(t);
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
