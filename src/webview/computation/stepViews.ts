import type { ExplainSources, ExplainStep, HeadComputation, LayerComputation, NodeExplanation } from '../../protocol/explanation';
import { element, sideScroll } from '../shared/controls';
import { attentionRows } from './whatIfModel';

/** What a step view can ask of the app: open code, a record, or a neighbour's own computation. */
export interface StepActions {
  openSource(step: ExplainStep): void;
  openRecord(node: number): void;
  expand(node: number): void;
}

const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

/** A vector: its first values, and all of them on request (a <details> the keyboard opens). */
export function vectorView(values: readonly number[], label: string, first = 8): HTMLElement {
  const shown = element('div', 'vector');
  shown.textContent = `[${values.slice(0, first).map(num).join(', ')}${values.length > first ? ', …' : ''}] (${values.length} values)`;
  if (values.length <= first) return shown;
  const all = element('details', 'vector-all');
  const summary = element('summary', '');
  summary.textContent = `all ${values.length} values of ${label}`;
  const body = element('div', 'vector-values');
  body.textContent = values.map((v, i) => `${i}: ${num(v)}`).join('   ');
  all.append(summary, body);
  const box = element('div', '');
  box.append(shown, all);
  return box;
}

/** One step: its number and title, the formula in plain notation, the values, and a link to its code. */
export function stepView(n: number, step: ExplainStep, title: string, formula: string, body: HTMLElement[], sources: ExplainSources, actions: StepActions): HTMLElement {
  const li = element('li', 'step', { 'data-step': step });
  const h = element('h3', 'step-title');
  h.textContent = `${n}. ${title}`;
  const f = element('div', 'formula');
  f.textContent = formula;
  li.append(h, f, ...body);
  const at = sources[step];
  if (at) {
    const link = element('a', 'source-link', { href: '#', 'data-step': step, title: `Open ${at.file} at line ${at.line}` });
    link.textContent = `code: ${at.file}:${at.line}`;
    link.addEventListener('click', (e) => {
      e.preventDefault();
      actions.openSource(step);
    });
    li.append(link);
  }
  return li;
}

/** A node id that opens its record. */
export function nodeLink(node: number, actions: StepActions, text = `node ${node}`): HTMLElement {
  const a = element('a', 'node-link', { href: '#', 'data-node': String(node) });
  a.textContent = text;
  a.addEventListener('click', (e) => {
    e.preventDefault();
    actions.openRecord(node);
  });
  return a;
}

/** What-if editing in the attention table: the weights before the edits, and removing an edge. */
export interface AttentionEditing {
  /** The unedited graph's weights for this layer and head (shown beside α_ij once something is edited). */
  readonly before?: { readonly nodes: readonly number[]; readonly weights: readonly number[] };
  /** Removes the edge from `node`; `nextFocus` is the focus key of the row the keyboard moves to. */
  remove(node: number, nextFocus: string | undefined): void;
}

/**
 * The attention step's table: every neighbour (self-loop first, then by weight) with s_j, e_ij and
 * α_ij as a bar next to the uniform weight. On layers above the first, a row expands into that
 * neighbour's own computation one layer down (asked of the host once). With what-if editing, each
 * neighbour's edge can be removed (its button, Delete on the row, or VS Code's context menu on it),
 * and once something is edited the weights before the edits stand beside the new ones, the removed
 * neighbours listed after the others.
 */
export function attentionTable(layer: LayerComputation, head: HeadComputation, expanded: ReadonlyMap<number, NodeExplanation | 'loading'>, actions: StepActions, editing?: AttentionEditing): HTMLElement {
  const table = element('table', 'attention-table');
  const caption = element('caption', '');
  const before = editing?.before;
  caption.textContent = `${head.neighbours.length} neighbours (self-loop included) of head ${head.head + 1}; bars: α_ij, line: uniform 1/(deg + 1)${before ? '; α before: the weight before the edits' : ''}${editing ? '; Delete on a row removes its edge' : ''}`;
  const headRow = element('tr', '');
  // GATv2 scores each pair at once (att · LeakyReLU(x_l[j] + x_r[i])): there is no per-neighbour s_j
  const v2 = layer.model === 'gatv2';
  const headers = ['neighbour', ...(v2 ? [] : ['s_j']), 'e_ij', 'α_ij', ...(before ? ['α before'] : []), 'vs uniform', '', ...(editing ? ['what if'] : [])];
  for (const t of headers) {
    const th = element('th', '', { scope: 'col' });
    th.textContent = t;
    headRow.append(th);
  }
  const thead = element('thead', '');
  thead.append(headRow);
  const tbody = element('tbody', '');
  const rows = attentionRows(head, before);
  const max = Math.max(...head.neighbours.map((n) => Math.max(n.weight, n.uniform)), ...(before?.weights ?? []));
  const cell = (text: string, cls = 'num'): HTMLTableCellElement => {
    const td = element('td', cls);
    td.textContent = text;
    return td;
  };
  for (const r of rows) {
    const n = r.now;
    const removable = editing !== undefined && n !== undefined && !r.isSelf;
    const tr = element('tr', `neighbour-row${n ? '' : ' removed'}`, { 'data-node': String(r.node), ...(n ? { 'data-weight': String(n.weight) } : { 'data-removed': 'true' }), ...(r.before !== undefined ? { 'data-before': String(r.before) } : {}) });
    // VS Code's context menu on the row offers "Remove Edge" (package.json webview/context).
    if (removable) tr.dataset.vscodeContext = JSON.stringify({ webviewSection: 'neighbour', node: r.node, preventDefaultContextMenuItems: true });
    const who = element('td', '');
    who.append(nodeLink(r.node, actions, r.isSelf ? `node ${r.node} (self)` : `node ${r.node}`));
    const bar = element('td', 'bar-cell');
    if (n) {
      const track = element('div', 'weight-bar', { role: 'img', 'aria-label': `α ${num(n.weight)}, uniform ${num(n.uniform)}` });
      const fill = element('div', 'weight-fill');
      fill.style.width = `${(100 * n.weight) / max}%`;
      const mark = element('div', 'uniform-mark');
      mark.style.left = `${(100 * n.uniform) / max}%`;
      track.append(fill, mark);
      const label = element('span', 'num');
      label.textContent = ` ${num(n.weight)}`;
      bar.append(track, label);
    } else bar.textContent = 'removed';
    const was = element('td', 'bar-cell before-cell');
    if (before) {
      if (r.before === undefined) was.textContent = 'new';
      else {
        const track = element('div', 'weight-bar before-bar', { role: 'img', 'aria-label': `α before ${num(r.before)}` });
        const fill = element('div', 'before-fill');
        fill.style.width = `${(100 * r.before) / max}%`;
        track.append(fill);
        const label = element('span', 'num');
        label.textContent = ` ${num(r.before)}`;
        was.append(track, label);
      }
    }
    const more = element('td', '');
    if (n && layer.layer > 1) {
      const b = element('button', 'expand-button', { type: 'button', 'aria-expanded': String(expanded.has(r.node)), 'data-node': String(r.node), 'data-focus-key': `expand-${r.node}` });
      b.textContent = expanded.has(r.node) ? 'hide' : `layer ${layer.layer - 1} of it`;
      b.title = `node ${r.node}'s own computation in layer ${layer.layer - 1}, which gives the h_j this row projects`;
      b.addEventListener('click', () => actions.expand(r.node));
      more.append(b);
    }
    const edit = element('td', '');
    if (removable) {
      const b = element('button', 'remove-edge', { type: 'button', 'data-node': String(r.node), 'data-focus-key': `remove-${r.node}`, 'aria-label': `Remove the edge from node ${r.node}` });
      b.textContent = 'Remove edge';
      b.addEventListener('click', () => editing.remove(r.node, nextRemoveKey(tr)));
      edit.append(b);
    }
    tr.append(who, ...(v2 ? [] : [cell(n ? num(n.sourceScore) : '—')]), cell(n ? num(n.e) : '—'), bar, ...(before ? [was] : []), cell(n ? `${(n.weight / n.uniform).toFixed(2)}×` : '—'), more, ...(editing ? [edit] : []));
    tbody.append(tr);
    const sub = expanded.get(r.node);
    if (sub && n) tbody.append(nestedRow(sub, layer.layer - 1, actions, headers.length - 1));
  }
  if (editing) {
    // Delete (or Backspace) with the focus anywhere in a row removes that row's edge.
    tbody.addEventListener('keydown', (e) => {
      if (e.key !== 'Delete' && e.key !== 'Backspace') return;
      const tr = (e.target as HTMLElement).closest<HTMLTableRowElement>('tr.neighbour-row');
      const button = tr?.querySelector<HTMLButtonElement>('.remove-edge');
      if (!tr || !button) return;
      e.preventDefault();
      editing.remove(Number(tr.dataset.node), nextRemoveKey(tr));
    });
  }
  table.append(caption, thead, tbody);
  return sideScroll(table);
}

/** Where the keyboard goes once a row's edge is removed: the next row's Remove button (else the previous one's). */
function nextRemoveKey(tr: HTMLTableRowElement): string | undefined {
  const first = (from: Element | null, step: (e: Element) => Element | null): string | undefined => {
    for (let row = from; row; row = step(row)) {
      const b = row.querySelector<HTMLElement>('.remove-edge');
      if (b) return b.dataset.focusKey;
    }
    return undefined;
  };
  return first(tr.nextElementSibling, (e) => e.nextElementSibling) ?? first(tr.previousElementSibling, (e) => e.previousElementSibling);
}

/** An expanded neighbour: its layer output and the neighbours it attends to most, one layer down. */
function nestedRow(x: NodeExplanation | 'loading', layerNumber: number, actions: StepActions, columns: number): HTMLElement {
  const tr = element('tr', 'nested-row');
  const td = element('td', '', { colspan: String(columns) });
  tr.append(td);
  if (x === 'loading') {
    td.textContent = 'computing…';
    return tr;
  }
  const layer = x.layers[layerNumber - 1];
  const head = layer.perHead[0];
  const top = [...head.neighbours].sort((a, b) => b.weight - a.weight).slice(0, 5);
  const title = element('div', 'nested-title');
  title.textContent = `node ${x.node}, layer ${layerNumber}: output h_j (${layer.output.length} values), which layer ${layerNumber + 1} projects`;
  const most = element('div', 'nested-top');
  most.append(`head 1 attends most to: `);
  top.forEach((n, i) => most.append(...(i ? [', '] : []), nodeLink(n.node, actions), ` ${num(n.weight)}`));
  td.append(title, vectorView(layer.output, `node ${x.node}'s layer ${layerNumber} output`), most);
  return tr;
}

/** Layer 1's input for what-if editing: each non-zero feature with a button that switches it off. */
export function featureList(input: LayerComputation['input'], off: (feature: number) => void, limit = 200): HTMLElement {
  const list = element('ul', 'feature-list', { 'aria-label': 'Non-zero input features' });
  for (const v of input.nonZero.slice(0, limit)) {
    const li = element('li', 'feature', { 'data-feature': String(v.index) });
    const b = element('button', 'feature-off', { type: 'button', 'data-feature': String(v.index), 'data-focus-key': `feature-off-${v.index}`, 'aria-label': `Switch feature ${v.index} off` });
    b.textContent = 'off';
    b.addEventListener('click', () => off(v.index));
    li.append(`[${v.index}] ${num(v.value)} `, b);
    list.append(li);
  }
  if (input.nonZero.length > limit) {
    const more = element('li', 'feature-more');
    more.textContent = `… ${input.nonZero.length - limit} more`;
    list.append(more);
  }
  return list;
}
