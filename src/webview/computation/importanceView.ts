import { fieldFigure, fieldLayout } from '../../figures/receptiveFieldFigure';
import { formatScore, formatSeconds, METHOD_LABELS, methodsOf, methodSummaries, topEdges, TOP_EDGES } from '../../figures/importanceModel';
import type { EdgeImportance, ImportanceMethod, NodeExplanation } from '../../protocol/explanation';
import type { WhatIfView } from '../../protocol/whatIf';
import { element, sideScroll } from '../shared/controls';

/** What the section asks of the app (each becomes a message to the host). */
export interface ImportanceActions {
  compute(): void;
  openRecord(node: number): void;
}

/**
 * The Computation panel's "Edge importance" section: a button that asks the host's explain process
 * for every method's scores on the graph as edited (seconds of work, so asked for, not computed with
 * each edit), then the top edges by a chosen method with every method's score, each method's Kendall
 * τ against attention (or why there is none), its time and IG's completeness error, and the
 * receptive field drawn by the chosen method. The button stays focusable while it cannot act
 * (aria-disabled), so the keyboard is not thrown out when the answer comes.
 */
export class ImportanceSection {
  readonly element = element('section', 'edge-importance', { 'aria-label': 'Edge importance' });
  private readonly hint = element('p', 'importance-hint');
  private readonly button = element('button', 'importance-compute', { type: 'button', 'data-focus-key': 'importance-compute' });
  private readonly status = element('p', 'importance-status', { role: 'status', 'aria-live': 'polite' });
  private readonly methodSelect = element('select', 'importance-method', { 'aria-label': 'Rank the edges by', 'data-focus-key': 'importance-method' });
  private readonly picker = element('label', 'importance-picker');
  private readonly tables = element('div', 'importance-tables');
  private readonly figure = element('div', 'importance-figure');
  private readonly results = element('div', 'importance-results');
  /** The method the edges are ranked and drawn by (kept across snapshots). */
  private method: ImportanceMethod = 'leave-one-out';
  /** What the tables and figure show now (kept while hidden: an Undo back to it shows it without drawing it again). */
  private shown: { readonly importance: EdgeImportance; readonly key: string; readonly method: ImportanceMethod } | undefined;

  constructor(private readonly actions: ImportanceActions) {
    const title = element('h3', 'step-title');
    title.textContent = 'Edge importance';
    this.button.addEventListener('click', () => {
      if (this.button.getAttribute('aria-disabled') === 'true') return;
      this.setBusy(true); // until the next snapshot, whose importanceBusy the host sets from then on
      this.actions.compute();
    });
    for (const m of Object.keys(METHOD_LABELS) as ImportanceMethod[]) this.methodSelect.append(new Option(METHOD_LABELS[m], m, false, m === this.method));
    this.methodSelect.addEventListener('change', () => {
      this.method = this.methodSelect.value as ImportanceMethod;
      if (this.shown) this.draw(this.shown.importance);
    });
    this.picker.append('Rank the edges by ', this.methodSelect);
    this.results.append(this.picker, this.tables, this.figure);
    const controls = element('div', 'toolbar importance-controls');
    controls.append(this.button, this.status);
    this.element.append(title, this.hint, controls, this.results);
    // A numbered edge or a node of the figure opens that node's record (click, or Enter on a focused edge).
    this.figure.addEventListener('click', (e) => this.openFrom(e.target));
    this.figure.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      if (!(e.target instanceof Element) || !e.target.matches('.field-edge.top')) return;
      e.preventDefault();
      this.openFrom(e.target);
    });
    this.element.hidden = true;
  }

  /** The snapshot's importance for its edits, if computed; hidden without what-if (the standalone page). */
  render(x: NodeExplanation, view: WhatIfView | undefined): void {
    this.element.hidden = !view;
    if (!view) return;
    const importance = view.importance?.node === x.node ? view.importance : undefined;
    const busy = view.importanceBusy === true;
    const hops = x.layers.length;
    const edited = x.edits ? `, with the ${x.edits.applied.length} what-if edit${x.edits.applied.length === 1 ? '' : 's'} applied` : '';
    this.hint.textContent = `Scores every edge within ${hops} hop${hops === 1 ? '' : 's'} of node ${x.node} (its receptive field) for the prediction, five ways: ${Object.values(METHOD_LABELS).join(', ')}${edited}. Computed by the explain process on request (a few seconds); Kendall's τ compares each ranking with attention's.`;
    this.setBusy(busy, importance !== undefined);
    this.results.hidden = !importance;
    if (!importance) {
      if (!busy) this.setStatus(view.importanceError ?? (x.edits ? 'Not computed for these edits yet.' : 'Not computed yet.'), view.importanceError !== undefined);
      return;
    }
    const o = importance.objective;
    this.setStatus(`Explaining ${o.kind === 'softmax' ? 'the predicted class' : 'label'} ${o.name} (p = ${o.probability.toFixed(3)}) over ${importance.units.length} ${importance.directed ? 'directed edges' : 'edges'}.`);
    // Every snapshot is a new copy: the same answer (its node, edges and timings) is not drawn again.
    if (this.shown?.key !== answerKey(importance) || this.shown.method !== this.method) this.draw(importance);
  }

  private setBusy(busy: boolean, done = false): void {
    if (busy) this.element.setAttribute('aria-busy', 'true');
    else this.element.removeAttribute('aria-busy');
    this.button.setAttribute('aria-disabled', String(busy || done));
    this.button.textContent = busy ? 'Computing edge importance…' : done ? 'Edge importance computed' : 'Compute edge importance';
    if (busy) this.setStatus('Computing five methods in the explain process…');
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.dataset.kind = error ? 'error' : 'info';
  }

  private draw(importance: EdgeImportance): void {
    const start = performance.now();
    const methods = methodsOf(importance);
    if (!methods.includes(this.method)) this.method = methods.includes('leave-one-out') ? 'leave-one-out' : (methods[0] ?? this.method);
    for (const option of this.methodSelect.options) option.disabled = !methods.includes(option.value as ImportanceMethod);
    this.methodSelect.value = this.method;
    this.shown = { importance, key: answerKey(importance), method: this.method };
    this.tables.replaceChildren(this.topTable(importance), this.methodTable(importance));
    const layout = fieldLayout(importance, this.method);
    this.figure.innerHTML = fieldFigure(layout, importance.directed);
    const note = element('p', 'importance-figure-note');
    note.textContent = `Drawn by ${METHOD_LABELS[this.method]}: node ${importance.node} in the centre, its neighbours on the inner ring, ${layout.rings > 1 ? 'nodes further out on the outer rings; ' : ''}width and opacity follow the score, dashed edges work against the prediction${layout.edges.length < layout.total ? ` (the ${layout.edges.length} strongest of ${layout.total} drawn)` : ''}. The numbered edges are the table's; click a node or an edge, or Tab to a numbered edge and press Enter, to open that node's record.`;
    this.figure.append(note);
    // How long the tables and the figure took to build (tests and benches read it).
    this.element.dataset.drawMs = (performance.now() - start).toFixed(1);
    this.element.dataset.draws = String(Number(this.element.dataset.draws ?? 0) + 1);
  }

  /** The top edges by the chosen method, every method's score beside. */
  private topTable(importance: EdgeImportance): HTMLElement {
    const t = topEdges(importance, this.method, TOP_EDGES);
    const table = element('table', 'importance-table');
    const caption = element('caption', '');
    caption.textContent = `The ${t.rows.length} edges that matter most by ${METHOD_LABELS[t.by]}, of ${t.total}, with every method's score (higher: more important to the prediction; leave-one-out and integrated gradients are signed)`;
    const head = element('tr', '');
    const columns: Array<[string, ImportanceMethod | undefined]> = [['#', undefined], ['edge', undefined], ['hop', undefined], ...t.methods.map((m): [string, ImportanceMethod] => [METHOD_LABELS[m], m])];
    for (const [text, m] of columns) {
      const th = element('th', m === t.by ? 'sorted' : '', { scope: 'col', ...(m ? { 'data-method': m } : {}), ...(m === t.by ? { 'aria-sort': 'descending' } : {}) });
      th.textContent = text;
      head.append(th);
    }
    const thead = element('thead', '');
    thead.append(head);
    const tbody = element('tbody', '');
    for (const r of t.rows) {
      const tr = element('tr', 'importance-row', { 'data-rank': String(r.rank), 'data-source': String(r.source), 'data-target': String(r.target), 'data-hop': String(r.hop) });
      const rank = element('th', 'num', { scope: 'row' });
      rank.textContent = String(r.rank);
      const edge = element('td', 'edge-cell');
      edge.append(this.link(r.source), ` ${t.arrow} `, this.link(r.target));
      const hop = element('td', 'num');
      hop.textContent = String(r.hop);
      tr.append(rank, edge, hop);
      r.scores.forEach((v, k) => {
        const td = element('td', `num${t.methods[k] === t.by ? ' sorted' : ''}`, { 'data-method': t.methods[k], 'data-score': v === null ? '' : String(v) });
        td.textContent = formatScore(v);
        tr.append(td);
      });
      tbody.append(tr);
    }
    table.append(caption, thead, tbody);
    return sideScroll(table);
  }

  /** Each method's agreement with attention, its time, and what else to know about it. */
  private methodTable(importance: EdgeImportance): HTMLElement {
    const table = element('table', 'importance-methods');
    const caption = element('caption', '');
    caption.textContent = "Each method against attention: Kendall's τ-b between the two rankings of every edge (+1 the same order, 0 unrelated, −1 reversed), and its time";
    const head = element('tr', '');
    for (const text of ['method', 'τ vs attention', 'time', 'notes']) {
      const th = element('th', '', { scope: 'col' });
      th.textContent = text;
      head.append(th);
    }
    const thead = element('thead', '');
    thead.append(head);
    const tbody = element('tbody', '');
    for (const s of methodSummaries(importance)) {
      const tr = element('tr', 'method-row', { 'data-method': s.method, 'data-tau': s.tau === null ? '' : String(s.tau) });
      const name = element('th', '', { scope: 'row' });
      name.textContent = s.label;
      const tau = element('td', s.tau === null ? 'tau-none' : 'num');
      tau.textContent = s.agreement;
      const time = element('td', 'num');
      time.textContent = formatSeconds(s.seconds);
      const notes = element('td', 'method-notes');
      notes.textContent = s.notes.join('; ');
      tr.append(name, tau, time, notes);
      tbody.append(tr);
    }
    table.append(caption, thead, tbody);
    return sideScroll(table);
  }

  private link(node: number): HTMLElement {
    const a = element('a', 'node-link', { href: '#', 'data-node': String(node) });
    a.textContent = String(node);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      this.actions.openRecord(node);
    });
    return a;
  }

  private openFrom(target: EventTarget | null): void {
    const at = target instanceof Element ? target.closest<SVGElement>('[data-node]') : null;
    if (at?.dataset.node !== undefined) this.actions.openRecord(Number(at.dataset.node));
  }
}

/** One answer of the explain process: its node, edges and each method's timing (another computation times differently). */
function answerKey(x: EdgeImportance): string {
  return `${x.node}|${x.units.length}|${x.directed}|${x.methods.map((m) => `${m.method}:${m.seconds}`).join(',')}`;
}
