import { resolveDataDir } from '../data/dataDirs';
import { loadDataset } from '../data/loadDataset';
import type { OptionTable } from '../options/args';
import { defineCommand } from './command';

const DOWNLOAD_OPTIONS = {
  datasetName: { type: 'string', default: 'citeseer', placeholder: 'name', help: 'known dataset to download and verify: citeseer, or ppi (the original\'s archive, unpacked into <cache>/ppi)' },
  dataDir: { type: 'string', placeholder: 'dir', help: 'cache folder (default: $GAT_DATA_DIR or the per-user cache)' },
} as const satisfies OptionTable;

export const downloadCommand = defineCommand({
  summary: 'download and verify a known dataset (citeseer) into the cache',
  usage: 'gat download [options]',
  description: 'Download a known dataset (Citeseer, PPI) into the cache, verify every file and check that it loads.',
  options: DOWNLOAD_OPTIONS,
  async run(opts, write) {
    const dir = resolveDataDir(opts.dataDir);
    const graph = await loadDataset(opts.datasetName, {
      dataDir: dir,
      downloadOptions: { onProgress: (e) => write(`downloaded ${e.file} (${e.bytes} bytes, verified)\n`) },
    });
    const where = graph.format === 'generated' ? 'generated in memory: nothing to download' : `in ${graph.sourceDir}`;
    write(`${graph.name}: ${graph.numNodes} nodes, ${graph.numFeatures} features, ${graph.numClasses} classes ${where}\n`);
    return 0;
  },
});
