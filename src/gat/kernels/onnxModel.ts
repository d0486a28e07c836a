/**
 * A one-node ONNX model, Y = op(A) · op(B) (a Gemm with transA / transB), encoded at run time so
 * that onnxruntime can run our dense products with no model file and no Python. Only the fields
 * onnxruntime reads are written (field numbers from onnx/onnx.proto):
 *
 *   ModelProto { ir_version 1, opset_import 8 { domain 1, version 2 }, graph 7 }
 *   GraphProto { node 1, name 2, input 11, output 12 }
 *   NodeProto { input 1, output 2, op_type 4, attribute 5 }
 *   AttributeProto { name 1, i 3, type 20 (INT = 2) }
 *   ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1 { elem_type 1 (FLOAT = 1), shape 2 { dim 1 { dim_param 2 } } } } }
 *
 * Every dimension is symbolic (M, K, N), so one session serves every shape with these transposes.
 */
import { ProtoWriter } from '../artifacts/protobuf';

/** IR version 8 with opset 13: the oldest pair whose Gemm takes no C input (optional since opset 11). */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;
const ELEM_FLOAT = 1;
const ATTRIBUTE_INT = 2;

export interface GemmTransposes {
  /** A is stored (K, M) instead of (M, K). */
  readonly transA: boolean;
  /** B is stored (N, K) instead of (K, N). */
  readonly transB: boolean;
}

const message = (build: (w: ProtoWriter) => ProtoWriter): Uint8Array => build(new ProtoWriter()).finish();

/** A float tensor input or output whose dimensions are named, not fixed. */
function valueInfo(name: string, dims: readonly string[]): Uint8Array {
  const shape = message((w) => dims.reduce((s, d) => s.bytes(1, message((dim) => dim.string(2, d))), w));
  const tensorType = message((w) => w.int64(1, ELEM_FLOAT).bytes(2, shape));
  return message((w) => w.string(1, name).bytes(2, message((t) => t.bytes(1, tensorType))));
}

function intAttribute(name: string, value: number): Uint8Array {
  return message((w) => w.string(1, name).int64(3, value).int64(20, ATTRIBUTE_INT));
}

/** The model's bytes: inputs A and B, output Y (M, N), all float32. */
export function gemmModel({ transA, transB }: GemmTransposes): Uint8Array {
  const node = message((w) =>
    w
      .string(1, 'A')
      .string(1, 'B')
      .string(2, 'Y')
      .string(4, 'Gemm')
      .bytes(5, intAttribute('transA', transA ? 1 : 0))
      .bytes(5, intAttribute('transB', transB ? 1 : 0)),
  );
  const graph = message((w) =>
    w
      .bytes(1, node)
      .string(2, 'gat_gemm')
      .bytes(11, valueInfo('A', transA ? ['K', 'M'] : ['M', 'K']))
      .bytes(11, valueInfo('B', transB ? ['N', 'K'] : ['K', 'N']))
      .bytes(12, valueInfo('Y', ['M', 'N'])),
  );
  const opset = message((w) => w.string(1, '').int64(2, ONNX_OPSET));
  return message((w) => w.int64(1, ONNX_IR_VERSION).bytes(8, opset).bytes(7, graph));
}
