import type { AttentionSnapshot } from '../../protocol/analysisSnapshots';
import { Component } from '../shared/component';
import { element, toolbarButton } from '../shared/controls';

export type HeadChoice = number | 'all';
export type AttentionLayout = 'radial' | 'distance';

/** What the toolbar shows: the snapshot's layers and heads, and the user's drawing choices. */
export interface AttentionToolbarState {
  readonly snapshot: AttentionSnapshot;
  readonly head: HeadChoice;
  readonly layout: AttentionLayout;
  readonly relative: boolean;
}

export interface AttentionToolbarActions {
  /** Show (or Enter in the node field, or another layer): the node typed and the layer chosen. */
  request(node: string, layer: number): void;
  change(choice: Partial<Pick<AttentionToolbarState, 'head' | 'layout' | 'relative'>>): void;
  stepThrough(): void;
  export(format: 'png' | 'svg'): void;
}

/** The attention panel's toolbar: node, layer, head, layout, widths relative to uniform, exports. */
export class AttentionToolbar extends Component<AttentionToolbarState> {
  private readonly nodeInput = element('input', 'node-input', { 'aria-label': 'Node id', type: 'number', min: '0' });
  private readonly nodeList = element('datalist', '');
  private readonly layerSelect = element('select', 'layer-select', { 'aria-label': 'Layer' });
  private readonly headSelect = element('select', 'head-select', { 'aria-label': 'Head' });
  private readonly layoutSelect = element('select', 'layout-select', { 'aria-label': 'Layout' });
  private readonly relativeBox = element('input', 'relative-toggle', { 'aria-label': 'Widths relative to uniform', type: 'checkbox' });
  private listedNodes = 0;
  /** Off until a snapshot is drawn: before it, there is no node to step through (a click did nothing). */
  private readonly stepButton: HTMLElement;

  constructor(on: AttentionToolbarActions) {
    super(element('div', 'toolbar'));
    this.nodeList.removeAttribute('class');
    this.nodeList.id = 'node-ids';
    this.nodeInput.setAttribute('list', this.nodeList.id);
    for (const [value, label] of [['radial', 'radial tree'], ['distance', 'attention distance']]) this.layoutSelect.append(new Option(label, value));
    const relativeLabel = document.createElement('label');
    relativeLabel.append(this.relativeBox, ' relative to uniform');
    const request = (): void => on.request(this.nodeInput.value, Number(this.layerSelect.value));
    // The node's forward pass step by step, next to the code (the Computation panel).
    const stepButton = toolbarButton('Step through', 'step-through', () => on.stepThrough());
    stepButton.title = "Step through this node's computation with the run's parameters, linked to the code";
    stepButton.setAttribute('disabled', '');
    this.stepButton = stepButton;
    this.element.append(
      this.nodeInput,
      this.nodeList,
      toolbarButton('Show', 'show-button', request),
      this.layerSelect,
      this.headSelect,
      this.layoutSelect,
      relativeLabel,
      stepButton,
      toolbarButton('Export PNG', 'export-png', () => on.export('png')),
      toolbarButton('Export SVG', 'export-svg', () => on.export('svg')),
    );
    this.listen(this.nodeInput, 'keydown', (e) => {
      if (e.key === 'Enter') request();
    });
    this.listen(this.nodeInput, 'focus', () => this.fillNodeList());
    this.listen(this.layerSelect, 'change', request);
    this.listen(this.headSelect, 'change', () => on.change({ head: this.headSelect.value === 'all' ? 'all' : Number(this.headSelect.value) }));
    this.listen(this.layoutSelect, 'change', () => on.change({ layout: this.layoutSelect.value as AttentionLayout }));
    this.listen(this.relativeBox, 'change', () => on.change({ relative: this.relativeBox.checked }));
  }

  /** A new snapshot: the node field shows its node (what the user typed before is replaced). */
  showNode(s: AttentionSnapshot): void {
    this.nodeInput.max = String(s.numNodes - 1);
    this.nodeInput.value = String(s.data.node);
    if (document.activeElement === this.nodeInput) this.fillNodeList();
  }

  /** Controls are written only where they differ: an unchanged one is not repainted. */
  render(s: AttentionToolbarState): void {
    const { layers, data } = s.snapshot;
    this.stepButton.removeAttribute('disabled');
    if (this.layerSelect.options.length !== layers) this.layerSelect.replaceChildren(...Array.from({ length: layers }, (_, l) => new Option(`layer ${l + 1}`, String(l + 1))));
    const heads = data.heads + (data.heads > 1 ? 1 : 0);
    if (this.headSelect.options.length !== heads) this.headSelect.replaceChildren(...Array.from({ length: data.heads }, (_, h) => new Option(`head ${h + 1}`, String(h))), ...(data.heads > 1 ? [new Option('all heads', 'all')] : []));
    setValue(this.layerSelect, String(data.layer));
    setValue(this.headSelect, String(s.head));
    setValue(this.layoutSelect, s.layout);
    if (this.relativeBox.checked !== s.relative) this.relativeBox.checked = s.relative;
  }

  /**
   * The node ids to pick from, built when the field takes focus: 2,708 options (Cora) cost more to
   * build than the 8 heads to draw, and a panel opened from a graph or the entropy panel may never need them.
   */
  private fillNodeList(): void {
    const n = Number(this.nodeInput.max) + 1;
    if (this.nodeInput.max === '' || this.listedNodes === n) return;
    this.listedNodes = n;
    this.nodeList.replaceChildren(...Array.from({ length: n }, (_, i) => new Option(String(i))));
  }
}

function setValue(select: HTMLSelectElement, value: string): void {
  if (select.value !== value) select.value = value;
}
