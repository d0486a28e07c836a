/**
 * The Faithfulness panel's model: a `gat faithfulness` summary turned into what the panel draws —
 * per measure, one line per ranking method over k (random, the baseline, dashed), y ranges shared
 * by the run and its uniform-attention twin so their charts compare by eye, the rows of the table
 * that says the same numbers to a screen reader, and the one-line verdict. Pure: no DOM.
 */
import type { FidelitySummary, RankingMethod } from '../protocol/faithfulness';
import type { FaithfulnessResults } from '../protocol/faithfulnessSnapshot';
import { niceDomain } from './axis';

/** What the first two charts measure: whether the prediction changed (fidelity), or how much p fell. */
export type FidelityMeasure = 'fidelity' | 'probability';

/** Methods in the order the CLI runs them; random (the baseline) last. */
export const RANKING_ORDER: readonly RankingMethod[] = ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'gnnexplainer', 'random'];

/** How each method is named and drawn: a VS Code chart colour (theme-aware), random dashed in the text colour. */
export const METHOD_STYLE: Readonly<Record<RankingMethod, { readonly label: string; readonly colourVar: string; readonly fallback: string; readonly dashed: boolean }>> = {
  attention: { label: 'attention', colourVar: '--vscode-charts-orange', fallback: '#d18616', dashed: false },
  'leave-one-out': { label: 'leave-one-out', colourVar: '--vscode-charts-blue', fallback: '#3794ff', dashed: false },
  saliency: { label: 'saliency', colourVar: '--vscode-charts-green', fallback: '#89d185', dashed: false },
  'integrated-gradients': { label: 'integrated gradients', colourVar: '--vscode-charts-purple', fallback: '#b180d7', dashed: false },
  gnnexplainer: { label: 'GNNExplainer', colourVar: '--vscode-charts-red', fallback: '#f14c4c', dashed: false },
  random: { label: 'random (baseline)', colourVar: '--vscode-descriptionForeground', fallback: '#9d9d9d', dashed: true },
};

type SummaryField = 'fidelityPlus' | 'fidelityMinus' | 'characterization' | 'probabilityDropPlus' | 'probabilityDropMinus';

/** One chart's measure: its title, the summary field it plots, and what its y axis says. */
interface ChartKind {
  readonly key: string;
  readonly title: string;
  readonly field: SummaryField;
  readonly yLabel: string;
  /** Fractions of nodes live in [0, 1]; probability drops can be negative (an edge that hurt the prediction). */
  readonly fraction: boolean;
}

const FIDELITY_PLUS: ChartKind = { key: 'fid-plus', title: 'fid+: top k edges removed', field: 'fidelityPlus', yLabel: 'predictions changed', fraction: true };
const FIDELITY_MINUS: ChartKind = { key: 'fid-minus', title: 'fid−: only the top k kept', field: 'fidelityMinus', yLabel: 'predictions changed', fraction: true };
const DROP_PLUS: ChartKind = { key: 'drop-plus', title: 'Δp+: top k edges removed', field: 'probabilityDropPlus', yLabel: 'mean drop of p(class)', fraction: false };
const DROP_MINUS: ChartKind = { key: 'drop-minus', title: 'Δp−: only the top k kept', field: 'probabilityDropMinus', yLabel: 'mean drop of p(class)', fraction: false };
const CHARACTERIZATION: ChartKind = { key: 'characterization', title: 'characterization score', field: 'characterization', yLabel: 'score', fraction: true };

/** The charts of a measure: its two fidelities, then the characterization score (which combines fid+ and fid−). */
export function chartKinds(measure: FidelityMeasure): readonly ChartKind[] {
  return measure === 'fidelity' ? [FIDELITY_PLUS, FIDELITY_MINUS, CHARACTERIZATION] : [DROP_PLUS, DROP_MINUS, CHARACTERIZATION];
}

export interface FidelitySeries {
  readonly method: RankingMethod;
  readonly label: string;
  readonly dashed: boolean;
  /** [k, value] in increasing k; null where the value is undefined (the characterization at fid+ = 0 or fid− = 1). */
  readonly points: ReadonlyArray<readonly [number, number | null]>;
}

export interface FidelityChart {
  readonly key: string;
  readonly title: string;
  readonly yLabel: string;
  /** The k measured, increasing: the x axis places them evenly (1, 2, 5, 10 read better than on a linear axis). */
  readonly ks: readonly number[];
  readonly yDomain: readonly [number, number];
  readonly series: readonly FidelitySeries[];
}

/** The methods the results hold, in RANKING_ORDER. */
export function methodsOf(results: FaithfulnessResults): RankingMethod[] {
  return RANKING_ORDER.filter((m) => results.summary.some((s) => s.method === m));
}

function seriesOf(results: FaithfulnessResults, kind: ChartKind, hidden: ReadonlySet<RankingMethod>): FidelitySeries[] {
  const ks = [...results.ks].sort((a, b) => a - b);
  return methodsOf(results)
    .filter((m) => !hidden.has(m))
    .map((method) => ({
      method,
      label: METHOD_STYLE[method].label,
      dashed: METHOD_STYLE[method].dashed,
      points: ks.map((k): readonly [number, number | null] => [k, results.summary.find((s) => s.method === method && s.k === k)?.[kind.field] ?? null]),
    }));
}

/**
 * The charts of each side (the run, then its twin when it has results), one per chart kind, each
 * kind's y range shared by every side: the same height means the same number on both.
 */
export function fidelityCharts(sides: readonly FaithfulnessResults[], measure: FidelityMeasure, hidden: ReadonlySet<RankingMethod> = new Set()): FidelityChart[][] {
  const kinds = chartKinds(measure);
  const series = sides.map((results) => kinds.map((kind) => seriesOf(results, kind, hidden)));
  const domains = kinds.map((kind, i) => {
    if (kind.fraction) return [0, 1] as const;
    const values = series.flatMap((charts) => charts[i].flatMap((s) => s.points.map(([, v]) => v))).filter((v): v is number => v !== null);
    const lo = Math.min(0, ...values);
    const hi = Math.max(0.05, ...values);
    return niceDomain(lo, hi, 5);
  });
  return sides.map((results, side) =>
    kinds.map((kind, i) => ({ key: kind.key, title: kind.title, yLabel: kind.yLabel, ks: [...results.ks].sort((a, b) => a - b), yDomain: domains[i], series: series[side][i] })),
  );
}

/** One line of the table of numbers (what the charts draw, for reading and for screen readers). */
export interface FidelityTableRow {
  readonly method: RankingMethod;
  readonly label: string;
  readonly k: number;
  readonly cells: readonly string[];
}

export const TABLE_COLUMNS = ['method', 'k', 'fid+', 'fid−', 'characterization', 'Δp+', 'Δp−', 's / node'] as const;

/** Every method and k, in RANKING_ORDER then increasing k, values to 3 decimals ("—" for an undefined score). */
export function tableRows(results: FaithfulnessResults): FidelityTableRow[] {
  const f = (v: number | null): string => (v === null ? '—' : v.toFixed(3));
  const byK = (a: FidelitySummary, b: FidelitySummary): number => a.k - b.k;
  return methodsOf(results).flatMap((method) =>
    results.summary
      .filter((s) => s.method === method)
      .sort(byK)
      .map((s) => ({ method, label: METHOD_STYLE[method].label, k: s.k, cells: [f(s.fidelityPlus), f(s.fidelityMinus), f(s.characterization), f(s.probabilityDropPlus), f(s.probabilityDropMinus), s.secondsPerNode.toFixed(3)] })),
  );
}

/**
 * The one-line answer: at k = 5 (else the largest k), fid+ of attention against random and against
 * the most faithful method measured. Empty when the results hold no attention ranking.
 */
export function verdict(results: FaithfulnessResults): string {
  const k = results.ks.includes(5) ? 5 : Math.max(...results.ks);
  const at = (m: RankingMethod): FidelitySummary | undefined => results.summary.find((s) => s.method === m && s.k === k);
  const attention = at('attention');
  if (!attention) return '';
  const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
  const parts = [`Removing the top ${k} edges by attention changes ${pct(attention.fidelityPlus)} of predictions`];
  const random = at('random');
  if (random) parts.push(`${pct(random.fidelityPlus)} for random edges`);
  const best = methodsOf(results)
    .filter((m) => m !== 'attention' && m !== 'random')
    .map(at)
    .filter((s): s is FidelitySummary => s !== undefined)
    .reduce<FidelitySummary | undefined>((a, s) => (a === undefined || s.fidelityPlus > a.fidelityPlus ? s : a), undefined);
  if (best) parts.push(`${pct(best.fidelityPlus)} by ${METHOD_STYLE[best.method].label}`);
  return `${parts.join('; ')} (${results.selection}, ${results.nodes} nodes).`;
}
