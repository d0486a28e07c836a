import { datasetNodeId } from '../../figures/graphModel';
import type { GraphLayoutProgress, GraphPanelState, GraphSnapshot } from '../../protocol/webviewMessages';
import { count, GraphScreen } from '../graphView/graphScreen';
import { element, toolbarButton } from '../shared/controls';
import { startApp, type AppHost } from '../shared/webviewApp';
import { nodeMenuKeys, removeEdgeRequest, type GraphWhatIf } from './graphWhatIf';

/**
 * The graph app (the dataset's graph, with a run's predictions or a comparison's agreement): the
 * shared graph screen, plus the selected node's attention and computation, what-if edits of it
 * (opened in its Computation panel), VS Code's node menu, and the stages of a big graph's layout
 * while it converges.
 */
class GraphApp extends GraphScreen {
  // With a run: the attention the selected node gives its neighbours (also in a node's context menu).
  private readonly attentionButton = toolbarButton('Show attention', 'show-attention', () => this.forSelected('showAttention'));
  // With a run: the selected node's forward pass, step by step (the Computation panel).
  private readonly stepButton = toolbarButton('Step through', 'step-through', () => this.forSelected('stepThrough'));
  // With a run: the selected node's computation at its what-if section (also W on the graph, and the node menu).
  private readonly whatIfButton = toolbarButton('What if…', 'what-if-button', () => this.whatIf());
  // While a big graph's layout converges: its stage (polite: announced, not interrupting).
  private readonly layoutNote = element('span', 'layout-progress', { role: 'status' });

  constructor(root: HTMLElement, host: AppHost<GraphPanelState>) {
    super(root, host);
    this.attentionButton.hidden = this.stepButton.hidden = this.whatIfButton.hidden = this.layoutNote.hidden = true;
    this.addParts({ actions: [this.attentionButton, this.stepButton, this.whatIfButton], notes: [this.layoutNote] });
    // The keyboard's what-if: W opens the focused (else selected) node's; Delete removes the edge
    // between the selected node and the focused neighbour (the view leaves both keys alone).
    this.listen(this.view.canvas, 'keydown', (e) => {
      if (!this.nodeMenu() || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'w' || e.key === 'W') this.whatIf(this.view.focused);
      else if (e.key === 'Delete' || e.key === 'Backspace') this.removeEdge();
      else return;
      e.preventDefault();
    });
  }

  protected override nodeMenu(): boolean {
    return this.snapshot?.run !== undefined && !this.snapshot.embedding;
  }

  protected override nodeMenuKeys(node: number): ReturnType<typeof nodeMenuKeys> {
    return this.model ? nodeMenuKeys(this.model, this.view.selected, node) : {};
  }

  protected showControls(s: GraphSnapshot): void {
    this.attentionButton.hidden = !s.run || !!s.embedding;
    this.stepButton.hidden = this.whatIfButton.hidden = this.attentionButton.hidden;
    const base = 'Graph. Arrow keys move between nodes, Enter opens the node record, plus and minus zoom, 0 fits the graph.';
    this.view.canvas.setAttribute('aria-label', this.attentionButton.hidden ? base : `${base} W edits the node in its computation (what if); Delete removes the edge between the selected node and the focused neighbour there.`);
    if (this.attentionButton.hidden) this.view.canvas.removeAttribute('aria-keyshortcuts');
    else this.view.canvas.setAttribute('aria-keyshortcuts', 'W Delete');
  }

  protected statusText(s: GraphSnapshot, where: string): string {
    return `${count(s.labels.length, 'node')} · ${count(s.edgeU.length, 'edge')}${where}`;
  }

  protected override drawn(s: GraphSnapshot, wasConverging: boolean): void {
    if (wasConverging && !s.layoutProgress && !this.view.userMoved) this.view.fitToView();
    this.showLayoutProgress(s.layoutProgress);
  }

  /** A later stage of the layout under way: new positions; the view keeps fitting it until the user moves it. */
  moveLayout(m: GraphLayoutProgress): void {
    const s = this.snapshot;
    if (!s?.layoutProgress || m.x.length !== s.labels.length) return;
    this.move({ ...s, x: m.x, y: m.y, layoutProgress: { stage: m.stage, fraction: m.fraction } });
    if (!this.view.userMoved) this.view.fitToView();
    this.showLayoutProgress(this.snapshot?.layoutProgress);
  }

  focus(node: number): void {
    this.view.zoomToNode(node);
  }

  /** The node's computation at its what-if section: the node given (the focused one), else the selected one. */
  private whatIf(node: number | undefined = undefined): void {
    const target = node ?? this.view.selected;
    if (target === undefined) this.status.textContent = 'Select a node first (click it, or Tab and arrow keys).';
    else this.post({ node: target });
  }

  /** Delete: the selected node's computation without its edge to the focused neighbour. */
  private removeEdge(): void {
    const s = this.snapshot;
    if (!s || !this.model) return;
    const request = removeEdgeRequest(this.model, this.view.selected, this.view.focused, (n) => String(datasetNodeId(s, n)));
    if (typeof request === 'string') this.status.textContent = request;
    else this.post(request);
  }

  private post(w: GraphWhatIf): void {
    this.host.post({ type: 'whatIfInComputation', node: w.node, ...(w.removeEdgeFrom !== undefined ? { removeEdgeFrom: w.removeEdgeFrom } : {}) });
  }

  private forSelected(type: 'showAttention' | 'stepThrough'): void {
    const node = this.view.selected;
    if (node !== undefined && node !== null) this.host.post({ type, node });
    else this.status.textContent = 'Select a node first (click it, or Tab and arrow keys).';
  }

  /** The layout's stage beside the counts while it converges. */
  private showLayoutProgress(p: GraphSnapshot['layoutProgress']): void {
    document.body.dataset.layoutStage = p ? p.stage : 'done';
    this.layoutNote.hidden = !p;
    if (p) this.layoutNote.textContent = `Laying out: ${p.stage}, ${Math.round(100 * p.fraction)} % (edge widths follow when it is done)`;
  }
}

startApp<GraphPanelState, GraphApp>({
  create: (root, host) => new GraphApp(root, host),
  messages: {
    graphSnapshot: (app, s) => app.receive(s),
    graphLayoutProgress: (app, m) => app.moveLayout(m),
    graphFocus: (app, m) => app.focus(m.node),
  },
  onTheme: (app) => app.themeChanged(),
  onResize: (app) => app.resized(),
});
