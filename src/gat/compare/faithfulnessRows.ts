/**
 * Compare Runs' faithfulness rows: for each ranking method either run measured, fid+ / fid− at one
 * k both runs share (5 when both have it), and "—" for a run without faithfulness.json. Pure.
 */
import { ArtifactReadError } from '../artifacts/artifactRead';
import { readFaithfulness, type FaithfulnessSummaryFile } from '../artifacts/faithfulnessRecord';
import { UserFileError } from '../io/userFile';
import { IMPORTANCE_METHODS } from '../../protocol/explanation';
import type { RankingMethod } from '../../protocol/faithfulness';

/** What the rows read of a run's faithfulness.json (readFaithfulness's summary). */
export type FaithfulnessSide = Pick<FaithfulnessSummaryFile, 'selection' | 'nodes' | 'ks' | 'summary'>;

/** A faithfulness.json that could not be read: its rows say so, and the rest of the comparison stands. */
export interface UnreadableFaithfulness {
  readonly problem: string;
}

/** A run's summary for the comparison; undefined without one; a damaged or unreadable file is its problem, not a failed comparison. */
export async function readFaithfulnessSide(runDir: string): Promise<FaithfulnessSide | UnreadableFaithfulness | undefined> {
  try {
    return await readFaithfulness(runDir);
  } catch (e) {
    if (e instanceof ArtifactReadError || e instanceof UserFileError) return { problem: e.message };
    throw e;
  }
}

/** One row of the comparison table (runComparison's ComparisonRow, kept structural so neither file imports the other). */
interface Row {
  readonly label: string;
  readonly a: string;
  readonly b: string;
  readonly differs: boolean;
}

const ORDER: readonly RankingMethod[] = [...IMPORTANCE_METHODS, 'random'];
const NONE = '—';
const UNREADABLE = 'faithfulness.json unreadable: run gat faithfulness again';

/** The k the rows show: 5 when every run with results has it, else the first one they share; undefined: none shared. */
export function comparedK(sides: readonly FaithfulnessSide[]): number | undefined {
  if (sides.length === 0) return undefined;
  const common = sides[0].ks.filter((k) => sides.every((s) => s.ks.includes(k)));
  return common.includes(5) ? 5 : common[0];
}

/** No rows when neither run has faithfulness; else the node selections (or that a file is unreadable), then fid+ / fid− per method. */
export function faithfulnessRows(sideA: FaithfulnessSide | UnreadableFaithfulness | undefined, sideB: FaithfulnessSide | UnreadableFaithfulness | undefined): Row[] {
  const readable = (s: FaithfulnessSide | UnreadableFaithfulness | undefined): FaithfulnessSide | undefined => (s && !('problem' in s) ? s : undefined);
  const [a, b] = [readable(sideA), readable(sideB)];
  if (sideA === undefined && sideB === undefined) return [];
  const present = [a, b].filter((s): s is FaithfulnessSide => s !== undefined);
  const row = (label: string, x: string, y: string): Row => ({ label, a: x, b: y, differs: x !== y });
  const nodes = (s: FaithfulnessSide | UnreadableFaithfulness | undefined): string => (s === undefined ? NONE : 'problem' in s ? UNREADABLE : `${s.selection} (${s.nodes})`);
  const rows = [row('faithfulness nodes', nodes(sideA), nodes(sideB))];
  if (present.length === 0) return rows;
  const k = comparedK(present);
  if (k === undefined) return [...rows, row('faithfulness k (none in common)', a ? a.ks.join(', ') : NONE, b ? b.ks.join(', ') : NONE)];
  const methods = ORDER.filter((m) => present.some((s) => s.summary.some((r) => r.method === m && r.k === k)));
  const cell = (s: FaithfulnessSide | undefined, method: RankingMethod): string => {
    const r = s?.summary.find((x) => x.method === method && x.k === k);
    return r ? `${r.fidelityPlus.toFixed(3)} / ${r.fidelityMinus.toFixed(3)}` : NONE;
  };
  for (const method of methods) rows.push(row(`faithfulness fid+/fid− @k=${k}: ${method}`, cell(a, method), cell(b, method)));
  return rows;
}
