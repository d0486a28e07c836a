/**
 * A named array with a shape: the unit of exchange between the model, checkpoints
 * (safetensors) and the analysis artifact. Data is row-major (C order), as in PyTorch.
 */
export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint16Array;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
