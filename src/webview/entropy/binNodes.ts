import type { Histogram } from '../../figures/entropyModel';
import { Component } from '../shared/component';
import { element } from '../shared/controls';

/** A bin of one head's learned histogram, and where its nodes' ids start (one graph of an inductive dataset). */
export interface BinNodesState {
  readonly histogram: Histogram;
  readonly head: number;
  readonly bin: number;
  readonly nodeOffset: number;
}

const MAX_LISTED = 200;

/** The nodes of a clicked bar: each a link to its record and one to its attention. */
export class BinNodes extends Component<BinNodesState | undefined> {
  constructor(on: { open(node: number): void; showAttention(node: number): void }) {
    super(element('div', 'bin-nodes', { 'aria-live': 'polite' }));
    this.listen(this.element, 'click', (e) => {
      const link = e.target instanceof Element ? e.target.closest<HTMLElement>('a[data-node]') : null;
      if (!link) return;
      e.preventDefault();
      const node = Number(link.dataset.node);
      if (link.classList.contains('show-attention')) on.showAttention(node);
      else on.open(node);
    });
  }

  render(s: BinNodesState | undefined): void {
    this.element.replaceChildren();
    if (!s) return;
    const h = s.histogram;
    const nodes = h.learnedNodes[s.bin];
    const title = document.createElement('div');
    title.textContent = `head ${s.head + 1}, entropy ${h.edges[s.bin].toFixed(3)}–${h.edges[s.bin + 1].toFixed(3)} nats: ${nodes.length} node${nodes.length === 1 ? '' : 's'}${nodes.length > MAX_LISTED ? ` (first ${MAX_LISTED})` : ''}`;
    this.element.append(title);
    for (const node of nodes.slice(0, MAX_LISTED)) {
      const record = element('a', '', { href: '#', 'data-node': String(node) });
      record.removeAttribute('class');
      record.textContent = `node ${node + s.nodeOffset}`;
      const attention = element('a', 'show-attention', { href: '#', 'data-node': String(node) });
      attention.textContent = 'attention';
      const item = element('span', 'bin-node');
      item.append(record, ' (', attention, ')');
      this.element.append(item, ' ');
    }
  }
}
