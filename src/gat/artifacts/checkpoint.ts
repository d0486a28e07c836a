/**
 * Checkpoints (parameters + Adam state + epoch, to resume) and model binaries (parameters only, to
 * analyse or share), both safetensors files with provenance metadata. Optimizer tensors are stored
 * under the prefix `optimizer.` so Python users see one flat file.
 */
import { ArtifactReadError, readSafetensorsFile } from './artifactRead';
import { writeArtifact, type WriteOptions } from './artifactWrite';
import type { NamedTensor } from './namedTensor';
import { encodeSafetensors, SafetensorsError } from './safetensors';

const OPTIMIZER_PREFIX = 'optimizer.';

export type ArtifactKind = 'checkpoint' | 'model';

export interface OptimizerState {
  /** Adam's step counter (bias correction depends on it). */
  readonly step: number;
  readonly tensors: readonly NamedTensor[];
}

export interface Checkpoint {
  readonly params: readonly NamedTensor[];
  readonly optimizer: OptimizerState;
  readonly epoch: number;
  /** Provenance and anything else, string → string (see provenanceMetadata). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ModelBinary {
  readonly params: NamedTensor[];
  readonly metadata: Record<string, string>;
}

export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  for (const p of ckpt.params) {
    if (p.name.startsWith(OPTIMIZER_PREFIX)) throw new SafetensorsError(`parameter name '${p.name}' may not start with '${OPTIMIZER_PREFIX}'`);
  }
  const optimizer = ckpt.optimizer.tensors.map((t) => ({ ...t, name: OPTIMIZER_PREFIX + t.name }));
  const metadata = { ...ckpt.metadata, kind: 'checkpoint', epoch: String(ckpt.epoch), optimizerStep: String(ckpt.optimizer.step) };
  return encodeSafetensors([...ckpt.params, ...optimizer], metadata);
}

export async function writeCheckpoint(file: string, ckpt: Checkpoint, options: WriteOptions = {}): Promise<void> {
  await writeArtifact(file, encodeCheckpoint(ckpt), options);
}

export async function readCheckpoint(file: string): Promise<Checkpoint & { params: NamedTensor[]; metadata: Record<string, string> }> {
  const remedy = 'Pick another checkpoint from models/checkpoints/, or train without --resume.';
  const { tensors, metadata } = await readSafetensorsFile(file, 'checkpoint', remedy);
  const epoch = Number(metadata.epoch);
  const step = Number(metadata.optimizerStep);
  if (metadata.kind !== 'checkpoint' || !Number.isInteger(epoch) || !Number.isInteger(step)) {
    throw new ArtifactReadError(file, `${file} is not a GAT Explorer checkpoint (kind '${metadata.kind ?? 'none'}', epoch '${metadata.epoch ?? 'none'}'). ${remedy}`);
  }
  return {
    params: tensors.filter((t) => !t.name.startsWith(OPTIMIZER_PREFIX)),
    optimizer: {
      step,
      tensors: tensors.filter((t) => t.name.startsWith(OPTIMIZER_PREFIX)).map((t) => ({ ...t, name: t.name.slice(OPTIMIZER_PREFIX.length) })),
    },
    epoch,
    metadata,
  };
}

export function encodeModelBinary(params: readonly NamedTensor[], metadata: Readonly<Record<string, string>>): Uint8Array {
  return encodeSafetensors(params, { ...metadata, kind: 'model' });
}

export async function writeModelBinary(file: string, params: readonly NamedTensor[], metadata: Readonly<Record<string, string>>, options: WriteOptions = {}): Promise<void> {
  await writeArtifact(file, encodeModelBinary(params, metadata), options);
}

/** Reads the parameters of a model binary; a checkpoint is accepted too (its optimizer state is dropped). */
export async function readModelBinary(file: string): Promise<ModelBinary> {
  const { tensors, metadata } = await readSafetensorsFile(file, 'model binary', 'Train a model with `npx gat train`, or pass a file from models/binaries/.');
  return { params: tensors.filter((t) => !t.name.startsWith(OPTIMIZER_PREFIX)), metadata };
}
