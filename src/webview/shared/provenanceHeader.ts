import type { Provenance } from '../../protocol/webviewMessages';
import { Component } from './component';
import { element } from './controls';
import { vscodeApi } from './vscodeApi';

/** The provenance header as a component (the panels' first row); drawn again only for another provenance. */
export class ProvenanceHeader extends Component<Provenance | null> {
  private shown: Provenance | null | undefined;

  constructor() {
    super(element('div', ''));
  }

  render(p: Provenance | null): void {
    if (p === this.shown && p !== null) return;
    this.shown = p;
    renderProvenance(this.element, p);
  }
}

/** The header every panel shows: which dataset and run produced it, with links to its files. */
export function renderProvenance(container: HTMLElement, p: Provenance | null): void {
  container.replaceChildren();
  container.className = 'provenance';
  if (!p) return;
  const parts: Array<string | HTMLElement> = [`dataset ${p.dataset}`];
  if (p.datasetChecksum) parts.push(`sha256 ${p.datasetChecksum.slice(0, 12)}…`);
  if (p.runId) parts.push(`run ${p.runId}`);
  if (p.status) parts.push(p.status);
  if (p.backend) parts.push(`back end ${p.backend}`);
  if (p.when) parts.push(new Date(p.when).toLocaleString());
  for (const f of p.files ?? []) {
    const a = document.createElement('a');
    a.href = '#';
    a.textContent = f.label;
    a.title = f.path;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      vscodeApi().postMessage({ type: 'openFile', path: f.path });
    });
    parts.push(a);
  }
  parts.forEach((part, i) => {
    if (i > 0) container.append(' · ');
    container.append(part);
  });
}
