import * as path from 'node:path';
import { ANALYSIS_VERSION, readAnalysis, type Analysis } from '../artifacts/analysis';
import { readRun, type RunRecord } from '../artifacts/runRecord';

export class AnalysisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisUnavailableError';
  }
}

/**
 * A run and its analysis artifact, or an error that says what is missing and the command that
 * regenerates it. Cached per run (the artifact of a finished run does not change).
 */
export class RunAnalyses {
  private readonly cache = new Map<string, Promise<{ run: RunRecord; analysis: Analysis }>>();

  constructor(private readonly outDir: () => string | undefined) {}

  get(runId: string): Promise<{ run: RunRecord; analysis: Analysis }> {
    let pending = this.cache.get(runId);
    if (!pending) {
      pending = this.load(runId);
      pending.catch(() => this.cache.delete(runId)); // retry after the user regenerates it
      this.cache.set(runId, pending);
    }
    return pending;
  }

  private async load(runId: string): Promise<{ run: RunRecord; analysis: Analysis }> {
    const out = this.outDir();
    if (!out) throw new AnalysisUnavailableError('No output folder: open a folder or set gat.outputFolder.');
    let run: RunRecord;
    try {
      run = await readRun(path.join(out, 'runs', runId));
    } catch (err) {
      throw new AnalysisUnavailableError(`Run ${runId} cannot be read in ${out}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const regenerate = run.artifacts.binary ? `npx gat analyze --model "${path.join(out, run.artifacts.binary)}"` : 'train the run to completion (`npx gat train`), then `npx gat analyze --model <binary>`';
    if (!run.artifacts.analysis) {
      throw new AnalysisUnavailableError(`Run ${runId} (${run.status}) has no analysis artifact. Regenerate it with: ${regenerate}`);
    }
    try {
      const analysis = await readAnalysis(path.join(out, run.artifacts.analysis));
      if (analysis.version !== ANALYSIS_VERSION) throw new Error(`format version ${analysis.version}, expected ${ANALYSIS_VERSION}`);
      return { run, analysis };
    } catch (err) {
      throw new AnalysisUnavailableError(`The analysis of run ${runId} is missing or from an older format (${err instanceof Error ? err.message : String(err)}). Regenerate it with: ${regenerate}`);
    }
  }
}
