/**
 * The whole of a run's faithfulness.json, every node row included, read as untrusted data for the
 * Faithfulness panel's exports (readFaithfulness in faithfulnessRecord.ts reads only the summary),
 * and the CSV both the panel and `gat faithfulness --csv` write: one row per node and method.
 */
import { IMPORTANCE_METHODS } from '../../protocol/explanation';
import type { FaithfulnessReport, NodeMethodFidelity, RankingMethod } from '../../protocol/faithfulness';
import { ArtifactReadError } from './artifactRead';
import { checkFaithfulness, readFaithfulnessJson } from './faithfulnessRecord';

const METHODS: readonly string[] = [...IMPORTANCE_METHODS, 'random'];

/** The report, undefined when the run has none yet; a damaged file is an Error naming it and what to do. */
export async function readFaithfulnessReport(runDir: string): Promise<FaithfulnessReport | undefined> {
  const json = await readFaithfulnessJson(runDir);
  return json && checkFaithfulnessReport(json.value, json.file);
}

/** Every field the exports write, checked: the summary as readFaithfulness checks it, then each row. */
export function checkFaithfulnessReport(v: unknown, file: string): FaithfulnessReport {
  const summary = checkFaithfulness(v, file);
  const bad = (what: string): Error => new ArtifactReadError(file, `${file} is not a faithfulness record GAT Explorer wrote (${what}): run gat faithfulness again to replace it`);
  const o = v as Record<string, unknown>;
  const int = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const settings = o.settings as Record<string, unknown> | null;
  if (typeof o.dataset !== 'string') throw bad("field 'dataset'");
  if (!(o.nodes as unknown[]).every(int)) throw bad("field 'nodes'");
  if (!Array.isArray(o.methods) || !o.methods.every((m) => METHODS.includes(m as string))) throw bad("field 'methods'");
  if (typeof o.directed !== 'boolean') throw bad("field 'directed'");
  if (!int(o.threads) || !num(o.seconds)) throw bad("field 'threads' or 'seconds'");
  if (typeof settings !== 'object' || settings === null || !int(settings.seed) || !int(settings.igSteps) || !int(settings.explainerEpochs)) throw bad("field 'settings'");
  if (!Array.isArray(o.rows)) throw bad("field 'rows'");
  const ks = summary.ks.length;
  const perK = (x: unknown, check: (y: unknown) => boolean): x is number[] => Array.isArray(x) && x.length === ks && x.every(check);
  const changed = (y: unknown): boolean => y === 0 || y === 1;
  const rows = o.rows.map((r: unknown, i): NodeMethodFidelity => {
    const row = r as Record<string, unknown>;
    const where = `row ${i + 1}`;
    if (typeof r !== 'object' || r === null || !int(row.node) || !METHODS.includes(row.method as string) || !int(row.units) || !num(row.seconds)) throw bad(where);
    for (const [key, check] of [['plusChanged', changed], ['minusChanged', changed], ['plusDrop', num], ['minusDrop', num]] as const) {
      if (!perK(row[key], check)) throw bad(`${where}, field '${key}': one value per k`);
    }
    return { node: row.node, method: row.method as RankingMethod, units: row.units, seconds: row.seconds, plusChanged: row.plusChanged as number[], minusChanged: row.minusChanged as number[], plusDrop: row.plusDrop as number[], minusDrop: row.minusDrop as number[] };
  });
  return {
    format: 'gat-explorer/faithfulness/1',
    runId: summary.runId,
    dataset: o.dataset.slice(0, 200),
    selection: summary.selection,
    nodes: o.nodes as number[],
    ks: summary.ks,
    methods: o.methods as RankingMethod[],
    directed: o.directed,
    settings: { seed: settings.seed, igSteps: settings.igSteps, explainerEpochs: settings.explainerEpochs },
    threads: o.threads,
    seconds: o.seconds,
    summary: summary.summary,
    rows,
  };
}

/** One row per node and method; a column per k for each measure. */
export function faithfulnessCsv(r: Pick<FaithfulnessReport, 'ks' | 'rows'>): string {
  const cols = ['fid_plus', 'fid_minus', 'drop_plus', 'drop_minus'].flatMap((c) => r.ks.map((k) => `${c}@${k}`));
  const lines = [['node', 'method', 'edges', 'seconds', ...cols].join(',')];
  for (const row of r.rows) lines.push([row.node, row.method, row.units, row.seconds.toFixed(4), ...row.plusChanged, ...row.minusChanged, ...row.plusDrop, ...row.minusDrop].join(','));
  return lines.join('\n') + '\n';
}
