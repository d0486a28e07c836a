/**
 * Reading the files of a PPI-format folder: through the guarded reader (regular files only, within
 * a budget), each checked against the folder's SHA256SUMS when it has one. Arrays are read whole;
 * node-link graphs are streamed into their parser and hashed on the way, never held as text.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { openUserFileChunks, readUserFile, UserFileError, type ByteBudget } from '../io/userFile';
import { sha256Hex } from './checksums';
import { DatasetError } from './datasetError';
import { parseNodeLinkChunks, type NodeLinkGraph } from './nodeLink';

/**
 * PPI's largest file (train_labels.npy) is 43 MB: 1 GiB per file leaves room for a user's own,
 * bigger dataset, and the variable for one bigger still. A graph file is streamed and keeps 8 bytes
 * a link (its text spends ~30), so it takes less memory than its size and shares the same limit.
 */
export const PPI_FILE_BUDGET: ByteBudget = { what: 'PPI-format dataset file', maxBytes: 1 << 30, env: 'GAT_MAX_DATASET_MB' };

/** The SHA256SUMS a folder may have, by file name. */
export type ExpectedSums = ReadonlyMap<string, string> | null;

/** A .npy file's bytes, checked against SHA256SUMS (when there is one) before anything parses them. */
export async function readVerifiedArray(dir: string, base: string, expected: ExpectedSums, remedy: string): Promise<Uint8Array> {
  const file = path.join(dir, base);
  let bytes: Uint8Array;
  try {
    bytes = await readUserFile(file, PPI_FILE_BUDGET);
  } catch (err) {
    throw asDatasetError(err, dir, base, remedy);
  }
  const want = expectedSum(dir, base, expected);
  const actual = sha256Hex(bytes);
  if (want !== undefined && actual !== want) throw checksumError(file, want, actual, bytes.length, remedy);
  return bytes;
}

/**
 * A node-link graph file parsed as it streams in, and its SHA-256. With a SHA256SUMS, a file that
 * does not match is reported as damaged even when its parse failed first (the rest is hashed then).
 */
export function readVerifiedGraph(dir: string, base: string, expected: ExpectedSums, remedy: string): { graph: NodeLinkGraph; sha256: string } {
  const file = path.join(dir, base);
  try {
    const chunks = openUserFileChunks(file, PPI_FILE_BUDGET);
    try {
      const want = expectedSum(dir, base, expected);
      const hash = createHash('sha256');
      let bytes = 0;
      const more = (): Uint8Array | null => {
        const chunk = chunks.next();
        if (chunk) {
          hash.update(chunk);
          bytes += chunk.length;
        }
        return chunk;
      };
      let parsed: { readonly graph: NodeLinkGraph } | { readonly error: DatasetError };
      try {
        parsed = { graph: parseNodeLinkChunks(more, file, chunks.size) };
      } catch (err) {
        if (!(err instanceof DatasetError) || want === undefined) throw err;
        parsed = { error: err };
        while (more() !== null);
      }
      const actual = hash.digest('hex');
      if (want !== undefined && actual !== want) throw checksumError(file, want, actual, bytes, remedy);
      if ('error' in parsed) throw parsed.error;
      return { graph: parsed.graph, sha256: actual };
    } finally {
      chunks.close();
    }
  } catch (err) {
    throw asDatasetError(err, dir, base, remedy);
  }
}

/** The SHA-256 SHA256SUMS lists for `base`; undefined without SHA256SUMS; a SHA256SUMS without it is an error. */
function expectedSum(dir: string, base: string, expected: ExpectedSums): string | undefined {
  if (!expected) return undefined;
  const sha = expected.get(base);
  if (!sha) {
    throw new DatasetError('checksum', `${path.join(dir, 'SHA256SUMS')} has no entry for ${base}: add its SHA-256 line (sha256sum ${base} >> SHA256SUMS) or remove SHA256SUMS to load unverified files`, path.join(dir, base));
  }
  return sha;
}

function checksumError(file: string, want: string, actual: string, bytes: number, remedy: string): DatasetError {
  return new DatasetError('checksum', `${file} is corrupt or truncated: expected SHA-256 ${want}, got ${actual} (${bytes} bytes). ${remedy}`, file);
}

/** A UserFileError as the DatasetError the CLI reports (exit 3); anything else unchanged. */
function asDatasetError(err: unknown, dir: string, base: string, remedy: string): unknown {
  if (!(err instanceof UserFileError)) return err;
  if (err.problem === 'missing') {
    return new DatasetError('missing', `missing dataset file ${base} in ${dir}: a PPI-format dataset needs all twelve {train,valid,test}_{graph.json,feats.npy,labels.npy,graph_id.npy} files. ${remedy}`, err.path);
  }
  return new DatasetError(err.problem === 'too-big' ? 'corrupt' : 'missing', err.message, err.path);
}
