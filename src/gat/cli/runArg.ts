import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../options/args';

/** A run named on the command line: its folder (with run.json), or its id under ./runs. */
export function resolveRunDir(run: string): string {
  for (const candidate of [path.resolve(run), path.resolve('runs', run)]) {
    if (existsSync(path.join(candidate, 'run.json')) && statSync(candidate).isDirectory()) return candidate;
  }
  throw new UsageError(`no run '${run}': pass a run folder (with run.json) or the id of a run under ${path.resolve('runs')}`);
}
