import * as path from 'node:path';
import { readMetrics, type RunRecord } from '../../gat/artifacts/runRecord';
import type { Provenance } from '../../protocol/provenance';
import type { MetricsSnapshot } from '../../protocol/webviewMessages';
import type { LiveTraining } from '../training/trainingController';

/** Builds the metrics snapshot for a run on disk, or for the live training when it is that run. */
export async function metricsSnapshot(options: { run?: RunRecord; live?: LiveTraining; outDir?: string; compact: boolean }): Promise<MetricsSnapshot> {
  const { run, live, outDir, compact } = options;
  const liveMatches = live && (!run || live.start?.runId === run.runId);
  if (liveMatches && live) {
    const provenance: Provenance | null = live.start
      ? { dataset: live.start.dataset, runId: live.start.runId, backend: live.start.backend, status: live.exit ? (live.done?.status ?? 'failed') : 'running', files: [{ label: 'run record', path: path.join(live.start.runDir, 'run.json') }] }
      : null;
    return { type: 'metricsSnapshot', provenance, live: !live.exit, epochs: live.epochs, metric: live.start?.metric, compact, message: live.epochs.length ? undefined : 'Waiting for the first epoch…' };
  }
  if (run && outDir) {
    const runDir = path.join(outDir, 'runs', run.runId);
    const epochs = await readMetrics(runDir);
    const files = [{ label: 'run record', path: path.join(outDir, run.artifacts.runJson) }];
    if (run.spec) files.unshift({ label: 'spec', path: run.spec.path });
    if (run.artifacts.lastCheckpoint) files.push({ label: 'checkpoint', path: path.join(outDir, run.artifacts.lastCheckpoint) });
    if (run.artifacts.binary) files.push({ label: 'model', path: path.join(outDir, run.artifacts.binary) });
    return {
      type: 'metricsSnapshot',
      provenance: { dataset: run.dataset, runId: run.runId, backend: run.backend, status: run.status, when: run.startedAt, files },
      live: false,
      epochs,
      metric: run.metric,
      compact,
      message: epochs.length ? undefined : 'This run recorded no epochs.',
    };
  }
  return { type: 'metricsSnapshot', provenance: null, live: false, epochs: [], compact, message: 'No training yet. Run “GAT: Train on Cora” to see live curves here.' };
}
