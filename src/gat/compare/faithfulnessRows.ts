/**
 * Compare Runs' faithfulness rows: for each ranking method either run measured, fid+ / fid− at one
 * k both runs share (5 when both have it), and "—" for a run without faithfulness.json. Pure.
 */
import type { FaithfulnessSummaryFile } from '../artifacts/faithfulnessRecord';
import { IMPORTANCE_METHODS } from '../../protocol/explanation';
import type { RankingMethod } from '../../protocol/faithfulness';

/** What the rows read of a run's faithfulness.json (readFaithfulness's summary). */
export type FaithfulnessSide = Pick<FaithfulnessSummaryFile, 'selection' | 'nodes' | 'ks' | 'summary'>;

/** One row of the comparison table (runComparison's ComparisonRow, kept structural so neither file imports the other). */
interface Row {
  readonly label: string;
  readonly a: string;
  readonly b: string;
  readonly differs: boolean;
}

const ORDER: readonly RankingMethod[] = [...IMPORTANCE_METHODS, 'random'];
const NONE = '—';

/** The k the rows show: 5 when every run with results has it, else the first one they share; undefined: none shared. */
export function comparedK(sides: readonly FaithfulnessSide[]): number | undefined {
  if (sides.length === 0) return undefined;
  const common = sides[0].ks.filter((k) => sides.every((s) => s.ks.includes(k)));
  return common.includes(5) ? 5 : common[0];
}

/** No rows when neither run has faithfulness; else the node selections, then fid+ / fid− per method. */
export function faithfulnessRows(a: FaithfulnessSide | undefined, b: FaithfulnessSide | undefined): Row[] {
  const present = [a, b].filter((s): s is FaithfulnessSide => s !== undefined);
  if (present.length === 0) return [];
  const row = (label: string, x: string, y: string): Row => ({ label, a: x, b: y, differs: x !== y });
  const nodes = (s: FaithfulnessSide | undefined): string => (s ? `${s.selection} (${s.nodes})` : NONE);
  const rows = [row('faithfulness nodes', nodes(a), nodes(b))];
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
