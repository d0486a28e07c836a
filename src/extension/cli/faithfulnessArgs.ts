/**
 * What GAT: Faithfulness… asks the CLI, and what it reads back from it: the argument list for the
 * user's choices, and the `--progress json` lines on stderr. Pure (no vscode), so unit tests build
 * the same arguments the command runs.
 */

/** The rankings `gat faithfulness` tests by default (its --methods default); random is always added. */
export const DEFAULT_FAITHFULNESS_METHODS = ['attention', 'leave-one-out', 'saliency', 'integrated-gradients'] as const;

/** The node sample the quick pick offers besides "test" and "all". */
export const SAMPLE_NODES = 200;

export interface FaithfulnessChoice {
  /** The test nodes, every node, or that many test nodes sampled with the CLI's default seed. */
  readonly nodes: 'test' | 'all' | number;
  /** Add GNNExplainer (an optimisation per node: several times slower than the default set). */
  readonly gnnExplainer: boolean;
}

/** `gat faithfulness` for a run folder: the saved JSON on stdout, a JSON progress line per percent on stderr. */
export function faithfulnessArgs(runDir: string, choice: FaithfulnessChoice): string[] {
  if (typeof choice.nodes === 'number' && !(Number.isInteger(choice.nodes) && choice.nodes > 0)) throw new RangeError(`a node sample is a whole number above 0, not ${choice.nodes}`);
  const methods = choice.gnnExplainer ? [...DEFAULT_FAITHFULNESS_METHODS, 'gnnexplainer'] : DEFAULT_FAITHFULNESS_METHODS;
  return ['faithfulness', '--run', runDir, '--nodes', String(choice.nodes), '--methods', methods.join(','), '--json', '--progress', 'json'];
}

export interface FaithfulnessProgress {
  readonly done: number;
  readonly total: number;
  readonly seconds: number;
}

/** A `--progress json` line, or undefined for any other line (a warning, the error). */
export function parseFaithfulnessProgress(line: string): FaithfulnessProgress | undefined {
  if (!line.startsWith('{"type":"faithfulnessProgress"')) return undefined;
  try {
    const p = JSON.parse(line) as Record<string, unknown>;
    const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    if (!count(p.done) || !count(p.total) || typeof p.seconds !== 'number' || !Number.isFinite(p.seconds) || p.done > p.total) return undefined;
    return { done: p.done, total: p.total, seconds: p.seconds };
  } catch {
    return undefined;
  }
}

/** stderr without the progress lines: what is left says why a run failed. */
export function withoutProgress(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => parseFaithfulnessProgress(line) === undefined)
    .join('\n');
}
