import * as path from 'node:path';
import type { CompareSide, CompareSnapshot } from '../../protocol/compareSnapshot';
import { compareRuns, type RunSide } from '../compare/runComparison';

/** The Compare Runs panel's snapshot of two runs written under `outDir`. */
export function compareSnapshot(a: RunSide, b: RunSide, outDir: string): CompareSnapshot {
  const c = compareRuns(a, b);
  const side = (s: RunSide): CompareSide => ({ runId: s.run.runId, dataset: s.run.dataset, epochs: s.epochs, runJson: path.join(outDir, s.run.artifacts.runJson) });
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
