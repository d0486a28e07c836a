import * as vscode from 'vscode';
import { ATTENTION_LINK_TEXT, buildNodeRecord, COMPUTATION_LINK_TEXT, formatSummary, nodeSummary, parseNodeId, UnknownNodeError, type RunNodeView } from '../../gat/records/nodeRecord';
import type { DatasetService } from '../core/datasetService';
import { RecordAddressError, type RecordAddress } from './recordAddress';
import { RECORD_SCHEME, parseRecordUri, recordUri } from './recordUri';
import { forMarkdown, notice } from '../../gat/io/safeText';

/** Looks up what a run knows about nodes (predictions, attention); undefined when none. */
export type RunViewLookup = (runId: string) => Promise<RunNodeView | undefined>;

const NODE_REFERENCE = /\bnode (\d+)\b/g;

/**
 * Read-only node records (`gat-record:` documents), with node ids as links to their own
 * records and a hover summary on each. An unknown node or dataset is an error message,
 * never an empty editor.
 */
export class RecordProvider implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.HoverProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly datasets: DatasetService,
    private readonly runView: RunViewLookup,
  ) {}

  static register(context: vscode.ExtensionContext, provider: RecordProvider): void {
    const selector: vscode.DocumentSelector = { scheme: RECORD_SCHEME };
    context.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(RECORD_SCHEME, provider),
      vscode.languages.registerDocumentLinkProvider(selector, provider),
      vscode.languages.registerHoverProvider(selector, provider),
      provider.changed,
    );
  }

  /** A run ended (its analysis may now exist): open records of that run fetch their text again. */
  runEnded(runId: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === RECORD_SCHEME && new URLSearchParams(doc.uri.query).get('run') === runId) this.changed.fire(doc.uri);
    }
  }

  /** The address of a record; a node part that is no node id is reported as the dataset's UnknownNodeError (naming the valid range). */
  private async addressOf(uri: vscode.Uri): Promise<RecordAddress> {
    try {
      return parseRecordUri(uri);
    } catch (err) {
      if (!(err instanceof RecordAddressError && err.part === 'node' && err.dataset)) throw err;
      const graph = await this.datasets.get(err.dataset);
      throw new UnknownNodeError(graph.name, err.value, graph.numNodes);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = await this.addressOf(uri);
    const graph = await this.datasets.get(ref.dataset); // throws a DatasetError with the remedy
    const node = parseNodeId(graph, String(ref.node)); // in range for this graph
    const run = ref.runId ? await this.runView(ref.runId) : undefined;
    const compared = ref.compareRunId ? await this.runView(ref.compareRunId) : undefined;
    return buildNodeRecord(graph, node, run, compared);
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const ref = parseRecordUri(document.uri);
    const links: vscode.DocumentLink[] = [];
    const text = document.getText();
    for (const m of text.matchAll(NODE_REFERENCE)) {
      const start = document.positionAt(m.index! + 'node '.length);
      const range = new vscode.Range(start, start.translate(0, m[1].length));
      const link = new vscode.DocumentLink(range, recordUri(ref.dataset, Number(m[1]), ref.runId, ref.compareRunId));
      link.tooltip = `Open the record of node ${m[1]}`;
      links.push(link);
    }
    // With a run: a link that opens the attention panel for this node (a command link).
    const at = ref.runId ? text.indexOf(ATTENTION_LINK_TEXT) : -1;
    if (at >= 0 && ref.runId) {
      const start = document.positionAt(at + ATTENTION_LINK_TEXT.indexOf('open'));
      const node = ref.node;
      const target = vscode.Uri.parse(`command:gat.showAttention?${encodeURIComponent(JSON.stringify([ref.runId, node]))}`);
      const link = new vscode.DocumentLink(new vscode.Range(start, document.positionAt(at + ATTENTION_LINK_TEXT.length)), target);
      link.tooltip = `Show the attention node ${node} gives its neighbours in run ${ref.runId}`;
      links.push(link);
    }
    // …and one that steps through the node's computation.
    const step = ref.runId ? text.indexOf(COMPUTATION_LINK_TEXT) : -1;
    if (step >= 0 && ref.runId) {
      const start = document.positionAt(step + COMPUTATION_LINK_TEXT.indexOf('step'));
      const target = vscode.Uri.parse(`command:gat.stepThroughNode?${encodeURIComponent(JSON.stringify([ref.runId, ref.node]))}`);
      const link = new vscode.DocumentLink(new vscode.Range(start, document.positionAt(step + COMPUTATION_LINK_TEXT.length)), target);
      link.tooltip = `Step through node ${ref.node}'s computation in run ${ref.runId}, next to the code`;
      links.push(link);
    }
    return links;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const range = document.getWordRangeAtPosition(position, /\d+/);
    if (!range) return undefined;
    const before = document.lineAt(position.line).text.slice(0, range.start.character);
    if (!before.endsWith('node ')) return undefined;
    const ref = parseRecordUri(document.uri);
    const graph = await this.datasets.get(ref.dataset);
    const node = parseNodeId(graph, document.getText(range));
    const run = ref.runId ? await this.runView(ref.runId) : undefined;
    return new vscode.Hover(new vscode.MarkdownString(forMarkdown(formatSummary(nodeSummary(graph, node, run)))), range);
  }
}

/** Opens a node's record in an editor; errors (unknown node, missing dataset) become messages. */
export async function openNodeRecord(dataset: string, node: number | string, runId?: string): Promise<vscode.TextEditor | undefined> {
  const uri = recordUri(dataset, typeof node === 'number' ? node : Number.NaN, runId);
  const target = typeof node === 'number' ? uri : uri.with({ path: `/${dataset}/${node}.md` });
  try {
    const doc = await vscode.workspace.openTextDocument(target);
    return await vscode.window.showTextDocument(doc, { preview: true });
  } catch (err) {
    void vscode.window.showErrorMessage(notice`GAT: cannot open the record: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
