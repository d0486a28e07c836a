import * as vscode from 'vscode';

export const RECORD_SCHEME = 'gat-record';

/** `gat-record:/cora/1358.md?run=<run-id>`: the `.md` suffix gives the editor Markdown colouring. */
export function recordUri(dataset: string, node: number, runId?: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RECORD_SCHEME, path: `/${dataset}/${node}.md`, query: runId ? `run=${encodeURIComponent(runId)}` : '' });
}

export interface RecordRef {
  readonly dataset: string;
  readonly nodeText: string;
  readonly runId: string | undefined;
}

export function parseRecordUri(uri: vscode.Uri): RecordRef {
  const m = /^\/([^/]+)\/([^/]+?)(?:\.md)?$/.exec(uri.path);
  if (!m) throw new Error(`not a node record address: ${uri.toString()} (expected gat-record:/<dataset>/<node>.md)`);
  const run = new URLSearchParams(uri.query).get('run') ?? undefined;
  return { dataset: decodeURIComponent(m[1]), nodeText: decodeURIComponent(m[2]), runId: run };
}
