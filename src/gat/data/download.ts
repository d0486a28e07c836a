import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from './datasetError';
import { KNOWN_DATASETS, PLANETOID_BASE_URL, PLANETOID_SUFFIXES, planetoidFileName } from './knownDatasets';
import { tempPathFor } from '../io/atomicWrite';

export interface DownloadOptions {
  /** Base URL of the raw files; `GAT_DATASET_BASE_URL` overrides the public default (mirrors, tests). */
  readonly baseUrl?: string;
  /** Abort a file whose transfer stalls or runs longer than this. */
  readonly timeoutMs?: number;
  readonly onProgress?: (event: { file: string; index: number; total: number; bytes: number }) => void;
  readonly signal?: AbortSignal;
}

/**
 * Downloads the raw files of a known Planetoid dataset that are not yet in `dir`.
 * Each file is streamed to a temp file, its SHA-256 checked against the pinned value, and
 * only then renamed into place: the cache never holds a partial or unverified file.
 */
export async function downloadDataset(name: string, dir: string, options: DownloadOptions = {}): Promise<string[]> {
  const known = KNOWN_DATASETS[name];
  if (!known) throw new DatasetError('unknown-dataset', `cannot download '${name}': only ${Object.keys(KNOWN_DATASETS).join(', ')} have a known home and checksums. Put your own ind.${name}.* files in a folder and pass --data-dir.`);
  const baseUrl = (options.baseUrl ?? process.env.GAT_DATASET_BASE_URL ?? PLANETOID_BASE_URL).replace(/\/+$/, '');
  await fs.mkdir(dir, { recursive: true });
  const fetched: string[] = [];
  for (const [index, suffix] of PLANETOID_SUFFIXES.entries()) {
    const file = planetoidFileName(name, suffix);
    const target = path.join(dir, file);
    if (await exists(target)) continue;
    const bytes = await downloadFile(`${baseUrl}/${file}`, target, known.sha256[suffix], options);
    fetched.push(file);
    options.onProgress?.({ file, index, total: PLANETOID_SUFFIXES.length, bytes });
  }
  return fetched;
}

/**
 * Streams `url` to a temp file beside `target`, checks its SHA-256 against `expectedSha`, and
 * only then renames it to `target`; returns its size. On any failure nothing is left behind.
 * `mirrorVariable` is the environment variable the error messages suggest for a mirror.
 */
export async function downloadFile(url: string, target: string, expectedSha: string, options: DownloadOptions = {}, mirrorVariable = 'GAT_DATASET_BASE_URL'): Promise<number> {
  const file = path.basename(target);
  const tmp = tempPathFor(target);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal, redirect: 'follow' });
    } catch (err) {
      throw new DatasetError('download', `could not download ${file} from ${url}: ${describe(err)}. Check the network connection or set ${mirrorVariable} to a mirror, then try again.`, target);
    }
    if (!response.ok || !response.body) {
      throw new DatasetError('download', `could not download ${file}: ${url} answered HTTP ${response.status} ${response.statusText}. Nothing was saved; try again later or set ${mirrorVariable} to a mirror.`, target);
    }
    const hash = createHash('sha256');
    const handle = await fs.open(tmp, 'w');
    let bytes = 0;
    try {
      // The body stream errors if the connection drops mid-transfer; that surfaces below.
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        bytes += chunk.length;
        await handle.write(chunk);
      }
      await handle.sync();
    } catch (err) {
      throw new DatasetError('download', `download of ${file} from ${url} broke off after ${bytes} bytes: ${describe(err)}. Nothing was saved; try again.`, target);
    } finally {
      await handle.close();
    }
    const actual = hash.digest('hex');
    if (actual !== expectedSha) {
      throw new DatasetError('checksum', `downloaded ${file} (${bytes} bytes) does not match its pinned checksum: expected SHA-256 ${expectedSha}, got ${actual}. The file was not saved; the server may have sent a corrupted or changed file. Try again or use a trusted mirror.`, target);
    }
    await fs.rename(tmp, target);
    return bytes;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? ` (${cause.message})` : '';
    return err.name === 'TimeoutError' ? 'timed out' : `${err.message}${causeText}`;
  }
  return String(err);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
