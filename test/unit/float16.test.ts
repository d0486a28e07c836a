/**
 * Half-precision conversion: every one of the 65,536 half patterns survives the round trip, and
 * float32 values round to the nearest half with ties to even (checked against the neighbours of
 * the result, not against a table of expected outputs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { float16Bits, float16Value, fromFloat16, roundToFloat16, toFloat16 } from '../../src/gat/artifacts/float16';

/** A seeded generator, so a failure names a reproducible value. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

describe('float16', () => {
  it('round-trips every half bit pattern (NaNs stay NaN)', () => {
    for (let b = 0; b < 65536; b++) {
      const v = float16Value(b);
      if (Number.isNaN(v)) assert.ok(Number.isNaN(float16Value(float16Bits(v))), `NaN pattern ${b.toString(16)}`);
      else assert.equal(float16Bits(v), b, `pattern 0x${b.toString(16)} (${v}) came back as 0x${float16Bits(v).toString(16)}`);
    }
  });

  it('knows the landmarks: 1, -2, the largest half, the smallest subnormal, overflow to Infinity', () => {
    assert.equal(float16Bits(1), 0x3c00);
    assert.equal(float16Bits(-2), 0xc000);
    assert.equal(float16Value(0x7bff), 65504);
    assert.equal(float16Value(0x0001), 2 ** -24);
    assert.equal(float16Bits(65520), 0x7c00); // halfway to 2^16 rounds up (to even) into Infinity
    assert.equal(float16Bits(65519), 0x7bff);
    assert.equal(float16Bits(2 ** -25), 0); // a tie between 0 and the smallest subnormal goes to the even 0
    assert.equal(float16Bits(2 ** -25 * 1.5), 1);
    assert.equal(float16Bits(-0), 0x8000);
  });

  it('rounds random float32 values to the nearest half, ties to the even pattern', () => {
    const next = lcg(7);
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    let checked = 0;
    for (let i = 0; i < 200_000; i++) {
      // exponents in and around the half range: |x| from 2^-27 to 2^17
      u[0] = (next() & 0x807fffff) | ((100 + (next() % 45)) << 23);
      const x = f[0];
      const b = float16Bits(x);
      const v = float16Value(b);
      if (!Number.isFinite(v)) {
        assert.ok(Math.abs(x) >= 65520, `${x} overflowed to Infinity`);
        continue;
      }
      // the neighbours of the result in the same sign (towards zero and away from it)
      const mag = b & 0x7fff;
      const down = mag > 0 ? Math.abs(float16Value(mag - 1)) : -Infinity;
      const up = mag < 0x7bff ? Math.abs(float16Value(mag + 1)) : Infinity;
      const err = Math.abs(Math.abs(x) - Math.abs(v));
      assert.ok(err <= Math.abs(Math.abs(x) - down) && err <= Math.abs(Math.abs(x) - up), `${x} → 0x${b.toString(16)} (${v}) is not the nearest half`);
      if (err === Math.abs(Math.abs(x) - down) || err === Math.abs(Math.abs(x) - up)) assert.equal(mag & 1, 0, `${x} is a tie and went to the odd pattern 0x${b.toString(16)}`);
      if (v !== 0) assert.equal(Math.sign(v), Math.sign(x));
      checked++;
    }
    assert.ok(checked > 150_000, `only ${checked} finite cases`);
  });

  it('converts arrays both ways, and roundToFloat16 is idempotent', () => {
    const values = Float32Array.from([0.1, -3.75, 1e-6, 70000, 0.3333333]);
    const bits = toFloat16(values);
    assert.deepEqual(Array.from(fromFloat16(bits)), Array.from(bits, float16Value).map((v) => Math.fround(v)));
    const once = roundToFloat16(values);
    assert.deepEqual(roundToFloat16(once), once);
    assert.equal(once[3], Infinity);
    assert.ok(Math.abs(once[0] - 0.1) < 1e-4);
  });
});
