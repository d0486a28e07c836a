/**
 * Two runs side by side: their results, what differs in their configuration, and where their
 * predictions agree. Pure: `gat compare` prints it, the extension's Compare panel draws it.
 */
import type { Analysis } from '../artifacts/analysis';
import type { RunRecord } from '../artifacts/runRecord';
import { AGREEMENT_NAMES, agreementCategory as category } from '../../protocol/compareSnapshot';
import { faithfulnessRows, type FaithfulnessSide, type UnreadableFaithfulness } from './faithfulnessRows';
import type { EpochMetrics, TrainingMetric } from '../../protocol/trainingEvents';

export interface RunSide {
  readonly run: RunRecord;
  /** What the comparison reads of the curves: a summary, so `gat compare` can fold a long metrics.jsonl line by line. */
  readonly epochs: EpochSummary;
  /** Needed for the agreement; absent when the run has no analysis (cancelled, failed). */
  readonly analysis?: Pick<Analysis, 'numNodes' | 'numClasses' | 'predictions' | 'labels' | 'split' | 'multiLabel'>;
  /** The summary of `gat faithfulness` (runs/<id>/faithfulness.json); absent when the run has none. */
  readonly faithfulness?: FaithfulnessSide | UnreadableFaithfulness;
}

/** The best epoch (by validation score) and the time per epoch, over every recorded epoch. */
export interface EpochSummary {
  readonly count: number;
  readonly best: EpochMetrics | null;
  readonly totalMs: number;
}

export const NO_EPOCHS: EpochSummary = { count: 0, best: null, totalMs: 0 };

/** `s` with one more epoch: the first of equal best scores stays best. */
export function addEpoch(s: EpochSummary, e: EpochMetrics): EpochSummary {
  return { count: s.count + 1, best: s.best === null || e.valAcc > s.best.valAcc ? e : s.best, totalMs: s.totalMs + e.ms };
}

export function summarizeEpochs(epochs: readonly EpochMetrics[]): EpochSummary {
  return epochs.reduce(addEpoch, NO_EPOCHS);
}

export interface ComparisonRow {
  readonly label: string;
  readonly a: string;
  readonly b: string;
  readonly differs: boolean;
}

export interface ConfigDifference {
  readonly key: string;
  readonly a: string;
  readonly b: string;
}

/** Where the two runs' predictions on the test split are right. Single-label: nodes; multi-label: (node, label) pairs. */
export interface Agreement {
  readonly unit: 'nodes' | 'node-label pairs';
  readonly bothRight: number;
  readonly onlyA: number;
  readonly onlyB: number;
  readonly bothWrong: number;
  /** Single-label: each node's category over every node (0 both right, 1 only A, 2 only B, 3 both wrong). */
  readonly perNode?: Uint8Array;
}

export interface RunComparison {
  readonly a: { readonly runId: string; readonly dataset: string };
  readonly b: { readonly runId: string; readonly dataset: string };
  readonly metric: TrainingMetric;
  readonly rows: readonly ComparisonRow[];
  readonly config: readonly ConfigDifference[];
  /** Absent with the reason when the runs cannot be compared node by node. */
  readonly agreement: Agreement | { readonly unavailable: string };
}


export function compareRuns(a: RunSide, b: RunSide): RunComparison {
  const metric: TrainingMetric = a.run.metric === 'micro-F1' || b.run.metric === 'micro-F1' ? 'micro-F1' : 'accuracy';
  const value = (v: number | null): string => (v === null ? '—' : metric === 'micro-F1' ? v.toFixed(4) : `${(100 * v).toFixed(2)} %`);
  // Timings vary from run to run on the same machine: shown, never marked as a difference.
  const row = (label: string, x: string, y: string, timing = false): ComparisonRow => ({ label, a: x, b: y, differs: !timing && x !== y });
  const name = metric === 'micro-F1' ? 'micro-F1' : 'accuracy';
  const rows = [
    row('dataset', a.run.dataset, b.run.dataset),
    row('status', a.run.status, b.run.status),
    row(`best val ${name}`, value(a.run.bestValAcc), value(b.run.bestValAcc)),
    row(`test ${name}`, value(a.run.testAcc), value(b.run.testAcc)),
    row('epochs', String(a.run.epochs), String(b.run.epochs)),
    row('best epoch', bestEpoch(a.epochs), bestEpoch(b.epochs)),
    row('wall time', wallTime(a.run), wallTime(b.run), true),
    row('ms per epoch', msPerEpoch(a.epochs), msPerEpoch(b.epochs), true),
    row('back end', a.run.backend, b.run.backend),
    row('seed', String(a.run.seed), String(b.run.seed)),
    ...faithfulnessRows(a.faithfulness, b.faithfulness),
  ];
  return {
    a: { runId: a.run.runId, dataset: a.run.dataset },
    b: { runId: b.run.runId, dataset: b.run.dataset },
    metric,
    rows,
    config: configDifferences(a.run.config, b.run.config),
    agreement: agreement(a, b),
  };
}

/** Keys whose values differ, a missing key shown as "—"; engine choices that change no result are left out. */
export function configDifferences(a: unknown, b: unknown): ConfigDifference[] {
  const objectOf = (c: unknown): Record<string, unknown> => (c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {});
  const [x, y] = [objectOf(a), objectOf(b)];
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => !IGNORED_CONFIG.has(k)).sort();
  const show = (c: Record<string, unknown>, k: string): string => {
    const v = c[k] ?? UNSET_MEANS[k];
    return v === undefined ? '—' : JSON.stringify(v);
  };
  return keys.filter((k) => show(x, k) !== show(y, k)).map((k) => ({ key: k, a: show(x, k), b: show(y, k) }));
}

// What a key a config leaves out means (runs written before the option existed, or left at its default).
const UNSET_MEANS: Readonly<Record<string, unknown>> = { attention: 'learned', skipConnection: false };

// Implementation choices with identical results (tested engine against engine), not experiment settings.
const IGNORED_CONFIG = new Set(['engine', 'threads', 'gemmThreads']);

function agreement(a: RunSide, b: RunSide): Agreement | { unavailable: string } {
  if (a.run.dataset !== b.run.dataset) return { unavailable: `the runs are on different datasets (${a.run.dataset}, ${b.run.dataset})` };
  const [x, y] = [a.analysis, b.analysis];
  if (!x || !y) return { unavailable: `run ${(x ? b : a).run.runId} has no analysis (it did not complete)` };
  if (x.numNodes !== y.numNodes || x.numClasses !== y.numClasses) return { unavailable: 'the analyses describe graphs of different sizes' };
  const counts = [0, 0, 0, 0];
  const TEST = 2;
  if (x.multiLabel && y.multiLabel) {
    const c = x.numClasses;
    for (let i = 0; i < x.numNodes; i++) {
      if (x.split[i] !== TEST) continue;
      for (let k = i * c; k < i * c + c; k++) {
        const truth = x.multiLabel.targets[k];
        counts[category(x.multiLabel.predicted[k] === truth, y.multiLabel.predicted[k] === truth)]++;
      }
    }
    return { unit: 'node-label pairs', bothRight: counts[0], onlyA: counts[1], onlyB: counts[2], bothWrong: counts[3] };
  }
  const perNode = new Uint8Array(x.numNodes);
  for (let i = 0; i < x.numNodes; i++) {
    perNode[i] = category(x.predictions[i] === x.labels[i], y.predictions[i] === y.labels[i]);
    if (x.split[i] === TEST) counts[perNode[i]]++;
  }
  return { unit: 'nodes', bothRight: counts[0], onlyA: counts[1], onlyB: counts[2], bothWrong: counts[3], perNode };
}

function bestEpoch(epochs: EpochSummary): string {
  return epochs.best === null ? '—' : String(epochs.best.epoch + 1);
}

function wallTime(run: RunRecord): string {
  if (!run.endedAt) return '—';
  return `${((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`;
}

function msPerEpoch(epochs: EpochSummary): string {
  return epochs.count === 0 ? '—' : `${(epochs.totalMs / epochs.count).toFixed(2)}`;
}

/** The comparison as aligned text (gat compare's output). */
export function formatComparison(c: RunComparison): string {
  const header = ['', `A ${c.a.runId}`, `B ${c.b.runId}`];
  const table = [header, ...c.rows.map((r) => [r.label, r.a, r.b])];
  const widths = header.map((_, j) => Math.max(...table.map((r) => r[j].length)));
  const lines = table.map((r, i) => r.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd() + (i > 0 && c.rows[i - 1].differs ? '  *' : ''));
  lines.push('', c.config.length === 0 ? 'configuration: the same' : 'configuration differences:');
  for (const d of c.config) lines.push(`  ${d.key}: ${d.a} → ${d.b}`);
  lines.push('');
  if ('unavailable' in c.agreement) lines.push(`agreement: not available: ${c.agreement.unavailable}`);
  else {
    const g = c.agreement;
    const total = g.bothRight + g.onlyA + g.onlyB + g.bothWrong;
    const pct = (n: number): string => (total > 0 ? `${((100 * n) / total).toFixed(1)} %` : '—');
    lines.push(`agreement on the test split (${total} ${g.unit}):`);
    [g.bothRight, g.onlyA, g.onlyB, g.bothWrong].forEach((n, i) => lines.push(`  ${AGREEMENT_NAMES[i].padEnd(13)} ${String(n).padStart(7)}  ${pct(n)}`));
  }
  return lines.join('\n') + '\n';
}

/** JSON for `gat compare --json` (per-node categories left out: they are for the graph panel). */
export function comparisonJson(c: RunComparison): unknown {
  const agreement = 'unavailable' in c.agreement ? c.agreement : { unit: c.agreement.unit, bothRight: c.agreement.bothRight, onlyA: c.agreement.onlyA, onlyB: c.agreement.onlyB, bothWrong: c.agreement.bothWrong };
  return { a: c.a, b: c.b, metric: c.metric, rows: c.rows, config: c.config, agreement };
}
