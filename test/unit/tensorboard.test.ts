import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { crc32c, maskedCrc32c } from '../../src/gat/artifacts/crc32c';
import { EventFileWriter, TENSORBOARD_TAGS } from '../../src/gat/artifacts/tensorboardWriter';
import { tempDir } from '../helpers/tempDir';

// Child mode for the kill test: write some epochs, then die without closing or syncing.
if (process.env.GAT_TB_KILL_DIR) {
  const w = EventFileWriter.open(process.env.GAT_TB_KILL_DIR, { now: new Date('2026-01-01T00:00:00Z'), hostname: 'killed' });
  for (let e = 1; e <= 5; e++) w.addEpochMetrics({ epoch: e, trainLoss: 2 / e, trainAcc: e / 10, valLoss: 3 / e, valAcc: e / 20, ms: 1 });
  process.kill(process.pid, 'SIGKILL');
}

// ---- An independent reader: table-driven CRC32C, TFRecord framing and a tiny protobuf decoder. ----

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function tableCrc(b: Uint8Array): number {
  let c = ~0 >>> 0;
  for (const x of b) c = (TABLE[(c ^ x) & 0xff] ^ (c >>> 8)) >>> 0;
  return (~c) >>> 0;
}
const mask = (c: number): number => (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;

/** Splits a TFRecord file, verifying both CRCs of every record; a torn tail is reported, not read. */
function readRecords(buf: Uint8Array): { records: Uint8Array[]; tornTail: boolean } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 12 > buf.length) return { records, tornTail: true };
    const len = Number(view.getBigUint64(at, true));
    assert.equal(view.getUint32(at + 8, true), mask(tableCrc(buf.subarray(at, at + 8))), `length CRC of record ${records.length}`);
    if (at + 12 + len + 4 > buf.length) return { records, tornTail: true };
    const data = buf.subarray(at + 12, at + 12 + len);
    assert.equal(view.getUint32(at + 12 + len, true), mask(tableCrc(data)), `data CRC of record ${records.length}`);
    records.push(data);
    at += 12 + len + 4;
  }
  return { records, tornTail: false };
}

type Field = { field: number; wire: number; value: bigint | Uint8Array };
function decodeFields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = b[i++];
      v |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
  };
  while (i < b.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) out.push({ field, wire, value: b.slice(i, (i += 8)) });
    else if (wire === 5) out.push({ field, wire, value: b.slice(i, (i += 4)) });
    else if (wire === 2) {
      const n = Number(varint());
      out.push({ field, wire, value: b.slice(i, (i += n)) });
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

/** A view of exactly these bytes (a Buffer's `.buffer` is a shared pool, so never read it bare). */
const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

interface DecodedEvent {
  wallTime?: number;
  step?: number;
  fileVersion?: string;
  values: Array<{ tag: string; value: number }>;
}
function decodeEvent(b: Uint8Array): DecodedEvent {
  const ev: DecodedEvent = { values: [] };
  for (const f of decodeFields(b)) {
    const bytes = f.value as Uint8Array;
    if (f.field === 1 && f.wire === 1) ev.wallTime = dv(bytes).getFloat64(0, true);
    else if (f.field === 2 && f.wire === 0) ev.step = Number(BigInt.asIntN(64, f.value as bigint));
    else if (f.field === 3 && f.wire === 2) ev.fileVersion = new TextDecoder().decode(bytes);
    else if (f.field === 5 && f.wire === 2) {
      for (const v of decodeFields(bytes)) {
        assert.equal(v.field, 1, 'Summary holds only values');
        let tag = '';
        let value = NaN;
        for (const x of decodeFields(v.value as Uint8Array)) {
          if (x.field === 1 && x.wire === 2) tag = new TextDecoder().decode(x.value as Uint8Array);
          if (x.field === 2 && x.wire === 5) value = dv(x.value as Uint8Array).getFloat32(0, true);
        }
        ev.values.push({ tag, value });
      }
    } else throw new Error(`unexpected Event field ${f.field} (wire ${f.wire})`);
  }
  return ev;
}

// ---- Tests ----

describe('CRC32C', () => {
  it('matches the standard check value and the independent table-driven version', () => {
    const check = new TextEncoder().encode('123456789');
    assert.equal(crc32c(check), 0xe3069283);
    assert.equal(tableCrc(check), 0xe3069283);
    for (const s of ['', 'a', 'brain.Event:2', 'x'.repeat(1000)]) {
      const b = new TextEncoder().encode(s);
      assert.equal(maskedCrc32c(b), mask(tableCrc(b)), JSON.stringify(s.slice(0, 20)));
    }
  });
});

describe('EventFileWriter', () => {
  it('writes events.out.tfevents.<seconds>.<host> starting with the brain.Event:2 record', () => {
    const dir = tempDir();
    const now = new Date('2026-11-25T01:02:03.500Z');
    const w = EventFileWriter.open(dir, { now, hostname: 'box' });
    w.close();
    assert.equal(path.basename(w.path), `events.out.tfevents.${(now.getTime() - 500) / 1000}.box`);
    const { records, tornTail } = readRecords(readFileSync(w.path));
    assert.equal(tornTail, false);
    assert.equal(records.length, 1);
    assert.deepEqual(decodeEvent(records[0]), { wallTime: now.getTime() / 1000, fileVersion: 'brain.Event:2', values: [] });
  });

  it("logs each epoch's loss and accuracy under pytorch-GAT's tags, one Event per scalar", () => {
    const dir = tempDir();
    const w = EventFileWriter.open(dir, { hostname: 'box' });
    const epochs = [0, 1, 2, 1500].map((e) => ({ epoch: e, trainLoss: 1.9 - e / 1000, trainAcc: 0.1 + e / 2000, valLoss: 1.8 - e / 1000, valAcc: 0.3 + e / 3000, ms: 5 }));
    for (const m of epochs) w.addEpochMetrics(m, 1000 + m.epoch);
    w.addScalar('custom', -2.5, -3, 7);
    w.flush();
    w.close();
    const events = readRecords(readFileSync(w.path)).records.map(decodeEvent).slice(1);
    assert.equal(events.length, epochs.length * 4 + 1);
    for (const [i, m] of epochs.entries()) {
      const four = events.slice(i * 4, i * 4 + 4);
      assert.deepEqual(four.map((e) => e.values.length), [1, 1, 1, 1]);
      assert.deepEqual(four.map((e) => e.values[0].tag), ['training_loss', 'training_acc', 'val_loss', 'val_acc']);
      assert.deepEqual(four.map((e) => e.values[0].value), [m.trainLoss, m.trainAcc, m.valLoss, m.valAcc].map(Math.fround));
      assert.deepEqual(four.map((e) => e.step), [m.epoch, m.epoch, m.epoch, m.epoch]);
      assert.equal(four[0].wallTime, 1000 + m.epoch);
    }
    assert.deepEqual(events.at(-1), { wallTime: 7, step: -3, values: [{ tag: 'custom', value: -2.5 }] });
    assert.deepEqual(Object.values(TENSORBOARD_TAGS), ['training_loss', 'training_acc', 'val_loss', 'val_acc']);
  });

  it('never clobbers another event file started in the same second', () => {
    const dir = tempDir();
    const now = new Date('2026-11-25T00:00:00Z');
    const a = EventFileWriter.open(dir, { now, hostname: 'h' });
    const b = EventFileWriter.open(dir, { now, hostname: 'h' });
    a.addScalar('val_acc', 0.5, 1);
    a.close();
    b.close();
    assert.notEqual(a.path, b.path);
    assert.equal(readRecords(readFileSync(a.path)).records.length, 2);
    assert.equal(readRecords(readFileSync(b.path)).records.length, 1);
  });

  it('leaves every complete record readable when the process is killed mid-run', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [__filename], { env: { ...process.env, GAT_TB_KILL_DIR: dir }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, 'SIGKILL', `child ended with ${r.status} ${r.stderr}`);
    const [name] = readdirSync(dir);
    const file = path.join(dir, name);
    const full = readRecords(readFileSync(file));
    assert.equal(full.tornTail, false);
    const events = full.records.map(decodeEvent);
    assert.equal(events.length, 1 + 5 * 4);
    assert.deepEqual(events.slice(1).filter((e) => e.values[0].tag === 'val_acc').map((e) => [e.step, e.values[0].value]), [1, 2, 3, 4, 5].map((e) => [e, Math.fround(e / 20)]));
    // A record torn by a kill during the write: everything before it still reads.
    const bytes = readFileSync(file);
    const lastRecord = bytes.subarray(bytes.length - (full.records.at(-1)!.length + 16));
    appendFileSync(file, lastRecord.subarray(0, lastRecord.length - 10)); // a prefix of a valid record
    const torn = readRecords(readFileSync(file));
    assert.equal(torn.tornTail, true);
    assert.equal(torn.records.length, 21);
  });

  it('refuses to write after close', () => {
    const w = EventFileWriter.open(tempDir());
    w.close();
    assert.throws(() => w.addScalar('val_acc', 1, 1), /already closed/);
  });
});
