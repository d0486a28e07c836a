import * as vscode from 'vscode';
import { parseRecordAddress, type RecordAddress } from './recordAddress';

export const RECORD_SCHEME = 'gat-record';

/** `gat-record:/cora/1358.md?run=<run-id>`: the `.md` suffix gives the editor Markdown colouring. */
export function recordUri(dataset: string, node: number, runId?: string, compareRunId?: string): vscode.Uri {
  const query = runId ? `run=${encodeURIComponent(runId)}${compareRunId ? `&compare=${encodeURIComponent(compareRunId)}` : ''}` : '';
  return vscode.Uri.from({ scheme: RECORD_SCHEME, path: `/${dataset}/${node}.md`, query });
}

/** The record a `gat-record:` URI names; throws RecordAddressError naming the part at fault. */
export function parseRecordUri(uri: vscode.Uri): RecordAddress {
  return parseRecordAddress(uri.path, uri.query);
}
