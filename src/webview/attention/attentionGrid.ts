import type { AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import { attentionFigure, type AttentionFigureOptions } from '../../figures/attentionFigure';
import { attentionTooltip, uniformWeight } from '../../figures/attentionModel';
import { Component } from '../shared/component';
import { drawFigures } from '../shared/figureGrid';

/** What the grid draws: one figure per head in `heads`, each `size` px square. */
export interface AttentionGridState extends Omit<AttentionFigureOptions, 'head'> {
  readonly data: AttentionSnapshotData;
  readonly heads: readonly number[];
}

/**
 * One node's neighbourhood per head, side by side, drawn into the panel's figure grid: hover shows a
 * neighbour's weight against the uniform one, click or Enter opens its record, right-click offers
 * VS Code's menu for it.
 */
export class AttentionGrid extends Component<AttentionGridState> {
  private state: AttentionGridState | undefined;

  constructor(
    grid: HTMLElement,
    tooltip: HTMLElement,
    /** The box the tooltip is positioned in. */
    frame: HTMLElement,
    open: (node: number) => void,
  ) {
    super(grid);
    this.listen(this.element, 'pointermove', (e) => {
      const hit = this.neighbourAt(e.target);
      if (!hit || !this.state) {
        tooltip.hidden = true;
        return;
      }
      const d = this.state.data;
      const n = d.neighbours.find((x) => x.node === hit.node)!;
      tooltip.textContent = `${attentionTooltip(n, hit.head, uniformWeight(d), d.classNames)}\nhead ${hit.head + 1} · click: open the record`;
      tooltip.hidden = false;
      const box = frame.getBoundingClientRect();
      tooltip.style.left = `${Math.min(e.clientX - box.left + 14, box.width - 280)}px`;
      tooltip.style.top = `${e.clientY - box.top + 14}px`;
    });
    this.listen(this.element, 'pointerleave', () => (tooltip.hidden = true));
    // Right-click on a neighbour: VS Code's context menu for it (Step Through Computation, Open Node Record).
    this.listen(this.element, 'contextmenu', (e) => {
      const hit = this.neighbourAt(e.target);
      tooltip.hidden = true; // the menu opens where the tooltip was
      this.element.dataset.vscodeContext = JSON.stringify(hit ? { webviewSection: 'node', node: hit.node, preventDefaultContextMenuItems: true } : { preventDefaultContextMenuItems: true });
    });
    const openAt = (target: EventTarget | null): void => {
      const hit = this.neighbourAt(target);
      if (hit) open(hit.node);
    };
    this.listen(this.element, 'click', (e) => openAt(e.target));
    this.listen(this.element, 'keydown', (e) => {
      if (e.key === 'Enter') openAt(e.target);
    });
  }

  render(s: AttentionGridState): void {
    this.state = s;
    drawFigures(
      this.element,
      s.heads.map((head) => attentionFigure(s.data, { ...s, head })),
    );
  }

  private neighbourAt(target: EventTarget | null): { node: number; head: number } | undefined {
    const el = target instanceof Element ? target.closest('[data-node]') : null;
    const svg = target instanceof Element ? target.closest('svg') : null;
    if (!el || !svg || !this.state) return undefined;
    const index = [...this.element.children].indexOf(svg);
    return { node: Number(el.getAttribute('data-node')), head: this.state.heads[index] };
  }
}
