import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseNpy } from '../../src/gat/data/npy';
import { isDatasetError } from '../helpers/datasetError';
import { encodeNpy } from '../helpers/npyWrite';
import { runPythonJson } from '../helpers/python';
import { tempDir } from '../helpers/tempDir';

interface NumpyCase {
  dtype: string;
  shape: number[];
  values: number[];
}

/** Writes arrays with np.save (and write_array for versions 2.0/3.0), and reports their values. */
const WRITE_WITH_NUMPY = `
import json, os, sys
import numpy as np
d = json.load(sys.stdin)['dir']
rng = np.random.default_rng(7)
cases = {}
def save(name, a, version=None):
    p = os.path.join(d, name + '.npy')
    with open(p, 'wb') as f:
        np.lib.format.write_array(f, a, version=version)
    flat = a.ravel(order='C')
    vals = [float(x) for x in flat] if a.dtype.kind == 'f' else [int(x) for x in flat]
    cases[name] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'values': vals}
save('f4_le', rng.normal(size=(3, 4)).astype('<f4'))
save('f4_be', rng.normal(size=(5, 2)).astype('>f4'))
save('f8_le', rng.normal(size=(7,)).astype('<f8'))
save('f8_be', rng.normal(size=(2, 3)).astype('>f8'))
save('f2_le', np.array([0, -0.0, 1, -2.5, 65504, 6e-8, 3e-5, 0.1], dtype='<f2'))
save('f2_be', np.array([1.5, -7.25, 1e-4], dtype='>f2'))
save('i8_small_be', np.array([-5, 0, 7, 2**31 - 1, -2**31], dtype='>i8'))
save('i8_wide', np.array([-(2**53) + 1, 2**40, -3, 2**53 - 1], dtype='<i8'))
save('u8', np.array([0, 3, 2**33], dtype='<u8'))
save('i4_be', np.array([[-1, 2], [3, -400000]], dtype='>i4'))
save('u4', np.array([0, 4000000000], dtype='<u4'))
save('i2', np.array([-32768, 32767], dtype='<i2'))
save('u2_be', np.array([1, 65535], dtype='>u2'))
save('i1', np.array([-128, 127, 0], dtype='i1'))
save('u1', np.array([[0, 255], [1, 2]], dtype='u1'))
save('b1', np.array([True, False, True], dtype='?'))
save('f4_3d', rng.normal(size=(2, 3, 4)).astype('<f4'))
save('scalar', np.array(2.5, dtype='<f8'))
save('empty', np.zeros((0, 5), dtype='<f4'))
save('v2', np.arange(6, dtype='<f4').reshape(2, 3), version=(2, 0))
save('v3', np.arange(6, dtype='<i8').reshape(3, 2), version=(3, 0))
np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))
np.save(os.path.join(d, 'object.npy'), np.array([{'a': 1}, None], dtype=object), allow_pickle=True)
np.save(os.path.join(d, 'structured.npy'), np.array([(1, 2.0)], dtype=[('a', '<i4'), ('b', '<f8')]))
np.save(os.path.join(d, 'unicode.npy'), np.array(['ab', 'cd']))
np.save(os.path.join(d, 'huge_int.npy'), np.array([1, 2**60], dtype='<i8'))
print(json.dumps(cases))
`;

describe('parseNpy against NumPy', () => {
  const dir = tempDir();
  const cases = runPythonJson<Record<string, NumpyCase>>('numpy', WRITE_WITH_NUMPY, { dir });
  const read = (name: string): ReturnType<typeof parseNpy> => parseNpy(readFileSync(path.join(dir, `${name}.npy`)), `${name}.npy`);

  for (const [name, want] of Object.entries(cases)) {
    it(`reads ${name} (${want.dtype}, shape (${want.shape.join(', ')})) exactly as NumPy wrote it`, () => {
      const got = read(name);
      assert.deepEqual(got.shape, want.shape);
      assert.equal(got.dtype, want.dtype.replace(/^[<>|=]/, '').replace('?', 'b1'));
      assert.deepEqual(Array.from(got.data), want.values);
    });
  }

  it('picks JS arrays by dtype: int64 as Int32Array when it fits, else Float64Array; float16 as Float32Array', () => {
    assert.ok(read('i8_small_be').data instanceof Int32Array);
    assert.ok(read('i8_wide').data instanceof Float64Array);
    assert.ok(read('f2_le').data instanceof Float32Array);
    assert.ok(read('f8_be').data instanceof Float64Array);
    assert.ok(read('b1').data instanceof Uint8Array);
    assert.ok(read('i1').data instanceof Int8Array);
  });

  it('refuses an object array (a pickle) as unsafe', () => {
    assert.throws(() => read('object'), isDatasetError('unsafe', 'object.npy', "'descr' is '|O'", 'pickle'));
  });

  it('refuses a Fortran-order 2-D array, naming the header field', () => {
    assert.throws(() => read('fortran'), isDatasetError('corrupt', 'fortran.npy', "'fortran_order' is True"));
  });

  it('refuses structured and string dtypes', () => {
    assert.throws(() => read('structured'), isDatasetError('corrupt', 'structured.npy', 'structured'));
    assert.throws(() => read('unicode'), isDatasetError('corrupt', 'unicode.npy', "'descr' is '<U2'", 'only numeric dtypes'));
  });

  it('refuses int64 values JavaScript cannot hold exactly, naming the element', () => {
    assert.throws(() => read('huge_int'), isDatasetError('corrupt', 'huge_int.npy', 'element 1 is 1152921504606846976', '2^53'));
  });
});

describe('encodeNpy (the test helper) writes files NumPy reads back', () => {
  it('round-trips several dtypes through np.load', () => {
    const dir = tempDir();
    const arrays = {
      f4: { descr: '<f4', shape: [2, 3], data: [0.5, -1.25, 3, 0, 0.125, 7] },
      f8: { descr: '<f8', shape: [3], data: [Math.PI, -0, 1e300] },
      i8: { descr: '<i8', shape: [4], data: [1, -2, 2 ** 40, 24] },
      u1: { descr: '|u1', shape: [2, 2], data: [0, 1, 1, 255] },
      b1: { descr: '|b1', shape: [2], data: [1, 0] },
      i4be: { descr: '>i4', shape: [2], data: [-7, 123456] },
    };
    for (const [name, a] of Object.entries(arrays)) writeFileSync(path.join(dir, `${name}.npy`), encodeNpy(a));
    const script = `
import json, sys, numpy as np
d = json.load(sys.stdin)['dir']
out = {}
for name in ${JSON.stringify(Object.keys(arrays))}:
    a = np.load(f'{d}/{name}.npy', allow_pickle=False)
    out[name] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'values': [float(x) for x in a.ravel()]}
print(json.dumps(out))`;
    const back = runPythonJson<Record<string, NumpyCase>>('numpy', script, { dir });
    for (const [name, a] of Object.entries(arrays)) {
      assert.deepEqual(back[name].shape, a.shape, name);
      assert.deepEqual(back[name].values, a.data.map((v) => (Object.is(v, -0) ? -0 : v)), name);
      assert.equal(back[name].dtype, a.descr, name);
      // And our reader agrees with both.
      assert.deepEqual(Array.from(parseNpy(readFileSync(path.join(dir, `${name}.npy`)), name).data), back[name].values, name);
    }
  });
});

describe('malformed .npy files are refused before anything is allocated', () => {
  const good = encodeNpy({ descr: '<f4', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });

  it('names the file and byte offset of a wrong magic string', () => {
    assert.throws(() => parseNpy(Buffer.from('PK\x03\x04 not numpy'), 'x.npy'), isDatasetError('corrupt', 'x.npy', 'byte 0', 'magic'));
  });

  it('names the expected and actual data bytes of a truncated file', () => {
    assert.throws(() => parseNpy(good.subarray(0, good.length - 4), 'cut.npy'), isDatasetError('corrupt', 'cut.npy', 'is 20 bytes', 'needs 24 bytes', `byte offset ${good.length - 24}`));
  });

  it('refuses trailing bytes too', () => {
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    assert.throws(() => parseNpy(longer, 'long.npy'), isDatasetError('corrupt', 'is 28 bytes', 'needs 24 bytes'));
  });

  it('refuses a header that ends past the file', () => {
    assert.throws(() => parseNpy(good.subarray(0, 30), 'short.npy'), isDatasetError('corrupt', 'short.npy', 'byte 10', 'the header claims'));
  });

  it('refuses an unknown format version', () => {
    const v9 = Uint8Array.from(good);
    v9[6] = 9;
    assert.throws(() => parseNpy(v9, 'v9.npy'), isDatasetError('corrupt', 'byte 6', 'version 9.0'));
  });

  const badHeaders: Array<[string, string, string]> = [
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'evil': 1, }", 'extra key', "unexpected key 'evil'"],
    ["{'descr': '<f4', 'fortran_order': False, }", 'missing shape', "missing key 'shape'"],
    ["{'descr': __import__('os').system('id'), 'fortran_order': False, 'shape': (2, 3), }", 'code in a value', 'unexpected character'],
    ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 'duplicate key', "key 'descr' appears twice"],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }", 'non-bool order', "'fortran_order' must be True or False"],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", 'negative dimension', 'unexpected character'],
    ["{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }", 'complex dtype', "'descr' is '<c8'"],
    ["{'descr': '|f4', 'fortran_order': False, 'shape': (2, 3), }", 'no byte order', "'descr' is '|f4'"],
  ];
  for (const [header, what, fragment] of badHeaders) {
    it(`refuses a header with ${what}`, () => {
      assert.throws(() => parseNpy(encodeNpy({ descr: '<f4', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, { header }), 'h.npy'), isDatasetError('corrupt', 'h.npy', fragment));
    });
  }

  it('refuses a shape over 2^31 elements without allocating it', () => {
    const huge = encodeNpy({ descr: '<f4', shape: [0], data: [] }, { header: "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 1000), }" });
    assert.throws(() => parseNpy(huge, 'huge.npy'), isDatasetError('corrupt', 'huge.npy', "'shape' (100000, 100000, 1000)", '2^31'));
  });

  it('accepts fortran_order True for a 1-D array (same layout), and Python 2 longs (3L)', () => {
    const f = parseNpy(encodeNpy({ descr: '<i4', shape: [3], data: [4, 5, 6] }, { fortranOrder: true }), 'f.npy');
    assert.deepEqual(Array.from(f.data), [4, 5, 6]);
    const py2 = parseNpy(encodeNpy({ descr: '<i4', shape: [3], data: [4, 5, 6] }, { header: "{'descr': '<i4', 'fortran_order': False, 'shape': (3L,), }" }), 'p.npy');
    assert.deepEqual(py2.shape, [3]);
  });
});
