import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { EpochMetrics } from '../../src/protocol/trainingEvents';
import { maskedCrc32c } from '../../src/gat/artifacts/crc32c';
import { readMetrics } from '../../src/gat/artifacts/runRecord';
import { RunWriter } from '../../src/gat/artifacts/runWriter';
import { EventFileWriter, frameRecord, TENSORBOARD_TAGS } from '../../src/gat/artifacts/tensorboardWriter';
import { epochMetricsFromEvents, readScalarEvents, TfEventError } from '../../src/gat/artifacts/tfEventReader';
import { concatBytes } from '../helpers/bytes';
import { tempDir } from '../helpers/tempDir';

const epoch = (e: number): EpochMetrics => ({ epoch: e, trainLoss: 1.9 - e / 10, trainAcc: 0.1 + e / 20, valLoss: 1.8 - e / 10, valAcc: 0.3 + e / 30, ms: 5 });
const f32 = (m: EpochMetrics): EpochMetrics => ({ ...m, trainLoss: Math.fround(m.trainLoss), trainAcc: Math.fround(m.trainAcc), valLoss: Math.fround(m.valLoss), valAcc: Math.fround(m.valAcc) });

/** An event file written by the product's writer: `epochs` epochs one second apart, plus one custom scalar. */
function writtenFile(epochs: number): { file: string; bytes: Uint8Array } {
  const w = EventFileWriter.open(tempDir(), { now: new Date('2026-11-25T01:02:03Z'), hostname: 'box' });
  for (let e = 0; e < epochs; e++) w.addEpochMetrics(epoch(e), 1000 + e);
  w.addScalar('custom', -2.5, -3, 7);
  w.close();
  return { file: w.path, bytes: new Uint8Array(readFileSync(w.path)) };
}

const rejects = (bytes: Uint8Array, offset: number, message: RegExp): void =>
  assert.throws(() => readScalarEvents(bytes, '/x/events'), (e: unknown) => e instanceof TfEventError && e.offset === offset && e.message.startsWith('/x/events is not a readable TensorBoard event file: byte ') && message.test(e.message));

describe('TensorBoard event reader', () => {
  it("reads back every scalar EventFileWriter wrote, with pytorch-GAT's tags, steps and wall times", () => {
    const { file, bytes } = writtenFile(3);
    const { events, fileVersion, tornTail } = readScalarEvents(bytes, file);
    assert.equal(fileVersion, 'brain.Event:2');
    assert.equal(tornTail, false);
    assert.equal(events.length, 3 * 4 + 1);
    for (let e = 0; e < 3; e++) {
      const m = epoch(e);
      const four = events.slice(4 * e, 4 * e + 4);
      assert.deepEqual(four.map((x) => x.values), [
        [{ tag: 'training_loss', value: Math.fround(m.trainLoss) }],
        [{ tag: 'training_acc', value: Math.fround(m.trainAcc) }],
        [{ tag: 'val_loss', value: Math.fround(m.valLoss) }],
        [{ tag: 'val_acc', value: Math.fround(m.valAcc) }],
      ]);
      assert.deepEqual(four.map((x) => [x.step, x.wallTime]), [0, 1, 2, 3].map(() => [e, 1000 + e]));
    }
    assert.deepEqual(events.at(-1), { wallTime: 7, step: -3, values: [{ tag: 'custom', value: -2.5 }] });
  });

  it('reports a record cut short by a kill as a torn tail, keeping every record before it', () => {
    const { bytes } = writtenFile(2);
    const whole = readScalarEvents(bytes, 'f').events;
    for (const cut of [1, 4, 5, 12, 20]) {
      const r = readScalarEvents(bytes.subarray(0, bytes.length - cut), 'f');
      assert.equal(r.tornTail, true, `cut ${cut}`);
      assert.deepEqual(r.events, whole.slice(0, -1), `cut ${cut}`);
    }
    assert.deepEqual(readScalarEvents(new Uint8Array(0), 'f'), { events: [], fileVersion: null, tornTail: false });
  });

  it('refuses a record whose length or data CRC does not match, naming the byte', () => {
    const { bytes } = writtenFile(1);
    const first = 16 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true); // the version record
    const badLength = bytes.slice();
    badLength[first + 8] ^= 1;
    rejects(badLength, first, /record 1: the CRC of its length field does not match/);
    const badData = bytes.slice();
    badData[first + 14] ^= 1;
    rejects(badData, first + 12, /record 1: the CRC of its \d+ data bytes does not match/);
  });

  it('skips unknown fields by wire type and refuses groups and undefined wire types', () => {
    const unknown = Uint8Array.of(0x30, 0x05, 0x3a, 0x02, 0xaa, 0xbb, 0x41, 1, 2, 3, 4, 5, 6, 7, 8, 0x4d, 1, 2, 3, 4); // fields 6 (varint), 7 (bytes), 8 (fixed64), 9 (fixed32)
    const ok = readScalarEvents(frameRecord(concatBytes(unknown, Uint8Array.of(0x10, 0x07))), 'f');
    assert.deepEqual(ok.events, []);
    for (const wire of [3, 4, 6, 7]) rejects(frameRecord(Uint8Array.of((6 << 3) | wire)), 12, new RegExp(`field 6: wire type ${wire} is not allowed`));
    rejects(frameRecord(Uint8Array.of(0x11, 0, 0)), 12, /field 'step' has wire type 1, expected 0/);
    rejects(frameRecord(Uint8Array.of(0x2a, 0x05, 0x0a)), 14, /field 'summary': length 5 runs past the end of its message/);
    rejects(frameRecord(Uint8Array.of(0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)), 13, /a varint longer than 10 bytes/);
    rejects(frameRecord(Uint8Array.of(0x2a, 0x05, 0x0a, 0x03, 0x0a, 0x01, 0xff)), 18, /field 'tag' is not valid UTF-8/);
  });

  it('turns the events of one or more files back into epoch metrics (a later file wins a step)', () => {
    const { bytes } = writtenFile(3);
    const events = readScalarEvents(bytes, 'f').events;
    assert.deepEqual(epochMetricsFromEvents([events]), [0, 1, 2].map((e) => f32({ ...epoch(e), ms: e === 0 ? 0 : 1000 })));
    const rewrite = [{ wallTime: 2000, step: 1, values: Object.values(TENSORBOARD_TAGS).map((tag) => ({ tag, value: 9 })) }];
    assert.deepEqual(epochMetricsFromEvents([events, rewrite])[1], { epoch: 1, trainLoss: 9, trainAcc: 9, valLoss: 9, valAcc: 9, ms: (2000 - 1000) * 1000 });
    assert.deepEqual(epochMetricsFromEvents([events.slice(0, 3)]), [], 'an epoch missing a tag is left out');
  });

  it('reads a masked CRC the way TFRecord stores it', () => {
    const record = frameRecord(Uint8Array.of(1, 2, 3));
    assert.equal(new DataView(record.buffer).getUint32(8, true), maskedCrc32c(record.subarray(0, 8)));
  });
});

describe('readMetrics falls back to the TensorBoard events', () => {
  it('reads the epochs of a run folder copied with only its events (no metrics.jsonl)', async () => {
    const out = tempDir();
    const run = await RunWriter.create({ outDir: out, dataset: 'cora', seed: 1, config: {}, backend: 'cpu', provenance: null, commandLine: ['gat', 'train'], now: new Date('2026-11-25T01:02:03Z') });
    const w = EventFileWriter.open(run.paths.runDir, { now: new Date('2026-11-25T01:02:04Z'), hostname: 'box' });
    for (let e = 0; e < 4; e++) {
      await run.appendEpoch(epoch(e));
      w.addEpochMetrics(epoch(e), 1000 + e / 2);
    }
    w.close();
    await run.finish('completed');
    const fromJsonl = await readMetrics(run.paths.runDir);
    assert.deepEqual(fromJsonl, [0, 1, 2, 3].map(epoch));

    rmSync(run.paths.metrics);
    const fromEvents = await readMetrics(run.paths.runDir);
    assert.deepEqual(fromEvents, [0, 1, 2, 3].map((e) => f32({ ...epoch(e), ms: e === 0 ? 0 : 500 })));
  });

  it('reads nothing from a run folder with neither, and reports a damaged event file naming it and the byte', async () => {
    const dir = tempDir();
    assert.deepEqual(await readMetrics(dir), []);
    assert.deepEqual(await readMetrics(path.join(dir, 'absent')), []);
    const file = path.join(dir, 'events.out.tfevents.1.box');
    const bytes = frameRecord(Uint8Array.of(0x10, 0x01));
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(file, bytes);
    await assert.rejects(readMetrics(dir), (e: unknown) => e instanceof TfEventError && e.path === file && e.message.includes(`${file} is not a readable TensorBoard event file: byte 12`));
  });
});
