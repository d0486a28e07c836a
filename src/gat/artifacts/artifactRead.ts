/** Reading artifacts back, with errors that name the file and say how to make a good one. */
import { readUserFile, UserFileError, type ByteBudget } from '../io/userFile';
import { decodeSafetensors, SafetensorsError, type DecodedSafetensors } from './safetensors';

export class ArtifactReadError extends Error {
  readonly code = 'artifact';
  /** TRAINING_EXIT.usage: a file named on the command line (--resume, --model) is unusable. */
  readonly exitCode = 2;
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ArtifactReadError';
  }
}

/**
 * Our own artifacts: a checkpoint or model binary holds the parameters (and Adam's two moments),
 * a few MB for the paper's models; an analysis holds attention per edge and head, about 100 MB for
 * PPI. 2 GiB is far above both; a much larger graph's analysis can be let through with the variable.
 */
export const ARTIFACT_BUDGET: Omit<ByteBudget, 'what'> = { maxBytes: 2 * 1024 ** 3, env: 'GAT_MAX_ARTIFACT_MB' };

/**
 * Reads a whole artifact file through the guarded reader: a missing file, a folder, a device or
 * FIFO, or one past the budget is an ArtifactReadError naming it.
 */
export async function readArtifactBytes(file: string, what: string, remedy: string): Promise<Uint8Array> {
  try {
    return await readUserFile(file, { ...ARTIFACT_BUDGET, what });
  } catch (err) {
    throw asArtifactReadError(err, what, remedy);
  }
}

/** A UserFileError from reading an artifact as the ArtifactReadError the CLI reports (exit 2); anything else unchanged. */
export function asArtifactReadError(err: unknown, what: string, remedy: string): unknown {
  if (!(err instanceof UserFileError)) return err;
  if (err.problem === 'missing') return new ArtifactReadError(err.path, `no ${what} at ${err.path}. ${remedy}`);
  return new ArtifactReadError(err.path, `${err.message}. ${remedy}`);
}

/**
 * Decodes the bytes of a safetensors file (what readSafetensorsFile does after reading it): a
 * malformed file is an ArtifactReadError naming `file` and the byte, header field or tensor at fault.
 */
export function decodeSafetensorsFile(bytes: Uint8Array, file: string, what: string, remedy: string): DecodedSafetensors {
  try {
    return decodeSafetensors(bytes);
  } catch (err) {
    if (err instanceof SafetensorsError) throw new ArtifactReadError(file, `${file} is not a valid ${what}: ${err.message}. ${remedy}`);
    throw err;
  }
}

/** Reads and decodes a safetensors file; `what` and `remedy` complete the error sentences. */
export async function readSafetensorsFile(file: string, what: string, remedy: string): Promise<DecodedSafetensors> {
  return decodeSafetensorsFile(await readArtifactBytes(file, what, remedy), file, what, remedy);
}
