/**
 * The little of protobuf's wire format a TensorBoard scalar log needs, by hand: a writer for
 * the messages EventFileWriter writes, and a bounds-checked reader that names the byte and the
 * field at fault. Fields are varints, fixed 32/64-bit values and length-delimited bytes.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Builds one message, field by field. */
export class ProtoWriter {
  private readonly parts: number[] = [];

  private varint(value: bigint): void {
    let v = BigInt.asUintN(64, value); // negative int64 → two's complement, 10 bytes
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      this.parts.push(v > 0n ? byte | 0x80 : byte);
    } while (v > 0n);
  }

  private key(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  int64(field: number, value: number): this {
    this.key(field, WIRE_VARINT);
    this.varint(BigInt(Math.trunc(value)));
    return this;
  }

  double(field: number, value: number): this {
    return this.fixed(field, WIRE_FIXED64, 8, (v) => v.setFloat64(0, value, true));
  }

  float(field: number, value: number): this {
    return this.fixed(field, WIRE_FIXED32, 4, (v) => v.setFloat32(0, value, true));
  }

  /** A fixed-width field: its `size` little-endian bytes, as `write` sets them. */
  private fixed(field: number, wire: number, size: number, write: (view: DataView) => void): this {
    this.key(field, wire);
    const b = new Uint8Array(size);
    write(new DataView(b.buffer));
    this.parts.push(...b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, WIRE_LENGTH);
    this.varint(BigInt(value.length));
    this.parts.push(...value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A field a message's decoder knows: its name, its wire type, and how to read it. */
export interface KnownField {
  readonly name: string;
  readonly wire: number;
  read(what: string, at: number): void;
}

/** A bounds-checked protobuf reader over bytes[start, end) of the file (offsets in messages are file offsets). */
export class ProtoReader {
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
    private readonly fail: (offset: number, message: string) => never,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(what: string): bigint {
    const start = this.pos;
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.pos >= this.end) this.fail(start, `${what}: a varint runs past the end of its message`);
      if (shift > 63n) this.fail(start, `${what}: a varint longer than 10 bytes`);
      const b = this.bytes[this.pos++];
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, value);
    }
  }

  key(what: string): { field: number; wire: number; at: number } {
    const at = this.pos;
    const key = this.varint(what);
    const field = key >> 3n;
    if (field === 0n || field > 0x1fffffffn) this.fail(at, `${what}: field number ${field} is outside 1..2^29-1`);
    return { field: Number(field), wire: Number(key & 7n), at };
  }

  private need(n: number, what: string): number {
    const at = this.pos;
    if (n > this.end - this.pos) this.fail(at, `${what}: ${n} bytes run past the end of its message (${this.end - this.pos} left)`);
    this.pos += n;
    return at;
  }

  double(what: string): number {
    return this.view.getFloat64(this.need(8, what), true);
  }

  float(what: string): number {
    return this.view.getFloat32(this.need(4, what), true);
  }

  /** A length-delimited field: [start, end) of its payload. */
  span(what: string): { start: number; end: number } {
    const length = this.varint(what);
    if (length > BigInt(this.end - this.pos)) this.fail(this.pos, `${what}: length ${length} runs past the end of its message (${this.end - this.pos} bytes left)`);
    const start = this.need(Number(length), what);
    return { start, end: this.pos };
  }

  string(what: string): string {
    const { start, end } = this.span(what);
    try {
      return utf8.decode(this.bytes.subarray(start, end));
    } catch {
      return this.fail(start, `${what} is not valid UTF-8`);
    }
  }

  skip(wire: number, at: number, what: string): void {
    switch (wire) {
      case WIRE_VARINT: this.varint(what); return;
      case WIRE_FIXED64: this.need(8, what); return;
      case WIRE_LENGTH: this.span(what); return;
      case WIRE_FIXED32: this.need(4, what); return;
      default: this.fail(at, `${what}: wire type ${wire} is not allowed (groups and undefined wire types are refused)`);
    }
  }

  /** A reader of the embedded message at [start, end). */
  sub(start: number, end: number): ProtoReader {
    return new ProtoReader(this.bytes, start, end, this.fail);
  }

  failAt(at: number, message: string): never {
    return this.fail(at, message);
  }

  expectWire(actual: number, expected: number, at: number, what: string): void {
    if (actual !== expected) this.fail(at, `${what} has wire type ${actual}, expected ${expected}`);
  }

  /**
   * Reads the fields of this message: a known one must have its wire type and is read by its
   * reader (given the field's name for errors, and its offset); unknown ones are skipped.
   */
  fields(what: string, known: Readonly<Record<number, KnownField>>): void {
    while (!this.done) {
      const { field, wire, at } = this.key(what);
      const f = known[field];
      if (!f) {
        this.skip(wire, at, `${what} field ${field}`);
        continue;
      }
      const name = `${what} field '${f.name}'`;
      this.expectWire(wire, f.wire, at, name);
      f.read(name, at);
    }
  }
}
