/**
 * A model trained elsewhere, read for the explorer: a PyTorch .pth (pytorch-GAT's checkpoint or a
 * state_dict), with the provenance an imported model has: the file, its SHA-256, its format and
 * what it says of itself. The file is data: nothing in it is run (see pthArchive.ts).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ArtifactReadError } from '../artifacts/artifactRead';
import { decodeModelBinary } from '../artifacts/checkpoint';
import { parseProvenance } from '../artifacts/provenance';
import { md, mdCode } from '../io/safeText';
import { readUserFile, UserFileError, type ByteBudget } from '../io/userFile';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../train/trainConfig';
import { gatFromPth, gatFromTensors, type ImportedGat } from './gatFromPth';
import { PthError, readPth } from './pthArchive';
import { modelByteLimit } from './pthBudget';

/**
 * pytorch-GAT's PPI model is 15 MB: a model file past 1 GiB is not a GAT and is refused before it is
 * read whole. A GAT that big (a very wide input layer) can be let through with the variable.
 */
export const MODEL_FILE_BUDGET: ByteBudget = { what: 'model file', maxBytes: 1 << 30, env: 'GAT_MAX_MODEL_MB' };

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
  const { abs, bytes } = await readModelBytes(file);
  const binary = decodeModelBinary(bytes, abs);
  const dataset = Object.hasOwn(binary.metadata, 'dataset') ? parseProvenance(binary.metadata).dataset : undefined;
  const model = asArtifactError(abs, () => gatFromTensors(binary.params, abs));
  return { file: abs, sha256: sha256Of(bytes), bytes: bytes.length, model: { ...model, format: 'safetensors', ...(dataset ? { dataset } : {}) } };
}

export async function readPthModel(file: string): Promise<ImportedModelFile> {
  const { abs, bytes } = await readModelBytes(file);
  const model = asArtifactError(abs, () => gatFromPth(readPth(bytes, abs, { maxBytes: modelByteLimit() }), abs));
  return { file: abs, sha256: sha256Of(bytes), bytes: bytes.length, model };
}

/** A model file's bytes, read once through the guarded reader: the parse and the SHA-256 both use them. */
async function readModelBytes(file: string): Promise<{ abs: string; bytes: Uint8Array }> {
  const abs = path.resolve(file);
  try {
    return { abs, bytes: await readUserFile(abs, MODEL_FILE_BUDGET) };
  } catch (err) {
    if (err instanceof UserFileError) throw new ArtifactReadError(abs, err.message);
    throw err;
  }
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A PthError (the file is not a GAT we can read) as the error the CLI reports for a named file (exit 2). */
function asArtifactError<T>(abs: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof PthError) throw new ArtifactReadError(abs, err.message);
    throw err;
  }
}

/** The training config an imported model runs with here: its architecture, and where it came from. */
export function importedConfig(m: ImportedModelFile): TrainConfig & { imported: ImportSource } {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    seed: 0,
    heads: m.model.heads,
    hidden: m.model.hidden,
    ...(m.model.skipConnection ? { skipConnection: true } : {}),
    ...(m.model.model === 'gatv2' ? { model: 'gatv2' as const, ...(m.model.shareWeights ? { shareWeights: true } : {}) } : {}),
    imported: importSource(m),
  };
}

export function importSource(m: ImportedModelFile): ImportSource {
  return { file: m.file, sha256: m.sha256, format: m.model.format, info: m.model.info };
}

/**
 * What a model file holds, as Markdown: `gat inspect --model` prints it, the extension shows it.
 * Names, paths and the file's own notes are someone else's text: escaped (safeText), never markup.
 */
export function modelSummary(m: ImportedModelFile): string {
  const g = m.model;
  return [
    md`# ${mdCode(path.basename(m.file))}`,
    '',
    md`${mdCode(m.file)}`,
    '',
    md`- **format**: ${g.format}`,
    md`- **SHA-256**: ${m.sha256}`,
    md`- **heads per layer**: ${g.heads.join(', ')}`,
    md`- **features**: ${[g.numFeatures, ...g.hidden, g.numClasses].join(' → ')}`,
    md`- **skip connections**: ${g.skipConnection}`,
    '',
    '## Tensors',
    '',
    ...g.params.map((t) => md`- ${mdCode(t.name)} [${t.shape.join(', ')}]`),
    '',
    '## What the file says of itself',
    '',
    ...Object.entries(g.info).map(([k, v]) => md`- **${k}**: ${v}`),
  ].join('\n') + '\n';
}
