/**
 * Writes Python 2 style (protocol 2) pickles of the three kinds the Planetoid files hold, as NumPy,
 * SciPy and Python write them: numpy arrays (`_reconstruct` + BUILD), SciPy CSR matrices (NEWOBJ +
 * BUILD with a state dict) and `defaultdict(list)` adjacency dicts. For generated test datasets and
 * structure-aware fuzzing; `Program` also assembles arbitrary opcode sequences.
 */

/** An opcode sequence under construction. */
export class Program {
  private readonly bytes: number[] = [];

  op(code: number): this {
    this.bytes.push(code);
    return this;
  }

  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]);
    return this;
  }

  u32(v: number): this {
    return this.raw([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
  }

  int(v: number): this {
    if (v >= 0 && v < 256) return this.op(0x4b).raw([v]); // BININT1
    if (v >= 0 && v < 65536) return this.op(0x4d).raw([v & 0xff, v >> 8]); // BININT2
    return this.op(0x4a).u32(v >>> 0); // BININT
  }

  /** A Python 2 `str` (latin-1 bytes). */
  str(s: string | Uint8Array): this {
    const b = typeof s === 'string' ? Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff) : s;
    return b.length < 256 ? this.op(0x55).raw([b.length]).raw(b) : this.op(0x54).u32(b.length).raw(b);
  }

  global(module: string, name: string): this {
    return this.op(0x63).raw(Uint8Array.from(`${module}\n${name}\n`, (c) => c.charCodeAt(0)));
  }

  mark(): this {
    return this.op(0x28);
  }

  tuple(items: readonly number[]): this {
    this.mark();
    for (const v of items) this.int(v);
    return this.op(0x74);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export type DtypeCode = 'f4' | 'f8' | 'i4' | 'i8' | 'u1';

/** The raw little-endian bytes of `values` as `dtype`. */
export function arrayBytes(dtype: DtypeCode, values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  switch (dtype) {
    case 'f4': return new Uint8Array(Float32Array.from(values).buffer);
    case 'f8': return new Uint8Array(Float64Array.from(values).buffer);
    case 'i4': return new Uint8Array(Int32Array.from(values).buffer);
    case 'i8': return new Uint8Array(BigInt64Array.from({ length: n }, (_, i) => (Number.isFinite(values[i]) ? BigInt(Math.trunc(values[i])) : 0n)).buffer);
    case 'u1': return Uint8Array.from(values);
  }
}

/** Appends a numpy array to `p` (leaves it on the stack). `data` overrides the raw bytes (for broken files). */
export function pushNdArray(p: Program, dtype: DtypeCode, shape: readonly number[], values: ArrayLike<number>, data?: Uint8Array, byteOrder = '<'): Program {
  p.global('numpy.core.multiarray', '_reconstruct').global('numpy', 'ndarray').tuple([0]).str('b').op(0x87).op(0x52); // TUPLE3 REDUCE
  p.mark().int(1).tuple(shape);
  p.global('numpy', 'dtype').str(dtype).int(0).int(1).op(0x87).op(0x52); // dtype(dtype, 0, 1)
  p.mark().int(3).str(dtype === 'u1' ? '|' : byteOrder).op(0x4e).op(0x4e).op(0x4e).int(0xffffffff).int(0xffffffff).int(0).op(0x74).op(0x62); // BUILD dtype state
  p.op(0x89).str(data ?? arrayBytes(dtype, values)).op(0x74).op(0x62); // (1, shape, dtype, False, data) BUILD
  return p;
}

export function ndarrayPickle(dtype: DtypeCode, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  return pushNdArray(new Program().op(0x80).raw([2]), dtype, shape, values).op(0x2e).finish();
}

export interface CsrParts {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: ArrayLike<number>;
  readonly indices: ArrayLike<number>;
  readonly data: ArrayLike<number>;
}

/** A scipy.sparse.csr_matrix pickle as SciPy writes it (int64 indices, as SciPy uses for large matrices, with `indexDtype` 'i8'). */
export function csrPickle(m: CsrParts, indexDtype: 'i4' | 'i8' = 'i4'): Uint8Array {
  const p = new Program().op(0x80).raw([2]);
  p.global('scipy.sparse.csr', 'csr_matrix').op(0x29).op(0x81); // EMPTY_TUPLE NEWOBJ
  p.op(0x7d).mark(); // EMPTY_DICT MARK
  p.str('_shape').int(m.rows).int(m.cols).op(0x86); // TUPLE2
  p.str('maxprint').int(50);
  p.str('indptr');
  pushNdArray(p, indexDtype, [m.indptr.length], m.indptr);
  p.str('indices');
  pushNdArray(p, indexDtype, [m.indices.length], m.indices);
  p.str('data');
  pushNdArray(p, 'f4', [m.data.length], m.data);
  p.op(0x75).op(0x62).op(0x2e); // SETITEMS BUILD STOP
  return p.finish();
}

/** A `defaultdict(list)` of adjacency lists, as Planetoid's ind.*.graph. */
export function adjacencyPickle(adjacency: ReadonlyMap<number, readonly number[]>): Uint8Array {
  const p = new Program().op(0x80).raw([2]);
  p.global('collections', 'defaultdict').global('__builtin__', 'list').op(0x85).op(0x52); // TUPLE1 REDUCE
  p.mark();
  for (const [node, list] of adjacency) {
    p.int(node).op(0x5d).mark(); // EMPTY_LIST MARK
    for (const n of list) p.int(n);
    p.op(0x65); // APPENDS
  }
  p.op(0x75).op(0x2e); // SETITEMS STOP
  return p.finish();
}
