/** Writes little-endian NumPy .npy files (format 1.0), as np.save does, for tests. */

export interface NpyInput {
  /** NumPy dtype string with byte order: '<f4', '<i8', '|u1', '|b1', … ('>' is allowed too). */
  readonly descr: string;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

export interface NpyWriteOptions {
  /** Claim Fortran order in the header (the data is written as given). */
  readonly fortranOrder?: boolean;
  /** Use this header dict text instead of the generated one (to test malformed headers). */
  readonly header?: string;
}

export function encodeNpy(a: NpyInput, options: NpyWriteOptions = {}): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  const dict = options.header ?? `{'descr': '${a.descr}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': ${shape}, }`;
  // Pad with spaces so the data starts on a 64-byte boundary, ending the header with '\n'.
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const size = Number(/\d+$/.exec(a.descr)![0]);
  const out = new Uint8Array(10 + header.length + a.data.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  const little = !a.descr.startsWith('>');
  const kind = a.descr.replace(/^[<>|=]/, '').replace(/\d+$/, '');
  let p = 10 + header.length;
  for (let i = 0; i < a.data.length; i++, p += size) {
    const v = a.data[i];
    switch (`${kind}${size}`) {
      case 'f4': view.setFloat32(p, v, little); break;
      case 'f8': view.setFloat64(p, v, little); break;
      case 'i8': view.setBigInt64(p, BigInt(v), little); break;
      case 'u8': view.setBigUint64(p, BigInt(v), little); break;
      case 'i4': view.setInt32(p, v, little); break;
      case 'u4': view.setUint32(p, v, little); break;
      case 'i2': view.setInt16(p, v, little); break;
      case 'u2': view.setUint16(p, v, little); break;
      case 'i1': view.setInt8(p, v); break;
      case 'u1': case 'b1': view.setUint8(p, v); break;
      default: throw new Error(`encodeNpy: unsupported dtype ${a.descr}`);
    }
  }
  return out;
}
