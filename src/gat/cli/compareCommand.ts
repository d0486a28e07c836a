import * as path from 'node:path';
import { readAnalysis } from '../artifacts/analysis';
import { readRun, visitMetrics } from '../artifacts/runRecord';
import { readFaithfulnessSide } from '../compare/faithfulnessRows';
import { addEpoch, compareRuns, comparisonJson, formatComparison, NO_EPOCHS, type RunSide } from '../compare/runComparison';
import { UsageError, type OptionTable } from '../options/args';
import { defineCommand } from './command';
import { resolveRunDir } from './runArg';

const COMPARE_OPTIONS = {
  json: { type: 'boolean', help: 'print the comparison as JSON' },
} as const satisfies OptionTable;

export const compareCommand = defineCommand({
  summary: 'compare two runs: results, configuration differences, where their predictions agree',
  usage: 'gat compare RUN_A RUN_B [--json]',
  description:
    'Compare two runs (their folders, or ids under ./runs): accuracy or micro-F1, epochs, time, back end, the configuration\n' +
    'differences, where their test predictions agree (both right, only A, only B, both wrong), and, for a run with\n' +
    'runs/<id>/faithfulness.json (gat faithfulness), fid+ / fid− of each edge ranking at k = 5 (else the first k both share).',
  options: COMPARE_OPTIONS,
  positionals: true,
  async run(opts, write, { positionals: runs }) {
    if (runs.length !== 2) throw new UsageError(`gat compare takes two runs (folders or ids under ./runs); got ${runs.length}`);
    const [a, b] = await Promise.all(runs.map((r) => readSide(resolveRunDir(r))));
    const comparison = compareRuns(a, b);
    write(opts.json ? JSON.stringify(comparisonJson(comparison), null, 2) + '\n' : formatComparison(comparison));
    return 0;
  },
});

async function readSide(runDir: string): Promise<RunSide> {
  const run = await readRun(runDir);
  // Folded line by line: a long metrics.jsonl costs one line of memory, not one object per epoch.
  let epochs = NO_EPOCHS;
  await visitMetrics(runDir, (e) => (epochs = addEpoch(epochs, e)));
  // The analysis path is relative to the training output folder, two levels above the run folder.
  const analysis = run.artifacts.analysis ? await readAnalysis(path.join(runDir, '..', '..', run.artifacts.analysis)) : undefined;
  return { run, epochs, analysis, faithfulness: await readFaithfulnessSide(runDir) };
}
