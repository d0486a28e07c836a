import type { CompareSnapshot } from '../../protocol/compareSnapshot';
import { Component } from '../shared/component';
import { element, toolbarButton } from '../shared/controls';
import { vscodeApi } from '../shared/vscodeApi';
import { agreementSegments } from './compareModel';

/** "A run-id · B run-id", each a link to its run.json; Swap, and the graph coloured by agreement. */
export class CompareHeader extends Component<CompareSnapshot> {
  private readonly runs = element('div', 'compare-runs');
  private readonly graphButton: HTMLElement;

  constructor(actions: { swap: () => void; showGraph: () => void }) {
    super(element('div', 'provenance compare-header'));
    this.graphButton = toolbarButton('Show agreement in graph', 'agreement-graph-button', actions.showGraph);
    const buttons = element('div', 'toolbar');
    buttons.append(this.graphButton, toolbarButton('Swap A and B', 'swap-button', actions.swap));
    this.element.append(this.runs, buttons);
  }

  render(s: CompareSnapshot): void {
    // Node by node only for single-label runs on the same dataset.
    this.graphButton.hidden = 'unavailable' in s.agreement || s.agreement.unit !== 'nodes';
    const link = (label: string, runId: string, file: string, cls: string): HTMLElement => {
      const wrap = element('span', `run-label ${cls}`);
      const a = element('a', 'run-link', { href: '#', title: file });
      a.textContent = runId;
      a.addEventListener('click', (e) => {
        e.preventDefault();
        vscodeApi().postMessage({ type: 'openFile', path: file });
      });
      wrap.append(`${label} `, a);
      return wrap;
    };
    this.runs.replaceChildren(`dataset ${s.a.dataset === s.b.dataset ? s.a.dataset : `${s.a.dataset} / ${s.b.dataset}`} · `, link('A', s.a.runId, s.a.runJson, 'run-a'), ' vs ', link('B', s.b.runId, s.b.runJson, 'run-b'));
  }
}

/** Results side by side, rows that differ marked, then the configuration differences. */
export class ResultsTable extends Component<CompareSnapshot> {
  constructor() {
    super(element('section', 'compare-results'));
  }

  render(s: CompareSnapshot): void {
    const table = element('table', 'compare-table');
    const head = table.createTHead().insertRow();
    for (const text of ['', 'A', 'B']) head.append(Object.assign(document.createElement('th'), { textContent: text, scope: 'col' }));
    const body = table.createTBody();
    for (const r of s.rows) {
      const tr = body.insertRow();
      if (r.differs) tr.className = 'differs';
      tr.append(Object.assign(document.createElement('th'), { textContent: r.label, scope: 'row' }));
      tr.insertCell().textContent = r.a;
      tr.insertCell().textContent = r.b;
    }
    const config = element('div', 'config-differences');
    if (s.config.length === 0) config.textContent = 'Configuration: the same.';
    else {
      config.append('Configuration differences:');
      const list = element('ul', 'config-list');
      for (const d of s.config) {
        const li = element('li', 'config-item');
        li.textContent = `${d.key}: ${d.a} → ${d.b}`;
        list.append(li);
      }
      config.append(list);
    }
    this.element.replaceChildren(table, config);
  }
}

/** Where the two runs' test predictions are right: a stacked bar with a labelled legend. */
export class AgreementBar extends Component<CompareSnapshot> {
  constructor() {
    super(element('section', 'agreement'));
  }

  render(s: CompareSnapshot): void {
    if ('unavailable' in s.agreement) {
      this.element.replaceChildren(Object.assign(element('p', 'agreement-unavailable'), { textContent: `Agreement: not available: ${s.agreement.unavailable}.` }));
      return;
    }
    const segments = agreementSegments(s.agreement.counts);
    const total = s.agreement.counts.reduce((a, b) => a + b, 0);
    const title = Object.assign(element('div', 'agreement-title'), { textContent: `Agreement on the test split (${total.toLocaleString('en')} ${s.agreement.unit})` });
    const bar = element('div', 'agreement-bar', { role: 'img', 'aria-label': segments.map((g) => `${g.name} ${g.count}`).join(', ') });
    const legend = element('ul', 'agreement-legend');
    for (const g of segments) {
      const part = element('div', `agreement-segment ${g.cssClass}`, { 'data-count': String(g.count) });
      part.style.width = `${(100 * g.share).toFixed(3)}%`;
      part.title = `${g.name}: ${g.count} (${(100 * g.share).toFixed(1)} %)`;
      bar.append(part);
      const item = element('li', `agreement-item ${g.cssClass}`);
      item.append(element('span', 'swatch'), `${g.name}: ${g.count.toLocaleString('en')} (${(100 * g.share).toFixed(1)} %)`);
      legend.append(item);
    }
    this.element.replaceChildren(title, bar, legend);
  }
}
