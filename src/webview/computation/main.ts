import type { AnalysisUnavailable } from '../../protocol/analysisSnapshots';
import type { ComputationPanelState, ComputationSnapshot, ExplainStep, LayerComputation, NodeExplanation } from '../../protocol/explanation';
import type { PanelEdit, WhatIfView } from '../../protocol/whatIf';
import { Component } from '../shared/component';
import { element } from '../shared/controls';
import { ProvenanceHeader } from '../shared/provenanceHeader';
import { startApp, type AppHost } from '../shared/webviewApp';
import { attentionTable, featureList, nodeLink, stepView, vectorView, type AttentionEditing, type StepActions } from './stepViews';
import { ImportanceSection } from './importanceView';
import { WhatIfSection } from './whatIfView';

/** What the panel draws from: the host's explanation, and the user's choices. */
interface ComputationState {
  readonly snapshot: ComputationSnapshot;
  readonly layer: number; // 1-based
  readonly head: number; // 0-based
  /** Neighbours whose own computation is shown one layer down (loading until the host answers). */
  readonly expanded: ReadonlyMap<number, NodeExplanation | 'loading'>;
  /** What-if editing, when the host offers it (not on the standalone page). */
  readonly whatIf?: WhatIfView;
}

/** The node's split as the header names it ("none" alone would read as a value of nothing). */
const SPLIT_NAMES: Readonly<Record<NodeExplanation['split'], string>> = { train: 'train split', val: 'validation split', test: 'test split', none: 'not in a split' };

/** The Computation panel: one node's forward pass, step by step, each step next to a link to its code. */
class ComputationApp extends Component<ComputationState> {
  private readonly header = this.own(new ProvenanceHeader());
  private readonly summary = element('h2', 'computation-summary', { 'aria-live': 'polite' });
  private readonly controls = element('div', 'toolbar');
  private readonly steps = element('ol', 'steps');
  private readonly result = element('section', 'result', { 'aria-label': 'output' });
  private readonly whatIf = new WhatIfSection({
    edit: (edit) => this.edit(edit),
    undo: (index) => this.request({ type: 'whatIfUndo', index }),
    reset: () => this.request({ type: 'whatIfReset' }),
    save: (name) => this.request({ type: 'saveScenario', name }),
    open: (name) => this.request({ type: 'openScenario', name }),
  });
  private readonly importance = new ImportanceSection({
    compute: () => this.host.post({ type: 'whatIfImportance' }),
    openRecord: (node) => this.actions.openRecord(node),
  });
  private state: ComputationState | undefined;
  /** Where the keyboard goes once the next snapshot is drawn (the row after one whose edge was removed). */
  private focusNext: string | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: AppHost<ComputationPanelState>,
  ) {
    super(root);
    root.append(this.header.element, this.summary, this.controls, this.whatIf.element, this.importance.element, this.steps, this.result);
  }

  private readonly editing: AttentionEditing = {
    remove: (node, nextFocus) => {
      this.focusNext = nextFocus;
      this.edit({ kind: 'remove-edge', node });
    },
  };

  private edit(edit: PanelEdit): void {
    this.request({ type: 'whatIfEdit', edit });
  }

  /** A what-if request: the host answers with a complete snapshot (or the same one, saying why not). */
  private request(message: Parameters<AppHost<ComputationPanelState>['post']>[0]): void {
    this.host.post(message);
    this.whatIf.pending();
  }

  private readonly actions: StepActions = {
    openSource: (step: ExplainStep) => this.host.post({ type: 'openSource', step }),
    openRecord: (node: number) => this.state && this.host.post({ type: 'openRecord', dataset: this.state.snapshot.explanation.dataset, node, runId: this.state.snapshot.explanation.runId }),
    expand: (node: number) => {
      if (!this.state) return;
      const expanded = new Map(this.state.expanded);
      if (expanded.has(node)) expanded.delete(node);
      else {
        expanded.set(node, 'loading');
        this.host.post({ type: 'explainNeighbour', node });
      }
      this.update({ expanded });
    },
  };

  /** Re-renders with a change; the control that had the keyboard focus gets it back (it was rebuilt). */
  update(change: Partial<ComputationState>): void {
    if (!this.state && !change.snapshot) return;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
    this.render({ ...(this.state as ComputationState), ...change });
    if (focused) this.element.querySelector<HTMLElement>(`[data-focus-key="${focused}"]`)?.focus();
  }

  /**
   * A snapshot. The same node again (an edit, an undo) keeps the layer and head shown, and the
   * focus; a new node starts at layer 1 (a reload restores the layer and head the user was on).
   */
  receive(snapshot: ComputationSnapshot | Omit<ComputationSnapshot, 'type'>, whatIf?: WhatIfView): void {
    const x = snapshot.explanation;
    const full: ComputationSnapshot = { type: 'computationSnapshot', provenance: snapshot.provenance, explanation: x, sources: snapshot.sources };
    this.summary.classList.remove('error');
    const now = this.state;
    if (now && now.snapshot.explanation.node === x.node && now.snapshot.explanation.runId === x.runId) {
      const sameEdits = JSON.stringify(now.whatIf?.edits ?? []) === JSON.stringify(whatIf?.edits ?? []);
      this.update({ snapshot: full, whatIf, expanded: sameEdits ? now.expanded : new Map() });
    } else {
      const saved = this.host.saved;
      const same = saved && saved.node === x.node && saved.runId === x.runId;
      this.render({ snapshot: full, layer: same ? saved.layer : 1, head: same ? saved.head : 0, expanded: new Map(), whatIf });
    }
    const next = this.focusNext;
    this.focusNext = undefined;
    if (next) this.element.querySelector<HTMLElement>(`[data-focus-key="${next}"]`)?.focus();
  }

  /** The graph panel's "What If": the keyboard goes to the what-if section, scrolled into view. */
  focusWhatIf(): void {
    this.whatIf.element.scrollIntoView({ block: 'start' });
    this.whatIf.element.focus();
  }

  neighbourExplained(x: NodeExplanation): void {
    if (!this.state?.expanded.has(x.node)) return;
    this.update({ expanded: new Map(this.state.expanded).set(x.node, x) });
  }

  render(state: ComputationState): void {
    this.state = state;
    const x = state.snapshot.explanation;
    const layer = x.layers[Math.min(state.layer, x.layers.length) - 1];
    const head = layer.perHead[Math.min(state.head, layer.perHead.length - 1)];
    this.header.render(state.snapshot.provenance);
    const names = (ks: readonly number[]): string => ks.map((k) => x.classNames[k] ?? String(k)).join(', ') || 'no label';
    this.summary.textContent = `node ${x.node} · ${SPLIT_NAMES[x.split]} · degree ${x.degree} · truth ${x.multiLabel ? `${x.truth.length} labels` : names(x.truth)} · predicted ${x.multiLabel ? `${x.result.predicted.length} labels` : names(x.result.predicted)} ${x.result.correct ? '✓' : '✗'}${x.edits ? ` · what if: ${x.edits.applied.length} edit${x.edits.applied.length === 1 ? '' : 's'}` : ''}`;
    this.renderControls(x, state);
    this.whatIf.render(x, state.whatIf);
    this.importance.render(x, state.whatIf);
    this.steps.replaceChildren(...this.layerSteps(x, layer, head, state));
    this.steps.dataset.layer = String(layer.layer);
    this.steps.dataset.head = String(head.head);
    this.renderResult(x, layer.layer === x.layers.length);
    this.host.save({ runId: x.runId, node: x.node, layer: layer.layer, head: head.head });
    document.body.dataset.computationReady = 'true';
  }

  private renderControls(x: NodeExplanation, state: ComputationState): void {
    const layerButtons = x.layers.map((l) => {
      const b = element('button', 'layer-button', { type: 'button', 'aria-pressed': String(l.layer === state.layer), 'data-focus-key': `layer-${l.layer}` });
      b.textContent = `layer ${l.layer}`;
      b.addEventListener('click', () => this.update({ layer: l.layer, head: Math.min(state.head, l.heads - 1) }));
      return b;
    });
    const heads = element('select', 'head-select', { 'aria-label': 'Head', 'data-focus-key': 'head' });
    const layer = x.layers[state.layer - 1];
    for (let h = 0; h < layer.heads; h++) heads.append(new Option(`head ${h + 1} of ${layer.heads}`, String(h), false, h === state.head));
    heads.addEventListener('change', () => this.update({ head: Number(heads.value) }));
    const label = element('span', 'status');
    label.textContent = 'evaluation mode (no dropout)';
    this.controls.replaceChildren(...layerButtons, heads, label);
  }

  private layerSteps(x: NodeExplanation, l: LayerComputation, head: LayerComputation['perHead'][number], state: ComputationState): HTMLElement[] {
    const s = state.snapshot.sources;
    const a = this.actions;
    const first = l.layer === 1;
    const inputText = element('div', 'values');
    inputText.textContent = first
      ? `${l.input.nonZero.length} non-zero of ${l.input.size} features${state.whatIf ? ' (what if: switch one off here, or one on above)' : `: ${l.input.nonZero.slice(0, 12).map((v) => `[${v.index}] ${v.value.toFixed(4)}`).join(', ')}${l.input.nonZero.length > 12 ? ', …' : ''}`}`
      : `${l.input.nonZero.length} non-zero of ${l.input.size} values (layer ${l.layer - 1}'s output)`;
    const inputBody = first && state.whatIf ? [inputText, featureList(l.input, (feature) => this.edit({ kind: 'feature-off', feature }))] : [inputText];
    const editing: AttentionEditing | undefined = state.whatIf ? { ...this.editing, ...(state.whatIf.edits.length ? { before: state.whatIf.baseline[l.layer - 1]?.[head.head] } : {}) } : undefined;
    const list: HTMLElement[] = [
      stepView(1, 'input', `Input h_${x.node}`, first ? (x.multiLabel ? "h = the node's feature values" : "h = the node's bag of words, each row normalised to sum 1") : `h = the output of layer ${l.layer - 1} (${l.input.size} values)`, inputBody, s, a),
      ...(l.model === 'gatv2'
        ? [
            // GATv2 (PyG's GATv2Conv): two maps, and the LeakyReLU per pair before the dot product with att
            stepView(2, 'v2Projection', 'Projections', `x_l = W_l h + b_l (what a neighbour sends),  x_r = W_r h_i + b_r (the node's own map)   (W: ${l.heads * l.fout} × ${l.fin}; head ${head.head + 1} takes ${l.fout} rows)`, [vectorView(head.projection, `x_l for head ${head.head + 1}`), vectorView(head.targetProjection ?? [], `x_r for head ${head.head + 1}`)], s, a),
            stepView(3, 'v2Scores', 'Scores', 'e_ij = att · LeakyReLU(x_l[j] + x_r[i], slope 0.2) for every neighbour j: per pair, so each node can rank its neighbours its own way (dynamic attention)', [], s, a),
            stepView(4, 'v2Attention', 'Attention', 'α_ij = exp(e_ij) / Σ_k exp(e_ik) over the neighbourhood (self-loop included)', [attentionTable(l, head, state.expanded, a, editing)], s, a),
            stepView(5, 'v2Aggregate', 'Weighted sum', `h'_i = Σ_j α_ij x_l[j]   (head ${head.head + 1})`, [vectorView(head.aggregated, `the weighted sum of head ${head.head + 1}`)], s, a),
          ]
        : [
            stepView(2, 'projection', 'Projection', `z = W h   (W: ${l.heads * l.fout} × ${l.fin}; head ${head.head + 1} takes ${l.fout} rows)`, [vectorView(head.projection, `z for head ${head.head + 1}`)], s, a),
            stepView(3, 'scores', 'Scores', `s_j = a_src · z_j for every neighbour j,  t_i = a_trg · z_i = ${head.targetScore.toFixed(4)}`, [], s, a),
            stepView(4, 'attention', 'Attention', 'e_ij = LeakyReLU(s_j + t_i, slope 0.2),  α_ij = exp(e_ij) / Σ_k exp(e_ik) over the neighbourhood (self-loop included)', [attentionTable(l, head, state.expanded, a, editing)], s, a),
            stepView(5, 'aggregate', 'Weighted sum', `h'_i = Σ_j α_ij z_j   (head ${head.head + 1})`, [vectorView(head.aggregated, `the weighted sum of head ${head.head + 1}`)], s, a),
          ]),
    ];
    if (l.skipAdded) list.push(stepView(6, 'skip', 'Skip connection', l.skip === 'identity' ? "h'_i += h_i   (the input, added to every head)" : "h'_i += W_s h_i   (a projection of the input, added before concat/mean)", [vectorView(l.skipAdded, 'what the skip adds')], s, a));
    const n = list.length + 1;
    list.push(
      stepView(n, 'combine', l.concat ? 'Concatenate, bias, ELU' : 'Average, bias', l.concat ? `out = ELU(concat over ${l.heads} heads of h'_i + b)` : `out = mean over ${l.heads} heads of h'_i + b${l.layer === x.layers.length ? '   (the logits)' : ''}`, [vectorView(l.output, `layer ${l.layer}'s output`)], s, a),
    );
    return list;
  }

  private renderResult(x: NodeExplanation, show: boolean): void {
    this.result.hidden = !show;
    if (!show) return;
    const title = element('h3', 'step-title');
    title.textContent = x.multiLabel ? 'Output: one sigmoid per label' : 'Output: softmax over the classes';
    const rows = x.result.probabilities.map((p, k) => ({ k, p, z: x.result.logits[k] })).sort((a, b) => b.p - a.p).slice(0, x.multiLabel ? 20 : x.classNames.length);
    const list = element('ul', 'class-bars');
    for (const r of rows) {
      const li = element('li', 'class-bar', { 'data-class': String(r.k), 'data-probability': String(r.p) });
      const name = element('span', 'class-name');
      name.textContent = `${x.classNames[r.k] ?? r.k}${x.truth.includes(r.k) ? ' (truth)' : ''}${x.result.predicted.includes(r.k) ? ' (predicted)' : ''}`;
      const track = element('div', 'weight-bar', { role: 'img', 'aria-label': `probability ${(100 * r.p).toFixed(1)}%` });
      const fill = element('div', 'weight-fill');
      fill.style.width = `${100 * r.p}%`;
      track.append(fill);
      const value = element('span', 'num');
      value.textContent = ` ${(100 * r.p).toFixed(1)}%  (logit ${r.z.toFixed(3)})`;
      li.append(name, track, value);
      list.append(li);
    }
    const verdict = element('p', 'verdict', { 'data-correct': String(x.result.correct) });
    verdict.append(`${x.result.correct ? 'Correct' : 'Wrong'}: predicted ${x.result.predicted.map((k) => x.classNames[k] ?? k).join(', ') || 'no label'}, truth ${x.truth.map((k) => x.classNames[k] ?? k).join(', ') || 'no label'}. `, nodeLink(x.node, this.actions, 'Open the record'));
    const source = element('a', 'source-link', { href: '#', 'data-step': 'output' });
    const at = this.state?.snapshot.sources.output;
    source.textContent = at ? `code: ${at.file}:${at.line}` : '';
    source.addEventListener('click', (e) => {
      e.preventDefault();
      this.actions.openSource('output');
    });
    this.result.replaceChildren(title, list, verdict, ...(at ? [source] : []));
  }

  unavailable(m: AnalysisUnavailable): void {
    this.header.render(m.provenance);
    this.summary.textContent = m.message;
    this.summary.classList.add('error');
    this.steps.replaceChildren();
    this.result.hidden = true;
  }
}

startApp<ComputationPanelState, ComputationApp>({
  className: 'computation-app',
  create: (root, host) => new ComputationApp(root, host),
  messages: {
    computationSnapshot: (app, snapshot) => app.receive(snapshot),
    computationWhatIf: (app, snapshot) => app.receive(snapshot, snapshot.whatIf),
    computationNeighbour: (app, m) => app.neighbourExplained(m.explanation),
    computationFocus: (app) => app.focusWhatIf(),
    analysisUnavailable: (app, m) => app.unavailable(m),
  },
});
