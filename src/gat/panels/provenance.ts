import * as path from 'node:path';
import type { Provenance } from '../../protocol/webviewMessages';
import type { GraphDataset } from '../data/graph';
import type { RunRecord } from '../artifacts/runRecord';

/** The header's data for a panel drawn from a dataset and, optionally, one run's artifacts. */
export function panelProvenance(g: Pick<GraphDataset, 'name' | 'checksums'>, run?: RunRecord, outDir?: string): Provenance {
  const datasetChecksum = g.checksums[`ind.${g.name}.graph`] ?? Object.values(g.checksums)[0];
  if (!run || !outDir) return { dataset: g.name, datasetChecksum };
  const files: Array<{ label: string; path: string }> = [];
  if (run.spec) files.push({ label: 'spec', path: run.spec.path });
  // An imported model (gat import): the file it came from, first.
  const imported = (run.config as { imported?: { file?: unknown } } | null)?.imported?.file;
  if (typeof imported === 'string') files.push({ label: `imported from ${path.basename(imported)}`, path: imported });
  files.push({ label: 'run record', path: path.join(outDir, run.artifacts.runJson) });
  if (run.artifacts.lastCheckpoint) files.push({ label: 'checkpoint', path: path.join(outDir, run.artifacts.lastCheckpoint) });
  if (run.artifacts.binary) files.push({ label: 'model', path: path.join(outDir, run.artifacts.binary) });
  return { dataset: g.name, datasetChecksum, runId: run.runId, backend: run.backend, status: run.status, when: run.startedAt, files };
}
