import type { GraphScope } from '../../protocol/graphScope';
import { Component } from './component';
import { element } from './controls';

const SPLIT_TITLE: Readonly<Record<'train' | 'val' | 'test', string>> = { train: 'training graphs', val: 'validation graphs', test: 'test graphs' };

/**
 * The graph picker of inductive datasets (PPI's 24 graphs, grouped by split): a native select, so
 * it is keyboard- and screen-reader-friendly as it is. Hidden for single-graph datasets.
 */
export class GraphPicker extends Component<GraphScope | undefined> {
  private readonly select: HTMLSelectElement;

  constructor(onSelect: (index: number | null) => void) {
    const select = element('select', 'graph-picker', { 'aria-label': 'Graph of the dataset to show' });
    super(select);
    this.select = select;
    select.hidden = true;
    this.listen(select, 'change', () => onSelect(select.value === 'all' ? null : Number(select.value)));
  }

  render(scope: GraphScope | undefined): void {
    this.select.hidden = !scope;
    if (!scope) return;
    const options: HTMLElement[] = [];
    if (scope.allowAll) options.push(new Option(`all ${scope.graphs.length} graphs`, 'all', false, scope.selected === null));
    for (const split of ['train', 'val', 'test'] as const) {
      const group = document.createElement('optgroup');
      group.label = SPLIT_TITLE[split];
      scope.graphs.forEach((g, i) => {
        if (g.split === split) group.append(new Option(`graph ${g.id} · ${split} · ${g.numNodes.toLocaleString('en')} nodes`, String(i), false, scope.selected === i));
      });
      if (group.childElementCount > 0) options.push(group);
    }
    this.select.replaceChildren(...options);
  }
}
