import * as path from 'node:path';
import type { CompareSide, CompareSnapshot } from '../../protocol/compareSnapshot';
import type { EpochMetrics } from '../../protocol/trainingEvents';
import { compareRuns, summarizeEpochs, type RunSide } from '../compare/runComparison';

/** A run as the panel shows it: the comparison's side, with every epoch for the curves. */
export type RunCurves = Omit<RunSide, 'epochs'> & { readonly epochs: readonly EpochMetrics[] };

/** The Compare Runs panel's snapshot of two runs written under `outDir`. */
export function compareSnapshot(a: RunCurves, b: RunCurves, outDir: string): CompareSnapshot {
  const c = compareRuns({ ...a, epochs: summarizeEpochs(a.epochs) }, { ...b, epochs: summarizeEpochs(b.epochs) });
  const side = (s: RunCurves): CompareSide => ({ runId: s.run.runId, dataset: s.run.dataset, epochs: s.epochs, runJson: path.join(outDir, s.run.artifacts.runJson) });
  const g = c.agreement;
  return {
    type: 'compareSnapshot',
    a: side(a),
    b: side(b),
    metric: c.metric,
    rows: c.rows,
    config: c.config,
    agreement: 'unavailable' in g ? g : { unit: g.unit, counts: [g.bothRight, g.onlyA, g.onlyB, g.bothWrong] },
  };
}
