import * as path from 'node:path';
import { readAnalysis } from '../../gat/artifacts/analysis';
import { readRun } from '../../gat/artifacts/runRecord';
import { analysisNodeView } from '../../gat/records/analysisView';
import type { RunNodeView } from '../../gat/records/nodeRecord';

/**
 * What each run knows about nodes, read once from its analysis artifact. A run without one
 * (cancelled, or from an older version) gives undefined: its records show the data only.
 */
export class RunViews {
  private readonly cache = new Map<string, Promise<RunNodeView | undefined>>();

  constructor(private readonly outDir: () => string | undefined) {}

  get(runId: string): Promise<RunNodeView | undefined> {
    let pending = this.cache.get(runId);
    if (!pending) {
      pending = this.load(runId);
      this.cache.set(runId, pending);
    }
    return pending;
  }

  private async load(runId: string): Promise<RunNodeView | undefined> {
    const out = this.outDir();
    if (!out) return undefined;
    const run = await readRun(path.join(out, 'runs', runId));
    if (!run.artifacts.analysis) return undefined;
    return analysisNodeView(runId, await readAnalysis(path.join(out, run.artifacts.analysis)));
  }
}
