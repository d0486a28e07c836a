import type { ExplainSources, ExplainStep, HeadComputation, LayerComputation, NodeExplanation } from '../../protocol/explanation';
import { element } from '../shared/controls';

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

/**
 * The attention step's table: every neighbour (self-loop first, then by weight) with s_j, e_ij and
 * α_ij as a bar next to the uniform weight. On layers above the first, a row expands into that
 * neighbour's own computation one layer down (asked of the host once).
 */
export function attentionTable(layer: LayerComputation, head: HeadComputation, expanded: ReadonlyMap<number, NodeExplanation | 'loading'>, actions: StepActions): HTMLElement {
  const table = element('table', 'attention-table');
  const caption = element('caption', '');
  caption.textContent = `${head.neighbours.length} neighbours (self-loop included) of head ${head.head + 1}; bars: α_ij, line: uniform 1/(deg + 1)`;
  const headRow = element('tr', '');
  for (const t of ['neighbour', 's_j', 'e_ij', 'α_ij', 'vs uniform', '']) {
    const th = element('th', '', { scope: 'col' });
    th.textContent = t;
    headRow.append(th);
  }
  const thead = element('thead', '');
  thead.append(headRow);
  const tbody = element('tbody', '');
  const max = Math.max(...head.neighbours.map((n) => Math.max(n.weight, n.uniform)));
  const rows = [...head.neighbours].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || b.weight - a.weight);
  for (const n of rows) {
    const tr = element('tr', 'neighbour-row', { 'data-node': String(n.node), 'data-weight': String(n.weight) });
    const who = element('td', '');
    who.append(nodeLink(n.node, actions, n.isSelf ? `node ${n.node} (self)` : `node ${n.node}`));
    const cells = [n.sourceScore, n.e].map((v) => {
      const td = element('td', 'num');
      td.textContent = num(v);
      return td;
    });
    const bar = element('td', 'bar-cell');
    const track = element('div', 'weight-bar', { role: 'img', 'aria-label': `α ${num(n.weight)}, uniform ${num(n.uniform)}` });
    const fill = element('div', 'weight-fill');
    fill.style.width = `${(100 * n.weight) / max}%`;
    const mark = element('div', 'uniform-mark');
    mark.style.left = `${(100 * n.uniform) / max}%`;
    track.append(fill, mark);
    const label = element('span', 'num');
    label.textContent = ` ${num(n.weight)}`;
    bar.append(track, label);
    const ratio = element('td', 'num');
    ratio.textContent = `${(n.weight / n.uniform).toFixed(2)}×`;
    const more = element('td', '');
    if (layer.layer > 1) {
      const b = element('button', 'expand-button', { type: 'button', 'aria-expanded': String(expanded.has(n.node)), 'data-node': String(n.node), 'data-focus-key': `expand-${n.node}` });
      b.textContent = expanded.has(n.node) ? 'hide' : `layer ${layer.layer - 1} of it`;
      b.title = `node ${n.node}'s own computation in layer ${layer.layer - 1}, which gives the h_j this row projects`;
      b.addEventListener('click', () => actions.expand(n.node));
      more.append(b);
    }
    tr.append(who, ...cells, bar, ratio, more);
    tbody.append(tr);
    const sub = expanded.get(n.node);
    if (sub) tbody.append(nestedRow(sub, layer.layer - 1, actions));
  }
  table.append(caption, thead, tbody);
  // A narrow panel scrolls the table sideways rather than cutting its columns off.
  const scroll = element('div', 'table-scroll');
  scroll.append(table);
  return scroll;
}

/** An expanded neighbour: its layer output and the neighbours it attends to most, one layer down. */
function nestedRow(x: NodeExplanation | 'loading', layerNumber: number, actions: StepActions): HTMLElement {
  const tr = element('tr', 'nested-row');
  const td = element('td', '', { colspan: '6' });
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
