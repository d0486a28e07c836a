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
import { ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from './protobuf';
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

const HEADER_BYTES = 12; // u64 length + masked CRC of the length
const FOOTER_BYTES = 4; // masked CRC of the data

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
  const e = { wallTime: 0, step: 0, fileVersion: null as string | null, values: null as ScalarValue[] | null };
  r.fields(`record ${record} (Event)`, {
    1: { name: 'wall_time', wire: WIRE_FIXED64, read: (what) => (e.wallTime = r.double(what)) },
    2: {
      name: 'step',
      wire: WIRE_VARINT,
      read: (what, at) => {
        const v = Number(BigInt.asIntN(64, r.varint(what)));
        if (!Number.isSafeInteger(v)) r.failAt(at, `${what} is ${v}, beyond ±2^53`);
        e.step = v;
      },
    },
    3: { name: 'file_version', wire: WIRE_LENGTH, read: (what) => (e.fileVersion = r.string(what)) },
    5: {
      name: 'summary',
      wire: WIRE_LENGTH,
      read: (what) => {
        const { start, end } = r.span(what);
        e.values = [...(e.values ?? []), ...decodeSummary(r.sub(start, end), record)];
      },
    },
  });
  return { scalar: e.values ? { wallTime: e.wallTime, step: e.step, values: e.values } : null, fileVersion: e.fileVersion };
}

function decodeSummary(r: ProtoReader, record: number): ScalarValue[] {
  const values: ScalarValue[] = [];
  r.fields(`record ${record} (Summary)`, {
    1: {
      name: 'value',
      wire: WIRE_LENGTH,
      read: (what) => {
        const { start, end } = r.span(what);
        const v = decodeValue(r.sub(start, end), record);
        if (v) values.push(v);
      },
    },
  });
  return values;
}

function decodeValue(r: ProtoReader, record: number): ScalarValue | null {
  const v = { tag: '', value: null as number | null };
  r.fields(`record ${record} (Value)`, {
    1: { name: 'tag', wire: WIRE_LENGTH, read: (what) => (v.tag = r.string(what)) },
    2: { name: 'simple_value', wire: WIRE_FIXED32, read: (what) => (v.value = r.float(what)) },
  });
  return v.value === null ? null : { tag: v.tag, value: v.value };
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
