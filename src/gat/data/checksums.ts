import { createHash } from 'node:crypto';
import { readUserText, UserFileError, type ByteBudget } from '../io/userFile';
import { DatasetError } from './datasetError';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of the arrays' bytes one after another: a generated dataset's fingerprint (nothing was read to hash). */
export function sha256OfArrays(arrays: ReadonlyArray<Int32Array | Float32Array>): string {
  const hash = createHash('sha256');
  for (const a of arrays) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return hash.digest('hex');
}

/** A dataset's SHA256SUMS lists a dozen files at ~80 bytes a line: 1 MiB is far more than any needs. */
const SHA256SUMS_BUDGET: ByteBudget = { what: 'SHA256SUMS file', maxBytes: 1 << 20 };

/**
 * Reads a `SHA256SUMS` file (the `sha256sum` format: `<hex>  <name>` per line).
 * Returns null when the file does not exist; one that is not a readable file is a DatasetError.
 */
export async function readSha256Sums(file: string): Promise<Map<string, string> | null> {
  let text: string;
  try {
    text = await readUserText(file, SHA256SUMS_BUDGET);
  } catch (err) {
    if (!(err instanceof UserFileError)) throw err;
    if (err.problem === 'missing') return null;
    // A file that is there but cannot be read now (permissions, too many open files) is not a bad list.
    if (err.problem === 'unreadable') throw new DatasetError('missing', err.message, file);
    throw new DatasetError('checksum', `${err.message}: it should list each dataset file's SHA-256 (sha256sum FILES > SHA256SUMS); replace it, or remove it to load the files unverified`, file);
  }
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/i.exec(line.trim());
    if (m) sums.set(m[2].trim(), m[1].toLowerCase());
  }
  return sums;
}
