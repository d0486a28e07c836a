/**
 * Reads TensorBoard event files back (the scalars EventFileWriter and SummaryWriter write), as
 * data: every TFRecord's two masked CRC-32Cs are checked, and the protobuf fields of
 * Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 * Summary { repeated Value value = 1; } Value { string tag = 1; float simple_value = 2; }
 * are decoded with every length bounds-checked. Unknown fields are skipped by their wire type; the
 * group wire types (3, 4) and the undefined ones (6, 7) are refused. A last record cut short (what
 * a killed writer leaves) is reported as `tornTail`, not as an error.
 */
import type { EpochMetrics } from '../../protocol/trainingEvents';
import { ArtifactReadError } from './artifactRead';
import { maskedCrc32c } from './crc32c';
import { TENSORBOARD_TAGS } from './tensorboardWriter';
import type { ScalarValue } from './tfEventProto';

/** A damaged event file: names the file and the byte offset at fault. */
export class TfEventError extends ArtifactReadError {
  constructor(
    file: string,
    readonly offset: number,
    message: string,
  ) {
    super(file, `${file} is not a readable TensorBoard event file: byte ${offset}: ${message}`);
    this.name = 'TfEventError';
  }
}

export interface ScalarEvent {
  readonly wallTime: number;
  readonly step: number;
  /** The scalar values of the event's summary (values of other kinds, like histograms, are left out). */
  readonly values: ScalarValue[];
}

export interface ScalarEventFile {
  /** Every event that carries a summary, in file order. */
  readonly events: ScalarEvent[];
  /** The file_version record ('brain.Event:2'), or null when the file has none. */
  readonly fileVersion: string | null;
  /** The last record is incomplete: the writer was killed mid-record (every record before it was read). */
  readonly tornTail: boolean;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
const HEADER_BYTES = 12; // u64 length + masked CRC of the length
const FOOTER_BYTES = 4; // masked CRC of the data

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A bounds-checked protobuf reader over bytes[start, end) of the file (offsets in messages are file offsets). */
class ProtoReader {
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
}

/**
 * Reads the scalar events of one event file (`file` names it in errors). Throws TfEventError naming
 * the byte offset of the first damaged record or field.
 */
export function readScalarEvents(bytes: Uint8Array, file: string): ScalarEventFile {
  const fail = (offset: number, message: string): never => {
    throw new TfEventError(file, offset, message);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: ScalarEvent[] = [];
  let fileVersion: string | null = null;
  let tornTail = false;
  let p = 0;
  for (let record = 0; p < bytes.length; record++) {
    const left = bytes.length - p;
    if (left < HEADER_BYTES) {
      tornTail = true; // the header itself is cut short
      break;
    }
    if (maskedCrc32c(bytes.subarray(p, p + 8)) !== view.getUint32(p + 8, true)) fail(p, `record ${record}: the CRC of its length field does not match`);
    const length = view.getBigUint64(p, true);
    if (length > BigInt(left - HEADER_BYTES - FOOTER_BYTES)) {
      tornTail = true; // the data or its CRC is cut short
      break;
    }
    const start = p + HEADER_BYTES;
    const end = start + Number(length);
    if (maskedCrc32c(bytes.subarray(start, end)) !== view.getUint32(end, true)) fail(start, `record ${record}: the CRC of its ${length} data bytes does not match`);
    const event = decodeEvent(new ProtoReader(bytes, start, end, fail), record);
    if (event.fileVersion !== null) fileVersion = event.fileVersion;
    if (event.scalar) events.push(event.scalar);
    p = end + FOOTER_BYTES;
  }
  return { events, fileVersion, tornTail };
}

function decodeEvent(r: ProtoReader, record: number): { scalar: ScalarEvent | null; fileVersion: string | null } {
  const what = `record ${record} (Event)`;
  let wallTime = 0;
  let step = 0;
  let fileVersion: string | null = null;
  let values: ScalarValue[] | null = null;
  while (!r.done) {
    const { field, wire, at } = r.key(what);
    if (field === 1) {
      r.expectWire(wire, WIRE_FIXED64, at, `${what} field 'wall_time'`);
      wallTime = r.double(`${what} field 'wall_time'`);
    } else if (field === 2) {
      r.expectWire(wire, WIRE_VARINT, at, `${what} field 'step'`);
      const v = Number(BigInt.asIntN(64, r.varint(`${what} field 'step'`)));
      if (!Number.isSafeInteger(v)) r.failAt(at, `${what} field 'step' is ${v}, beyond ±2^53`);
      step = v;
    } else if (field === 3) {
      r.expectWire(wire, WIRE_LENGTH, at, `${what} field 'file_version'`);
      fileVersion = r.string(`${what} field 'file_version'`);
    } else if (field === 5) {
      r.expectWire(wire, WIRE_LENGTH, at, `${what} field 'summary'`);
      const { start, end } = r.span(`${what} field 'summary'`);
      values = [...(values ?? []), ...decodeSummary(r.sub(start, end), record)];
    } else {
      r.skip(wire, at, `${what} field ${field}`);
    }
  }
  return { scalar: values ? { wallTime, step, values } : null, fileVersion };
}

function decodeSummary(r: ProtoReader, record: number): ScalarValue[] {
  const what = `record ${record} (Summary)`;
  const values: ScalarValue[] = [];
  while (!r.done) {
    const { field, wire, at } = r.key(what);
    if (field === 1) {
      r.expectWire(wire, WIRE_LENGTH, at, `${what} field 'value'`);
      const { start, end } = r.span(`${what} field 'value'`);
      const v = decodeValue(r.sub(start, end), record);
      if (v) values.push(v);
    } else {
      r.skip(wire, at, `${what} field ${field}`);
    }
  }
  return values;
}

function decodeValue(r: ProtoReader, record: number): ScalarValue | null {
  const what = `record ${record} (Value)`;
  let tag = '';
  let value: number | null = null;
  while (!r.done) {
    const { field, wire, at } = r.key(what);
    if (field === 1) {
      r.expectWire(wire, WIRE_LENGTH, at, `${what} field 'tag'`);
      tag = r.string(`${what} field 'tag'`);
    } else if (field === 2) {
      r.expectWire(wire, WIRE_FIXED32, at, `${what} field 'simple_value'`);
      value = r.float(`${what} field 'simple_value'`);
    } else {
      r.skip(wire, at, `${what} field ${field}`);
    }
  }
  return value === null ? null : { tag, value };
}

/**
 * Epoch metrics from the scalar events of one run's event files (oldest file first): one EpochMetrics
 * per step that has all four TENSORBOARD_TAGS (a later value of the same step and tag wins), sorted
 * by epoch. Event files hold no epoch durations: `ms` is the wall time since the previous epoch's
 * events (0 for the first), which is what an epoch took when nothing else ran between them.
 */
export function epochMetricsFromEvents(files: ReadonlyArray<readonly ScalarEvent[]>): EpochMetrics[] {
  const fieldOf = new Map<string, keyof typeof TENSORBOARD_TAGS>(Object.entries(TENSORBOARD_TAGS).map(([k, tag]) => [tag, k as keyof typeof TENSORBOARD_TAGS]));
  const bySteps = new Map<number, { wallTime: number; values: Partial<Record<keyof typeof TENSORBOARD_TAGS, number>> }>();
  for (const events of files) {
    for (const e of events) {
      if (!(e.step >= 0)) continue;
      for (const v of e.values) {
        const field = fieldOf.get(v.tag);
        if (!field) continue;
        const entry = bySteps.get(e.step) ?? { wallTime: -Infinity, values: {} };
        entry.values[field] = v.value;
        if (Number.isFinite(e.wallTime)) entry.wallTime = Math.max(entry.wallTime, e.wallTime);
        bySteps.set(e.step, entry);
      }
    }
  }
  const out: EpochMetrics[] = [];
  let previous = NaN;
  for (const step of [...bySteps.keys()].sort((a, b) => a - b)) {
    const { wallTime, values } = bySteps.get(step)!;
    const { trainLoss, trainAcc, valLoss, valAcc } = values;
    if (trainLoss === undefined || trainAcc === undefined || valLoss === undefined || valAcc === undefined) continue;
    const ms = Number.isFinite(previous) && Number.isFinite(wallTime) ? Math.max(0, (wallTime - previous) * 1000) : 0;
    out.push({ epoch: step, trainLoss, trainAcc, valLoss, valAcc, ms });
    if (Number.isFinite(wallTime)) previous = wallTime;
  }
  return out;
}
