import type { NodeExplanation } from '../../protocol/explanation';
import { scenarioName, type PanelEdit, type WhatIfView } from '../../protocol/whatIf';
import { element } from '../shared/controls';
import { addEdgeProblem, featureOnProblem, parseTypedId, predictionChanged, probabilityChanges } from './whatIfModel';

/** What the what-if section asks of the app (each becomes a message to the host). */
export interface WhatIfActions {
  edit(e: PanelEdit): void;
  undo(index: number): void;
  reset(): void;
  save(name: string): void;
  open(name: string): void;
}

const pct = (p: number): string => `${(100 * p).toFixed(1)}%`;
const signedPoints = (d: number): string => `${d >= 0 ? '+' : '−'}${Math.abs(100 * d).toFixed(2)} pt`;

/**
 * The what-if section of the Computation panel: add an edge from a typed node, switch a typed
 * feature on, the edit list (each with Undo) and Reset, the class probabilities before → after, and
 * named scenarios. Its forms are built once, so a snapshot arriving while the user types keeps the
 * text; the rest is drawn from the snapshot. Typed ids are checked here first (the host checks again).
 */
export class WhatIfSection {
  // Focusable from script (tabindex −1): the graph panel's "What If" puts the keyboard here.
  readonly element = element('section', 'what-if', { 'aria-label': 'What-if edits', tabindex: '-1' });
  private readonly status = element('p', 'what-if-status', { role: 'status', 'aria-live': 'polite' });
  private readonly addInput = element('input', 'add-edge-input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', 'aria-label': 'Node id to add an edge from', placeholder: 'node id', 'data-focus-key': 'add-edge-input' });
  private readonly featureInput = element('input', 'feature-on-input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', 'aria-label': 'Feature index to switch on', placeholder: 'feature', 'data-focus-key': 'feature-on-input' });
  private readonly edits = element('ol', 'what-if-edits', { 'aria-label': 'Edits, in the order applied' });
  private readonly resetButton = element('button', 'reset-edits', { type: 'button', 'data-focus-key': 'reset-edits' });
  private readonly changes = element('div', 'probability-change');
  private readonly nameInput = element('input', 'scenario-name', { type: 'text', autocomplete: 'off', maxlength: '64', 'aria-label': 'Scenario name', placeholder: 'scenario name', 'data-focus-key': 'scenario-name' });
  private readonly scenarioSelect = element('select', 'scenario-select', { 'aria-label': 'Saved scenarios', 'data-focus-key': 'scenario-select' });
  private readonly openForm: HTMLFormElement;
  private x: NodeExplanation | undefined;
  private view: WhatIfView | undefined;

  constructor(private readonly actions: WhatIfActions) {
    const title = element('h3', 'step-title');
    title.textContent = 'What if…';
    const hint = element('p', 'what-if-hint');
    hint.textContent = 'Edit the graph or the input features: the prediction, every layer and head, and every step below are computed again (the saved run is never changed). Delete on a neighbour row removes its edge.';
    this.resetButton.textContent = 'Reset';
    this.resetButton.addEventListener('click', () => this.actions.reset());
    const addForm = this.form('add-edge-form', 'Add edge from node', this.addInput, 'Add edge', () => this.addEdge());
    const featureForm = this.form('feature-on-form', 'Switch feature on', this.featureInput, 'Feature on', () => this.featureOn());
    const saveForm = this.form('save-scenario-form', 'Save scenario as', this.nameInput, 'Save scenario', () => this.save());
    this.openForm = this.form('open-scenario-form', 'Open scenario', this.scenarioSelect, 'Open scenario', () => this.scenarioSelect.value && this.actions.open(this.scenarioSelect.value));
    const forms = element('div', 'toolbar what-if-forms');
    forms.append(addForm, featureForm);
    const list = element('div', 'what-if-list');
    list.append(this.edits, this.resetButton);
    const scenarios = element('div', 'toolbar what-if-scenarios');
    scenarios.append(saveForm, this.openForm);
    this.element.append(title, hint, forms, this.status, list, this.changes, scenarios);
    this.element.hidden = true;
  }

  /** The snapshot's edits and probabilities (none: a snapshot without what-if, as the standalone page shows). */
  render(x: NodeExplanation, view: WhatIfView | undefined): void {
    this.x = x;
    this.view = view;
    this.element.hidden = !view;
    this.element.removeAttribute('aria-busy');
    if (!view) return;
    this.element.dataset.edits = String(view.edits.length);
    this.setStatus(view.message?.kind ?? 'info', view.message?.text ?? (view.edits.length ? '' : "No edits: the run's own graph and features."));
    this.renderEdits(x, view);
    this.renderChanges(x);
    const chosen = view.scenarios.includes(this.scenarioSelect.value) ? this.scenarioSelect.value : view.scenario;
    this.scenarioSelect.replaceChildren(...view.scenarios.map((s) => new Option(s, s, false, s === chosen)));
    this.openForm.hidden = view.scenarios.length === 0;
    if (view.scenario && !this.nameInput.value) this.nameInput.value = view.scenario;
  }

  /** A request is on its way: say so until the next snapshot. */
  pending(): void {
    this.element.setAttribute('aria-busy', 'true');
    this.setStatus('info', 'Recomputing…');
  }

  private setStatus(kind: 'error' | 'info', text: string): void {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  private form(cls: string, label: string, field: HTMLInputElement | HTMLSelectElement, button: string, submit: () => void): HTMLFormElement {
    const form = element('form', `what-if-form ${cls}`);
    const l = element('label', '');
    l.append(`${label} `, field);
    const b = element('button', 'what-if-submit', { type: 'submit', 'data-focus-key': `${cls}-submit` });
    b.textContent = button;
    form.append(l, b);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit();
    });
    return form;
  }

  private addEdge(): void {
    if (!this.x || !this.view) return;
    const id = parseTypedId(this.addInput.value, this.view.numNodes, 'node');
    const problem = typeof id === 'string' ? id : addEdgeProblem(this.x, id);
    if (problem !== undefined) return this.setStatus('error', problem);
    this.addInput.value = '';
    this.actions.edit({ kind: 'add-edge', node: id as number });
  }

  private featureOn(): void {
    if (!this.x || !this.view) return;
    const f = parseTypedId(this.featureInput.value, this.view.numFeatures, 'feature');
    const problem = typeof f === 'string' ? f : featureOnProblem(this.x, f);
    if (problem !== undefined) return this.setStatus('error', problem);
    this.featureInput.value = '';
    this.actions.edit({ kind: 'feature-on', feature: f as number });
  }

  private save(): void {
    const name = this.nameInput.value.trim();
    if (scenarioName.check(name) !== undefined) return this.setStatus('error', name ? `'${name.slice(0, 64)}' cannot name a scenario: use letters, digits, '-', '_' and '.' (at most 64, no '..').` : 'Type a name for the scenario.');
    this.actions.save(name);
  }

  private renderEdits(x: NodeExplanation, view: WhatIfView): void {
    const applied = x.edits?.applied ?? [];
    this.edits.replaceChildren(
      ...view.edits.map((e, i) => {
        const li = element('li', 'what-if-edit', { 'data-index': String(i), 'data-kind': e.kind });
        const text = element('span', 'what-if-edit-text');
        text.textContent = applied[i] ?? e.kind;
        const undo = element('button', 'undo-edit', { type: 'button', 'aria-label': `Undo: ${text.textContent}`, 'data-focus-key': `undo-${i}` });
        undo.textContent = 'Undo';
        undo.addEventListener('click', () => this.actions.undo(i));
        li.append(text, ' ', undo);
        return li;
      }),
    );
    this.edits.hidden = view.edits.length === 0;
    this.resetButton.disabled = view.edits.length === 0;
  }

  /** The prediction before → after, and every class's probability (two bars: before, after). */
  private renderChanges(x: NodeExplanation): void {
    const rows = probabilityChanges(x);
    this.changes.hidden = !rows;
    if (!rows || !x.edits) return this.changes.replaceChildren();
    const names = (ks: readonly number[]): string => ks.map((k) => x.classNames[k] ?? String(k)).join(', ') || 'no label';
    const changed = predictionChanged(x);
    const headline = element('p', 'prediction-change', { 'data-changed': String(changed) });
    headline.textContent = changed ? `Prediction changed: ${names(x.edits.before.predicted)} → ${names(x.result.predicted)}` : `Prediction unchanged: ${names(x.result.predicted)}`;
    const table = element('table', 'probability-table');
    const caption = element('caption', '');
    caption.textContent = `${x.multiLabel ? 'Label probabilities (the 20 that moved most)' : 'Class probabilities'}: before the edits → after`;
    const head = element('tr', '');
    for (const t of [x.multiLabel ? 'label' : 'class', 'before', 'after', 'change', '']) {
      const th = element('th', '', { scope: 'col' });
      th.textContent = t;
      head.append(th);
    }
    const thead = element('thead', '');
    thead.append(head);
    const tbody = element('tbody', '');
    for (const r of rows) {
      const tr = element('tr', 'probability-row', { 'data-class': String(r.k), 'data-before': String(r.before), 'data-after': String(r.after) });
      const name = element('td', '');
      name.textContent = `${r.name}${r.predictedAfter ? ' (predicted)' : r.predictedBefore ? ' (was predicted)' : ''}`;
      const cells = [pct(r.before), pct(r.after), signedPoints(r.delta)].map((t) => {
        const td = element('td', 'num');
        td.textContent = t;
        return td;
      });
      cells[2].dataset.sign = r.delta > 0 ? 'up' : r.delta < 0 ? 'down' : 'none';
      const bars = element('td', 'bar-cell');
      const track = element('div', 'weight-bar pair', { role: 'img', 'aria-label': `before ${pct(r.before)}, after ${pct(r.after)}` });
      const was = element('div', 'before-fill');
      was.style.width = `${100 * r.before}%`;
      const now = element('div', 'weight-fill after-fill');
      now.style.width = `${100 * r.after}%`;
      track.append(was, now);
      bars.append(track);
      tr.append(name, ...cells, bars);
      tbody.append(tr);
    }
    table.append(caption, thead, tbody);
    this.changes.replaceChildren(headline, table);
  }
}
