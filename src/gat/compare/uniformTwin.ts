/**
 * A run's uniform-attention twin: the control that tells whether its learned attention matters. The
 * twin is a completed run on the same dataset whose configuration differs in `attention` alone
 * (learned against uniform), read as Compare Runs reads differences: engine choices and checkpoint
 * spacing change no result and do not count. Pure: the extension passes the runs it lists.
 */
import type { RunRecord } from '../artifacts/runRecord';
import { configDifferences } from './runComparison';

/** Settings that change when checkpoints are written, not what is trained. */
const NOT_RESULTS = new Set(['checkpointFreq']);

/** The run's attention, as its config says ('learned' when the config leaves it out). */
export function attentionOf(run: Pick<RunRecord, 'config'>): 'learned' | 'uniform' {
  const config = run.config as { attention?: unknown } | null | undefined;
  return typeof config === 'object' && config !== null && config.attention === 'uniform' ? 'uniform' : 'learned';
}

/** Whether `other` is `run` with the other kind of attention and nothing else changed. */
export function isAttentionTwin(run: RunRecord, other: RunRecord): boolean {
  if (other.runId === run.runId || other.dataset !== run.dataset || other.status !== 'completed') return false;
  const differences = configDifferences(run.config, other.config).filter((d) => !NOT_RESULTS.has(d.key));
  return differences.length === 1 && differences[0].key === 'attention' && attentionOf(run) !== attentionOf(other);
}

/** The newest twin of `run` among `runs` (a learned run's uniform control, or a uniform run's learned original). */
export function findAttentionTwin(run: RunRecord, runs: readonly RunRecord[]): RunRecord | undefined {
  return runs.filter((r) => isAttentionTwin(run, r)).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}
