/**
 * A model trained elsewhere, read for the explorer: a PyTorch .pth (pytorch-GAT's checkpoint or a
 * state_dict), with the provenance an imported model has: the file, its SHA-256, its format and
 * what it says of itself. The file is data: nothing in it is run (see pthArchive.ts).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ArtifactReadError } from '../artifacts/artifactRead';
import { readModelBinary } from '../artifacts/checkpoint';
import { parseProvenance } from '../artifacts/provenance';
import { gatFromPth, type ImportedGat } from './gatFromPth';
import { PthError, readPth, type PthValue } from './pthArchive';

/** pytorch-GAT's PPI model is 15 MB; a file far beyond any GAT is refused before it is read. */
const MAX_FILE_BYTES = 1 << 30;

export interface ImportedModelFile {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly model: ImportedGat;
}

/** What `config.imported` of an imported model's provenance holds. */
export interface ImportSource {
  readonly file: string;
  readonly sha256: string;
  readonly format: ImportedGat['format'];
  readonly info: Record<string, string>;
}

export function isPthFile(file: string): boolean {
  return /\.(pth|pt)$/i.test(file);
}

/** A model file `gat import` takes: a PyTorch .pth, or a safetensors model (ours from elsewhere, or weights converted by hand). */
export function readModelFile(file: string): Promise<ImportedModelFile> {
  return isPthFile(file) ? readPthModel(file) : readSafetensorsModel(file);
}

/** A safetensors model: its tensors must be a pytorch-GAT model's, as in a .pth; our metadata, if there, names the dataset. */
export async function readSafetensorsModel(file: string): Promise<ImportedModelFile> {
  const abs = path.resolve(file);
  const binary = await readModelBinary(abs);
  const bytes = await fs.readFile(abs);
  const tensors = new Map<PthValue, PthValue>(binary.params.map((p) => [p.name, { kind: 'pthTensor', shape: [...p.shape], data: p.data as Float32Array, dtype: 'float32' }]));
  let model: ImportedGat;
  try {
    model = gatFromPth(tensors, abs);
  } catch (err) {
    if (err instanceof PthError) throw new ArtifactReadError(abs, err.message);
    throw err;
  }
  const dataset = Object.hasOwn(binary.metadata, 'dataset') ? parseProvenance(binary.metadata).dataset : undefined;
  return { file: abs, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, model: { ...model, format: 'safetensors', ...(dataset ? { dataset } : {}) } };
}

export async function readPthModel(file: string): Promise<ImportedModelFile> {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    const stat = await fs.stat(abs);
    if (stat.size > MAX_FILE_BYTES) throw new ArtifactReadError(abs, `${abs} is ${stat.size} bytes: larger than any GAT model (the limit is ${MAX_FILE_BYTES})`);
    bytes = await fs.readFile(abs);
  } catch (err) {
    if (err instanceof ArtifactReadError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArtifactReadError(abs, code === 'ENOENT' ? `${abs} does not exist` : `${abs} cannot be read: ${(err as Error).message}`);
  }
  try {
    const model = gatFromPth(readPth(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), abs), abs);
    return { file: abs, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, model };
  } catch (err) {
    if (err instanceof PthError) throw new ArtifactReadError(abs, err.message);
    throw err;
  }
}

export function importSource(m: ImportedModelFile): ImportSource {
  return { file: m.file, sha256: m.sha256, format: m.model.format, info: m.model.info };
}
