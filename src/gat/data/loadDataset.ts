/**
 * One entry point for every dataset: a generated one by name (BA-Shapes), PPI by name (downloaded
 * into the data cache), a folder of PPI-format files under any name, or a Planetoid dataset (Cora,
 * Citeseer, your own ind.* files).
 */
import { listDatasetFolder } from './datasetFolder';
import { resolveDataDir } from './dataDirs';
import { generatedDataset } from './generatedDatasets';
import type { GraphDataset } from './graph';
import { loadPlanetoid, type LoadOptions } from './planetoid';
import { loadPpiFormat } from './ppi';
import { ensurePpi, hasPpiFiles, type PpiDownloadOptions } from './ppiDownload';
import { PPI_FILES, isPpiName } from './ppiFiles';

export interface DatasetLoadOptions extends LoadOptions {
  /** PPI only: another address for the archive, or the checksum a re-packed copy has (tests). */
  readonly ppi?: Pick<PpiDownloadOptions, 'url' | 'expectedSha256'>;
}

export type DatasetFormat = 'planetoid' | 'ppi';

export async function loadDataset(name: string, options: DatasetLoadOptions = {}): Promise<GraphDataset> {
  const generated = generatedDataset(name);
  if (generated) return generated.generate();
  const explicitDir = options.dataDir ?? process.env.GAT_DATA_DIR;
  if (isPpiName(name)) {
    // A data folder that itself holds the extracted files is used as it is.
    if (explicitDir && (await hasPpiFiles(explicitDir))) return loadPpiFormat(name, explicitDir);
    const dir = await ensurePpi(resolveDataDir(options.dataDir), { ...options.downloadOptions, ...options.ppi, download: options.download });
    return loadPpiFormat(name, dir, { remedy: `Delete ${dir} and run again to download a fresh copy.` });
  }
  if (explicitDir && (await datasetFormatIn(explicitDir, name)) === 'ppi') return loadPpiFormat(name, explicitDir);
  return loadPlanetoid(name, options);
}

/**
 * The format of the dataset files in `dir`: 'planetoid' when it has `ind.<name>.*` files, else
 * 'ppi' when it has any of the twelve PPI files (a missing one is then reported by name), else
 * 'planetoid' for any `ind.*` files; undefined for none (or no such folder).
 */
export async function datasetFormatIn(dir: string, name?: string): Promise<DatasetFormat | undefined> {
  const entries = await listDatasetFolder(dir);
  if (!entries) return undefined;
  const lower = name?.toLowerCase();
  if (lower && entries.some((e) => e.startsWith(`ind.${lower}.`))) return 'planetoid';
  if (PPI_FILES.some((f) => entries.includes(f))) return 'ppi';
  if (entries.some((e) => /^ind\.[^.]+\./.test(e))) return 'planetoid';
  return undefined;
}
