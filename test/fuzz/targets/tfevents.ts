/**
 * TensorBoard event files (src/gat/artifacts/tfEventReader.ts readScalarEvents, then
 * epochMetricsFromEvents as readMetrics does for a run without metrics.jsonl). Seeds are files
 * written by the product's EventFileWriter; generated inputs are TFRecord streams of hand-built
 * protobuf messages with odd fields, wire types, lengths and CRCs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { EventFileWriter, frameRecord } from '../../../src/gat/artifacts/tensorboardWriter';
import { epochMetricsFromEvents, readScalarEvents, TfEventError } from '../../../src/gat/artifacts/tfEventReader';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

/** Event files written by EventFileWriter: a few epochs, one with extra tags, one cut short. */
export const tfeventsSeeds = lazy((): Uint8Array[] => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-fuzz-tfevents-'));
  try {
    const files: Uint8Array[] = [];
    for (const [i, epochs] of [1, 4].entries()) {
      const w = EventFileWriter.open(path.join(dir, String(i)), { now: new Date(Date.UTC(2026, 10, 25, 1, 2, 3 + i)), hostname: 'fuzz' });
      for (let e = 0; e < epochs; e++) w.addEpochMetrics({ epoch: e, trainLoss: 1 / (e + 1), trainAcc: 0.5 + e / 10, valLoss: 1.2 - e / 10, valAcc: 0.4 + e / 20, ms: 3 }, 1_790_000_000 + e);
      if (i === 1) w.addScalar('other/tag', -1.5, 7, 1_790_000_010);
      w.close();
      const name = readdirSync(path.join(dir, String(i)))[0];
      files.push(new Uint8Array(readFileSync(path.join(dir, String(i), name))));
    }
    files.push(files[1].slice(0, files[1].length - 5)); // a killed writer's torn last record
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Protobuf pieces written by hand, so they can be wrong on purpose. */
function varint(v: bigint): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x > 0n ? b | 0x80 : b);
  } while (x > 0n);
  return out;
}
const key = (field: number, wire: number): number[] => varint(BigInt(field * 8 + wire));
const lengthDelimited = (field: number, body: number[], lengthDelta = 0): number[] => [...key(field, 2), ...varint(BigInt(Math.max(0, body.length + lengthDelta))), ...body];
const f64 = (v: number): number[] => [...new Uint8Array(new Float64Array([v]).buffer)];
const f32 = (v: number): number[] => [...new Uint8Array(new Float32Array([v]).buffer)];

/** A field of a message: a well-formed one of the schema, or something odd. */
const oddField: fc.Arbitrary<number[]> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 20 }), fc.constantFrom(3, 4, 6, 7)).map(([f, w]) => key(f, w)), // refused wire types
  fc.tuple(fc.integer({ min: 6, max: 40 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(([f, v]) => [...key(f, 0), ...varint(v)]),
  fc.tuple(fc.integer({ min: 6, max: 40 }), fc.uint8Array({ maxLength: 8 })).map(([f, b]) => lengthDelimited(f, [...b])),
  fc.integer({ min: 6, max: 40 }).map((f) => [...key(f, 1), ...f64(1)]),
  fc.integer({ min: 6, max: 40 }).map((f) => [...key(f, 5), ...f32(1)]),
  fc.constantFrom([0x00], [0x80, 0x80], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], key(0, 0), [0xf8, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]), // key 0, unfinished / 11-byte varints, field ≥ 2^29
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 7 })).map(([f, w]) => key(f, w)), // a known field with any wire type
);

const value: fc.Arbitrary<number[]> = fc
  .record({
    tag: fc.oneof(fc.constantFrom('training_loss', 'training_acc', 'val_loss', 'val_acc', ''), fc.string({ maxLength: 6 })),
    badUtf8: fc.boolean(),
    value: fc.option(fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, 0.5))),
    odd: fc.option(oddField, { freq: 4 }),
    lengthDelta: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 1 }),
  })
  .map(({ tag, badUtf8, value: v, odd, lengthDelta }) => {
    const tagBytes = badUtf8 ? [0xc3, 0x28, 0xff] : [...new TextEncoder().encode(tag)];
    const body = [...lengthDelimited(1, tagBytes, lengthDelta), ...(v === null ? [] : [...key(2, 5), ...f32(v)]), ...(odd ?? [])];
    return lengthDelimited(1, body);
  });

const event: fc.Arbitrary<number[]> = fc
  .record({
    wallTime: fc.option(fc.oneof(fc.double(), fc.constant(1_790_000_000))),
    step: fc.option(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(Number))),
    fileVersion: fc.boolean(),
    values: fc.option(fc.array(value, { maxLength: 4 })),
    odd: fc.array(oddField, { maxLength: 2 }),
    summaryDelta: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, { arbitrary: fc.integer({ min: -4, max: 4 }), weight: 1 }),
  })
  .map(({ wallTime, step, fileVersion, values, odd, summaryDelta }) => [
    ...(wallTime === null ? [] : [...key(1, 1), ...f64(wallTime)]),
    ...(step === null ? [] : [...key(2, 0), ...varint(BigInt(Math.trunc(step)))]),
    ...(fileVersion ? lengthDelimited(3, [...new TextEncoder().encode('brain.Event:2')]) : []),
    ...(values === null ? [] : lengthDelimited(5, values.flat(), summaryDelta)),
    ...odd.flat(),
  ]);

/** A stream of records, framed with right (mostly) or wrong CRCs, maybe cut short at the end. */
const stream: fc.Arbitrary<Uint8Array> = fc
  .record({
    events: fc.array(fc.record({ body: event, breakCrc: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, 2), lengthLie: fc.option(fc.constantFrom(1n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n), { freq: 12 }) }), { minLength: 1, maxLength: 8 }),
    cut: fc.option(fc.integer({ min: 1, max: 20 }), { freq: 4 }),
  })
  .map(({ events, cut }) => {
    const parts: Uint8Array[] = events.map(({ body, breakCrc, lengthLie }) => {
      const r = frameRecord(Uint8Array.from(body));
      const view = new DataView(r.buffer);
      if (lengthLie !== null) view.setBigUint64(0, lengthLie, true); // the length CRC then no longer matches
      if (breakCrc === 1) r[8] ^= 0x40;
      if (breakCrc === 2) r[r.length - 1] ^= 0x01;
      return r;
    });
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return cut === null ? all : all.subarray(0, Math.max(0, all.length - cut));
  });

export const tfeventsTarget: FuzzTarget = {
  name: 'tfevents',
  description: 'readScalarEvents + epochMetricsFromEvents (src/gat/artifacts/tfEventReader.ts): TensorBoard event files',
  run(input) {
    const { events, tornTail, fileVersion } = readScalarEvents(input, FUZZ_FILE);
    require(typeof tornTail === 'boolean' && (fileVersion === null || typeof fileVersion === 'string'), 'tornTail / fileVersion');
    for (const e of events) {
      require(typeof e.wallTime === 'number' && Number.isSafeInteger(e.step), `event step ${e.step}`);
      for (const v of e.values) require(typeof v.tag === 'string' && typeof v.value === 'number', 'scalar value');
    }
    for (const m of epochMetricsFromEvents([events])) {
      require(Number.isSafeInteger(m.epoch) && m.epoch >= 0, `epoch ${m.epoch}`);
      require(Number.isFinite(m.ms) && m.ms >= 0, `ms ${m.ms}`);
      require([m.trainLoss, m.trainAcc, m.valLoss, m.valAcc].every((x) => typeof x === 'number'), 'metrics');
    }
  },
  isOwnError: (e) => e instanceof TfEventError,
  seeds: tfeventsSeeds,
  generate: fc.oneof({ arbitrary: mutatedSeeds(tfeventsSeeds), weight: 2 }, { arbitrary: stream, weight: 3 }),
};
