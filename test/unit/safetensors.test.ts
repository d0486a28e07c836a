import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { NamedTensor } from '../../src/gat/artifacts/namedTensor';
import { float16Value, toFloat16 } from '../../src/gat/artifacts/float16';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from '../../src/gat/artifacts/safetensors';
import { coraShapedParams } from '../helpers/coraParams';
import { pythonWith } from '../helpers/python';
import { tempDir } from '../helpers/tempDir';

const SAMPLE: NamedTensor[] = [
  { name: 'weight', shape: [2, 3], data: Float32Array.from([0.1, -3.5, 1e-30, 65504, -0, Math.PI]) },
  { name: 'index', shape: [4], data: Int32Array.from([0, -1, 2147483647, -2147483648]) },
  { name: 'scalar', shape: [], data: Float32Array.from([42.25]) },
  { name: 'empty', shape: [0, 5], data: new Float32Array(0) },
  { name: 'odd', shape: [3], data: Int32Array.from([7, 8, 9]) },
  // half precision, as snapshots store floats: 1, -2, the largest half, the smallest subnormal, 0.1 rounded, odd count
  { name: 'half', shape: [5], data: toFloat16(Float32Array.from([1, -2, 65504, 2 ** -24, 0.1])) },
];
const META = { dataset: 'cora', config: JSON.stringify({ lr: 0.005, heads: [8, 1] }), note: 'ünïcode ✓' };

/** Builds a file from a raw header object and data bytes, to feed the decoder malformed input. */
function rawFile(header: unknown, data: Uint8Array, lengthOverride?: bigint): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors encode/decode', () => {
  it('round-trips F32, F16 and I32 tensors, scalars, empty tensors and metadata', () => {
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(SAMPLE, META));
    assert.deepEqual(metadata, META);
    assert.deepEqual(tensors.map((t) => t.name), SAMPLE.map((t) => t.name));
    for (const [i, t] of tensors.entries()) {
      assert.deepEqual(t.shape, SAMPLE[i].shape);
      assert.equal(t.data.constructor, SAMPLE[i].data.constructor, `${t.name} keeps its dtype`);
      assert.deepEqual(Array.from(t.data), Array.from(SAMPLE[i].data));
    }
  });

  it('pads the header with spaces so the data starts 8-byte aligned, little-endian length first', () => {
    const bytes = encodeSafetensors(SAMPLE, META);
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    assert.equal((8 + n) % 8, 0);
    const header = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    assert.match(header, /^\{.*\} *$/);
    const parsed = JSON.parse(header) as Record<string, { data_offsets: number[] }>;
    assert.deepEqual(parsed.weight.data_offsets, [0, 24]);
    assert.deepEqual(parsed.index.data_offsets, [24, 40]);
    // The first float lies right after the header, little-endian.
    assert.equal(Buffer.from(bytes).readFloatLE(8 + n), Math.fround(0.1));
  });

  it('omits __metadata__ when there is none', () => {
    const bytes = encodeSafetensors([SAMPLE[0]], {});
    assert.doesNotMatch(Buffer.from(bytes).toString('utf8'), /__metadata__/);
    assert.deepEqual(decodeSafetensors(bytes).metadata, {});
  });

  it('decodes from a view at an unaligned offset inside a bigger buffer', () => {
    const bytes = encodeSafetensors(SAMPLE, META);
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    assert.deepEqual(Array.from(decodeSafetensors(big.subarray(3)).tensors[0].data), Array.from(SAMPLE[0].data));
  });

  it('decodes a pooled Node Buffer (as fs.readFileSync returns) into independent arrays', () => {
    const bytes = Buffer.from(encodeSafetensors(SAMPLE, META)); // small Buffers share one pool
    const t = decodeSafetensors(bytes).tensors[0];
    assert.equal(t.data.buffer.byteLength, t.data.byteLength, 'owns its own buffer');
    assert.deepEqual(Array.from(t.data), Array.from(SAMPLE[0].data));
  });

  const badInputs: Array<[string, () => unknown, RegExp]> = [
    ['a shape that does not match the data', () => encodeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }]), /shape \[2, 2\] \(4 elements\) but 3 values/],
    ['duplicate names', () => encodeSafetensors([SAMPLE[0], SAMPLE[0]]), /duplicate tensor name 'weight'/],
    ['a non-string metadata value', () => encodeSafetensors([], { n: 3 as unknown as string }), /metadata value for 'n' must be a string/],
  ];
  for (const [what, run, message] of badInputs) {
    it(`encode rejects ${what}`, () => assert.throws(run, (e: unknown) => e instanceof SafetensorsError && message.test(e.message)));
  }

  const good = encodeSafetensors(SAMPLE, META);
  const f32 = (n: number): Uint8Array => new Uint8Array(new Float32Array(n).buffer);
  const corrupt: Array<[string, Uint8Array, RegExp]> = [
    ['a file shorter than the length field', good.subarray(0, 5), /truncated safetensors file: 5 bytes/],
    ['a file cut inside the data', good.subarray(0, good.length - 4), /truncated safetensors file: tensors need 66 data bytes but only 62/],
    ['a file cut inside the header', good.subarray(0, 40), /bad header length \d+: the file has only 32 bytes/],
    ['an absurd header length', rawFile({}, new Uint8Array(0), 2n ** 60n), /bad header length 1152921504606846976: larger than/],
    ['a header that is not JSON', rawFile({}, new Uint8Array(0)).map((b, i) => (i === 8 ? 0x41 : b)), /header is not valid JSON/],
    ['overlapping offsets', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)), /tensor 'b' data_offsets \[4, 12\] overlap the previous tensor/],
    ['a gap between tensors', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, f32(3)), /gap in the data before tensor 'b'/],
    ['offsets that disagree with the shape', rawFile({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)), /shape \[3\] \(12 bytes\) but data_offsets span 8 bytes/],
    ['an unsupported dtype', rawFile({ a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, f32(1)), /dtype "BF16"; only F32, F16 and I32/],
    ['F16 offsets sized as if 4 bytes each', rawFile({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 8] } }, f32(2)), /shape \[2\] \(4 bytes\) but data_offsets span 8 bytes/],
    ['trailing bytes', rawFile({ a: { dtype: 'I32', shape: [1], data_offsets: [0, 4] } }, f32(2)), /4 trailing bytes after the last tensor/],
    ['non-string metadata', rawFile({ __metadata__: { a: 1 } }, new Uint8Array(0)), /__metadata__ value for 'a' must be a string/],
  ];
  for (const [what, bytes, message] of corrupt) {
    it(`decode rejects ${what}`, () => assert.throws(() => decodeSafetensors(bytes), (e: unknown) => e instanceof SafetensorsError && message.test(e.message)));
  }

  it('keeps a Cora-shaped model (92 373 float32 parameters) with provenance under 400 KB', () => {
    const params = coraShapedParams();
    assert.equal(params.reduce((n, p) => n + p.data.length, 0), 92_373);
    const meta = { format: 'gat-explorer/1', config: JSON.stringify({ heads: [8, 1], features: [8, 7], dropout: 0.6, lr: 0.005 }), datasetChecksums: JSON.stringify(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`ind.cora.${i}`, 'f'.repeat(64)]))) };
    const bytes = encodeSafetensors(params, meta);
    assert.ok(bytes.length <= 400 * 1024, `encoded size ${bytes.length} bytes`);
    assert.ok(bytes.length >= 92_373 * 4, 'holds every parameter');
  });
});

// An independent reader, as Python's safetensors sees the file: json for the header, numpy for data.
const PY_READER = String.raw`
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
assert (8 + n) % 8 == 0, 'data not 8-byte aligned'
header = json.loads(raw[8:8 + n].decode('utf-8'))
meta = header.pop('__metadata__', {})
assert all(isinstance(v, str) for v in meta.values())
data = raw[8 + n:]
dtypes = {'F32': '<f4', 'I32': '<i4', 'F16': '<f2'}
out, end = {}, 0
for name, e in sorted(header.items(), key=lambda kv: kv[1]['data_offsets'][0]):
    b, f = e['data_offsets']
    assert b == end, 'tensors are not contiguous'
    end = f
    arr = np.frombuffer(data[b:f], dtype=dtypes[e['dtype']]).reshape(e['shape'])
    out[name] = {'dtype': e['dtype'], 'shape': list(arr.shape), 'values': [float(v) for v in arr.reshape(-1)]}
assert end == len(data), 'data length does not match the header'
print(json.dumps({'metadata': meta, 'tensors': out}))
`;

describe('safetensors cross-check with Python (json + numpy)', () => {
  it('Python reads the same names, shapes, dtypes, values and metadata', () => {
    const file = path.join(tempDir(), 'sample.safetensors');
    writeFileSync(file, encodeSafetensors(SAMPLE, META));
    const r = spawnSync(pythonWith('numpy'), ['-c', PY_READER, file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, `Python failed: ${r.error?.message ?? r.stderr}`);
    const py = JSON.parse(r.stdout) as { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; values: number[] }> };
    assert.deepEqual(py.metadata, META);
    assert.deepEqual(Object.keys(py.tensors).sort(), SAMPLE.map((t) => t.name).sort());
    for (const t of SAMPLE) {
      const p = py.tensors[t.name];
      const half = t.data instanceof Uint16Array;
      assert.equal(p.dtype, t.data instanceof Float32Array ? 'F32' : half ? 'F16' : 'I32');
      assert.deepEqual(p.shape, [...t.shape]);
      // -0 prints as -0.0 in Python; compare numerically. numpy's float16 decodes our half bits.
      const ours = Array.from(t.data, (v) => (half ? float16Value(v) : v));
      assert.deepEqual(p.values.map((v) => (v === 0 ? 0 : v)), ours.map((v) => (v === 0 ? 0 : v)));
    }
  });
});
