/** Reading artifacts back, with errors that name the file and say how to make a good one. */
import { promises as fs } from 'node:fs';
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

/** Reads and decodes a safetensors file; `what` and `remedy` complete the error sentences. */
export async function readSafetensorsFile(file: string, what: string, remedy: string): Promise<DecodedSafetensors> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ArtifactReadError(file, `no ${what} at ${file}. ${remedy}`);
    throw new ArtifactReadError(file, `cannot read the ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return decodeSafetensors(bytes);
  } catch (err) {
    if (err instanceof SafetensorsError) throw new ArtifactReadError(file, `${file} is not a valid ${what}: ${err.message}. ${remedy}`);
    throw err;
  }
}
