import '@vscode-elements/elements/dist/vscode-button/index.js';

/** The small DOM pieces every panel's toolbar is made of, built one way. */

/** A secondary toolkit button (`@vscode-elements/elements`) with a class tests and styles use. */
export function toolbarButton(label: string, cls: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.className = cls;
  b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = cls;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** A table in a box that scrolls sideways, so a narrow panel scrolls it rather than cutting its columns off. */
export function sideScroll(table: HTMLTableElement): HTMLDivElement {
  const scroll = element('div', 'table-scroll');
  scroll.append(table);
  return scroll;
}

/** A hidden tooltip box (role=tooltip), positioned by the panel. */
export function tooltipElement(): HTMLDivElement {
  const tip = element('div', 'tooltip', { role: 'tooltip' });
  tip.hidden = true;
  return tip;
}

/** A live region for status text that screen readers announce. */
export function statusElement(cls = 'status'): HTMLSpanElement {
  return element('span', cls, { 'aria-live': 'polite' });
}
