/**
 * Fetches PPI into the data cache: the archive is downloaded through the same stream, verify and
 * rename path as the Planetoid files, checked against its pinned SHA-256, extracted safely into
 * `<dataDir>/ppi/` with a SHA256SUMS of the extracted files (so later loads verify them too),
 * and then deleted.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readUserFile, UserFileError, type ByteBudget } from '../io/userFile';
import { DatasetError } from './datasetError';
import { listDatasetFolder } from './datasetFolder';
import { downloadFile, type DownloadOptions } from './download';
import { PPI_FILES, PPI_URL, PPI_ZIP_SHA256 } from './ppiFiles';
import { extractZip } from './zipExtract';

export interface PpiDownloadOptions extends Omit<DownloadOptions, 'baseUrl'> {
  /** Download when the files are not there yet (default true). */
  readonly download?: boolean;
  /** The archive's address; default `GAT_PPI_URL`, else DGL's public copy. */
  readonly url?: string;
  /** The SHA-256 the archive must have instead of the pinned one (a re-packed mirror, tests). */
  readonly expectedSha256?: string;
}

/**
 * The pinned archive is 7 MB; a mirror's re-packed copy holds the same ~200 MB of files at most, even
 * stored uncompressed. Past 512 MiB the download is not PPI.
 */
const PPI_ZIP_BUDGET: ByteBudget = { what: 'PPI archive', maxBytes: 512 << 20 };

/** The folder under a data directory that holds the extracted PPI files. */
export function ppiCacheDir(dataDir: string): string {
  return path.join(dataDir, 'ppi');
}

/** Makes sure `<dataDir>/ppi/` holds the twelve PPI files and returns that folder. */
export async function ensurePpi(dataDir: string, options: PpiDownloadOptions = {}): Promise<string> {
  const dir = ppiCacheDir(path.resolve(dataDir));
  if (await hasPpiFiles(dir)) return dir;
  if (options.download === false) {
    throw new DatasetError('missing', `PPI is not in ${dir} and downloading is off: run \`npx gat download --dataset-name ppi\` first, or put the twelve extracted files there`, dir);
  }
  const url = options.url ?? process.env.GAT_PPI_URL ?? PPI_URL;
  const zip = path.join(path.dirname(dir), 'ppi.zip');
  await fs.mkdir(path.dirname(dir), { recursive: true });
  try {
    // The archive is large for a single fetch; allow more than the per-file default.
    const bytes = await downloadFile(url, zip, options.expectedSha256 ?? PPI_ZIP_SHA256, { ...options, timeoutMs: options.timeoutMs ?? 300_000 }, 'GAT_PPI_URL');
    await extractZip(await readZip(zip), zip, dir, { files: PPI_FILES, sumsFile: 'SHA256SUMS' });
    options.onProgress?.({ file: 'ppi.zip', index: 0, total: 1, bytes });
  } finally {
    await fs.rm(zip, { force: true });
  }
  return dir;
}

async function readZip(zip: string): Promise<Uint8Array> {
  try {
    return await readUserFile(zip, PPI_ZIP_BUDGET);
  } catch (err) {
    if (err instanceof UserFileError) throw new DatasetError('download', `${err.message}: delete it and run again to download a fresh copy`, zip);
    throw err;
  }
}

/** True when `dir` holds all twelve PPI-format files. */
export async function hasPpiFiles(dir: string): Promise<boolean> {
  const entries = new Set(await listDatasetFolder(dir));
  return PPI_FILES.every((f) => entries.has(f));
}
