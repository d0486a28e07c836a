import type { RunAnalyses } from '../../gat/analysis/runAnalyses';
import { analysisNodeView } from '../../gat/records/analysisView';
import type { RunNodeView } from '../../gat/records/nodeRecord';

/**
 * What each run knows about nodes, from its analysis artifact (read once, through the same
 * RunAnalyses cache the panels use). A run without one (still training, cancelled, or from an
 * older version) gives undefined: its records show the data only, and the artifact is looked
 * for again on the next record of that run (RunAnalyses keeps failures out of its cache).
 */
export class RunViews {
  private readonly views = new Map<string, RunNodeView>();

  constructor(private readonly analyses: RunAnalyses) {}

  async get(runId: string): Promise<RunNodeView | undefined> {
    const known = this.views.get(runId);
    if (known) return known;
    try {
      const view = analysisNodeView(runId, (await this.analyses.get(runId)).analysis);
      this.views.set(runId, view);
      return view;
    } catch {
      return undefined;
    }
  }
}
