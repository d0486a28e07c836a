/**
 * Node-record addresses, `gat-record:/cora/1358.md?run=<run-id>[&compare=<run-id>]`, as data: the
 * dataset must be a valid dataset name, the node a non-negative integer written in decimal, the run
 * (optional) a safe run id, and a second run to compare with (optional, only with a run) another. Pure and free of `vscode` (recordUri.ts hands it a Uri's path and query), so the unit
 * tier and the fuzzer can run it. Whether the node exists in the dataset is checked by the record
 * provider against the loaded graph.
 */
import { isSafeRunId } from '../../gat/artifacts/runPaths';
import { isValidDatasetName } from '../../gat/data/knownDatasets';

export type RecordAddressPart = 'address' | 'dataset' | 'node' | 'run';

export interface RecordAddress {
  readonly dataset: string;
  readonly node: number;
  /** The run whose predictions and attention the record shows; undefined for the dataset alone. */
  readonly runId: string | undefined;
  /** A second run whose prediction the record shows next to the first (Compare Runs). */
  readonly compareRunId?: string;
}

/** An address that names no record: says which part is wrong, and what it should be. */
export class RecordAddressError extends Error {
  constructor(
    readonly address: string,
    readonly part: RecordAddressPart,
    /** The text of the part at fault. */
    readonly value: string,
    message: string,
    /** The (valid) dataset of an address whose node part is wrong. */
    readonly dataset?: string,
  ) {
    super(`${address} is not a node record address: ${message}`);
    this.name = 'RecordAddressError';
  }
}

/** Longest node id text: beyond 2^53 an id cannot be held exactly, and no graph is that large. */
const MAX_NODE_DIGITS = 15;

/**
 * Parses an address from its path, as `vscode.Uri.path` gives it (already decoded: `/cora/1358.md`,
 * the `.md` optional), and its query, as `vscode.Uri.query` gives it (`run=<percent-encoded run id>`,
 * or empty). Throws RecordAddressError naming the address and the part at fault.
 */
export function parseRecordAddress(path: string, query: string): RecordAddress {
  const address = `gat-record:${path}${query ? `?${query}` : ''}`;
  const fail = (part: RecordAddressPart, value: string, message: string, dataset?: string): never => {
    throw new RecordAddressError(address, part, value, message, dataset);
  };
  const m = /^\/([^/]+)\/([^/]+?)(?:\.md)?$/.exec(path);
  if (!m) return fail('address', path, 'expected gat-record:/<dataset>/<node>.md');
  const [, dataset, nodeText] = m;
  if (!isValidDatasetName(dataset)) fail('dataset', dataset, `the dataset '${dataset}' is not a dataset name (letters, digits, '_' and '-', at most 64)`);
  if (!new RegExp(`^\\d{1,${MAX_NODE_DIGITS}}$`).test(nodeText)) fail('node', nodeText, `the node '${nodeText}' is not a node id (a non-negative integer)`, dataset);
  const node = Number(nodeText);
  const runs: { run?: string; compare?: string } = {};
  const params = new URLSearchParams(query);
  for (const [key, value] of params) {
    if (key !== 'run' && key !== 'compare') fail('run', key, `the query may only name a run and a run to compare with (run=<run id>&compare=<run id>), not '${key}'`);
    if (runs[key as 'run' | 'compare'] !== undefined) fail('run', value, `the query names more than one ${key === 'run' ? 'run' : 'run to compare with'}`);
    if (!isSafeRunId(value)) fail('run', value, `the run '${value}' is not a run id (letters, digits, '-', '_', '.'; no '..')`);
    runs[key as 'run' | 'compare'] = value;
  }
  if (runs.compare !== undefined && runs.run === undefined) fail('run', runs.compare, 'compare=<run id> needs run=<run id> to compare with');
  return { dataset, node, runId: runs.run, ...(runs.compare !== undefined ? { compareRunId: runs.compare } : {}) };
}
