/**
 * What the Computation panel's edge-importance section shows, from gat's EdgeImportance alone (pure:
 * tested in Node, shared by the table and the receptive-field figure): the edges ranked by a chosen
 * method, the top ones with every method's score, and each method's Kendall τ against attention (or
 * the reason there is none: a uniform-attention run has no attention ranking, never "τ = NaN"), its
 * time and Integrated Gradients' completeness error.
 */
import { IMPORTANCE_METHODS, type EdgeImportance, type ImportanceMethod, type MethodScores } from '../protocol/explanation';

/** The methods' names as the panel shows them. */
export const METHOD_LABELS: Readonly<Record<ImportanceMethod, string>> = {
  attention: 'attention flow',
  'leave-one-out': 'leave-one-out',
  saliency: 'saliency',
  'integrated-gradients': 'integrated gradients',
  gnnexplainer: 'GNNExplainer',
};

/** How many edges the table lists by default. */
export const TOP_EDGES = 15;

/** The methods the answer has, in the order the panel lists them. */
export function methodsOf(imp: EdgeImportance): ImportanceMethod[] {
  return IMPORTANCE_METHODS.filter((m) => imp.methods.some((s) => s.method === m));
}

function scoresOf(imp: EdgeImportance, method: ImportanceMethod): MethodScores | undefined {
  return imp.methods.find((s) => s.method === method);
}

/** A score to show and sort by: a value that is not a finite number (a damaged answer) is none. */
function finite(v: number | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Every unit's index, most important first by `method` (higher score first; ties and units without
 * a finite score keep the engine's order, the latter last). Empty when the method was not computed.
 */
export function rankUnits(imp: EdgeImportance, method: ImportanceMethod): number[] {
  const s = scoresOf(imp, method);
  if (!s) return [];
  const key = imp.units.map((_, u) => finite(s.scores[u]));
  return imp.units.map((_, u) => u).sort((a, b) => {
    const [x, y] = [key[a], key[b]];
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    return y - x || a - b;
  });
}

export interface ImportanceRow {
  /** 1-based, by the chosen method. */
  readonly rank: number;
  readonly unit: number;
  readonly source: number;
  readonly target: number;
  readonly hop: number;
  /** Each method's score for this edge, in the table's `methods` order (null: none). */
  readonly scores: ReadonlyArray<number | null>;
}

export interface ImportanceTable {
  readonly methods: readonly ImportanceMethod[];
  readonly by: ImportanceMethod;
  readonly rows: readonly ImportanceRow[];
  /** Edges in the receptive field. */
  readonly total: number;
  /** "—" between a pair's nodes (undirected), "→" from source to target (directed edits). */
  readonly arrow: '—' | '→';
}

/** The top `k` edges by `by` (the first method the answer has when `by` is missing), every method's score beside. */
export function topEdges(imp: EdgeImportance, by: ImportanceMethod, k = TOP_EDGES): ImportanceTable {
  const methods = methodsOf(imp);
  const chosen = methods.includes(by) ? by : (methods[0] ?? by);
  const all = methods.map((m) => scoresOf(imp, m)!);
  const rows = rankUnits(imp, chosen)
    .slice(0, k)
    .map((unit, i): ImportanceRow => {
      const u = imp.units[unit];
      return { rank: i + 1, unit, source: u.source, target: u.target, hop: u.hop, scores: all.map((s) => finite(s.scores[unit])) };
    });
  return { methods, by: chosen, rows, total: imp.units.length, arrow: imp.directed ? '→' : '—' };
}

export interface MethodSummary {
  readonly method: ImportanceMethod;
  readonly label: string;
  /** Kendall's τ-b against attention; null for attention itself and where there is no ranking to compare. */
  readonly tau: number | null;
  /** The agreement cell: "0.739", "reference" for attention, or the reason there is no τ. */
  readonly agreement: string;
  readonly seconds: number | null;
  /** IG's completeness error, a uniform-attention run, how the method ran. */
  readonly notes: readonly string[];
}

/** One line per method: its agreement with attention, its time, and what else the answer says about it. */
export function methodSummaries(imp: EdgeImportance): MethodSummary[] {
  return methodsOf(imp).map((method) => {
    const s = scoresOf(imp, method)!;
    const a = imp.agreement.find((g) => g.method === method);
    const tau = finite(a?.tau ?? undefined);
    const agreement = method === 'attention' ? 'reference' : tau !== null ? formatTau(tau) : (a?.reason ?? 'not compared');
    const notes: string[] = [];
    if (s.uniform) notes.push('uniform attention: every neighbour of a node weighs the same');
    if (method === 'attention' && typeof s.settings?.rule === 'string') notes.push(s.settings.rule);
    if (typeof s.settings?.steps === 'number') notes.push(`${s.settings.steps} steps`);
    if (s.completenessError !== undefined) notes.push(`completeness error ${formatScore(finite(s.completenessError))}`);
    if (typeof s.settings?.epochs === 'number') notes.push(`${s.settings.epochs} epochs`);
    return { method, label: METHOD_LABELS[method], tau, agreement, seconds: finite(s.seconds), notes };
  });
}

/** τ with its sign, three decimals ("+0.739", "−0.129"). */
export function formatTau(t: number): string {
  return `${t < 0 ? '−' : '+'}${Math.abs(t).toFixed(3)}`;
}

/** A score: four significant figures, exponent form when tiny or huge; "—" for none. */
export function formatScore(v: number | null): string {
  if (v === null) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a >= 1e4 || a < 1e-3 ? v.toExponential(2) : v.toPrecision(4);
  return text.replace(/^-/, '−');
}

/** Seconds as the table shows them ("0.24 s", "12 ms"). */
export function formatSeconds(s: number | null): string {
  if (s === null) return '—';
  return s < 0.1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`;
}
