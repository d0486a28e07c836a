/**
 * Reads a run's faithfulness.json (what `gat faithfulness` saved) as untrusted data: a byte
 * budget, then every summary field checked. Compare Runs and the Faithfulness panel read only the
 * summary; the per-node rows stay in the file for the CSV-minded.
 */
import * as path from 'node:path';
import { parseJson } from '../io/jsonText';
import { readUserText, UserFileError } from '../io/userFile';
import { ArtifactReadError } from './artifactRead';
import { IMPORTANCE_METHODS } from '../../protocol/explanation';
import type { FidelitySummary, RankingMethod } from '../../protocol/faithfulness';

export interface FaithfulnessSummaryFile {
  readonly runId: string;
  readonly selection: string;
  readonly nodes: number;
  readonly ks: number[];
  readonly summary: FidelitySummary[];
}

const METHODS: readonly string[] = [...IMPORTANCE_METHODS, 'random'];
const FILE = 'faithfulness.json';
/** All of PubMed's nodes × six methods × four k stay well under this. */
const BUDGET = { what: 'faithfulness record', maxBytes: 256 << 20 };

/** The summary, undefined when the run has none yet; a damaged file is an Error naming it. */
export async function readFaithfulness(runDir: string): Promise<FaithfulnessSummaryFile | undefined> {
  const json = await readFaithfulnessJson(runDir);
  return json && checkFaithfulness(json.value, json.file);
}

/** The run's faithfulness.json parsed (within the budget), undefined when there is none; not yet checked. */
export async function readFaithfulnessJson(runDir: string): Promise<{ readonly file: string; readonly value: unknown } | undefined> {
  const file = path.join(runDir, FILE);
  let text: string;
  try {
    text = await readUserText(file, BUDGET);
  } catch (e) {
    if (e instanceof UserFileError && e.problem === 'missing') return undefined;
    throw e;
  }
  return { file, value: parseFaithfulnessJson(text, file) };
}

/** The file's JSON; torn or hand-edited text is an ArtifactReadError naming the file, where, and what to do. */
export function parseFaithfulnessJson(text: string, file: string): unknown {
  try {
    return parseJson(text);
  } catch (e) {
    throw new ArtifactReadError(file, `${file} is not valid JSON (at ${e instanceof Error ? e.message : String(e)}): run gat faithfulness again to replace it`);
  }
}

/** The summary part of a parsed record, every field checked; a wrong one is an ArtifactReadError naming the file and the field. */
export function checkFaithfulness(v: unknown, file: string): FaithfulnessSummaryFile {
  const bad = (what: string): Error => new ArtifactReadError(file, `${file} is not a faithfulness record GAT Explorer wrote (${what}): run gat faithfulness again to replace it`);
  const o = v as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || o.format !== 'gat-explorer/faithfulness/1') throw bad("field 'format'");
  const int = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (typeof o.runId !== 'string') throw bad("field 'runId'");
  if (typeof o.selection !== 'string') throw bad("field 'selection'");
  if (!Array.isArray(o.nodes)) throw bad("field 'nodes'");
  if (!Array.isArray(o.ks) || !o.ks.every(int)) throw bad("field 'ks'");
  if (!Array.isArray(o.summary)) throw bad("field 'summary'");
  // methods × k values: a few dozen rows from gat faithfulness; a file with more was not written by it
  if (o.summary.length > 10_000) throw bad("field 'summary' (more than 10,000 rows)");
  const summary = o.summary.map((s: unknown, i): FidelitySummary => {
    const r = s as Record<string, unknown>;
    const row = `summary row ${i + 1}`;
    if (typeof s !== 'object' || s === null || !METHODS.includes(r.method as string) || !int(r.k) || !int(r.nodes)) throw bad(row);
    for (const k of ['fidelityPlus', 'fidelityMinus', 'probabilityDropPlus', 'probabilityDropMinus', 'secondsPerNode'] as const) if (!num(r[k])) throw bad(`${row}, field '${k}'`);
    if (r.characterization !== null && !num(r.characterization)) throw bad(`${row}, field 'characterization'`);
    return {
      method: r.method as RankingMethod,
      k: r.k as number,
      nodes: r.nodes as number,
      fidelityPlus: r.fidelityPlus as number,
      fidelityMinus: r.fidelityMinus as number,
      characterization: r.characterization as number | null,
      probabilityDropPlus: r.probabilityDropPlus as number,
      probabilityDropMinus: r.probabilityDropMinus as number,
      secondsPerNode: r.secondsPerNode as number,
    };
  });
  return { runId: o.runId.slice(0, 200), selection: o.selection.slice(0, 200), nodes: o.nodes.length, ks: o.ks as number[], summary };
}
