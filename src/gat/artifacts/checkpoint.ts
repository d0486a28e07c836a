/**
 * Checkpoints (parameters + Adam state + epoch, to resume) and model binaries (parameters only, to
 * analyse or share), both safetensors files with provenance metadata. Optimizer tensors are stored
 * under the prefix `optimizer.` so Python users see one flat file.
 */
import { ArtifactReadError, decodeSafetensorsFile, readArtifactBytes } from './artifactRead';
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

const CHECKPOINT_REMEDY = 'Pick another checkpoint from models/checkpoints/, or train without --resume.';
const MODEL_REMEDY = 'Train a model with `npx gat train`, or pass a file from models/binaries/.';

export async function readCheckpoint(file: string): Promise<Checkpoint & { params: NamedTensor[]; metadata: Record<string, string> }> {
  return decodeCheckpoint(await readArtifactBytes(file, 'checkpoint', CHECKPOINT_REMEDY), file);
}

/**
 * The checkpoint in `bytes` (the contents of `file`), checked as far as the file alone allows:
 * kind, epoch and optimizer step, float32 parameters, and the JSON metadata a resume reads back
 * (config, loopState). Anything else is an ArtifactReadError naming the file and the field or tensor.
 */
export function decodeCheckpoint(bytes: Uint8Array, file: string): Checkpoint & { params: NamedTensor[]; metadata: Record<string, string> } {
  const remedy = CHECKPOINT_REMEDY;
  const { tensors, metadata } = decodeSafetensorsFile(bytes, file, 'checkpoint', remedy);
  const fail = (message: string): never => {
    throw new ArtifactReadError(file, `${file} is not a valid checkpoint: ${message}. ${remedy}`);
  };
  const epoch = Number(metadata.epoch);
  const step = Number(metadata.optimizerStep);
  if (metadata.kind !== 'checkpoint' || !isCount(metadata.epoch) || !isCount(metadata.optimizerStep)) {
    throw new ArtifactReadError(file, `${file} is not a GAT Explorer checkpoint (kind '${metadata.kind ?? 'none'}', epoch '${metadata.epoch ?? 'none'}', optimizerStep '${metadata.optimizerStep ?? 'none'}'). ${remedy}`);
  }
  checkJsonField(metadata, 'config', (v) => v === null || isPlainObject(v), 'a JSON object or null', fail);
  checkJsonField(metadata, 'loopState', (v) => isPlainObject(v) && LOOP_STATE_FIELDS.every((k) => v[k] === undefined || v[k] === null || typeof v[k] === 'number'), `a JSON object whose ${LOOP_STATE_FIELDS.join(', ')} are numbers or null`, fail);
  const params = tensors.filter((t) => !t.name.startsWith(OPTIMIZER_PREFIX));
  checkFloatParams(params, fail);
  const optimizer = tensors.filter((t) => t.name.startsWith(OPTIMIZER_PREFIX)).map((t) => ({ ...t, name: t.name.slice(OPTIMIZER_PREFIX.length) }));
  for (const t of optimizer) {
    if (t.name === RNG_STATE) {
      if (!(t.data instanceof Int32Array) || t.shape.length !== 1 || t.shape[0] !== 2) fail(`tensor '${OPTIMIZER_PREFIX}${RNG_STATE}' must be I32 of shape [2] (seed, step)`);
    } else if (!(t.data instanceof Float32Array)) fail(`tensor '${OPTIMIZER_PREFIX}${t.name}' must be F32`);
  }
  return { params, optimizer: { step, tensors: optimizer }, epoch, metadata };
}

const RNG_STATE = 'rng.state';
const LOOP_STATE_FIELDS = ['bestValAcc', 'bestValLoss', 'bestEpoch', 'sinceImprovement'] as const;

/** A non-negative integer written in decimal, as the writers store epochs and steps. */
function isCount(text: string | undefined): boolean {
  return text !== undefined && /^\d{1,15}$/.test(text);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An optional metadata value that must hold JSON of a given shape. */
function checkJsonField(metadata: Readonly<Record<string, string>>, key: string, ok: (v: Record<string, unknown> | null) => boolean, expected: string, fail: (m: string) => never): void {
  const text = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
  if (text === undefined) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail(`metadata field '${key}' is not valid JSON`);
  }
  if (!ok(value as Record<string, unknown> | null)) fail(`metadata field '${key}' must be ${expected}`);
}

function checkFloatParams(params: readonly NamedTensor[], fail: (m: string) => never): void {
  for (const p of params) if (!(p.data instanceof Float32Array)) fail(`parameter tensor '${p.name}' must be F32`);
}

export function encodeModelBinary(params: readonly NamedTensor[], metadata: Readonly<Record<string, string>>): Uint8Array {
  return encodeSafetensors(params, { ...metadata, kind: 'model' });
}

export async function writeModelBinary(file: string, params: readonly NamedTensor[], metadata: Readonly<Record<string, string>>, options: WriteOptions = {}): Promise<void> {
  await writeArtifact(file, encodeModelBinary(params, metadata), options);
}

/** Reads the parameters of a model binary; a checkpoint is accepted too (its optimizer state is dropped). */
export async function readModelBinary(file: string): Promise<ModelBinary> {
  return decodeModelBinary(await readArtifactBytes(file, 'model binary', MODEL_REMEDY), file);
}

/**
 * The parameters in `bytes` (the contents of `file`): a model binary, a checkpoint, or a safetensors
 * file without our metadata (weights converted by hand); never another artifact (an analysis).
 */
export function decodeModelBinary(bytes: Uint8Array, file: string): ModelBinary {
  const { tensors, metadata } = decodeSafetensorsFile(bytes, file, 'model binary', MODEL_REMEDY);
  const fail = (message: string): never => {
    throw new ArtifactReadError(file, `${file} is not a valid model binary: ${message}. ${MODEL_REMEDY}`);
  };
  const kind = Object.hasOwn(metadata, 'kind') ? metadata.kind : undefined;
  if (kind !== undefined && kind !== 'model' && kind !== 'checkpoint') fail(`metadata field 'kind' is '${kind}', not 'model' or 'checkpoint'`);
  checkJsonField(metadata, 'config', (v) => v === null || isPlainObject(v), 'a JSON object or null', fail);
  const params = tensors.filter((t) => !t.name.startsWith(OPTIMIZER_PREFIX));
  checkFloatParams(params, fail);
  return { params, metadata };
}
