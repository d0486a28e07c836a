/**
 * Writes a PyTorch .pth (torch.save's zip format) that pytorch-GAT's scripts load: the original's
 * checkpoint dict — the architecture facts its `load_model` reads next to an OrderedDict
 * `state_dict` of float32 tensors — as a protocol-2 pickle naming one storage per tensor through
 * persistent ids, exactly the shape our reader (pthArchive.ts) accepts.
 *
 *   <name>/data.pkl    the pickle          <name>/data/<i>    tensor i's float32 bytes, little-endian
 *   <name>/version     "3"                 <name>/byteorder   "little"
 */
import { zipSync, type Zippable } from 'fflate';
import type { NamedTensor } from '../artifacts/namedTensor';

/** A value of the checkpoint dict next to the state_dict: what pytorch-GAT stores there. */
export type CheckpointFact = string | number | boolean | null | readonly (string | number | boolean)[];

export interface PthCheckpoint {
  readonly stateDict: readonly NamedTensor[];
  /** num_of_layers, num_heads_per_layer, … in the order written. */
  readonly facts: ReadonlyArray<readonly [string, CheckpointFact]>;
}

/* ── pickle opcodes (protocol 2) ── */
const PROTO = 0x80, STOP = 0x2e, MARK = 0x28, EMPTY_DICT = 0x7d, SETITEMS = 0x75, EMPTY_TUPLE = 0x29, TUPLE = 0x74;
const BININT1 = 0x4b, BININT2 = 0x4d, BININT = 0x4a, BINFLOAT = 0x47, NONE = 0x4e, NEWTRUE = 0x88, NEWFALSE = 0x89;
const BINUNICODE = 0x58, GLOBAL = 0x63, REDUCE = 0x52, BINPERSID = 0x51, EMPTY_LIST = 0x5d, APPENDS = 0x65;

class PickleOut {
  private readonly parts: number[] = [];
  op(code: number): this {
    this.parts.push(code);
    return this;
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]);
    return this;
  }
  u32(v: number): this {
    return this.bytes([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
  }
  int(v: number): this {
    if (!Number.isSafeInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new RangeError(`cannot pickle ${v} as a 32-bit int`);
    if (v >= 0 && v < 256) return this.op(BININT1).bytes([v]);
    if (v >= 0 && v < 65536) return this.op(BININT2).bytes([v & 0xff, v >> 8]);
    return this.op(BININT).u32(v >>> 0);
  }
  float(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false); // BINFLOAT is big-endian
    return this.op(BINFLOAT).bytes(b);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.op(BINUNICODE).u32(b.length).bytes(b);
  }
  global(module: string, name: string): this {
    return this.op(GLOBAL).bytes(new TextEncoder().encode(`${module}\n${name}\n`));
  }
  tuple(write: () => void): this {
    this.op(MARK);
    write();
    return this.op(TUPLE);
  }
  fact(v: CheckpointFact): this {
    if (v === null) return this.op(NONE);
    if (typeof v === 'boolean') return this.op(v ? NEWTRUE : NEWFALSE);
    if (typeof v === 'string') return this.str(v);
    if (typeof v === 'number') return Number.isInteger(v) ? this.int(v) : this.float(v);
    this.op(EMPTY_LIST).op(MARK);
    for (const x of v) this.fact(x);
    return this.op(APPENDS);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** torch.save's bytes of `checkpoint`; `name` is the archive's folder (torch uses the file's stem). */
export function encodePth(checkpoint: PthCheckpoint, name: string): Uint8Array {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) throw new RangeError(`archive name '${name}' must be letters, digits, '_', '.' or '-'`);
  const p = new PickleOut().op(PROTO).bytes([2]);
  // ── {fact: value, …, 'state_dict': OrderedDict([(name, tensor), …])} ──
  p.op(EMPTY_DICT).op(MARK);
  for (const [key, value] of checkpoint.facts) p.str(key).fact(value);
  p.str('state_dict');
  // OrderedDict() then its items, as OrderedDict.__reduce__ pickles it
  p.global('collections', 'OrderedDict').op(EMPTY_TUPLE).op(REDUCE).op(MARK);
  const storages: Zippable = {};
  checkpoint.stateDict.forEach((t, i) => {
    if (!(t.data instanceof Float32Array)) throw new RangeError(`tensor '${t.name}' must be float32`);
    const strides = t.shape.map((_, k) => t.shape.slice(k + 1).reduce((a, b) => a * b, 1)); // contiguous, row-major
    p.str(t.name);
    // _rebuild_tensor_v2(storage, offset 0, size, stride, requires_grad False, OrderedDict())
    p.global('torch._utils', '_rebuild_tensor_v2').tuple(() => {
      p.tuple(() => p.str('storage').global('torch', 'FloatStorage').str(String(i)).str('cpu').int(t.data.length)).op(BINPERSID);
      p.int(0);
      p.tuple(() => t.shape.forEach((d) => p.int(d)));
      p.tuple(() => strides.forEach((s) => p.int(s)));
      p.op(NEWFALSE);
      p.global('collections', 'OrderedDict').op(EMPTY_TUPLE).op(REDUCE);
    }).op(REDUCE);
    storages[`${name}/data/${i}`] = [littleEndianBytes(t.data), { level: 0 }];
  });
  p.op(SETITEMS); // the state_dict's items
  p.op(SETITEMS).op(STOP); // the checkpoint dict's
  return zipSync({ [`${name}/data.pkl`]: [p.finish(), { level: 0 }], [`${name}/byteorder`]: [new TextEncoder().encode('little'), { level: 0 }], ...storages, [`${name}/version`]: [new TextEncoder().encode('3\n'), { level: 0 }] });
}

function littleEndianBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return out;
}
