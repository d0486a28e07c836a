import * as path from 'node:path';
import { writeFigures } from '../figures/writeFigures';
import { UsageError, type OptionTable } from '../options/args';
import { DATA_DIR_OPTION } from '../options/commonOptions';
import { defineCommand, type CommandOptions, type Write } from './command';
import { resolveRunDir } from './runArg';

const VISUALIZE_OPTIONS = {
  run: { type: 'string', placeholder: 'run', help: 'the run: its folder (runs/<run-id>) or its id under ./runs (required)' },
  out: { type: 'string', placeholder: 'dir', help: 'where the HTML figures go (default: runs/<run-id>/figures)' },
  dataDir: DATA_DIR_OPTION,
  perplexity: { type: 'number', min: 2, max: 1000, default: 30, help: 't-SNE perplexity for the embedding map' },
  iterations: { type: 'int', min: 250, max: 10_000, default: 1000, help: 't-SNE iterations' },
  tsneSeed: { type: 'int', min: 0, max: 2_147_483_647, default: 42, help: 't-SNE seed' },
} as const satisfies OptionTable;

export const visualizeCommand = defineCommand({
  summary: 'write every panel of a run as standalone HTML figures (works offline in a browser)',
  usage: 'gat visualize --run RUN [--out DIR]',
  description: 'Write every panel of a trained run (graph, degrees, attention, entropy, t-SNE map, metrics) as standalone HTML files that work offline in a browser.',
  options: VISUALIZE_OPTIONS,
  run: visualize,
});

// A missing --run is an error here, not the help: a user who ran `gat visualize` alone asked for figures.
async function visualize(opts: CommandOptions<typeof VISUALIZE_OPTIONS, never>, write: Write): Promise<number> {
  if (!opts.run) throw new UsageError('--run is required: a run folder (runs/<run-id>) or a run id under ./runs');
  const runDir = resolveRunDir(opts.run);
  const outDir = path.resolve(opts.out ?? path.join(runDir, 'figures'));
  const files = await writeFigures({
    runDir,
    outDir,
    dataDir: opts.dataDir,
    embedding: { perplexity: opts.perplexity, iterations: opts.iterations, seed: opts.tsneSeed },
    log: (m) => write(`${m}\n`),
  });
  for (const f of files) write(`wrote ${f}\n`);
  return 0;
}
