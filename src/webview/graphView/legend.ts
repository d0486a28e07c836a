import type { Category } from '../../figures/graphModel';

export interface LegendHandlers {
  /** Click: hide or show one category. */
  readonly toggle: (key: number) => void;
  /** "only" (or Shift/Alt-click): show only this category; again: show all. */
  readonly solo: (key: number) => void;
  readonly showAll: () => void;
}

/** The class legend: colour, name and node count per category, each a toggle button. */
export function renderLegend(container: HTMLElement, items: readonly Category[], hidden: readonly number[], title: string, on: LegendHandlers): void {
  container.replaceChildren();
  const heading = document.createElement('div');
  heading.className = 'legend-title';
  heading.textContent = title;
  const list = document.createElement('ul');
  for (const c of items) {
    const li = document.createElement('li');
    const toggle = document.createElement('button');
    toggle.className = 'legend-toggle';
    toggle.dataset.key = String(c.key);
    const shown = !hidden.includes(c.key);
    toggle.setAttribute('aria-pressed', String(shown));
    toggle.title = `${shown ? 'Hide' : 'Show'} ${c.name} (Shift-click: show only ${c.name})`;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = c.colour;
    toggle.append(swatch, `${c.name} (${c.count})`);
    toggle.addEventListener('click', (e) => (e.shiftKey || e.altKey ? on.solo(c.key) : on.toggle(c.key)));
    const solo = document.createElement('button');
    solo.className = 'legend-solo';
    solo.dataset.key = String(c.key);
    solo.textContent = 'only';
    solo.title = `Show only ${c.name}`;
    solo.addEventListener('click', () => on.solo(c.key));
    li.append(toggle, solo);
    list.append(li);
  }
  container.append(heading, list);
  if (hidden.length) {
    const all = document.createElement('button');
    all.className = 'legend-all';
    all.textContent = 'show all';
    all.addEventListener('click', on.showAll);
    container.append(all);
  }
}

/** The legend drawn into an exported PNG (top-left, like the SVG's). */
export function drawLegendOnCanvas(ctx: CanvasRenderingContext2D, items: readonly Category[], foreground: string, font: string): void {
  ctx.save();
  ctx.font = `11px ${font}`;
  items.forEach((c, row) => {
    const y = 14 + row * 16;
    ctx.fillStyle = c.colour;
    ctx.beginPath();
    ctx.arc(12, y - 4, 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = foreground;
    ctx.fillText(`${c.name} (${c.count})`, 22, y);
  });
  ctx.restore();
}
