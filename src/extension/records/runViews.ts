import * as path from 'node:path';
import { readAnalysis } from '../../gat/artifacts/analysis';
import { readRun } from '../../gat/artifacts/runRecord';
import { analysisNodeView } from '../../gat/records/analysisView';
import type { RunNodeView } from '../../gat/records/nodeRecord';

/**
 * What each run knows about nodes, read once from its analysis artifact. A run without one
 * (still training, cancelled, or from an older version) gives undefined: its records show the
 * data only, and run.json is read again on the next record of that run.
 */
export class RunViews {
  private readonly cache = new Map<string, Promise<RunNodeView | undefined>>();

  constructor(private readonly outDir: () => string | undefined) {}

  get(runId: string): Promise<RunNodeView | undefined> {
    const cached = this.cache.get(runId);
    if (cached) return cached;
    const loading = this.load(runId);
    this.cache.set(runId, loading);
    // Only a loaded view is final. A run with no analysis yet (still training) or a failed read
    // is asked again next time, or its records would lack predictions until a window reload.
    const forget = (): void => {
      if (this.cache.get(runId) === loading) this.cache.delete(runId);
    };
    loading.then((view) => view ?? forget(), forget);
    return loading;
  }

  private async load(runId: string): Promise<RunNodeView | undefined> {
    const out = this.outDir();
    if (!out) return undefined;
    const run = await readRun(path.join(out, 'runs', runId));
    if (!run.artifacts.analysis) return undefined;
    return analysisNodeView(runId, await readAnalysis(path.join(out, run.artifacts.analysis)));
  }
}
