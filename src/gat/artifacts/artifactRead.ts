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

/** Reads a whole artifact file; a missing or unreadable file is an ArtifactReadError naming it. */
export async function readArtifactBytes(file: string, what: string, remedy: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ArtifactReadError(file, `no ${what} at ${file}. ${remedy}`);
    throw new ArtifactReadError(file, `cannot read the ${what} ${file}: ${(err as Error).message}`);
  }
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
