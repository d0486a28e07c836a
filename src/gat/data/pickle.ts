/**
 * A pickle reader that treats pickles as data, never as code.
 *
 * Python pickles can name any importable callable (`os.system`, `builtins.eval`) and ask
 * the loader to call it. This reader knows a fixed allowlist of classes, the ones the
 * Planetoid files use (SciPy CSR matrices, NumPy arrays and dtypes, `defaultdict(list)`),
 * and builds plain JavaScript values for them. Any other global is rejected the moment
 * its name is read, before anything could be called.
 *
 * Supports the opcodes of protocols 0–4 that data pickles use. Python 2 `str` (BINSTRING)
 * is read as a latin-1 string so raw array bytes survive unchanged.
 *
 * The 'torch' profile (PyTorch's data.pkl inside a .pth, see import/pthArchive.ts) allows exactly what
 * a saved state_dict needs instead: `collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`
 * and the float storage classes, named through persistent ids. Tensors come back as references
 * to their storage, which the .pth reader fills in from the archive.
 */

/** A file read as data that cannot be used: damaged, or (`unsafe`) a hostile or foreign one that names a global outside the allowlist. */
export class UntrustedDataError extends Error {
  constructor(
    name: string,
    message: string,
    readonly unsafe: boolean,
  ) {
    super(message);
    this.name = name;
  }
}

export class PickleError extends UntrustedDataError {
  constructor(message: string, unsafe = false) {
    super('PickleError', message, unsafe);
  }
}

export interface ReadPickleOptions {
  /** Called with every global the reader accepts (after the allowlist check): for audits and tests. */
  readonly onGlobal?: (module: string, name: string) => void;
  /** 'data' (default): NumPy/SciPy data pickles. 'torch': the pickle of a PyTorch .pth file. */
  readonly profile?: 'data' | 'torch';
}

/** Element types of the PyTorch storages a .pth may hold (the float ones a GAT's weights use). */
export type TorchStorageType = 'float32' | 'float64' | 'float16';

/** A PyTorch storage named by a persistent id: the archive's data/<key>, `numel` elements. */
export interface StorageRef {
  readonly kind: 'storage';
  readonly dtype: TorchStorageType;
  readonly key: string;
  readonly numel: number;
}

/** `_rebuild_tensor_v2(storage, offset, size, stride, …)`: a strided view of a storage. */
export interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: number[];
  readonly stride: number[];
}

/** A NumPy array as raw little-endian data plus its shape. */
export interface NdArray {
  readonly kind: 'ndarray';
  readonly shape: number[];
  readonly dtype: string; // NumPy kind+size, e.g. 'i4', 'f4', 'f8'
  readonly data: Int32Array | Float32Array | Float64Array | Uint8Array;
}

/** A SciPy CSR matrix. */
export interface CsrPickle {
  readonly kind: 'csr';
  readonly shape: [number, number];
  readonly indptr: NdArray;
  readonly indices: NdArray;
  readonly data: NdArray;
}

export type PickleValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | NdArray
  | CsrPickle
  | AllowedClass
  | PendingObject
  | StorageRef
  | TensorRef;

/** A class reference from the allowlist; only these can appear on the stack as globals. */
interface AllowedClass {
  readonly kind: 'class';
  readonly name: AllowedName;
  /** Storage classes: their element type. */
  readonly storage?: TorchStorageType;
}

type AllowedName = 'ndarray' | 'reconstruct' | 'dtype' | 'csr_matrix' | 'defaultdict' | 'list' | 'ordereddict' | 'rebuild_tensor' | 'storage';

/** An object under construction (between NEWOBJ/REDUCE and BUILD). */
interface PendingObject {
  readonly kind: 'pending';
  readonly of: 'ndarray' | 'dtype' | 'csr_matrix';
  state?: PickleValue;
  dtype?: string;
}

const ALLOWED_GLOBALS: ReadonlyMap<string, AllowedName> = new Map([
  ['numpy ndarray', 'ndarray'],
  ['numpy dtype', 'dtype'],
  ['numpy.core.multiarray _reconstruct', 'reconstruct'],
  ['numpy._core.multiarray _reconstruct', 'reconstruct'],
  ['scipy.sparse.csr csr_matrix', 'csr_matrix'],
  ['scipy.sparse._csr csr_matrix', 'csr_matrix'],
  ['collections defaultdict', 'defaultdict'],
  ['__builtin__ list', 'list'],
  ['builtins list', 'list'],
]);

/** The torch profile's allowlist: what `torch.save(model.state_dict())` and pytorch-GAT's checkpoint dict use. */
const TORCH_GLOBALS: ReadonlyMap<string, AllowedClass> = new Map([
  ['collections OrderedDict', { kind: 'class', name: 'ordereddict' }],
  ['torch._utils _rebuild_tensor_v2', { kind: 'class', name: 'rebuild_tensor' }],
  ['torch FloatStorage', { kind: 'class', name: 'storage', storage: 'float32' }],
  ['torch DoubleStorage', { kind: 'class', name: 'storage', storage: 'float64' }],
  ['torch HalfStorage', { kind: 'class', name: 'storage', storage: 'float16' }],
]);

/** PyTorch storages a .pth may hold that a GAT's weights never need: refused by name, as unsupported rather than hostile. */
const OTHER_TORCH_STORAGES = new Set(['BFloat16Storage', 'LongStorage', 'IntStorage', 'ShortStorage', 'CharStorage', 'ByteStorage', 'BoolStorage', 'ComplexFloatStorage', 'ComplexDoubleStorage', 'QInt8Storage', 'QUInt8Storage', 'QInt32Storage', 'UntypedStorage']);

/** Tensors a GAT checkpoint holds are small; a larger claim is a corrupt or hostile file. */
const MAX_TENSOR_ELEMENTS = 1 << 28;

/**
 * The most containers (tuples, lists, dicts, built objects) one pickle may make. Each costs ~100-250
 * bytes of memory for one or two bytes of file, so a few MB of EMPTY_DICT opcodes would take
 * gigabytes. PubMed's graph pickle, the largest real one, makes ~20,000; this is 25× that.
 */
export const MAX_PICKLE_CONTAINERS = 500_000;

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

/**
 * Parses a pickle, building only allowlisted classes. Throws a PickleError naming `file` and the
 * byte or field at fault on anything else.
 */
export function readPickle(bytes: Uint8Array, file: string, options: ReadPickleOptions = {}): PickleValue {
  try {
    return new Unpickler(bytes, options).run();
  } catch (err) {
    if (err instanceof PickleError) throw new PickleError(`${file}: ${err.message}`, err.unsafe);
    throw err;
  }
}

class Unpickler {
  private pos = 0;
  private readonly stack: StackItem[] = [];
  private readonly memo = new Map<number, PickleValue>();
  private readonly view: DataView;
  private containers = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: ReadPickleOptions,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Counts one container made at `at`; past the budget the pickle is refused, naming the limit. */
  private made(at: number): void {
    if (++this.containers > MAX_PICKLE_CONTAINERS) {
      throw new PickleError(`more than ${MAX_PICKLE_CONTAINERS.toLocaleString('en-US')} tuples, lists, dicts and objects by byte ${at}: far more than any Planetoid file holds, refused before it exhausts memory`);
    }
  }

  run(): PickleValue {
    if (this.bytes.length === 0) throw new PickleError('empty file: not a pickle');
    for (;;) {
      const opcodeAt = this.pos;
      const op = this.u8();
      switch (op) {
        case 0x80: this.u8(); break; // PROTO n
        case 0x95: this.skip(8); break; // FRAME size
        case 0x2e: return this.finish(opcodeAt); // STOP
        case 0x28: this.stack.push(MARK); break; // MARK
        case 0x4e: this.stack.push(null); break; // NONE
        case 0x88: this.stack.push(true); break; // NEWTRUE
        case 0x89: this.stack.push(false); break; // NEWFALSE
        case 0x4b: this.stack.push(this.u8()); break; // BININT1
        case 0x4d: this.stack.push(this.u16()); break; // BININT2
        case 0x4a: this.stack.push(this.i32()); break; // BININT
        case 0x8a: this.stack.push(this.long(this.u8())); break; // LONG1
        case 0x47: this.stack.push(this.f64be()); break; // BINFLOAT
        case 0x49: this.stack.push(this.textInt()); break; // INT (protocol 0, also bools)
        case 0x55: this.stack.push(this.latin1(this.u8())); break; // SHORT_BINSTRING
        case 0x54: this.stack.push(this.latin1(this.u32())); break; // BINSTRING
        case 0x8c: this.stack.push(this.utf8(this.u8())); break; // SHORT_BINUNICODE
        case 0x58: this.stack.push(this.utf8(this.u32())); break; // BINUNICODE
        case 0x43: this.stack.push(this.raw(this.u8())); break; // SHORT_BINBYTES
        case 0x42: this.stack.push(this.raw(this.u32())); break; // BINBYTES
        case 0x29: this.made(opcodeAt); this.stack.push([]); break; // EMPTY_TUPLE
        case 0x5d: this.made(opcodeAt); this.stack.push([]); break; // EMPTY_LIST
        case 0x7d: this.made(opcodeAt); this.stack.push(new Map()); break; // EMPTY_DICT
        case 0x85: this.made(opcodeAt); this.stack.push([this.pop()]); break; // TUPLE1
        case 0x86: this.made(opcodeAt); { const b = this.pop(); const a = this.pop(); this.stack.push([a, b]); break; } // TUPLE2
        case 0x87: this.made(opcodeAt); { const c = this.pop(); const b = this.pop(); const a = this.pop(); this.stack.push([a, b, c]); break; } // TUPLE3
        case 0x74: this.made(opcodeAt); this.stack.push(this.popToMark()); break; // TUPLE
        case 0x6c: this.made(opcodeAt); this.stack.push(this.popToMark()); break; // LIST
        case 0x61: { const v = this.pop(); this.asList(this.top(), opcodeAt).push(v); break; } // APPEND
        case 0x65: { const vs = this.popToMark(); const list = this.asList(this.top(), opcodeAt); for (const v of vs) list.push(v); break; } // APPENDS
        case 0x73: { const v = this.pop(); const k = this.pop(); this.asDict(this.top(), opcodeAt).set(k, v); break; } // SETITEM
        case 0x75: this.setItems(opcodeAt); break; // SETITEMS
        case 0x71: this.memo.set(this.u8(), this.peek()); break; // BINPUT
        case 0x72: this.memo.set(this.u32(), this.peek()); break; // LONG_BINPUT
        case 0x94: this.memo.set(this.memo.size, this.peek()); break; // MEMOIZE
        case 0x68: this.stack.push(this.memoGet(this.u8())); break; // BINGET
        case 0x6a: this.stack.push(this.memoGet(this.u32())); break; // LONG_BINGET
        case 0x63: this.stack.push(this.global(this.line(), this.line())); break; // GLOBAL
        case 0x93: { const name = this.pop(); const mod = this.pop(); this.stack.push(this.global(String(mod), String(name))); break; } // STACK_GLOBAL
        case 0x52: this.made(opcodeAt); this.reduce(opcodeAt); break; // REDUCE
        case 0x81: this.made(opcodeAt); this.newObj(opcodeAt); break; // NEWOBJ
        case 0x62: this.build(opcodeAt); break; // BUILD
        case 0x51: this.stack.push(this.persistent(this.pop(), opcodeAt)); break; // BINPERSID
        default:
          throw new PickleError(`unsupported pickle opcode 0x${op.toString(16)} at byte ${opcodeAt}: this reader only accepts data pickles`);
      }
    }
  }

  private finish(at: number): PickleValue {
    if (this.stack.length !== 1 || this.stack[0] === MARK) throw new PickleError(`malformed pickle: STOP at byte ${at} with ${this.stack.length} items on the stack`);
    return new Finalizer(at).value(this.stack[0] as PickleValue, 0);
  }

  /** The allowlist check: an unknown global is rejected here, before anything could call it. */
  private global(module: string, name: string): AllowedClass {
    const key = `${module} ${name}`;
    if (this.options.profile === 'torch') {
      const allowed = TORCH_GLOBALS.get(key);
      if (allowed) {
        this.options.onGlobal?.(module, name);
        return allowed;
      }
      if (module === 'torch' && OTHER_TORCH_STORAGES.has(name)) throw new PickleError(`tensor storage torch.${name} at byte ${this.pos} is not supported: a GAT's weights are float32, float64 or float16`);
      throw new PickleError(`refusing to load global '${module}.${name}' at byte ${this.pos}: a .pth is read as data and only tensors (float storages), OrderedDict and plain values are allowed`, true);
    }
    const allowed = ALLOWED_GLOBALS.get(key);
    if (!allowed) {
      throw new PickleError(`refusing to load global '${module}.${name}' at byte ${this.pos}: pickles are read as data and only NumPy arrays, SciPy CSR matrices and defaultdict(list) are allowed`, true);
    }
    this.options.onGlobal?.(module, name);
    return { kind: 'class', name: allowed };
  }

  /** BINPERSID: PyTorch names each storage ('storage', class, key, location, numel); nothing else is a persistent id. */
  private persistent(pid: PickleValue, at: number): StorageRef {
    if (this.options.profile !== 'torch') throw new PickleError(`persistent id at byte ${at}: a data pickle has none`);
    if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') throw new PickleError(`persistent id at byte ${at} is not ('storage', class, key, location, numel)`);
    const [, cls, key, location, numel] = pid;
    if (!isClass(cls) || cls.name !== 'storage' || !cls.storage) throw new PickleError(`persistent id at byte ${at} does not name a float storage class`);
    if (typeof key !== 'string' || !/^[0-9A-Za-z_]{1,64}$/.test(key)) throw new PickleError(`persistent id at byte ${at} has an invalid storage key`);
    if (typeof location !== 'string') throw new PickleError(`persistent id at byte ${at} has no device location`);
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0 || numel > MAX_TENSOR_ELEMENTS) throw new PickleError(`persistent id at byte ${at} claims ${String(numel)} elements`);
    return { kind: 'storage', dtype: cls.storage, key, numel };
  }

  private reduce(at: number): void {
    const args = this.pop();
    const callable = this.pop();
    if (!isClass(callable) || !Array.isArray(args)) throw new PickleError(`REDUCE at byte ${at} on a value that is not an allowed class`);
    switch (callable.name) {
      case 'reconstruct': // _reconstruct(ndarray, (0,), b'b'): an empty array filled in by BUILD
        if (!isClass(args[0]) || args[0].name !== 'ndarray') throw new PickleError(`_reconstruct at byte ${at} must build numpy.ndarray`);
        this.stack.push({ kind: 'pending', of: 'ndarray' });
        return;
      case 'dtype':
        if (typeof args[0] !== 'string') throw new PickleError(`numpy.dtype at byte ${at} needs a type string`);
        this.stack.push({ kind: 'pending', of: 'dtype', dtype: args[0] });
        return;
      case 'defaultdict':
        if (args.length > 0 && !(isClass(args[0]) && args[0].name === 'list')) throw new PickleError(`defaultdict at byte ${at} may only use list as its factory`);
        this.stack.push(new Map());
        return;
      case 'ordereddict':
        if (args.length > 0) throw new PickleError(`OrderedDict at byte ${at} is built empty, then filled`);
        this.stack.push(new Map());
        return;
      case 'rebuild_tensor':
        this.stack.push(tensorRef(args, at));
        return;
      default:
        throw new PickleError(`REDUCE at byte ${at}: '${callable.name}' cannot be called`);
    }
  }

  private newObj(at: number): void {
    this.pop(); // args: csr_matrix is built from BUILD state, not from constructor args
    const cls = this.pop();
    if (!isClass(cls) || cls.name !== 'csr_matrix') throw new PickleError(`NEWOBJ at byte ${at} on a class other than csr_matrix`);
    this.stack.push({ kind: 'pending', of: 'csr_matrix' });
  }

  private build(at: number): void {
    const state = this.pop();
    const target = this.top();
    // A state_dict is an OrderedDict with a `_metadata` attribute (module versions): not needed, dropped.
    if (this.options.profile === 'torch' && target instanceof Map) return;
    if (!isPending(target)) throw new PickleError(`BUILD at byte ${at} on a value that is not an object under construction`);
    target.state = state;
  }

  private setItems(at: number): void {
    const items = this.popToMark();
    if (items.length % 2 !== 0) throw new PickleError(`SETITEMS at byte ${at} with an odd number of items`);
    const dict = this.asDict(this.top(), at);
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  }

  private asList(v: PickleValue, at: number): PickleValue[] {
    if (!Array.isArray(v)) throw new PickleError(`APPEND at byte ${at} on a value that is not a list`);
    return v;
  }

  private asDict(v: PickleValue, at: number): Map<PickleValue, PickleValue> {
    if (!(v instanceof Map)) throw new PickleError(`SETITEM at byte ${at} on a value that is not a dict`);
    return v;
  }

  private memoGet(i: number): PickleValue {
    if (!this.memo.has(i)) throw new PickleError(`malformed pickle: memo entry ${i} read before it was written`);
    return this.memo.get(i) as PickleValue;
  }

  private pop(): PickleValue {
    const v = this.stack.pop();
    if (v === undefined || v === MARK) throw new PickleError(`malformed pickle: stack underflow at byte ${this.pos}`);
    return v;
  }

  private top(): PickleValue {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined || v === MARK) throw new PickleError(`malformed pickle: empty stack at byte ${this.pos}`);
    return v;
  }

  private peek(): PickleValue {
    return this.top();
  }

  private popToMark(): PickleValue[] {
    const at = this.stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError(`malformed pickle: no MARK before byte ${this.pos}`);
    const items = this.stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new PickleError(`truncated pickle: needed ${n} more bytes at byte ${this.pos} of ${this.bytes.length}`);
  }

  private skip(n: number): void { this.need(n); this.pos += n; }
  private u8(): number { this.need(1); return this.bytes[this.pos++]; }
  private u16(): number { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v; }
  private u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  private i32(): number { this.need(4); const v = this.view.getInt32(this.pos, true); this.pos += 4; return v; }
  private f64be(): number { this.need(8); const v = this.view.getFloat64(this.pos, false); this.pos += 8; return v; }

  private raw(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private latin1(n: number): string {
    return Buffer.from(this.raw(n)).toString('latin1');
  }

  private utf8(n: number): string {
    return Buffer.from(this.raw(n)).toString('utf8');
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw new PickleError(`truncated pickle: unterminated line at byte ${this.pos}`);
    const s = Buffer.from(this.bytes.subarray(this.pos, end)).toString('latin1');
    this.pos = end + 1;
    return s;
  }

  /** INT: Python writes `I<digits>\n` (or 00/01 for bools); any other spelling (0x4, 5e0, +4, ' 4') is refused. */
  private textInt(): number | boolean {
    const at = this.pos;
    const s = this.line();
    if (s === '00') return false;
    if (s === '01') return true;
    if (!/^-?[0-9]{1,16}$/.test(s) || !Number.isSafeInteger(Number(s))) throw new PickleError(`malformed INT '${s.slice(0, 40)}' at byte ${at}: expected decimal digits of an integer within ±2^53`);
    return Number(s);
  }

  /** LONG1: a little-endian two's-complement integer, exact or refused (never rounded). */
  private long(n: number): number {
    const at = this.pos;
    const b = this.raw(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    if (v > MAX_SAFE || v < -MAX_SAFE) throw new PickleError(`LONG1 at byte ${at - 2} is ${v}, beyond ±2^53, which JavaScript cannot hold exactly`);
    return Number(v);
  }
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`. */
function tensorRef(args: PickleValue[], at: number): TensorRef {
  const [storage, offset, size, stride] = args;
  const ints = (v: PickleValue | undefined): v is number[] => Array.isArray(v) && v.length <= 8 && v.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
  if (args.length < 6 || args.length > 7) throw new PickleError(`_rebuild_tensor_v2 at byte ${at} takes 6 or 7 arguments, not ${args.length}`);
  if (!isStorage(storage)) throw new PickleError(`_rebuild_tensor_v2 at byte ${at} is not given a storage`);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw new PickleError(`_rebuild_tensor_v2 at byte ${at} has an invalid storage offset`);
  if (!ints(size) || !ints(stride) || size.length !== stride.length) throw new PickleError(`_rebuild_tensor_v2 at byte ${at} needs a size and a stride of the same length`);
  return { kind: 'tensor', storage, offset, shape: [...size], stride: [...stride] };
}

export function isStorage(v: PickleValue | undefined): v is StorageRef {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && v.kind === 'storage';
}

export function isTensorRef(v: PickleValue | undefined): v is TensorRef {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && v.kind === 'tensor';
}

function isClass(v: PickleValue | undefined): v is AllowedClass {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && v.kind === 'class';
}

function isPending(v: PickleValue): v is PendingObject {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && v.kind === 'pending';
}

/** Data pickles nest a few levels (a dict of lists, a matrix of arrays); deeper is hostile. */
const MAX_DEPTH = 64;

/**
 * Turns finished objects under construction into NdArray / CsrPickle values. Each object is
 * converted once, so values shared through the memo stay shared (a chain of lists that each hold the
 * next one twice stays linear, not exponential) and a list that holds itself ends instead of recursing.
 */
class Finalizer {
  private readonly done = new Map<object, PickleValue>();

  /** `stop`: the byte of the STOP opcode that returns the value, named in errors. */
  constructor(private readonly stop: number) {}

  value(v: PickleValue, depth: number): PickleValue {
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
    const seen = this.done.get(v);
    if (seen !== undefined) return seen;
    if (depth > MAX_DEPTH) throw new PickleError(`values nested deeper than ${MAX_DEPTH} levels (in the value STOP at byte ${this.stop} returns): not a data pickle`);
    if (Array.isArray(v)) {
      const out: PickleValue[] = [];
      this.done.set(v, out);
      for (const x of v) out.push(this.value(x, depth + 1));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<PickleValue, PickleValue>();
      this.done.set(v, out);
      for (const [k, val] of v) out.set(k, this.value(val, depth + 1));
      return out;
    }
    if (isPending(v)) {
      let out: PickleValue;
      if (v.of === 'ndarray') out = toNdArray(v);
      else if (v.of === 'csr_matrix') out = this.toCsr(v, depth);
      else throw new PickleError("a bare 'numpy.dtype' is not a supported value");
      this.done.set(v, out);
      return out;
    }
    return v;
  }

  private toCsr(p: PendingObject, depth: number): CsrPickle {
    const s = p.state;
    if (!(s instanceof Map)) throw new PickleError("csr_matrix 'state' must be a dict");
    const get = (k: string): PickleValue | undefined => s.get(k);
    const shape = get('_shape') ?? get('shape');
    const [indptr, indices, data] = [get('indptr'), get('indices'), get('data')].map((a) => this.value(a ?? null, depth + 1));
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) throw new PickleError("csr_matrix state has no '_shape' of two non-negative integers");
    for (const [name, a] of [['indptr', indptr], ['indices', indices], ['data', data]] as const) {
      if (!isNdArray(a)) throw new PickleError(`csr_matrix state field '${name}' is not a numpy array`);
    }
    return { kind: 'csr', shape: [shape[0] as number, shape[1] as number], indptr: indptr as NdArray, indices: indices as NdArray, data: data as NdArray };
  }
}

function toNdArray(p: PendingObject): NdArray {
  // state: (version, shape, dtype, is_fortran, rawdata)
  const s = p.state;
  if (!Array.isArray(s) || s.length !== 5) throw new PickleError("numpy array 'state' must be (version, shape, dtype, fortran, data)");
  const [, shape, dt, fortran, raw] = s;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) throw new PickleError("numpy array 'shape' must be a tuple of non-negative ints");
  if (fortran === true && shape.length > 1) throw new PickleError("Fortran-ordered arrays are not supported ('fortran_order' is set)");
  const dtype = dtypeOf(dt);
  const bytes = typeof raw === 'string' ? new Uint8Array(Buffer.from(raw, 'latin1')) : raw instanceof Uint8Array ? raw : null;
  if (!bytes) throw new PickleError("numpy array 'data' must be a byte string");
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  return { kind: 'ndarray', shape: shape as number[], dtype, data: decodeArray(dtype, bytes, count) };
}

function dtypeOf(v: PickleValue): string {
  if (!isPending(v) || v.of !== 'dtype' || !v.dtype) throw new PickleError("numpy array 'dtype' is missing");
  // dtype state: (version, byteorder, ...); only little-endian or byte-order-free data is read
  const order = Array.isArray(v.state) ? v.state[1] : '<';
  if (order === '>') throw new PickleError(`big-endian numpy arrays are not supported (dtype ${v.dtype})`);
  return v.dtype;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** int64 values as the Int32Array an NdArray holds: exact, or refused naming the element (never wrapped modulo 2^32). */
function int64ToInt32(copy: ArrayBuffer): Int32Array {
  const wide = new BigInt64Array(copy);
  const out = new Int32Array(wide.length);
  for (let i = 0; i < wide.length; i++) {
    const v = Number(wide[i]);
    if (v < INT32_MIN || v > INT32_MAX) throw new PickleError(`numpy int64 array 'data' holds ${wide[i]} at element ${i}, outside the int32 range (-2^31 to 2^31-1) that indices, labels and ids here must fit`);
    out[i] = v;
  }
  return out;
}

function decodeArray(dtype: string, bytes: Uint8Array, count: number): NdArray['data'] {
  const size: Record<string, number> = { i4: 4, f4: 4, f8: 8, i8: 8, u1: 1, b1: 1, i1: 1 };
  const width = size[dtype];
  if (width === undefined) throw new PickleError(`unsupported numpy dtype '${dtype}'`);
  if (bytes.length !== count * width) throw new PickleError(`numpy array 'data' has ${bytes.length} bytes, expected ${count * width} for ${count} × ${dtype}`);
  const copy = bytes.slice().buffer; // aligned copy
  switch (dtype) {
    case 'i4': return new Int32Array(copy);
    case 'f4': return new Float32Array(copy);
    case 'f8': return new Float64Array(copy);
    case 'i8': return int64ToInt32(copy);
    case 'i1': return Int32Array.from(new Int8Array(copy)); // signed: -1 stays -1
    default: return new Uint8Array(copy);
  }
}

export function isNdArray(v: PickleValue | undefined): v is NdArray {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && v.kind === 'ndarray';
}

export function isCsr(v: PickleValue | undefined): v is CsrPickle {
  return typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Uint8Array) && !Array.isArray(v) && v.kind === 'csr';
}
